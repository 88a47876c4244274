// tests/fixtures/outparams/SPEC.md through the generated C++ API: several outs come back as a small
// struct whose fields are named after the C parameters (the return value first), a single out as
// the value itself; in/out parameters are arguments and results; an output whose length comes
// back through a hidden out-parameter is exactly that long (P12, P13).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "outparams.hpp"

namespace {

using namespace std::string_literals;

TEST(Outparams, P1_Divmod) {
  auto r = outparams::divmod(17, 5);
  EXPECT_EQ(r.quotient, 3);
  EXPECT_EQ(r.remainder, 2);
  r = outparams::divmod(-17, 5);
  EXPECT_EQ(r.quotient, -3);
  EXPECT_EQ(r.remainder, -2);
}

TEST(Outparams, P2_Split) {
  auto r = outparams::split(3.75);
  static_assert(std::is_same_v<decltype(r.whole), std::int64_t>);
  EXPECT_EQ(r.whole, 3);
  EXPECT_EQ(r.fraction, 0.75);
  r = outparams::split(-2.5);
  EXPECT_EQ(r.whole, -2);
  EXPECT_EQ(r.fraction, -0.5);
}

TEST(Outparams, P3_AllKindsTypedAsTheirCType) {
  auto r = outparams::all_kinds();
  static_assert(std::is_same_v<decltype(r.b), bool>);
  static_assert(std::is_same_v<decltype(r.i8), std::int8_t>);
  static_assert(std::is_same_v<decltype(r.u16), std::uint16_t>);
  static_assert(std::is_same_v<decltype(r.u64), std::uint64_t>);
  static_assert(std::is_same_v<decltype(r.f), float>);
  static_assert(std::is_same_v<decltype(r.d), double>);
  static_assert(std::is_same_v<decltype(r.c), char>);
  EXPECT_EQ(r.b, true);
  EXPECT_EQ(r.i8, -8);
  EXPECT_EQ(r.u16, 65535);
  EXPECT_EQ(r.u64, UINT64_C(9223372036854775807));
  EXPECT_EQ(r.f, 0.5f);
  EXPECT_EQ(r.d, -2.25);
  EXPECT_EQ(r.c, 'k');
}

TEST(Outparams, P4_P5_ReturnValueFirst) {
  auto r = outparams::sum_and_product(6, 7);
  EXPECT_EQ(r.result, 13);
  EXPECT_EQ(r.product, 42);
  r = outparams::sum_and_product(2147483647, 2147483647);
  EXPECT_EQ(r.result, INT64_C(4294967294));
  EXPECT_EQ(r.product, INT64_C(4611686014132420609));
}

TEST(Outparams, P6_SingleInOutIsJustTheValue) {
  EXPECT_EQ(outparams::increment(41), 42);
  EXPECT_EQ(outparams::increment(2147483647), -2147483647 - 1);
}

TEST(Outparams, P7_P8_InOuts) {
  auto s = outparams::swap(1, 2);
  EXPECT_EQ(s.a, 2);
  EXPECT_EQ(s.b, 1);
  auto f = outparams::fetch_add(10, 5);
  EXPECT_EQ(f.result, 10);
  EXPECT_EQ(f.value, 15);
}

TEST(Outparams, P9_StatusNotReturned) {
  EXPECT_EQ(outparams::parse_u16("65535"), 65535);
  EXPECT_EQ(outparams::parse_u16("0"), 0);
}

TEST(Outparams, P10_P11_VerdictAndZeroedOut) {
  auto r = outparams::try_half(10);
  EXPECT_TRUE(r.result);
  EXPECT_EQ(r.half, 5);
  r = outparams::try_half(-4);
  EXPECT_EQ(r.half, -2);
  r = outparams::try_half(7);
  EXPECT_FALSE(r.result);
  EXPECT_EQ(r.half, 0);
}

TEST(Outparams, P12_TextWithItsLengthKeepsTheNuls) {
  static_assert(std::is_same_v<decltype(outparams::repeat("", 0)), std::string>, "owned text is copied");
  EXPECT_EQ(outparams::repeat("ab", 3), "ab\0ab\0ab\0"s);
  EXPECT_EQ(outparams::repeat("ab", 3).size(), 9u);
  EXPECT_EQ(outparams::repeat("", 2), "\0\0"s);
  EXPECT_EQ(outparams::repeat("x", 0), "");
}

TEST(Outparams, P13_SliceWithItsCount) {
  static_assert(std::is_same_v<decltype(outparams::squares(0)), std::vector<double>>);
  EXPECT_EQ(outparams::squares(4), (std::vector<double>{0, 1, 4, 9}));
  EXPECT_TRUE(outparams::squares(0).empty());
}

TEST(Outparams, E1_PreconditionBeforeC) {
  EXPECT_THROW((void)outparams::divmod(1, 0), std::invalid_argument);
  try {
    (void)outparams::divmod(std::numeric_limits<std::int32_t>::min(), -1);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("b != 0"), std::string::npos) << e.what();
  }
}

TEST(Outparams, E2_E5_LibraryError) {
  for (const char* bad : {"65536", "", "-1"}) {
    try {
      (void)outparams::parse_u16(bad);
      FAIL() << bad;
    } catch (const outparams::Error& e) {
      EXPECT_EQ(e.code(), 1);
      EXPECT_STREQ(e.what(), "not a decimal number in 0..65535");
    }
  }
  try {
    (void)outparams::squares(1001);
    FAIL();
  } catch (const outparams::Error& e) {
    EXPECT_EQ(e.code(), 1);
  }
}

}  // namespace
