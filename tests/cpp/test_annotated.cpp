// tests/fixtures/annotated/SPEC.md through the generated C++ API: the protocol comes from
// BINDERY(...) macros in the header itself (no sidecar entries), and gives the same C++ API a
// sidecar would: an owned Store, an optional borrowed view valid until a mutation, a nullable
// argument, an out-parameter in a result struct.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "annotated.hpp"

namespace {

using annotated::Store;

TEST(Annotated, A1_to_A9) {
  const int live = annotated::live_stores();
  {
    auto s = Store::create();
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(annotated::live_stores(), live + 1);
    EXPECT_EQ(s.get("a"), std::nullopt);
    s.set("a", "alpha");
    s.set("b", "beta");
    EXPECT_EQ(s.get("a"), std::optional<std::string_view>("alpha"));
    EXPECT_EQ(s.count(), 2u);
    // A4: until: mutation — the view is documented as ending at set(); a caller keeping it copies.
    const std::string v(*s.get("a"));
    s.set("a", "\u00e4");
    EXPECT_EQ(v, "alpha");
    EXPECT_EQ(s.get("a"), std::optional<std::string_view>("\u00e4"));
    auto found = s.value_length("a");
    EXPECT_TRUE(found.result);
    EXPECT_EQ(found.length, 2u) << "bytes";
    auto missing = s.value_length("zzz");
    EXPECT_FALSE(missing.result);
    EXPECT_EQ(missing.length, 0u) << "zero-initialised";
    s.set("a", std::nullopt);
    EXPECT_EQ(s.get("a"), std::nullopt);
    EXPECT_EQ(s.count(), 1u);
    s.set("missing", std::nullopt);
    EXPECT_EQ(s.count(), 1u);
  }
  EXPECT_EQ(annotated::live_stores(), live);
}

TEST(Annotated, E1_E2) {
  static_assert(!std::is_invocable_v<decltype(&Store::set), Store&, std::nullopt_t, const char*>,
                "E1: the key is not nullable");
  auto s = Store::create();
  s.close();
  EXPECT_THROW((void)s.get("a"), bindery::use_after_close);
}

}  // namespace
