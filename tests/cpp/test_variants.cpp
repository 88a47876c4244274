// tests/fixtures/variants/SPEC.md through the generated C++ API: each variant of an op-code
// function is an ordinary typed member (or free function) that calls the `static inline` shim the
// generated header carries after the library's #includes (Module::shims), so a `void *` argument
// is concrete and a variadic function gets typed arguments.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "variants.hpp"

namespace {

using variants::Dial;

TEST(Variants, V1_SwapScaleThroughAnInOutPointer) {
  auto d = Dial::create();
  EXPECT_EQ(d.swap_scale(5), 1) << "the old scale comes back";
  EXPECT_EQ(d.scale(), 5);
}

TEST(Variants, V2_RenameMakesTheVoidPointerText) {
  auto d = Dial::create();
  d.rename("knob");
  EXPECT_EQ(d.name(), std::optional<std::string_view>("knob"));
}

TEST(Variants, V3_SetLimitPassesAVariadicIntAndReadsAnOutParameter) {
  auto d = Dial::create();
  EXPECT_EQ(d.set_limit(10), 0) << "the previous limit";
  EXPECT_EQ(d.limit(), 10);
  EXPECT_EQ(d.set_limit(12), 10);
}

TEST(Variants, V4_ResetIsTheVariadicCallWithNoFurtherArguments) {
  auto d = Dial::create();
  (void)d.swap_scale(7);
  d.rename("x");
  (void)d.set_limit(3);
  d.reset();
  EXPECT_EQ(d.scale(), 1);
  EXPECT_EQ(d.name().value_or("?"), "");
  EXPECT_EQ(d.limit(), 0);
}

TEST(Variants, V5_Sum3) {
  EXPECT_EQ(variants::sum3(1, 2, 3), 6);
  EXPECT_EQ(variants::sum3(-1, 0, std::numeric_limits<std::int32_t>::max()), 2147483646);
}

// V6: only the variants are bound, never the op-code functions themselves (the golden header
// pins the free functions; these check the members).
template <class D>
constexpr bool has_control = requires { &D::control; };
template <class D>
constexpr bool has_config = requires { &D::config; };
TEST(Variants, V6_OnlyTheVariantsAreBound) {
  static_assert(!has_control<Dial>);
  static_assert(!has_config<Dial>);
  static_assert(std::is_same_v<decltype(&Dial::swap_scale), std::int32_t (Dial::*)(std::int32_t)>);
}

TEST(Variants, E1_AnInvalidValueIsAnInvalidArgument) {
  auto d = Dial::create();
  (void)d.set_limit(4);
  // The kind's class (a variants::Error, so code() and what() stay readable), as for every
  // convention `kinds:` entry in the cpp target.
  EXPECT_THROW((void)d.set_limit(-1), variants::InvalidArgument);
  try {
    (void)d.set_limit(-1);
  } catch (const variants::InvalidArgument& e) {
    EXPECT_EQ(e.code(), -1);
    EXPECT_STREQ(e.what(), "invalid op or value");
  }
  EXPECT_EQ(d.limit(), 4) << "unchanged";
}

TEST(Variants, E2_E3_TypesAndArityAtCompileTime) {
  static_assert(!std::is_invocable_v<decltype(&Dial::rename), Dial&, std::nullptr_t>);
  static_assert(!std::is_invocable_v<decltype(&Dial::swap_scale), Dial&, const char*>);
  static_assert(!std::is_invocable_v<decltype(&variants::sum3), int, int>);
  // E3: the argument is a std::int32_t: 2**31 does not fit the type (a braced argument would not
  // compile; the C++ type is the range check).
  static_assert(std::is_same_v<decltype(&variants::sum3), std::int32_t (*)(std::int32_t, std::int32_t, std::int32_t)>);
}

TEST(Variants, ClosedDial) {
  auto d = Dial::create();
  d.close();
  EXPECT_THROW((void)d.swap_scale(1), bindery::use_after_close);
}

}  // namespace
