// tests/fixtures/bytes/SPEC.md through the generated C++ API: inputs are spans, borrowed outputs
// are spans tied to their owner, caller-allocated outputs take a span and return the count.
#include <gtest/gtest.h>

#include <array>
#include <numeric>
#include <vector>

#include "bytes.hpp"

namespace {

std::vector<std::byte> bytes(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int b : v) out.push_back(static_cast<std::byte>(b));
  return out;
}
std::span<const std::byte> text_bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(Bytes, B1_to_B4_Checksum) {
  EXPECT_EQ(bytes::checksum(text_bytes("")), 0x811c9dc5u);
  EXPECT_EQ(bytes::checksum(text_bytes("abc")), 0x1a47e90bu);
  EXPECT_EQ(bytes::checksum(bytes({0, 0xff, 0})), 0xf28f40e0u);
  std::vector<std::byte> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::byte>(i);
  EXPECT_EQ(bytes::checksum(all), 0x90a458c5u);
  EXPECT_EQ(bytes::checksum(std::nullopt), 0x811c9dc5u);
  EXPECT_EQ(bytes::count(std::nullopt), 0u);
  EXPECT_EQ(bytes::count(text_bytes("abc")), 3u);
}

TEST(Bytes, B5_B7_BorrowedFromTheBlob) {
  auto b = bytes::Blob::create(bytes({1, 0, 2}));
  EXPECT_EQ(b.size(), 3u);
  auto v = b.data();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(std::vector<std::byte>(v.begin(), v.end()), bytes({1, 0, 2}));
  // (A view of a temporary Blob does not compile: the owners are named.)
  auto empty = bytes::Blob::create(text_bytes(""));
  EXPECT_TRUE(empty.data().empty()) << "NULL means empty here";
  auto absent = bytes::Blob::create(std::nullopt);
  EXPECT_TRUE(absent.data().empty());
}

TEST(Bytes, B8_B9_CopyIntoCallerBuffer) {
  auto b = bytes::Blob::create(bytes({1, 0, 2}));
  std::array<std::byte, 2> small{};
  EXPECT_EQ(b.copy(small), 2u);
  EXPECT_EQ(std::vector<std::byte>(small.begin(), small.end()), bytes({1, 0}));
  std::array<std::byte, 8> big{};
  EXPECT_EQ(b.copy(big), 3u);
  EXPECT_EQ(bytes::Blob::create(text_bytes("")).copy(big), 0u);
}

TEST(Bytes, B10_B11_B12_WrittenCounts) {
  std::array<std::byte, 8> out{};
  ASSERT_EQ(bytes::repeat(7, 3, out), 3u);
  EXPECT_EQ(std::vector<std::byte>(out.begin(), out.begin() + 3), bytes({7, 7, 7}));
  std::array<std::byte, 4> four{};
  ASSERT_EQ(bytes::repeat(9, 100, four), 4u);
  EXPECT_EQ(std::vector<std::byte>(four.begin(), four.end()), bytes({9, 9, 9, 9}));
  std::array<std::byte, 32> wide{};
  ASSERT_EQ(bytes::iota(wide), 16u);
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(wide[i], static_cast<std::byte>(i));
  std::array<std::byte, 3> three{};
  EXPECT_EQ(bytes::iota(three), 3u);
  EXPECT_EQ(bytes::iota(std::span<std::byte>()), 0u);
  std::array<std::byte, 4> filled{};
  bytes::fill(filled, 0xab);
  EXPECT_EQ(std::vector<std::byte>(filled.begin(), filled.end()), bytes({0xab, 0xab, 0xab, 0xab}));
}

TEST(Bytes, AllocatingOverloadsSizedByTheCapacity) {
  // The same calls without a caller buffer: a vector of the capacity, shrunk to what was written.
  auto b = bytes::Blob::create(bytes({1, 0, 2}));
  EXPECT_EQ(b.copy(2), bytes({1, 0}));
  EXPECT_EQ(b.copy(8), bytes({1, 0, 2}));
  EXPECT_EQ(bytes::repeat(7, 3, 8), bytes({7, 7, 7}));
  EXPECT_EQ(bytes::repeat(9, 100, 4), bytes({9, 9, 9, 9}));
  EXPECT_EQ(bytes::iota(32).size(), 16u) << "written through the in/out count";
  EXPECT_EQ(bytes::iota(3), bytes({0, 1, 2}));
  EXPECT_EQ(bytes::fill(4, 0xab), bytes({0xab, 0xab, 0xab, 0xab})) << "written: all";
  EXPECT_TRUE(bytes::fill(0, 1).empty());
}

TEST(Bytes, B13_B14_B15_Slices) {
  const std::int32_t values[] = {1, 2, 3, -10};
  EXPECT_EQ(bytes::sum_i32(values), -4);
  EXPECT_EQ(bytes::sum_i32(std::span<const std::int32_t>()), 0);
  EXPECT_EQ(bytes::sum_i32(std::nullopt), 0);
  const std::int32_t extremes[] = {INT32_MIN, -1, 0, 1, INT32_MAX};
  EXPECT_TRUE(bytes::i32_in_extremes(extremes));
  const std::int32_t zero[] = {0};
  EXPECT_FALSE(bytes::i32_in_extremes(zero));
  const double doubles[] = {1.0, 2.0, 4.5};
  EXPECT_EQ(bytes::mean_f64(doubles), 2.5);
  EXPECT_EQ(bytes::mean_f64(std::span<const double>()), 0.0);
}

TEST(Bytes, B16_E4_ManyBlobsAndClosed) {
  std::string hundred(100, 'x');
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(bytes::Blob::create(text_bytes(hundred)).size(), 100u);
  auto b = bytes::Blob::create(text_bytes("abc"));
  b.close();
  EXPECT_THROW((void)b.data(), bindery::use_after_close);
}

}  // namespace
