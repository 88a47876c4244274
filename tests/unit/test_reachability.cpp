// The coverage report's reachability: a bound method whose handle no bound function hands out is
// reported as unreachable, never counted silently.
#include <gtest/gtest.h>

#include "bindery/cli/reachability.hpp"
#include "bindery/ir/lower.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

TEST(Reachability, MethodsOfAHandleNothingHandsOutAreUnreachable) {
  TempDir dir;
  Diagnostics diags;
  ir::Module m = lower_snippet(dir, R"Y(
typedef struct lib_db lib_db;
typedef struct lib_row lib_row;
typedef struct lib_ctx lib_ctx;
typedef struct lib_arg lib_arg;
typedef void (*lib_each_fn)(void *ud, lib_row *row);
lib_db *lib_open(void);
void lib_close(lib_db *db);
void lib_each(lib_db *db, lib_each_fn fn, void *ud);
int lib_row_id(lib_row *row);
void lib_ctx_set(lib_ctx *ctx, int v);
lib_arg *lib_ctx_arg(lib_ctx *ctx);
int lib_arg_value(lib_arg *arg);
)Y", R"Y(types:
  lib_db: {kind: handle, destroy: lib_close, name: Db}
  lib_row: {kind: opaque_borrowed, name: Row}
  lib_ctx: {kind: opaque_borrowed, name: Ctx}
  lib_arg: {kind: opaque_borrowed, name: Arg}
functions:
  lib_open: {role: constructor, returns: {own: full, nullable: false}}
  lib_each: {params: {fn: {callback: {scope: call, user_data: ud}}}}
  lib_ctx_arg: {returns: {own: borrow, nullable: false}}
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  auto unreachable = cli::unreachable_functions(m);
  EXPECT_EQ(unreachable.count("lib_open"), 0u);
  EXPECT_EQ(unreachable.count("lib_each"), 0u);
  EXPECT_EQ(unreachable.count("lib_row_id"), 0u);  // a Row arrives as a callback argument
  EXPECT_EQ(unreachable["lib_ctx_set"], "Ctx");
  EXPECT_EQ(unreachable["lib_ctx_arg"], "Ctx");
  EXPECT_EQ(unreachable["lib_arg_value"], "Arg");  // only an unreachable function gives an Arg
  EXPECT_EQ(unreachable.size(), 3u);
}

}  // namespace
}  // namespace bindery::test
