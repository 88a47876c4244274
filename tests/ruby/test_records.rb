# frozen_string_literal: true

# tests/fixtures/records/SPEC.md, from Ruby: records are Structs (value semantics, ==); fields are
# range-checked when the record is converted for a call (E1, E2).
require "minitest/autorun"
require "records"

class TestRecords < Minitest::Test
  Point = Records::Point
  Rect = Records::Rect

  def rect
    Rect.new(Point.new(10, 20), Point.new(4, 6))
  end

  def test_c1_to_c3_points
    assert_equal Point.new(3, 4), Records.point_make(3, 4)
    assert_equal Point.new(1, -2), Records.point_add(Point.new(3, 4), Point.new(-2, -6))
    assert_equal true, Records.point_in(Point.new(1, -2))
    assert_equal false, Records.point_in(Point.new(-2, 1))
  end

  def test_c4_to_c8_nested
    assert_equal rect, Records.rect_make(10, 20, 4, 6)
    assert_equal 24, Records.rect_area(rect)
    assert_equal 10_000_000_000, Records.rect_area(Records.rect_make(0, 0, 100_000, 100_000))
    assert_equal true, Records.rect_contains(rect, Point.new(10, 20))
    assert_equal false, Records.rect_contains(rect, Point.new(14, 20))
    assert_equal true, Records.rect_contains(rect, Point.new(13, 25))
    assert_equal Point.new(12, 23), Records.rect_center(rect)
    assert_equal 20, Records.rect_perimeter(rect)
  end

  def test_c9_inout_returns_new_value
    p = Point.new(3, 4)
    assert_equal Point.new(-6, -8), Records.point_scale(p, -2)
    assert_equal Point.new(3, 4), p
  end

  def test_c10_c11_mixed
    m = Records.mixed_make
    assert_equal [true, 200, 0.25, -9_223_372_036_854_775_808, "q", 1.5], m.to_a
    assert_equal true, Records.mixed_in(m)
    m2 = m.dup
    m2.small = 201
    assert_equal false, Records.mixed_in(m2)
  end

  def test_c12_value_semantics
    assert_equal Point.new(1, 2), Point.new(1, 2)
  end

  def test_e1_to_e3
    assert_raises(RangeError) { Records.point_in(Point.new(2**31, 0)) }
    m = Records.mixed_make
    m.small = 256
    assert_raises(RangeError) { Records.mixed_in(m) }
    assert_raises(TypeError) { Records.point_in(nil) }
    assert_raises(TypeError) { Records.point_in([1, 2]) }
    assert_raises(TypeError) { Records.point_in(Point.new(nil, 1)) }
  end
end
