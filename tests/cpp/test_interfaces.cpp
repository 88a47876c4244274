// tests/fixtures/interfaces/SPEC.md through the generated C++ API: the application implements the
// engine's `interfaces_source` by deriving from the abstract classes Source, Table and Cursor; the
// binding's static table of trampolines calls their virtual functions. Objects a method makes are
// std::unique_ptr (the binding owns them, deletes them when the library releases them); the
// registered source is a std::shared_ptr the engine holds; an exception a method throws never
// crosses the engine's C frames: it leaves the wrapper (sum) that ran the method
// (docs/adr/cpp-interfaces.md).
#include <gtest/gtest.h>

#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "interfaces.hpp"

namespace {

/// What the test's objects saw, and how many of them are alive.
struct Log {
  std::vector<std::string> open_args;
  std::int64_t filter_min = 0;
  std::vector<std::string> closes;  // in order
  int tables_alive = 0;
  int cursors_alive = 0;
};

/// How a test source misbehaves.
struct Faults {
  bool open_throws = false;    // I5
  bool open_makes_none = false;  // I9
  bool value_throws = false;   // I6
  bool eof_throws = false;     // I7
  bool close_throws = false;   // a second exception, in a releasing method
};

/// The invalid-argument error I5's `open` throws: its own type, so the test sees the very exception.
class BadArgs : public std::invalid_argument {
 public:
  BadArgs() : std::invalid_argument("bad args") {}
};

/// A cursor over lo … hi-1 without `close` (the optional method left out).
class PlainCursor : public interfaces::Cursor {
 public:
  PlainCursor(std::int64_t lo, std::int64_t hi, Log& log, const Faults& faults)
      : lo_(lo), hi_(hi), log_(log), faults_(faults) {
    ++log_.cursors_alive;
  }
  ~PlainCursor() override { --log_.cursors_alive; }
  void filter(std::int64_t min_key) override {
    log_.filter_min = min_key;
    row_ = lo_ > min_key ? lo_ : min_key;
  }
  void next() override { ++row_; }
  bool eof() override {
    if (faults_.eof_throws) throw std::runtime_error("eof failed");
    return row_ >= hi_;
  }
  void value(interfaces::Result result, std::int32_t column) override {
    if (faults_.value_throws || column > 1) throw std::runtime_error("no such column");
    result.set_int(row_ * (column + 1));
  }
  std::int64_t key() override { return row_; }

 protected:
  Log& log() { return log_; }

 private:
  std::int64_t lo_, hi_, row_ = 0;
  Log& log_;
  const Faults& faults_;
};

class RangeCursor : public PlainCursor {
 public:
  RangeCursor(std::int64_t lo, std::int64_t hi, Log& log, const Faults& faults)
      : PlainCursor(lo, hi, log, faults), close_throws_(faults.close_throws) {}
  void close() override {
    log().closes.push_back("cursor");
    if (close_throws_) throw std::runtime_error("close failed too");
  }

 private:
  bool close_throws_;
};

/// A table without `plan` and `close`, making cursors without `close`.
class PlainTable : public interfaces::Table {
 public:
  PlainTable(std::int64_t lo, std::int64_t hi, Log& log, const Faults& faults)
      : lo_(lo), hi_(hi), log_(log), faults_(faults) {
    ++log_.tables_alive;
  }
  ~PlainTable() override { --log_.tables_alive; }
  std::unique_ptr<interfaces::Cursor> open_cursor() override { return make_cursor<PlainCursor>(); }

 protected:
  template <class C>
  std::unique_ptr<interfaces::Cursor> make_cursor() {
    return std::make_unique<C>(lo_, hi_, log_, faults_);
  }
  Log& log() { return log_; }

 private:
  std::int64_t lo_, hi_;
  Log& log_;
  const Faults& faults_;
};

/// SPEC's Range table: applies the minimum key itself at cost 2.5; its cursors have `close`.
class RangeTable : public PlainTable {
 public:
  using PlainTable::PlainTable;
  void plan(interfaces::Plan plan) override {
    plan.use_min_key(1);
    plan.set_cost(2.5);
  }
  std::unique_ptr<interfaces::Cursor> open_cursor() override { return make_cursor<RangeCursor>(); }
  void close() override { log().closes.push_back("table"); }
};

/// `open([lo, hi])`: a RangeTable (or a PlainTable when `plain`).
class Range : public interfaces::Source {
 public:
  explicit Range(Log& log, Faults faults = {}, bool plain = false) : log_(log), faults_(faults), plain_(plain) {}
  std::unique_ptr<interfaces::Table> open(bindery::borrowed_strings args) override {
    log_.open_args.clear();
    for (std::string_view arg : args) log_.open_args.emplace_back(arg);  // copies: the views die with the call
    if (faults_.open_throws) throw BadArgs();
    if (faults_.open_makes_none) return nullptr;
    if (args.size() != 2) throw std::invalid_argument("range needs lo,hi");
    const std::int64_t lo = std::stoll(std::string(args[0]));
    const std::int64_t hi = std::stoll(std::string(args[1]));
    if (plain_) return std::make_unique<PlainTable>(lo, hi, log_, faults_);
    return std::make_unique<RangeTable>(lo, hi, log_, faults_);
  }

