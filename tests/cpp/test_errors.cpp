// tests/fixtures/errors/SPEC.md through the generated C++ API: failures are exceptions carrying
// the library's code and message, EOF is std::nullopt, soft codes are returned.
#include <gtest/gtest.h>

#include <cerrno>
#include <system_error>

#include "errors.hpp"

namespace {

template <class F>
errors::Error error_of(F f) {
  try {
    f();
  } catch (const errors::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no errors::Error thrown";
  return errors::Error("", 0);
}

TEST(Errors, R1_R2_EofIsAbsent) {
  auto r = errors::Reader::create(3);
  EXPECT_EQ(r.next(), 1);
  EXPECT_EQ(r.next(), 2);
  EXPECT_EQ(r.next(), 3);
  EXPECT_EQ(r.next(), std::nullopt);
}

TEST(Errors, R3_SoftCodesAreReturned) {
  auto r = errors::Reader::create(1);
  EXPECT_EQ(r.poll(), ERRORS_AGAIN);
  EXPECT_EQ(r.poll(), ERRORS_OK);
  EXPECT_EQ(r.poll(), ERRORS_AGAIN);
}

TEST(Errors, R4_R5_R6_StatusWithMessageFromTheReader) {
  auto r = errors::Reader::create(1);
  EXPECT_NO_THROW(r.check(0));
  EXPECT_NO_THROW(r.check(1000));
  auto e = error_of([&] { r.check(-5); });
  EXPECT_EQ(e.code(), -1);
  EXPECT_STREQ(e.what(), "negative value: -5");
  e = error_of([&] { r.check(1001); });
  EXPECT_EQ(e.code(), -2);
  EXPECT_STREQ(e.what(), "value out of range: 1001");
}

TEST(Errors, R7_R8_R9_CountOrError) {
  auto r = errors::Reader::create(5);
  EXPECT_EQ(r.message(), "");
  EXPECT_EQ(r.skip(2), 2);
  EXPECT_EQ(r.next(), 3);
  EXPECT_EQ(r.skip(10), 2);
  EXPECT_EQ(r.skip(1), 0);
  auto e = error_of([&] { r.skip(-1); });
  EXPECT_EQ(e.code(), -1);
  EXPECT_STREQ(e.what(), "cannot skip a negative count");
  EXPECT_EQ(r.message(), "cannot skip a negative count");
}

TEST(Errors, R10_VerdictIsNotAnException) {
  EXPECT_TRUE(errors::verify("open sesame"));
  EXPECT_FALSE(errors::verify("open"));
}

TEST(Errors, R11_R12_R13_GlobalMessage) {
  EXPECT_EQ(errors::parse_int("-42"), -42);
  EXPECT_EQ(errors::parse_int("2147483647"), 2147483647);
  auto e = error_of([] { errors::parse_int("12x"); });
  EXPECT_EQ(e.code(), -1);
  EXPECT_STREQ(e.what(), "not a number: '12x'");
  e = error_of([] { errors::parse_int("2147483648"); });
  EXPECT_EQ(e.code(), -2);
  EXPECT_STREQ(e.what(), "out of range: '2147483648'");
  e = error_of([] { errors::parse_int(""); });
  EXPECT_EQ(e.code(), -1);
  EXPECT_STREQ(e.what(), "not a number: ''");
}

TEST(Errors, R14_R15_R16_ErrnoConstructor) {
  const int live = errors::live_readers();
  try {
    (void)errors::Reader::create(-1);
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EINVAL);
  }
  try {
    (void)errors::Reader::create(1001);
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ERANGE);
  }
  EXPECT_EQ(errors::live_readers(), live);
}

TEST(Errors, E2_ClosedReader) {
  auto r = errors::Reader::create(1);
  r.close();
  EXPECT_THROW(r.next(), bindery::use_after_close);
}

}  // namespace
