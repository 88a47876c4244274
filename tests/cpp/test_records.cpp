// tests/fixtures/records/SPEC.md through the generated C++ API: structs by value are aggregates with
// the C fields (nested records included), converted field by field, compared with ==.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <type_traits>

#include "records.hpp"

namespace {

using records::Mixed;
using records::Point;
using records::Rect;

TEST(Records, C1_C2_C3_Points) {
  EXPECT_EQ(records::point_make(3, 4), (Point{3, 4}));
  EXPECT_EQ(records::point_add(Point{3, 4}, Point{-2, -6}), (Point{1, -2}));
  EXPECT_TRUE(records::point_in(Point{1, -2}));
  EXPECT_FALSE(records::point_in(Point{-2, 1}));
}

TEST(Records, C4_to_C9_Rects) {
  const Rect r = records::rect_make(10, 20, 4, 6);
  EXPECT_EQ(r, (Rect{Point{10, 20}, Point{4, 6}}));
  EXPECT_EQ(records::rect_area(r), 24);
  EXPECT_EQ(records::rect_area(records::rect_make(0, 0, 100000, 100000)), 10000000000);
  EXPECT_TRUE(records::rect_contains(r, Point{10, 20}));
  EXPECT_FALSE(records::rect_contains(r, Point{14, 20}));
  EXPECT_TRUE(records::rect_contains(r, Point{13, 25}));
  EXPECT_EQ(records::rect_center(r), (Point{12, 23}));
  EXPECT_EQ(records::rect_perimeter(r), 20);
  const Point p{3, 4};
  EXPECT_EQ(records::point_scale(p, -2), (Point{-6, -8}));
  EXPECT_EQ(p, (Point{3, 4})) << "in/out: the caller's value is not mutated, the new one is returned";
}

TEST(Records, C10_C11_C12_MixedFieldsExact) {
  const Mixed m = records::mixed_make();
  EXPECT_TRUE(m.flag);
  EXPECT_EQ(m.small, 200);
  EXPECT_EQ(m.ratio, 0.25);
  EXPECT_EQ(m.big, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(m.letter, 'q');
  EXPECT_EQ(m.weight, 1.5f);
  EXPECT_TRUE(records::mixed_in(m));
  Mixed other = m;
  other.small = 201;
  EXPECT_FALSE(records::mixed_in(other));
  EXPECT_EQ((Point{1, 2}), (Point{1, 2}));
  EXPECT_NE(m, other);
}

TEST(Records, E1_E2_E3_TheFieldTypesAreTheRange) {
  // C++ fields are the C widths: 2**31 or 256 cannot be stored without an explicit narrowing cast,
  // which braced initialisation refuses at compile time.
  static_assert(std::is_same_v<decltype(Point::x), std::int32_t>);
  static_assert(std::is_same_v<decltype(Mixed::small), std::uint8_t>);
  static_assert(!std::is_invocable_v<decltype(&records::point_in), std::nullptr_t>, "E3: not nullable");
}

}  // namespace