 private:
  Log& log_;
  Faults faults_;
  bool plain_;
};

/// Every table and cursor is gone: none alive in C++, none open in the engine.
void expect_all_released(const Log& log) {
  EXPECT_EQ(log.tables_alive, 0);
  EXPECT_EQ(log.cursors_alive, 0);
  EXPECT_EQ(interfaces::open_objects(), 0);
}

TEST(Interfaces, I1_SumThroughTheSourcesMethods) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log));
  EXPECT_EQ(e.sum("range", "1,5", 0, 0), 10);
  EXPECT_EQ(e.last_cost(), 2.5);
  EXPECT_EQ(log.open_args, (std::vector<std::string>{"1", "5"}));
}

TEST(Interfaces, I2_ThePlanMakesTheTableFilter) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log));
  EXPECT_EQ(e.sum("range", "1,5", 1, 3), 14);
  EXPECT_EQ(log.filter_min, 3);
}

TEST(Interfaces, I3_OptionalMethodsLeftOut) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{}, /*plain=*/true));
  EXPECT_EQ(e.sum("range", "1,5", 0, 3), 7);
  EXPECT_EQ(e.last_cost(), -1);
  EXPECT_EQ(log.filter_min, std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(log.closes.empty());
  expect_all_released(log);
}

TEST(Interfaces, I4_CloseRunsOnceOnEachThenTheObjectsAreDeleted) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log));
  EXPECT_EQ(e.sum("range", "1,5", 0, 0), 10);
  EXPECT_EQ(log.closes, (std::vector<std::string>{"cursor", "table"}));
  expect_all_released(log);  // deleted by the binding: nothing kept after close
}

TEST(Interfaces, I5_AnExceptionFromOpenLeavesSumAndItsMessageReachesTheEngine) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{.open_throws = true}));
  try {
    (void)e.sum("range", "1,5", 0, 0);
    FAIL() << "the exception must leave sum()";
  } catch (const BadArgs& error) {  // the very exception: its own type, not the engine's Error
    EXPECT_STREQ(error.what(), "bad args");
  }
  EXPECT_EQ(e.errmsg(), "bad args") << "the message reached the engine through *error";
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "nothing left pending";
  expect_all_released(log);
}

TEST(Interfaces, I6_AnExceptionFromValueReachesTheTablesErrorFieldAndClosesStillRun) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{.value_throws = true}));
  try {
    (void)e.sum("range", "1,5", 0, 0);
    FAIL() << "the exception must leave sum()";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "no such column");
    EXPECT_EQ(dynamic_cast<const interfaces::Error*>(&error), nullptr) << "the method's exception, not the engine's";
  }
  EXPECT_EQ(e.errmsg(), "no such column");
  EXPECT_EQ(log.closes, (std::vector<std::string>{"cursor", "table"})) << "releasing methods run after a failure";
  expect_all_released(log);
}

/// Records what reaches bindery's destructor handler while it lives.
class HandlerSpy {
 public:
  HandlerSpy() { previous_ = bindery::set_destructor_callback_error_handler(&record); }
  ~HandlerSpy() { bindery::set_destructor_callback_error_handler(previous_); }
  HandlerSpy(const HandlerSpy&) = delete;
  HandlerSpy& operator=(const HandlerSpy&) = delete;
  static inline std::vector<std::string> heard;

 private:
  static void record(std::exception_ptr error, const char* object) noexcept {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      heard.push_back(std::string(object) + ": " + e.what());
    }
  }
  bindery::destructor_callback_error_handler previous_;
};

TEST(Interfaces, ASecondExceptionInAReleasingMethodGoesToTheHandler) {
  HandlerSpy spy;
  HandlerSpy::heard.clear();
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{.value_throws = true, .close_throws = true}));
  try {
    (void)e.sum("range", "1,5", 0, 0);
    FAIL() << "the first exception must leave sum()";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "no such column") << "the first one wins";
  }
  EXPECT_EQ(HandlerSpy::heard, (std::vector<std::string>{"Cursor: close failed too"})) << "never lost silently";
  expect_all_released(log);
}

TEST(Interfaces, I7_AnExceptionFromEofStopsTheScan) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{.eof_throws = true}));
  EXPECT_THROW((void)e.sum("range", "1,5", 0, 0), std::runtime_error);
  EXPECT_EQ(log.closes, (std::vector<std::string>{"cursor", "table"}));
  expect_all_released(log);
}

