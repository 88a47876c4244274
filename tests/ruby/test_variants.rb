# frozen_string_literal: true

# tests/fixtures/variants/SPEC.md, from Ruby: one C function bound as several typed methods through
# the lowering's static inline shims (a `void *` made concrete, variadic functions called with
# typed arguments).
require "minitest/autorun"
require "variants"

class TestVariants < Minitest::Test
  def test_v1_inout_through_a_void_pointer
    d = Variants::Dial.new
    assert_equal 1, d.swap_scale(5) # the old scale comes back through the in/out int *
    assert_equal 5, d.scale
    assert_equal 5, d.swap_scale(7)
    d.close
  end

  def test_v2_text_through_a_void_pointer
    d = Variants::Dial.new
    assert_nil d.rename("knob")
    assert_equal "knob", d.name
    d.close
  end

  def test_v3_v4_variadic_calls
    d = Variants::Dial.new
    assert_equal 0, d.set_limit(10) # the previous limit, an out-parameter after a variadic int
    assert_equal 10, d.limit
    assert_equal 10, d.set_limit(3)
    d.swap_scale(9)
    d.rename("x")
    assert_nil d.reset # no further arguments
    assert_equal 1, d.scale
    assert_equal "", d.name
    assert_equal 0, d.limit
    d.close
  end

  def test_v5_variadic_free_function
    assert_equal 6, Variants.sum3(1, 2, 3)
    assert_equal 2_147_483_646, Variants.sum3(-1, 0, 2_147_483_647)
    assert_equal 3, Variants.method(:sum3).arity # fixed arity: the count is the shim's
  end

  def test_v6_only_the_variants_are_bound
    names = Variants::Dial.instance_methods(false) + Variants.singleton_methods
    %i[control config sum dial_control dial_config].each { |n| refute_includes names, n }
  end

  def test_e1_invalid_argument
    d = Variants::Dial.new
    d.set_limit(4)
    assert_raises(ArgumentError) { d.set_limit(-1) }
    assert_equal 4, d.limit
    d.close
  end

  def test_e2_e3_type_arity_and_range_errors
    d = Variants::Dial.new
    assert_raises(TypeError) { d.rename(nil) }
    assert_raises(TypeError) { d.swap_scale("x") }
    assert_raises(ArgumentError) { Variants.sum3(1, 2) }
    assert_raises(RangeError) { d.swap_scale(2**31) }
    assert_equal 1, d.scale
    d.close
    assert_raises(Variants::ClosedError) { d.reset }
  end
end
