// tests/fixtures/enums/SPEC.md through the generated C++ API: C enums and macro families become
// `enum class` types with the C values, flag sets get bit operators; a value of another enum type
// or a plain integer does not convert (compile-time checks stand for the hosts' runtime errors).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <type_traits>

#include "enums.hpp"

namespace {

using enums::Color;
using enums::Mode;
using enums::Perms;
using enums::Sign;

TEST(Enums, N1_N2_N3_N4_ColorsKeepTheirCValues) {
  EXPECT_EQ(static_cast<int>(Color::Red), 0);
  EXPECT_EQ(static_cast<int>(Color::Green), 5);
  EXPECT_EQ(static_cast<int>(Color::Blue), 6);
  EXPECT_EQ(enums::color_next(Color::Red), Color::Green);
  EXPECT_EQ(enums::color_next(Color::Green), Color::Blue);
  EXPECT_EQ(enums::color_next(Color::Blue), Color::Red);
  static_assert(std::is_same_v<decltype(enums::color_next(Color::Red)), Color>);
  EXPECT_TRUE(enums::color_in_blue(Color::Blue));
  EXPECT_FALSE(enums::color_in_blue(Color::Green));
  EXPECT_EQ(enums::color_name(Color::Green), "green");
}

TEST(Enums, N5_SignOf) {
  EXPECT_EQ(enums::sign_of(-9), Sign::Negative);
  EXPECT_EQ(static_cast<int>(Sign::Negative), -1);
  EXPECT_EQ(enums::sign_of(0), Sign::Zero);
  EXPECT_EQ(enums::sign_of(std::numeric_limits<std::int64_t>::max()), Sign::Positive);
}

TEST(Enums, N6_N7_ModesFromMacros) {
  EXPECT_EQ(static_cast<int>(Mode::Read), 1);
  EXPECT_EQ(static_cast<int>(Mode::Write), 2);
  EXPECT_EQ(static_cast<int>(Mode::Append), 3);
  EXPECT_TRUE(enums::mode_in_append(Mode::Append));
  EXPECT_TRUE(enums::mode_writes(Mode::Write));
  EXPECT_FALSE(enums::mode_writes(Mode::Read));
}

TEST(Enums, N8_N9_N10_FlagSets) {
  EXPECT_TRUE(enums::perms_in_read_exec(Perms::Read | Perms::Exec));
  EXPECT_FALSE(enums::perms_in_read_exec(Perms::Read | Perms::Write | Perms::Exec));
  EXPECT_EQ(enums::perms_default(), Perms::Read | Perms::Write);
  EXPECT_EQ(static_cast<unsigned>(enums::perms_default()), 3u);
  EXPECT_EQ(enums::perms_without_write(Perms::Read | Perms::Write | Perms::Exec), Perms::Read | Perms::Exec);
  EXPECT_EQ(enums::perms_without_write(Perms{}), Perms{}) << "an empty flag set is valid";
  EXPECT_FALSE(enums::any(Perms{}));
  EXPECT_TRUE(enums::any((Perms::Read | Perms::Exec) & Perms::Exec));
  static_assert(std::is_same_v<decltype(enums::perms_default()), Perms>);
}

TEST(Enums, E1_E2_E4_OnlyTheEnumTypeConverts) {
  static_assert(!std::is_invocable_v<decltype(&enums::color_next), int>, "E1: a plain integer is not a Color");
  static_assert(!std::is_invocable_v<decltype(&enums::mode_in_append), Color>, "E2: another enum type");
  static_assert(!std::is_invocable_v<decltype(&enums::color_next), const char*>, "E4");
  static_assert(!std::is_invocable_v<decltype(&enums::perms_in_read_exec), unsigned>, "E3: bits need a cast");
}

}  // namespace
