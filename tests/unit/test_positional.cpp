// `$N` placeholders in bindery.yaml's C expressions, named by each backend its own way.
#include <gtest/gtest.h>

#include "bindery/support/positional.hpp"

namespace bindery::test {
namespace {

TEST(Positional, EveryPlaceholderIsReplacedAndTheRestKept) {
  auto name = [](size_t n) { return "arg" + std::to_string(n); };
  EXPECT_EQ(substitute_positions("sqlite3_user_data($0)", name), "sqlite3_user_data(arg0)");
  EXPECT_EQ(substitute_positions("f($12, $3) + $", name), "f(arg12, arg3) + $");
  EXPECT_EQ(substitute_positions("no placeholders", name), "no placeholders");
}

}  // namespace
}  // namespace bindery::test
