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

// ---- UTF-16 (T17-T20): std::u16string_view in, std::u16string_view out (static results) ----

TEST(Text, T17_Utf16InNulTerminated) {
  EXPECT_EQ(text::utf16_units(u"h\u00e9llo\U0001F600"), 7u) << "the emoji is a surrogate pair";
  EXPECT_EQ(text::utf16_units(u""), 0u);
  const std::u16string owned = u"gr\u00fc\u00df";
  EXPECT_EQ(text::utf16_units(owned), 4u) << "a std::u16string is NUL-terminated already: no copy";
  EXPECT_THROW((void)text::utf16_units(std::u16string(u"a\0b", 3)), std::invalid_argument)
      << "an embedded NUL would cut the text short";
}

TEST(Text, T18_Utf16LengthIsInBytes) {
  EXPECT_TRUE(text::utf16_in_sample(u"gr\u00fc\u00df \U0001F600")) << "14 bytes, not 7 units";
  EXPECT_FALSE(text::utf16_in_sample(u"gruss"));
  EXPECT_FALSE(text::utf16_in_sample(std::u16string_view()));
}

TEST(Text, T19_Utf16Out) {
  static_assert(std::is_same_v<decltype(text::utf16_sample()), std::u16string_view>, "static text: a view");
  EXPECT_EQ(text::utf16_sample(), u"gr\u00fc\u00df \U0001F600");
  EXPECT_EQ(text::utf16_sized(), u"\u65e5\u672c") << "4 bytes from the out-parameter: 2 units";
}

TEST(Text, T20_LoneSurrogatePassesAsACodeUnit) {
  // C++ strings are code units with no encoding to check: the lone surrogate reaches C unchanged
  // (as in JavaScript), and C counts it as one unit. Never a crash.
  const std::u16string lone(1, static_cast<char16_t>(0xD800));
  EXPECT_EQ(text::utf16_units(lone), 1u);
}

}  // namespace
