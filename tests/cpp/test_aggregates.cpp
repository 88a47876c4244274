// tests/fixtures/aggregates/SPEC.md through the generated C++ API: an interface made of a
// function's parameters (step, final), whose object lives in a per-group slot. The application
// derives from aggregates::Aggregate and registers a factory (bindery::object_factory<Aggregate>,
// a std::function returning std::unique_ptr); the binding calls it on a group's first call and
// deletes the object after `final` (docs/adr/cpp-interfaces.md).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aggregates.hpp"

namespace {

struct Log {
  int made = 0;   // factory calls
  int alive = 0;  // Sum objects alive
  int finals = 0;
  std::vector<char> keys;  // what step saw as the group's key
  bool step_throws_on_negative = false, final_throws = false, factory_throws = false, factory_makes_none = false;
};

class Sum : public aggregates::Aggregate {
 public:
  explicit Sum(Log& log) : log_(log) { ++log_.alive; }
  ~Sum() override { --log_.alive; }
  void step(aggregates::Context context, std::int64_t value) override {
    log_.keys.push_back(context.key());
    if (log_.step_throws_on_negative && value < 0) throw std::domain_error("negative value");
    total_ += value;
  }
  void final(aggregates::Context context) override {
    ++log_.finals;
    if (log_.final_throws) throw std::runtime_error("final failed");
    context.result_int(total_);
  }

 private:
  Log& log_;
  std::int64_t total_ = 0;
};

bindery::object_factory<aggregates::Aggregate> sums(Log& log) {
  return [&log]() -> std::unique_ptr<aggregates::Aggregate> {
    ++log.made;
    if (log.factory_throws) throw std::length_error("no more sums");
    if (log.factory_makes_none) return nullptr;
    return std::make_unique<Sum>(log);
  };
}

void expect_released(const Log& log) {
  EXPECT_EQ(log.alive, 0);
  EXPECT_EQ(aggregates::live_states(), 0);
}

TEST(Aggregates, A1_A2_A3_OneObjectPerGroup) {
  Log log;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  EXPECT_EQ(e.run("sum", "a:1,b:5,a:2"), "a=3,b=5");
  EXPECT_EQ(log.made, 2) << "A1: one object per group";
  EXPECT_EQ(log.keys, (std::vector<char>{'a', 'b', 'a'})) << "A2";
  expect_released(log);  // A3
}

TEST(Aggregates, A4_NoRowsNoObjects) {
  Log log;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  EXPECT_EQ(e.run("sum", ""), "");
  EXPECT_EQ(log.made, 0);
}

TEST(Aggregates, A5_AnExceptionInStepLeavesRunAndFinalStillRuns) {
  Log log;
  log.step_throws_on_negative = true;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  try {
    (void)e.run("sum", "a:1,b:-5,a:2");
    FAIL() << "step's exception must leave run()";
  } catch (const std::domain_error& error) {  // the very exception, not aggregates::Error
    EXPECT_STREQ(error.what(), "negative value");
  }
  EXPECT_EQ(e.errmsg(), "negative value") << "through error_call";
  EXPECT_EQ(log.finals, 2) << "final ran for both groups";
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error());
  expect_released(log);
}

TEST(Aggregates, A6_AnExceptionInFinal) {
  Log log;
  log.final_throws = true;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  EXPECT_THROW((void)e.run("sum", "a:1,b:2"), std::runtime_error);
  expect_released(log);
}

TEST(Aggregates, A7_AnExceptionInTheFactory) {
  Log log;
  log.factory_throws = true;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  EXPECT_THROW((void)e.run("sum", "a:1"), std::length_error);
  expect_released(log);
}

TEST(Aggregates, A8_TheFactoryMustMakeAnObject) {
  Log log;
  log.factory_makes_none = true;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  try {
    (void)e.run("sum", "a:1");
    FAIL() << "a null std::unique_ptr must be refused";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("returned no object"), std::string::npos) << error.what();
  }
  expect_released(log);
}

TEST(Aggregates, A9_TheContextIsNonOwningAndLentForTheCall) {
  // C++ cannot refuse a Context kept past the call (documented, like every view): it owns nothing.
  static_assert(std::is_trivially_destructible_v<aggregates::Context>);
  static_assert(!std::is_constructible_v<aggregates::Context>, "made by the binding from the library's pointer");
  SUCCEED();
}

TEST(Aggregates, A10_ReplacingAndClosingReleaseTheFactories) {
  Log log;
  auto e = aggregates::Engine::create();
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> first = token;
  e.register_("sum", [&log, token]() -> std::unique_ptr<aggregates::Aggregate> { return std::make_unique<Sum>(log); });
  token = std::make_shared<int>(2);
  std::weak_ptr<int> other = token;
  EXPECT_FALSE(first.expired()) << "the engine keeps the factory";
  e.register_("sum", [&log, token]() -> std::unique_ptr<aggregates::Aggregate> { return std::make_unique<Sum>(log); });
  token.reset();
  EXPECT_TRUE(first.expired()) << "replaced: the first factory released";
  EXPECT_EQ(e.run("sum", "a:4"), "a=4");
  EXPECT_FALSE(other.expired());
  e.close();
  EXPECT_TRUE(other.expired()) << "close() released the other";
}

TEST(Aggregates, A11_ManyRunsKeepNothing) {
  Log log;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(e.run("sum", "a:1,b:2,c:3"), "a=1,b=2,c=3");
  EXPECT_EQ(log.made, 6000);
  expect_released(log);
}

TEST(Aggregates, E1_AnEmptyFactoryIsRefusedBeforeC) {
  auto e = aggregates::Engine::create();
  EXPECT_THROW(e.register_("x", nullptr), std::invalid_argument);
  EXPECT_THROW((void)e.run("x", "a:1"), aggregates::Error);
}

TEST(Aggregates, E2_E3_TheLibrarysErrors) {
  Log log;
  auto e = aggregates::Engine::create();
  e.register_("sum", sums(log));
  try {
    (void)e.run("nothing", "a:1");
    FAIL();
  } catch (const aggregates::Error& error) {
    EXPECT_STREQ(error.what(), "no such aggregate");
  }
  try {
    (void)e.run("sum", "a:1,B:2");
    FAIL();
  } catch (const aggregates::Error& error) {
    EXPECT_STREQ(error.what(), "malformed rows");
  }
  EXPECT_EQ(log.finals, 1) << "final of group a ran";
  expect_released(log);
}

}  // namespace
