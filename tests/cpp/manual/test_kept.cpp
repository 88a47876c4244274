// A pinned struct (made in place, never moved) whose init and end run a kept callback, on a
// hand-built IR (make_demo_ir.cpp, kept.h). An exception the callback throws while the object is
// made leaves the factory with the struct ended; while it is ended, close() throws it and the
// destructor hands it to bindery's handler (docs/adr/cpp-kept-callback-errors.md).
#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "kept.hpp"

namespace {

/// Throws when told the event it waits for; otherwise does nothing.
void listen_throwing_on(int event) {
  kept::set_listener([event](std::int32_t e) {
    if (e == event) throw std::runtime_error("listener: " + std::to_string(e));
  });
}

std::string last_class;
std::string last_what;
void record(std::exception_ptr error, const char* class_name) noexcept {
  last_class = class_name;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    last_what = e.what();
  }
}

TEST(KeptPinned, MadeAndEndedNormally) {
  listen_throwing_on(1000);
  const int live = kept::live_boxes();
  {
    auto box = kept::Box::init(5);
    EXPECT_EQ(box.value(), 5);
    EXPECT_EQ(kept::live_boxes(), live + 1);
  }
  EXPECT_EQ(kept::live_boxes(), live);
}

TEST(KeptPinned, AnExceptionWhileMakingEndsTheStructAndLeavesTheFactory) {
  listen_throwing_on(13);
  const int live = kept::live_boxes();
  try {
    auto box = kept::Box::init(13);
    FAIL() << "the listener's exception must leave init()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "listener: 13");
  }
  EXPECT_EQ(kept::live_boxes(), live) << "the initialised struct was ended, not leaked";
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "nothing left for a later call";
  listen_throwing_on(1000);
}

TEST(KeptPinned, CloseThrowsWhatTheListenerThrewWhileEnding) {
  listen_throwing_on(-7);
  auto box = kept::Box::init(7);
  EXPECT_THROW(box.close(), std::runtime_error);
  EXPECT_FALSE(box.is_open());
  listen_throwing_on(1000);
}

TEST(KeptPinned, TheDestructorHandsItToTheHandler) {
  const auto previous = bindery::set_destructor_callback_error_handler(&record);
  listen_throwing_on(-8);
  { auto box = kept::Box::init(8); }
  EXPECT_EQ(last_class, "Box");
  EXPECT_EQ(last_what, "listener: -8");
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error());
  listen_throwing_on(1000);
  bindery::set_destructor_callback_error_handler(previous);
}

}  // namespace
