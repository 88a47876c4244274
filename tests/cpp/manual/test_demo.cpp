// The cpp backend on a hand-built IR (make_demo_ir.cpp) over demo.c: every mapping end to end,
// independent of the frontend and lowering.
#include <gtest/gtest.h>

#include <cerrno>
#include <optional>
#include <span>
#include <memory>
#include <array>
#include <any>
#include <string>
#include <type_traits>

#include "demo.hpp"

namespace {

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(DemoScalars, FreeFunctionWrapsAndIsNoexcept) {
  EXPECT_EQ(demo::add(2, 3), 5);
  EXPECT_EQ(demo::add(INT32_MAX, 1), INT32_MIN);
  static_assert(std::is_same_v<decltype(demo::add(1, 2)), std::int32_t>);
}

TEST(DemoHandles, ConstructorMethodsAndDestructor) {
  const int before = demo::live_counters();
  {
    auto c = demo::Counter::create("apples");
    EXPECT_EQ(demo::live_counters(), before + 1);
    c.add(3);
    c.add(4);
    EXPECT_EQ(c.value(), 7);
  }
  EXPECT_EQ(demo::live_counters(), before) << "the destructor destroys";
}

TEST(DemoHandles, MoveLeavesSourceClosedAndCloseIsIdempotent) {
  const int before = demo::live_counters();
  auto a = demo::Counter::create("a");
  demo::Counter b = std::move(a);
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_THROW(a.value(), bindery::use_after_close);
  EXPECT_TRUE(b.is_open());
  b.close();
  EXPECT_EQ(demo::live_counters(), before);
  EXPECT_THROW(b.add(1), bindery::use_after_close);
  b.close();  // again: nothing
  static_assert(!std::is_copy_constructible_v<demo::Counter>);
  static_assert(!std::is_copy_assignable_v<demo::Counter>);
  static_assert(std::is_nothrow_move_constructible_v<demo::Counter>);
}

TEST(DemoHandles, MoveAssignmentDestroysTheOldObject) {
  const int before = demo::live_counters();
  auto a = demo::Counter::create("a");
  auto b = demo::Counter::create("b");
  a = std::move(b);
  EXPECT_EQ(demo::live_counters(), before + 1);
  EXPECT_EQ(a.name(), "b");
}

TEST(DemoHandles, ReleaseAndAdopt) {
  auto a = demo::Counter::create("x");
  demo_counter* raw = a.release();
  EXPECT_FALSE(a.is_open());
  auto b = demo::Counter::adopt(raw);
  EXPECT_EQ(b.c_ptr(), raw);
  EXPECT_EQ(b.name(), "x");
}

TEST(DemoErrors, NullWithErrno) {
  try {
    (void)demo::Counter::create("");
    FAIL() << "expected demo::Error";
  } catch (const demo::Error& e) {
    EXPECT_EQ(e.sys_errno(), EINVAL);
    EXPECT_STREQ(e.what(), "demo_counter_new failed");
  }
}

TEST(DemoErrors, StatusWithMessageFromTheHandle) {
  auto c = demo::Counter::create("big");
  c.add(INT32_MAX);
  try {
    c.add(1);
    FAIL() << "expected demo::Error";
  } catch (const demo::Error& e) {
    EXPECT_EQ(e.code(), DEMO_EOVERFLOW);
    EXPECT_STREQ(e.what(), "counter overflow");
  }
  EXPECT_EQ(c.value(), INT32_MAX) << "the failed call changed nothing";
}

TEST(DemoErrors, StatusWithOutputs) {
  auto r = demo::divmod(17, 5);
  EXPECT_EQ(r.quot, 3);
  EXPECT_EQ(r.rem, 2);
  EXPECT_THROW(demo::divmod(1, 0), demo::Error);
}

TEST(DemoErrors, EofGivesNullopt) {
  auto c = demo::Counter::create("h");
  c.add(9);
  EXPECT_EQ(c.pop(), 9);
  EXPECT_EQ(c.pop(), std::nullopt);
}

TEST(DemoText, BorrowedAndOwned) {
  auto c = demo::Counter::create("pears");
  std::string_view name = c.name();
  EXPECT_EQ(name, "pears");
  c.add(2);
  EXPECT_EQ(c.describe(), "pears=2");  // owned: copied, then freed by demo_free (ASan checks)
  EXPECT_EQ(demo::strlen("hello"), 5u);
  EXPECT_EQ(demo::strlen(std::string("hello")), 5u);
  EXPECT_THROW(demo::strlen(std::string("a\0b", 3)), std::invalid_argument) << "an embedded NUL is refused";
}

TEST(DemoBytes, BorrowedInputAndOutput) {
  EXPECT_EQ(demo::hash(bytes_of("")), 2166136261u);
  EXPECT_EQ(demo::hash({}), 2166136261u) << "an empty default span is passed as a valid pointer";
  EXPECT_EQ(demo::hash(bytes_of("a")), 0xe40c292cu);
  auto c = demo::Counter::create("h");
  EXPECT_EQ(c.history(), std::nullopt) << "NULL means absent";
  c.add(1);
  c.add(2);
  auto h = c.history();
  ASSERT_TRUE(h.has_value());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0], std::byte{1});
  EXPECT_EQ((*h)[1], std::byte{2});
}

