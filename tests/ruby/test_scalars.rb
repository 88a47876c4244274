# frozen_string_literal: true

# tests/fixtures/scalars/SPEC.md, from Ruby. Every *_in_* verdict comes from the C side.
require "minitest/autorun"
require "scalars"

class TestScalars < Minitest::Test
  LIMITS = {
    8 => [-2**7, 2**7 - 1], 16 => [-2**15, 2**15 - 1], 32 => [-2**31, 2**31 - 1], 64 => [-2**63, 2**63 - 1]
  }.freeze

  def test_s1_noop
    before = Scalars.noop_calls
    assert_nil Scalars.noop
    assert_nil Scalars.noop
    assert_equal before + 2, Scalars.noop_calls
  end

  def test_s2_to_s4_add
    assert_equal 5, Scalars.add(2, 3)
    assert_equal 0, Scalars.add(-7, 7)
    assert_equal(-2_147_483_648, Scalars.add(2_147_483_647, 1))
    assert_equal 5, Scalars.add(5)
  end

  def test_s5_s6_signed_limits
    LIMITS.each do |bits, (min, max)|
      assert_equal true, Scalars.public_send("int#{bits}_in_max", max), "int#{bits}_in_max"
      assert_equal true, Scalars.public_send("int#{bits}_in_min", min), "int#{bits}_in_min"
      assert_equal max, Scalars.public_send("int#{bits}_out_max")
      assert_equal min, Scalars.public_send("int#{bits}_out_min")
    end
  end

  def test_s7_s8_unsigned_limits
    [8, 16, 32, 64].each do |bits|
      assert_equal true, Scalars.public_send("uint#{bits}_in_max", 2**bits - 1), "uint#{bits}_in_max"
      assert_equal true, Scalars.public_send("uint#{bits}_in_min", 0)
      assert_equal 2**bits - 1, Scalars.public_send("uint#{bits}_out_max")
      assert_equal 0, Scalars.public_send("uint#{bits}_out_min")
    end
  end

  def test_s9_the_check_is_real
    assert_equal false, Scalars.int8_in_max(126)
    assert_equal false, Scalars.uint8_in_min(1)
  end

  def test_s10_identities
    assert_equal(-1_234_567_890_123, Scalars.int64_identity(-1_234_567_890_123))
    assert_equal 18_446_744_073_709_551_614, Scalars.uint64_identity(18_446_744_073_709_551_614)
  end

  def test_s11_special_doubles
    assert_equal Float::INFINITY, Scalars.double_identity(Float::INFINITY)
    assert Scalars.double_identity(Float::NAN).nan?
  end

  def test_s12_s13_bools
    assert_equal true, Scalars.bool_in_true(true)
    assert_equal true, Scalars.bool_in_false(false)
    assert_equal true, Scalars.bool_out_true
    assert_equal false, Scalars.bool_out_false
    assert_equal false, Scalars.bool_not(true)
    assert_equal true, Scalars.bool_not(false)
  end

  def test_s14_to_s18_floats
    assert_equal true, Scalars.float_in_max(3.4028234663852886e38)
    assert_equal 3.4028234663852886e38, Scalars.float_out_max
    assert_equal true, Scalars.float_in_tenth(0.1)
    assert_equal 0.10000000149011612, Scalars.float_out_tenth
    assert_equal true, Scalars.double_in_max(1.7976931348623157e308)
    assert_equal 1.7976931348623157e308, Scalars.double_out_max
    assert_equal true, Scalars.double_in_tenth(0.1)
    assert_equal 0.1, Scalars.double_out_tenth
  end

  def test_s19_char
    assert_equal true, Scalars.char_in("A")
    assert_equal false, Scalars.char_in("a")
    assert_equal "Z", Scalars.char_out
  end

  def test_e1_to_e3_range_errors
    assert_raises(RangeError) { Scalars.int8_in_max(128) }
    assert_raises(RangeError) { Scalars.int8_in_min(-129) }
    assert_raises(RangeError) { Scalars.uint8_in_min(-1) }
    assert_raises(RangeError) { Scalars.uint32_in_max(4_294_967_296) }
    assert_raises(RangeError) { Scalars.int64_in_max(2**63) }
    assert_raises(RangeError) { Scalars.uint64_in_max(2**64) }
    assert_raises(RangeError) { Scalars.float_in_max(1e39) }
  end

  def test_e4_non_integer
    assert_raises(TypeError) { Scalars.add(1.5, 2) }
    assert_raises(TypeError) { Scalars.add("1", 2) }
    assert_raises(TypeError) { Scalars.add(nil, 2) }
  end

  # E5, Ruby's documented rule: a C bool takes only true or false (not 1, nil or "").
  def test_e5_bool_is_strict
    assert_raises(TypeError) { Scalars.bool_in_true(1) }
    assert_raises(TypeError) { Scalars.bool_in_true(nil) }
  end

  def test_e6_e7_char_is_one_byte
    assert_raises(ArgumentError) { Scalars.char_in("AB") }
    assert_raises(ArgumentError) { Scalars.char_in("") }
    assert_raises(ArgumentError) { Scalars.char_in("é") }
  end
end
