// tests/fixtures/functions/SPEC.md through the generated C++ API: a function registered by name
// and called later (SQLite's create_function_v2 shape). The callable gets the Call and a
// bindery::borrowed_handles<Arg> range, both valid only while it runs; the user data it needs is
// found through functions_call_user_data (the IR's user_data_from), never passed by C.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "functions.hpp"

namespace {

using Fn = std::function<void(functions::Call, bindery::borrowed_handles<functions::Arg>)>;

/// `f(call, args)`: sets the sum of the arguments (plus `offset`), counting what it received.
struct Summer {
  std::int64_t offset = 0;
  std::shared_ptr<std::vector<std::size_t>> arg_counts = std::make_shared<std::vector<std::size_t>>();
  void operator()(functions::Call call, bindery::borrowed_handles<functions::Arg> args) const {
    std::int64_t sum = offset;
    for (functions::Arg a : args) sum += a.value();
    arg_counts->push_back(args.size());
    call.set_result(sum);
  }
};

const std::vector<std::int64_t> one_two_39 = {1, 2, 39};

TEST(Functions, F1_F2_SumOfBorrowedArguments) {
  const int live = functions::live_registrations();
  auto r = functions::Registry::create();
  Summer f;
  EXPECT_EQ(r.define("sum", f), 0);
  EXPECT_EQ(r.call("sum", one_two_39), 42);
  EXPECT_EQ(*f.arg_counts, (std::vector<std::size_t>{3}));
  EXPECT_EQ(r.call("sum", {}), 0) << "no arguments: an empty range";
  EXPECT_EQ(r.call("nope", std::vector<std::int64_t>{1}), -1);
  EXPECT_EQ(functions::live_registrations(), live + 1);
}

TEST(Functions, F1_ArgumentsByIndexAndRange) {
  auto r = functions::Registry::create();
  std::vector<std::int64_t> seen;
  r.define("record", [&](functions::Call call, bindery::borrowed_handles<functions::Arg> args) {
    ASSERT_FALSE(args.empty());
    for (std::size_t i = 0; i < args.size(); ++i) seen.push_back(args[i].value());
    call.set_result(static_cast<std::int64_t>(args.size()));
  });
  EXPECT_EQ(r.call("record", std::vector<std::int64_t>{7, 8}), 2);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{7, 8}));
}

TEST(Functions, F3_F4_CapturedStateAndKeptAlive) {
  const int live = functions::live_registrations();
  auto r = functions::Registry::create();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  r.define("sum", [token](functions::Call call, bindery::borrowed_handles<functions::Arg> args) {
    call.set_result(100 + args[0].value() + *token);
  });
  token.reset();
  EXPECT_FALSE(alive.expired()) << "kept by the registry while registered";
  EXPECT_EQ(r.call("sum", std::vector<std::int64_t>{1}), 101) << "the user data found through the call";
  EXPECT_EQ(functions::live_registrations(), live + 1);
}

TEST(Functions, F5_F6_ReplacedThenRemovedReleasesEach) {
  const int live = functions::live_registrations();
  auto r = functions::Registry::create();
  auto f_token = std::make_shared<int>(1), g_token = std::make_shared<int>(2);
  std::weak_ptr<int> f_alive = f_token, g_alive = g_token;
  r.define("sum", [f_token](functions::Call call, bindery::borrowed_handles<functions::Arg>) { call.set_result(*f_token); });
  r.define("sum", [g_token](functions::Call call, bindery::borrowed_handles<functions::Arg> args) {
    call.set_result(*g_token * args[0].value());
  });
  f_token.reset();
  g_token.reset();
  EXPECT_TRUE(f_alive.expired()) << "replaced: its destroy-notify ran";
  EXPECT_EQ(r.call("sum", std::vector<std::int64_t>{2}), 4) << "only g";
  EXPECT_EQ(functions::live_registrations(), live + 1);
  EXPECT_EQ(r.define("sum", Fn()), 0) << "an empty callable removes it";
  EXPECT_TRUE(g_alive.expired());
  EXPECT_EQ(r.call("sum", std::vector<std::int64_t>{1}), -1);
  EXPECT_EQ(functions::live_registrations(), live);
}

TEST(Functions, F7_ClosingTheRegistryReleasesItsFunctions) {
  const int live = functions::live_registrations();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  {
    auto r = functions::Registry::create();
    r.define("x", [token](functions::Call, bindery::borrowed_handles<functions::Arg>) {});
    token.reset();
    auto moved = std::move(r);
    EXPECT_FALSE(alive.expired());
    moved.close();
    EXPECT_TRUE(alive.expired());
  }
  auto token2 = std::make_shared<int>(0);
  std::weak_ptr<int> alive2 = token2;
  {
    auto r = functions::Registry::create();
    r.define("x", [token2](functions::Call, bindery::borrowed_handles<functions::Arg>) {});
    token2.reset();
  }  // the destructor too
  EXPECT_TRUE(alive2.expired());
  EXPECT_EQ(functions::live_registrations(), live);
}

TEST(Functions, F8_HandlesAreNonOwningAndLentForTheCall) {
  // C++ cannot refuse a Ref kept past the call (a documented rule, like every view): the types say
  // it — Call and Arg never destroy anything, the range owns nothing.
  static_assert(std::is_trivially_destructible_v<functions::Call>);
  static_assert(std::is_trivially_destructible_v<functions::Arg>);
  static_assert(std::is_trivially_destructible_v<bindery::borrowed_handles<functions::Arg>>);
  static_assert(!std::is_constructible_v<bindery::borrowed_handles<functions::Arg>>, "made by the binding only");
}

TEST(Functions, E1_AnExceptionReachesTheCallerOfCall) {
  auto r = functions::Registry::create();
  int calls = 0;
  r.define("boom", [&](functions::Call, bindery::borrowed_handles<functions::Arg>) {
    ++calls;
    throw std::runtime_error("boom");
  });
  try {
    (void)r.call("boom", std::vector<std::int64_t>{1});
    FAIL() << "the exception must leave call()";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_EQ(calls, 1);
  EXPECT_NO_THROW(bindery::rethrow_pending_callback_error()) << "nothing left pending";
  EXPECT_EQ(r.call("nope", {}), -1);
}

TEST(Functions, E2_AFailedDefinitionReleasesTheCallableAtOnce) {
  const int live = functions::live_registrations();
  auto r = functions::Registry::create();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> alive = token;
  EXPECT_EQ(r.define("", [token](functions::Call, bindery::borrowed_handles<functions::Arg>) {}), -1);
  token.reset();
  EXPECT_TRUE(alive.expired()) << "the library ran the destroy-notify at once; the binding did not keep it";
  EXPECT_EQ(functions::live_registrations(), live);
}

TEST(Functions, E3_TypesRefuseWrongArguments) {
  static_assert(!std::is_invocable_v<decltype(&functions::Registry::define), functions::Registry&, const char*, int>,
                "not callable");
  static_assert(!std::is_invocable_v<decltype(&functions::Registry::call), functions::Registry&, const char*, std::nullptr_t>,
                "no NULL argument list");
}

}  // namespace
