# frozen_string_literal: true

# tests/fixtures/optional/SPEC.md, from Ruby: absent is nil. O11 (Ruby): a verdict with out
# parameters returns [ok, quotient, remainder].
require "minitest/autorun"
require "optional"

class TestOptional < Minitest::Test
  def test_o1_o2_optional_text
    assert_equal "one", Optional.number_name(1)
    assert_equal "three", Optional.number_name(3)
    assert_nil Optional.number_name(0)
    assert_nil Optional.number_name(4)
  end

  def test_o3_o4_optional_handle
    base = Optional.live_items
    i = Optional::Item.new_if_positive(7)
    assert_equal 7, i.value
    assert_equal base + 1, Optional.live_items
    i.close
    assert_nil Optional::Item.new_if_positive(0)
    assert_nil Optional::Item.new_if_positive(-5)
    assert_equal base, Optional.live_items
  end

  def test_o5_to_o7_nullable_text_in_and_out
    i = Optional::Item.new(7)
    assert_nil i.label
    i.set_label("seven")
    label = i.label
    assert_equal "seven", label
    i.set_label(nil)
    assert_nil i.label
    i.close
    assert_equal "seven", label
  end

  def test_o8_absent_is_not_empty
    assert_equal(-1, Optional.length_or_minus_one(nil))
    assert_equal 0, Optional.length_or_minus_one("")
    assert_equal 3, Optional.length_or_minus_one("abc")
  end

  def test_o9_nullable_handle
    i = Optional::Item.new(7)
    assert_equal 7, Optional.value_or(i, -1)
    assert_equal(-1, Optional.value_or(nil, -1))
    i.close
  end

  def test_o10_default
    assert_equal 42, Optional.scale(21)
    assert_equal 63, Optional.scale(21, 3)
  end

  def test_o11_to_o13_outs
    assert_equal [true, 3, 2], Optional.divide(17, 5)
    assert_equal 3, Optional.last_outs_requested
    assert_equal [true, -3, -2], Optional.divide(-17, 5)
    assert_equal [false, 0, 0], Optional.divide(1, 0)
    assert_equal [false, 0, 0], Optional.divide(-2_147_483_648, -1)
  end

  def test_e1_to_e3
    assert_raises(TypeError) { Optional::Item.new(nil) }
    assert_raises(TypeError) { Optional.scale(nil) }
    i = Optional::Item.new(1)
    i.close
    assert_raises(Optional::ClosedError) { i.value }
    assert_raises(TypeError) { Optional.value_or("x", 1) }
  end
end
