// tests/fixtures/text/SPEC.md through the generated C++ API.
#include <gtest/gtest.h>

#include <string>

#include "text.hpp"

namespace {

// SAMPLE of the SPEC: "Grüße, 世界 ✓", 19 bytes of UTF-8.
const char* const kSample = "Gr\xc3\xbc\xc3\x9f" "e, \xe4\xb8\x96\xe7\x95\x8c \xe2\x9c\x93";

TEST(Text, T1_T2_T3_NulTerminatedInput) {
  EXPECT_EQ(text::length(""), 0u);
  EXPECT_EQ(text::length("h\xc3\xa9llo"), 6u);
  EXPECT_EQ(text::length(kSample), 19u);
  EXPECT_TRUE(text::in_utf8(kSample));
  EXPECT_FALSE(text::in_utf8("Grusse"));
  EXPECT_TRUE(text::in_empty(""));
  EXPECT_FALSE(text::in_empty(" "));
  EXPECT_EQ(text::length(std::string("abc")), 3u);
}

TEST(Text, T4_T5_StaticResults) {
  EXPECT_EQ(text::static_greeting(), "hello, world");
  EXPECT_EQ(text::static_utf8(), std::string_view(kSample));
}

TEST(Text, T6_T7_T8_OwnedResultsAreCopiedAndFreed) {
  const int live = text::live_strings();
  EXPECT_EQ(text::concat("foo", "bar"), "foobar");
  EXPECT_EQ(text::concat("", ""), "");
  EXPECT_EQ(text::concat(kSample, "!"), std::string(kSample) + "!");
  EXPECT_EQ(text::repeat("ab", 3), "ababab");
  EXPECT_EQ(text::repeat("x", 0), "");
  for (int i = 0; i < 1000; ++i) (void)text::concat("a", "b");
  EXPECT_EQ(text::live_strings(), live);
}

TEST(Text, T9_T10_T11_PointerAndLength) {
  using namespace std::string_view_literals;
  EXPECT_EQ(text::count_char("a\0a\0a"sv, 'a'), 3u);
  EXPECT_EQ(text::count_char("a\0a\0a"sv, '\0'), 2u);
  EXPECT_EQ(text::count_char("", 'a'), 0u);
  EXPECT_EQ(text::count_char(std::string_view(), 'a'), 0u) << "an empty default view is passed as a valid pointer";
  EXPECT_TRUE(text::span_in_utf8(kSample));
  EXPECT_FALSE(text::span_in_utf8("Gr\xc3\xbc\xc3\x9f" "e"));
}

TEST(Text, T12_T13_T14_BufferHandle) {
  auto b = text::TextBuffer::create("ab");
  b.append("c\xc3\xa9");
  EXPECT_EQ(b.get(), "abc\xc3\xa9");
  EXPECT_EQ(b.length(), 5u);
  std::string copy(b.get());  // the view is documented as invalidated by append: copy first
  b.append("x");
  EXPECT_EQ(copy, "abc\xc3\xa9");
  EXPECT_EQ(b.get(), "abc\xc3\xa9x");
  b.close();
  b.close();
  EXPECT_THROW((void)b.get(), bindery::use_after_close);
}

TEST(Text, E2_EmbeddedNulIsRefused) {
  EXPECT_THROW(text::length(std::string("a\0b", 3)), std::invalid_argument);
}

TEST(Text, E1_E3_TypeSystem) {
  static_assert(!std::is_constructible_v<bindery::cstring_view, std::nullptr_t>, "NULL is not text");
  static_assert(!std::is_invocable_v<decltype(text::length), int>);
}

}  // namespace
