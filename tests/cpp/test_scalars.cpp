// tests/fixtures/scalars/SPEC.md through the generated C++ API. Every *_in_* verdict is decided in C.
// The SPEC's error rows (E1-E6) are compile-time in C++: the parameter types are the exact C types,
// so a value cannot reach C truncated; the static_asserts below pin those types.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <type_traits>

#include "scalars.hpp"

namespace {

template <class T>
using lim = std::numeric_limits<T>;

TEST(Scalars, S1_NoopReturnsNothingAndCountsCalls) {
  static_assert(std::is_void_v<decltype(scalars::noop())>);
  const auto before = scalars::noop_calls();
  scalars::noop();
  scalars::noop();
  EXPECT_EQ(scalars::noop_calls(), before + 2);
}

TEST(Scalars, S2_S3_S4_Add) {
  EXPECT_EQ(scalars::add(2, 3), 5);
  EXPECT_EQ(scalars::add(-7, 7), 0);
  EXPECT_EQ(scalars::add(2147483647, 1), -2147483647 - 1);
  EXPECT_EQ(scalars::add(5), 5) << "the second parameter defaults to 0";
}

TEST(Scalars, S5_S9_SignedIn) {
  EXPECT_TRUE(scalars::int8_in_max(lim<std::int8_t>::max()));
  EXPECT_TRUE(scalars::int8_in_min(lim<std::int8_t>::min()));
  EXPECT_TRUE(scalars::int16_in_max(lim<std::int16_t>::max()));
  EXPECT_TRUE(scalars::int16_in_min(lim<std::int16_t>::min()));
  EXPECT_TRUE(scalars::int32_in_max(lim<std::int32_t>::max()));
  EXPECT_TRUE(scalars::int32_in_min(lim<std::int32_t>::min()));
  EXPECT_TRUE(scalars::int64_in_max(lim<std::int64_t>::max()));
  EXPECT_TRUE(scalars::int64_in_min(lim<std::int64_t>::min()));
  EXPECT_FALSE(scalars::int8_in_max(126));
}

TEST(Scalars, S6_SignedOut) {
  EXPECT_EQ(scalars::int8_out_max(), 127);
  EXPECT_EQ(scalars::int8_out_min(), -128);
  EXPECT_EQ(scalars::int16_out_max(), 32767);
  EXPECT_EQ(scalars::int16_out_min(), -32768);
  EXPECT_EQ(scalars::int32_out_max(), 2147483647);
  EXPECT_EQ(scalars::int32_out_min(), -2147483647 - 1);
  EXPECT_EQ(scalars::int64_out_max(), 9223372036854775807LL);
  EXPECT_EQ(scalars::int64_out_min(), -9223372036854775807LL - 1);
}

TEST(Scalars, S7_S8_S9_Unsigned) {
  EXPECT_TRUE(scalars::uint8_in_max(255));
  EXPECT_TRUE(scalars::uint8_in_min(0));
  EXPECT_TRUE(scalars::uint16_in_max(65535));
  EXPECT_TRUE(scalars::uint16_in_min(0));
  EXPECT_TRUE(scalars::uint32_in_max(4294967295u));
  EXPECT_TRUE(scalars::uint32_in_min(0));
  EXPECT_TRUE(scalars::uint64_in_max(18446744073709551615ull));
  EXPECT_TRUE(scalars::uint64_in_min(0));
  EXPECT_FALSE(scalars::uint8_in_min(1));
  EXPECT_EQ(scalars::uint8_out_max(), 255);
  EXPECT_EQ(scalars::uint8_out_min(), 0);
  EXPECT_EQ(scalars::uint16_out_max(), 65535);
  EXPECT_EQ(scalars::uint32_out_max(), 4294967295u);
  EXPECT_EQ(scalars::uint64_out_max(), 18446744073709551615ull);
  EXPECT_EQ(scalars::uint64_out_min(), 0u);
}

TEST(Scalars, S10_S11_Identity) {
  EXPECT_EQ(scalars::int64_identity(-1234567890123LL), -1234567890123LL);
  EXPECT_EQ(scalars::uint64_identity(18446744073709551614ull), 18446744073709551614ull);
  EXPECT_EQ(scalars::double_identity(lim<double>::infinity()), lim<double>::infinity());
  EXPECT_TRUE(std::isnan(scalars::double_identity(lim<double>::quiet_NaN())));
}

TEST(Scalars, S12_S13_Bool) {
  EXPECT_TRUE(scalars::bool_in_true(true));
  EXPECT_TRUE(scalars::bool_in_false(false));
  EXPECT_TRUE(scalars::bool_out_true());
  EXPECT_FALSE(scalars::bool_out_false());
  EXPECT_FALSE(scalars::bool_not(true));
  EXPECT_TRUE(scalars::bool_not(false));
}

TEST(Scalars, S14_to_S18_Floating) {
  EXPECT_TRUE(scalars::float_in_max(lim<float>::max()));
  EXPECT_EQ(scalars::float_out_max(), lim<float>::max());
  EXPECT_TRUE(scalars::float_in_tenth(0.1f));
  EXPECT_EQ(static_cast<double>(scalars::float_out_tenth()), 0.10000000149011612);
  EXPECT_TRUE(scalars::double_in_max(1.7976931348623157e308));
  EXPECT_EQ(scalars::double_out_max(), 1.7976931348623157e308);
  EXPECT_TRUE(scalars::double_in_tenth(0.1));
  EXPECT_EQ(scalars::double_out_tenth(), 0.1);
}

TEST(Scalars, S19_Char) {
  EXPECT_TRUE(scalars::char_in('A'));
  EXPECT_FALSE(scalars::char_in('a'));
  EXPECT_EQ(scalars::char_out(), 'Z');
}

TEST(Scalars, E1_to_E6_TypesAreExact) {
  // The C++ signature is the C signature: range and type errors are the compiler's business.
  static_assert(std::is_same_v<decltype(&scalars::int8_in_max), bool (*)(std::int8_t)>);
  static_assert(std::is_same_v<decltype(&scalars::uint64_in_max), bool (*)(std::uint64_t)>);
  static_assert(std::is_same_v<decltype(scalars::float_out_tenth()), float>);
  static_assert(std::is_same_v<decltype(scalars::char_out()), char>);
  static_assert(std::is_same_v<decltype(scalars::int64_out_min()), std::int64_t>);
}

}  // namespace
