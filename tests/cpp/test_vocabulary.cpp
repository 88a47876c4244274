// tests/fixtures/vocabulary/SPEC.md through the generated C++ API: a library-owned object, hidden
// fixed parameters, deprecation, a caller buffer measured by an expression after the call.
#include <gtest/gtest.h>

#include <array>
#include <type_traits>

#include "vocabulary.hpp"

namespace {

TEST(Vocabulary, V1_V3_TheLibraryOwnsSettings) {
  auto s = vocab::Settings::get();
  EXPECT_EQ(s.level(), 1);
  s.set_level(3);
  EXPECT_EQ(vocab::Settings::get().level(), 3) << "both wrap the same C object";
  s.set_level(1);
  { EXPECT_TRUE(static_cast<bool>(vocab::Settings::get())); }  // a dropped wrapper destroys nothing
  EXPECT_EQ(vocab::Settings::get().level(), 1);
}

TEST(Vocabulary, V4_V5_V6_V7_Signatures) {
  EXPECT_EQ(vocab::mul(6, 7), 42);
  EXPECT_EQ(vocab::mul(-3, 5), -15);
  EXPECT_EQ(vocab::checked(5), 5) << "reserved and version are hidden";
  static_assert(!std::is_invocable_v<decltype(&vocab::checked), std::int32_t, std::nullptr_t, int>, "E3");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  EXPECT_EQ(vocab::old_add(2, 3), 5);
#pragma GCC diagnostic pop
  EXPECT_EQ(vocab::sleep_ms(1), 1u);
}

TEST(Vocabulary, V8_WrittenIsStrlenAfterTheCall) {
  std::array<char, 8> buf{};
  ASSERT_EQ(vocab::format(-1234, buf), 5u);
  EXPECT_EQ(std::string_view(buf.data(), 5), "-1234");
  // The allocating overload: a string of the capacity, shrunk to strlen(out).
  EXPECT_EQ(vocab::format(-1234, 8), "-1234");
  EXPECT_EQ(vocab::format(123456789, 4), "123") << "truncated by C";
  EXPECT_EQ(vocab::format(7, 0), "");
}

TEST(Vocabulary, V9_V10_V11_StatusesAndConstants) {
  EXPECT_EQ(vocab::transfer(0), vocab::kVocabOk);
  EXPECT_EQ(vocab::transfer(100), 0);
  EXPECT_EQ(vocab::transfer(101), vocab::kVocabPartial);
  EXPECT_EQ(vocab::transfer(1000), 3);
  EXPECT_EQ(vocab::kVocabLimit, 1000);
  EXPECT_EQ(vocab::kVocabVersionMajor, 2);
}

TEST(Vocabulary, E1_E2_CodeFromTheCodeExpression) {
  try {
    (void)vocab::transfer(1001);
    FAIL();
  } catch (const vocab::Error& e) {
    EXPECT_STREQ(e.what(), "transfer refused");
    EXPECT_EQ(e.code(), 1001);
  }
  try {
    (void)vocab::transfer(-5);
    FAIL();
  } catch (const vocab::Error& e) {
    EXPECT_EQ(e.code(), -5);
  }
}

}  // namespace