TEST(Interfaces, I8_MethodResultsAreTypedAtCompileTime) {
  // Python's "key returns a string" cannot be written in C++: an override returning std::string
  // does not compile (compile_fail/interfaces_key_returns_string.cpp). The types the library gets:
  static_assert(std::is_same_v<decltype(std::declval<interfaces::Cursor&>().key()), std::int64_t>);
  static_assert(std::is_same_v<decltype(std::declval<interfaces::Cursor&>().eof()), bool>);
  static_assert(std::is_same_v<decltype(std::declval<interfaces::Table&>().open_cursor()),
                               std::unique_ptr<interfaces::Cursor>>);
  static_assert(std::is_abstract_v<interfaces::Source> && std::is_abstract_v<interfaces::Table> &&
                std::is_abstract_v<interfaces::Cursor>);
  SUCCEED();
}

TEST(Interfaces, I9_AMethodThatMakesAnObjectMustReturnOne) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log, Faults{.open_makes_none = true}));
  try {
    (void)e.sum("range", "1,5", 0, 0);
    FAIL() << "a null std::unique_ptr must be refused";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("Source::open returned no Table"), std::string::npos) << error.what();
  }
  expect_all_released(log);
}

TEST(Interfaces, I10_TheEngineKeepsTheSourceUntilItDropsIt) {
  Log log;
  auto e = interfaces::Engine::create();
  auto src = std::make_shared<Range>(log);
  std::weak_ptr<Range> weak_src = src;
  e.register_("range", std::move(src));
  EXPECT_FALSE(weak_src.expired()) << "the engine holds it";
  EXPECT_EQ(e.sum("range", "1,3", 0, 0), 3);

  auto other = std::make_unique<Range>(log);  // a std::unique_ptr converts: the engine then owns it alone
  e.register_("range", std::move(other));
  EXPECT_TRUE(weak_src.expired()) << "replacing the registration released src";
  EXPECT_EQ(e.sum("range", "1,3", 0, 0), 3);

  std::weak_ptr<Range> weak_other;
  {
    auto third = std::make_shared<Range>(log);
    weak_other = third;
    e.register_("third", third);
  }
  EXPECT_FALSE(weak_other.expired());
  e.close();
  EXPECT_TRUE(weak_other.expired()) << "close() released every registered source";
}

TEST(Interfaces, I11_LentHandlesAreNonOwningAndValidDuringTheCallOnly) {
  // C++ cannot refuse a Plan kept past the call (a documented rule, like every view): the types say
  // it — Plan and Result destroy nothing and own nothing.
  static_assert(std::is_trivially_destructible_v<interfaces::Plan>);
  static_assert(std::is_trivially_destructible_v<interfaces::Result>);
  static_assert(std::is_trivially_destructible_v<bindery::borrowed_strings>);
  static_assert(!std::is_constructible_v<interfaces::Plan>, "made by the binding from the library's pointer");
  SUCCEED();
}

TEST(Interfaces, I12_ManySumsReleaseEveryTableAndCursor) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log));
  std::int64_t total = 0;
  for (int i = 0; i < 2000; ++i) total += e.sum("range", "1,5", 0, 0);
  EXPECT_EQ(total, 2000 * 10);
  EXPECT_EQ(log.closes.size(), 4000u);
  expect_all_released(log);
}

TEST(Interfaces, I13_AHelperIsAMethodLikeTheLibrarysOwn) {
  Log log;
  auto e = interfaces::Engine::create();
  e.register_("range", std::make_shared<Range>(log));
  EXPECT_EQ(e.sum_all("range", "1,5"), 10);
  EXPECT_EQ(log.filter_min, std::numeric_limits<std::int64_t>::min());
}

TEST(Interfaces, E1_ANullSourceIsRefusedBeforeC) {
  auto e = interfaces::Engine::create();
  EXPECT_THROW(e.register_("x", nullptr), std::invalid_argument);
  EXPECT_THROW(e.register_("x", std::unique_ptr<interfaces::Source>()), std::invalid_argument);
  try {
    (void)e.sum("x", "", 0, 0);
    FAIL() << "nothing was registered";
  } catch (const interfaces::Error& error) {
    EXPECT_EQ(error.code(), INTERFACES_NOT_FOUND);
  }
}

TEST(Interfaces, E2_AnUnknownSourceIsTheLibrarysError) {
  auto e = interfaces::Engine::create();
  try {
    (void)e.sum("nothing", "", 0, 0);
    FAIL() << "no such source";
  } catch (const interfaces::Error& error) {
    EXPECT_EQ(error.code(), INTERFACES_NOT_FOUND);
    EXPECT_STREQ(error.what(), "no such source");
  }
}

TEST(Interfaces, E3_AClosedEngineRefusesEveryCall) {
  Log log;
  auto e = interfaces::Engine::create();
  e.close();
  EXPECT_THROW(e.register_("range", std::make_shared<Range>(log)), bindery::use_after_close);
  EXPECT_THROW((void)e.sum("range", "1,5", 0, 0), bindery::use_after_close);
}

}  // namespace
