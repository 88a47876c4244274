// tests/fixtures/lifetimes/SPEC.md through the generated C++ API: borrowed views that end at named
// calls (documented on the method; C++ returns views, not copies), a length from a sibling call,
// captured text the caller keeps alive (documented), an out handle destroyed on failure
// (valid_on_error) and a callable of scope `owner` kept by the Doc.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "lifetimes.hpp"

namespace {

using lifetimes::Doc;

std::string as_string(std::span<const std::byte> b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }

TEST(Lifetimes, L1_L2_L3_L4_OpenCountLinesBytes) {
  const int live = lifetimes::live_docs();
  auto d = Doc::open("alpha\nbeta\n\ngamma");
  EXPECT_EQ(d.count(), 4);
  EXPECT_EQ(d.error(), "");
  EXPECT_EQ(lifetimes::live_docs(), live + 1);
  EXPECT_EQ(d.line(0), std::optional<std::string_view>("alpha"));
  EXPECT_EQ(d.line(2), std::optional<std::string_view>(""));
  EXPECT_EQ(d.line(3), std::optional<std::string_view>("gamma"));
  EXPECT_EQ(d.line(4), std::nullopt);
  EXPECT_EQ(d.line(-1), std::nullopt);
  EXPECT_EQ(as_string(d.bytes()), "alpha\nbeta\n\ngamma");
  EXPECT_EQ(d.size(), 17u);
}

TEST(Lifetimes, L5_L6_ViewsEndAtAppendSoTheCallerCopies) {
  auto d = Doc::open("alpha\nbeta\n\ngamma");
  // C++ returns views valid until append() (the doc comment says so): a caller keeping them copies.
  const std::string l(*d.line(0));
  const std::string b = as_string(d.bytes());
  d.append("delta");
  EXPECT_EQ(l, "alpha");
  EXPECT_EQ(b, "alpha\nbeta\n\ngamma");
  EXPECT_EQ(d.count(), 5);
  EXPECT_EQ(d.line(4), std::optional<std::string_view>("delta"));
  EXPECT_EQ(d.size(), 23u);
}

TEST(Lifetimes, L7_EmptyDocument) {
  auto d = Doc::open("");
  EXPECT_EQ(d.count(), 1);
  EXPECT_TRUE(d.bytes().empty());
}

TEST(Lifetimes, L9_L10_L11_CapturedTitleKeptAliveByTheCaller) {
  auto d = Doc::open("x");
  EXPECT_EQ(d.title(), "");
  const std::string notes = std::string("No") + "tes";  // the caller's storage, kept alive
  d.set_title(notes);
  std::vector<std::string> garbage(64, std::string(64, 'g'));
  EXPECT_EQ(d.title(), "Notes");
  EXPECT_EQ(d.title().data(), notes.c_str()) << "the library holds the caller's very pointer";
  d.set_title("A");
  d.set_title("B");  // string literals live for the whole program
  EXPECT_EQ(d.title(), "B");
}

TEST(Lifetimes, L12_L13_L14_FilterKeptByTheDoc) {
  auto d = Doc::open("alpha\nbeta\n\ngamma\ndelta");
  EXPECT_EQ(d.count_matching(), 5);
  auto state = std::make_shared<char>('g');
  std::weak_ptr<char> alive = state;
  d.set_filter([state](std::string_view line) { return !line.empty() && line.front() == *state; });
  state.reset();
  EXPECT_FALSE(alive.expired()) << "owner scope: the Doc keeps the callable";
  EXPECT_EQ(d.count_matching(), 1);
  d.set_filter([](std::string_view line) { return line.size() == 5; });
  EXPECT_TRUE(alive.expired()) << "released when replaced";
  EXPECT_EQ(d.count_matching(), 3);
  d.set_filter(nullptr);
  EXPECT_EQ(d.count_matching(), 5);
}

TEST(Lifetimes, L15_CloseReleasesEverything) {
  const int live = lifetimes::live_docs();
  auto state = std::make_shared<int>(1);
  std::weak_ptr<int> alive = state;
  {
    auto d = Doc::open("a");
    d.set_filter([state](std::string_view) { return true; });
    state.reset();
    d.close();
    EXPECT_TRUE(alive.expired());
  }
  EXPECT_EQ(lifetimes::live_docs(), live);
}

TEST(Lifetimes, E1_L8_ErrorFromTheHalfOpenDocumentWhichIsDestroyed) {
  const int live = lifetimes::live_docs();
  try {
    (void)Doc::open("one\ntwo\r\nthree");
    FAIL() << "a carriage return is refused";
  } catch (const lifetimes::Error& e) {
    EXPECT_EQ(e.code(), -1);
    EXPECT_STREQ(e.what(), "carriage return at byte 7");
  }
  EXPECT_THROW((void)Doc::open("\rabc"), lifetimes::Error);
  EXPECT_EQ(lifetimes::live_docs(), live) << "valid_on_error: the binding destroyed both";
}

TEST(Lifetimes, E2_E3_TypesAtCompileTime) {
  // E2: the index is an int32_t (this overload exists exactly so): 2**31 does not fit the type.
  [[maybe_unused]] constexpr auto line = static_cast<std::optional<std::string_view> (Doc::*)(std::int32_t) const&>(&Doc::line);
  static_assert(!std::is_invocable_v<decltype(&Doc::set_filter), Doc&, int>);
}

TEST(Lifetimes, E4_AFilterThatThrows) {
  auto d = Doc::open("a\nb");
  d.set_filter([](std::string_view line) -> bool {
    if (line == "b") throw std::runtime_error("filter failed");
    return true;
  });
  EXPECT_THROW((void)d.count_matching(), std::runtime_error);
  d.set_filter(nullptr);
  EXPECT_EQ(d.count_matching(), 2);
}

}  // namespace
