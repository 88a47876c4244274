// tests/fixtures/transfers/SPEC.md through the generated C++ API:
// - `returns: {copy: FN}`: a lent handle comes back as an owned RAII object, copied at once;
// - `own: full, when: ok` on the receiver: `close_strict()` is an lvalue member like close(); on
//   success the object is closed, on failure it throws and the object stays open and usable;
// - `own: full, alloc: FN`: a std::span<const std::byte> the binding copies into the library's
//   allocator, which the library frees on success and on failure.
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "transfers.hpp"

namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST(Transfers, T1_T2_PeekedItemsAreOwnedCopies) {
  const int objects = transfers::live_objects();
  const int violations = transfers::violations();
  auto b = transfers::Box::create();
  transfers::Item a = b.peek(7);
  transfers::Item c = b.peek(8);
  EXPECT_EQ(a.value(), 7) << "the second peek reused the box's scratch item, not our copy";
  EXPECT_EQ(c.value(), 8);
  EXPECT_EQ(transfers::live_objects(), objects + 3);
  a.close();
  EXPECT_EQ(transfers::live_objects(), objects + 2);
  { transfers::Item gone = std::move(c); }  // the destructor frees the copy too
  EXPECT_EQ(transfers::live_objects(), objects + 1);
  EXPECT_EQ(transfers::violations(), violations) << "the lent scratch item was never freed by the binding";
}

TEST(Transfers, T1_ThePeekResultIsAnOwnerNotARef) {
  static_assert(std::is_same_v<decltype(std::declval<transfers::Box&>().peek(1)), transfers::Item>);
  static_assert(!std::is_copy_constructible_v<transfers::Item>);
}

TEST(Transfers, C1_CloseStrictFailsAndTheBoxStaysOpen) {
  auto b = transfers::Box::create();
  b.pin(1);
  try {
    b.close_strict();
    FAIL() << "a pinned box cannot close";
  } catch (const transfers::Error& e) {
    EXPECT_EQ(e.code(), 5);
    EXPECT_STREQ(e.what(), "box is pinned");
  }
  EXPECT_TRUE(b.is_open());
  EXPECT_EQ(b.peek(3).value(), 3) << "still usable after the failed close";
}

TEST(Transfers, C2_CloseStrictSucceedsAndClosesOnce) {
  const int objects = transfers::live_objects();
  const int violations = transfers::violations();
  {
    auto b = transfers::Box::create();
    b.pin(1);
    EXPECT_THROW(b.close_strict(), transfers::Error);
    b.pin(0);
    b.close_strict();
    EXPECT_FALSE(b.is_open());
    EXPECT_EQ(b.c_ptr(), nullptr);
    EXPECT_THROW((void)b.peek(1), bindery::use_after_close);
    b.close();  // nothing to free any more
  }  // nor does the destructor
  EXPECT_EQ(transfers::live_objects(), objects);
  EXPECT_EQ(transfers::violations(), violations);
}

TEST(Transfers, E2_CloseStrictOnAClosedBox) {
  auto b = transfers::Box::create();
  b.close();
  EXPECT_THROW(b.close_strict(), bindery::use_after_close);
  auto moved_from = transfers::Box::create();
  auto keeper = std::move(moved_from);
  EXPECT_THROW(moved_from.close_strict(), bindery::use_after_close);  // NOLINT: testing the moved-from state
}

TEST(Transfers, A1_AdoptCopiesIntoTheLibrarysAllocator) {
  const int blocks = transfers::live_blocks();
  auto b = transfers::Box::create();
  std::vector<std::byte> data = bytes({1, 2, 3});
  b.adopt_(data);
  data[0] = std::byte{100};  // the box holds its own copy
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b.checksum(), 6);
  EXPECT_EQ(transfers::live_blocks(), blocks + 1);

  // A2: the new block replaces the old one, which the library released.
  const std::array<std::byte, 1> ff{std::byte{0xff}};
  b.adopt_(ff);
  EXPECT_EQ(b.checksum(), 255);
  EXPECT_EQ(transfers::live_blocks(), blocks + 1);
}

TEST(Transfers, A3_AFailedAdoptIsFreedByTheLibraryOnly) {
  const int blocks = transfers::live_blocks();
  const int violations = transfers::violations();
  auto b = transfers::Box::create();
  b.pin(1);
  const std::string xy = "xy";
  try {
    b.adopt_(std::as_bytes(std::span(xy)));
    FAIL() << "a pinned box refuses data";
  } catch (const transfers::Error& e) {
    EXPECT_STREQ(e.what(), "box is pinned");
  }
  b.pin(0);
  EXPECT_EQ(transfers::live_blocks(), blocks) << "the library released the copy; the binding did not free it again";
  EXPECT_EQ(transfers::violations(), violations);
}

TEST(Transfers, A4_A5_EmptyDataThenClose) {
  const int blocks = transfers::live_blocks();
  const int objects = transfers::live_objects();
  const int violations = transfers::violations();
  {
    auto b = transfers::Box::create();
    b.adopt_(std::span<const std::byte>{});  // an empty view: a one-byte block, length 0
    EXPECT_EQ(b.size(), 0u);
    EXPECT_EQ(b.checksum(), 0);
    b.adopt_(bytes({4, 5}));
    b.close();
  }
  EXPECT_EQ(transfers::live_blocks(), blocks);
  EXPECT_EQ(transfers::live_objects(), objects);
  EXPECT_EQ(transfers::violations(), violations) << "only the library's own blocks reached transfers_release";
}

TEST(Transfers, E1_AdoptTakesBytesOnly) {
  using Box = transfers::Box;
  static_assert(std::is_invocable_v<decltype(&Box::adopt_), Box&, std::span<const std::byte>>);
  static_assert(!std::is_invocable_v<decltype(&Box::adopt_), Box&, int>);
  static_assert(!std::is_invocable_v<decltype(&Box::adopt_), Box&, std::nullptr_t>);
}

TEST(Transfers, CloseStrictIsAnLvalueMember) {
  // Like close(): no std::move at the call, since a failure leaves the object usable.
  static_assert(std::is_invocable_v<decltype(&transfers::Box::close_strict), transfers::Box&>);
}

}  // namespace
