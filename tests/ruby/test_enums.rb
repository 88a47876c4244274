# frozen_string_literal: true

# tests/fixtures/enums/SPEC.md, from Ruby: enums are modules of Integer constants; an argument may be
# the Integer or the value's name as a Symbol (:blue); values outside the enum raise ArgumentError.
require "minitest/autorun"
require "enums"

class TestEnums < Minitest::Test
  C = Enums::Color
  P = Enums::Perms

  def test_n1_c_values
    assert_equal [0, 5, 6], [C::RED, C::GREEN, C::BLUE]
  end

  def test_n2_to_n4
    assert_equal C::GREEN, Enums.color_next(C::RED)
    assert_equal C::BLUE, Enums.color_next(C::GREEN)
    assert_equal C::RED, Enums.color_next(C::BLUE)
    assert_equal true, Enums.color_in_blue(C::BLUE)
    assert_equal false, Enums.color_in_blue(C::GREEN)
    assert_equal "green", Enums.color_name(C::GREEN)
  end

  def test_symbols_name_values
    assert_equal true, Enums.color_in_blue(:blue)
    assert_equal true, Enums.color_in_blue(:BLUE)
    assert_raises(ArgumentError) { Enums.color_in_blue(:purple) }
  end

  def test_n5_negative_values
    s = Enums::Sign
    assert_equal [-1, 0, 1], [s::NEGATIVE, s::ZERO, s::POSITIVE]
    assert_equal s::NEGATIVE, Enums.sign_of(-9)
    assert_equal s::ZERO, Enums.sign_of(0)
    assert_equal s::POSITIVE, Enums.sign_of(2**63 - 1)
  end

  def test_n6_n7_macro_enum
    m = Enums::Mode
    assert_equal [1, 2, 3], [m::READ, m::WRITE, m::APPEND]
    assert_equal true, Enums.mode_in_append(m::APPEND)
    assert_equal true, Enums.mode_writes(m::WRITE)
    assert_equal false, Enums.mode_writes(m::READ)
  end

  def test_n8_to_n10_flags
    assert_equal true, Enums.perms_in_read_exec(P::READ | P::EXEC)
    assert_equal false, Enums.perms_in_read_exec(P::READ | P::WRITE | P::EXEC)
    assert_equal 3, Enums.perms_default
    assert_equal 5, Enums.perms_without_write(P::READ | P::WRITE | P::EXEC)
    assert_equal 0, Enums.perms_without_write(0)
  end

  def test_n11_values_in_order
    assert_equal({ RED: 0, GREEN: 5, BLUE: 6 }, C.to_h)
    assert_equal %i[RED GREEN BLUE], C.to_h.keys
    assert_equal %i[READ WRITE EXEC], P.to_h.keys
    assert C.to_h.frozen?
  end

  def test_e1_to_e4
    assert_raises(ArgumentError) { Enums.color_next(7) }
    assert_raises(ArgumentError) { Enums.color_next(1) }
    assert_raises(ArgumentError) { Enums.mode_in_append(C::BLUE) }
    assert_raises(ArgumentError) { Enums.perms_in_read_exec(8) }
    assert_raises(TypeError) { Enums.color_next("red") }
  end
end
