# frozen_string_literal: true

# double_input from Ruby: one C function, fixed arity, range-checked.
require "minitest/autorun"
require "double_input"

class TestDoubleInput < Minitest::Test
  def test_doubles
    assert_equal 42, DoubleInput.double_input(21)
    assert_equal(-8, DoubleInput.double_input(-4))
    assert_equal 0, DoubleInput.double_input(0)
  end

  def test_fixed_arity
    assert_equal 1, DoubleInput.method(:double_input).arity
    assert_raises(ArgumentError) { DoubleInput.double_input }
  end

  def test_refuses_what_c_cannot_take
    assert_raises(RangeError) { DoubleInput.double_input(2**31) }
    assert_raises(TypeError) { DoubleInput.double_input(1.5) }
    assert_raises(TypeError) { DoubleInput.double_input(nil) }
  end
end