TEST(DemoBytes, CallerAllocatedBuffer) {
  auto c = demo::Counter::create("longname");
  char buf[4];
  EXPECT_EQ(c.copy_name(buf), 4u);
  EXPECT_EQ(std::string_view(buf, 4), "long");
  std::string big(32, '\0');
  big.resize(c.copy_name(big));
  EXPECT_EQ(big, "longname");
}

TEST(DemoEnums, EnumsFlagsAndRecords) {
  EXPECT_EQ(demo::color_next(demo::Color::Red), demo::Color::Green);
  EXPECT_EQ(static_cast<int>(demo::Color::Green), 5);
  auto m = demo::Mode::Read | demo::Mode::Append;
  EXPECT_EQ(demo::mode_bits(m), m);
  EXPECT_TRUE(demo::any(m & demo::Mode::Append));
  EXPECT_FALSE(demo::any(m & demo::Mode::Write));
  demo::Point p{1, 2, demo::Color::Blue};
  EXPECT_EQ(demo::point_swap(p), (demo::Point{2, 1, demo::Color::Blue}));
  EXPECT_EQ(demo::kEnd, 1);
}

}  // namespace

// ---- session 5 transfers in the shapes no fixture has -------------------------------------------
namespace {

TEST(DemoTransfers, AnArgumentConsumedOnlyOnSuccess) {
  const int live = demo::live_counters();
  auto a = demo::Counter::create("a");
  auto b = demo::Counter::create("b");
  b.add(5);
  static_assert(std::is_invocable_v<decltype(&demo::Counter::merge), demo::Counter&, demo::Counter&>,
                "an lvalue: a failure leaves the argument with the caller");
  a.merge(b);
  EXPECT_FALSE(b.is_open()) << "taken over: the call succeeded";
  EXPECT_EQ(a.value(), 5);
  EXPECT_EQ(demo::live_counters(), live + 1);

  auto big = demo::Counter::create("big");
  big.add(2147483647);
  EXPECT_THROW(a.merge(big), demo::Error);
  EXPECT_TRUE(big.is_open()) << "the call failed: still ours, still usable";
  EXPECT_EQ(big.value(), 2147483647);
  EXPECT_THROW(a.merge(b), bindery::use_after_close);
}

TEST(DemoTransfers, ANullableHostValue) {
  auto c = demo::Counter::create("c");
  EXPECT_EQ(c.attached(), std::nullopt);
  auto token = std::make_shared<int>(3);
  std::weak_ptr<int> alive = token;
  c.attach(std::move(token));
  EXPECT_EQ(*std::any_cast<std::shared_ptr<int>>(*c.attached()), 3);
  c.attach(std::any{});  // nullable: an empty std::any passes NULL (and releases the old box)
  EXPECT_TRUE(alive.expired());
  EXPECT_EQ(c.attached(), std::nullopt);
  c.attach(std::string("kept until the counter goes"));
}

TEST(DemoTransfers, NullableBytesCopiedIntoMalloc) {
  const int blocks = demo::loaded_blocks();
  auto c = demo::Counter::create("c");
  const std::array<std::byte, 3> three{std::byte{1}, std::byte{2}, std::byte{3}};
  c.load(three);
  EXPECT_EQ(c.value(), 6);
  c.load(std::nullopt);  // NULL: nothing copied, nothing freed
  EXPECT_EQ(demo::loaded_blocks(), blocks + 1);
  c.load(std::span<const std::byte>{});  // empty: a one-byte block, freed by the library
  EXPECT_EQ(demo::loaded_blocks(), blocks + 2);
  c.add(2147483647 - 6);
  EXPECT_THROW(c.load(three), demo::Error) << "the library frees the block on failure too";
  EXPECT_EQ(demo::loaded_blocks(), blocks + 3);
}

}  // namespace
