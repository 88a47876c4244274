// tests/fixtures/optional/SPEC.md through the generated C++ API: absent is std::nullopt (never ""
// or an error), nullable arguments are std::optional or a pointer, defaults are default arguments,
// and several outputs come back as a struct (zeroed when C did not write them).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "optional.hpp"

namespace {

using optional::Item;

TEST(Optional, O1_O2_NumberNames) {
  EXPECT_EQ(optional::number_name(1), std::optional<std::string_view>("one"));
  EXPECT_EQ(optional::number_name(3), std::optional<std::string_view>("three"));
  EXPECT_EQ(optional::number_name(0), std::nullopt);
  EXPECT_EQ(optional::number_name(4), std::nullopt);
}

TEST(Optional, O3_O4_OptionalConstructor) {
  const int live = optional::live_items();
  {
    std::optional<Item> i = Item::new_if_positive(7);
    ASSERT_TRUE(i.has_value());
    EXPECT_EQ(i->value(), 7);
    EXPECT_EQ(optional::live_items(), live + 1);
  }
  EXPECT_EQ(optional::live_items(), live);
  EXPECT_EQ(Item::new_if_positive(0), std::nullopt);
  EXPECT_EQ(Item::new_if_positive(-5), std::nullopt);
  EXPECT_EQ(optional::live_items(), live);
}

TEST(Optional, O5_O6_O7_Labels) {
  auto i = Item::create(7);
  EXPECT_EQ(i.label(), std::nullopt);
  i.set_label("seven");
  const std::string copy(i.label().value());  // a view: the caller copies what it keeps
  EXPECT_EQ(copy, "seven");
  i.set_label(std::nullopt);
  EXPECT_EQ(i.label(), std::nullopt);
  i.close();
  EXPECT_EQ(copy, "seven");
}

TEST(Optional, O8_O9_O10_NullableArgumentsAndDefaults) {
  EXPECT_EQ(optional::length_or_minus_one(std::nullopt), -1);
  EXPECT_EQ(optional::length_or_minus_one(""), 0);
  EXPECT_EQ(optional::length_or_minus_one("abc"), 3);
  auto i = Item::create(7);
  EXPECT_EQ(optional::value_or(&i, -1), 7);
  EXPECT_EQ(optional::value_or(nullptr, -1), -1);
  EXPECT_EQ(optional::scale(21), 42);
  EXPECT_EQ(optional::scale(21, 3), 63);
}

TEST(Optional, O11_O12_O13_OutputsInAStruct) {
  auto q = optional::divide(17, 5);
  EXPECT_TRUE(q.result);
  EXPECT_EQ(q.quotient, 3);
  EXPECT_EQ(q.remainder, 2);
  q = optional::divide(-17, 5);
  EXPECT_TRUE(q.result);
  EXPECT_EQ(q.quotient, -3);
  EXPECT_EQ(q.remainder, -2);
  for (auto [a, b] : {std::pair{1, 0}, std::pair{-2147483647 - 1, -1}}) {
    q = optional::divide(a, b);
    EXPECT_FALSE(q.result);
    EXPECT_EQ(q.quotient, 0) << "zero-initialised, never garbage";
    EXPECT_EQ(q.remainder, 0);
  }
}

TEST(Optional, E1_E2_E3) {
  static_assert(!std::is_invocable_v<decltype(&Item::create), std::nullopt_t>, "E1");
  static_assert(!std::is_invocable_v<decltype(&optional::scale), std::nullopt_t>, "E1");
  static_assert(!std::is_invocable_v<decltype(&optional::value_or), const char*, int>, "E3");
  auto i = Item::create(1);
  i.close();
  EXPECT_THROW((void)i.value(), bindery::use_after_close);
}

}  // namespace
