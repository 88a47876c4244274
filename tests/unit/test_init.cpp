// `bindery init`: the proposal is valid bindery.yaml, marks its guesses, and binds the seed.
#include <gtest/gtest.h>

#include "bindery/infer/init.hpp"
#include "bindery/ir/lower.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

TEST(Init, ProposesHandlesPairsAndFamiliesMarkedForReview) {
  TempDir dir;
  dir.write("lib.h", R"Y(
#include <stddef.h>
#define LIB_OK 0
typedef struct lib_box lib_box;
lib_box *lib_box_new(void);
void lib_box_free(lib_box *b);
int lib_box_put(lib_box *b, const void *data, size_t len);
int lib_box_take(lib_box *b, int index, double *value);
const char *lib_box_name(const lib_box *b);
int lib_box_dump(const lib_box *b, char **out, size_t *out_len);
void lib_free(void *p);
)Y");
  Diagnostics diags;
  std::string yaml = infer::write_starting_config({(dir.path() / "lib.h").string()}, {}, "lib", dir.path() / "bindery.yaml", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_NE(yaml.find("lib_box: {kind: handle, destroy: lib_box_free}  # review:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("data: {size: len, string: bytes}  # review:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("role: constructor  # review:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("value: {dir: out}  # review:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("out: {dir: out, own: full, free: lib_free, length: {out: out_len}}  # review:"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("out_len: {dir: out}"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("status: {type: int, ok: [LIB_OK]}"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("match: \"{lib_box_put,lib_box_take,lib_box_dump}\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("headers: [lib.h]"), std::string::npos) << yaml;
  // The proposal loads and lowers cleanly.
  auto file = dir.write("bindery.yaml", yaml);
  config::Config config = config::load_config(file, diags);
  ir::Module m = ir::load_module(config, diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(m.functions.size(), 6u);
  ASSERT_EQ(m.unbound.size(), 1u);  // lib_free, skipped: the bindings call it
  EXPECT_EQ(m.unbound[0].kind, ir::Unbound::Kind::Skipped);
}

TEST(Init, GuessesStatusesCallbacksOutputsAndPointerTypedefsConservatively) {
  TempDir dir;
  dir.write("lib.h", R"Y(
#define LIB_OK 0
typedef struct lib_db lib_db;
typedef struct lib_stmt lib_stmt;
typedef struct lib_file_s *lib_file;
struct lib_file_s { int fd; };
/** Opens a database. Returns LIB_OK or an error code. */
int lib_open(const char *path, lib_db **out);
void lib_close(lib_db *db);
/** Prepares a statement. Returns LIB_OK on success. */
int lib_prepare(lib_db *db, const char *sql, lib_stmt **stmt);
int lib_prepare_v2(lib_db *db, const char *sql, lib_stmt **stmt);
void lib_finalize(lib_stmt *s);
/** Returns the number of rows changed. */
int lib_changes(lib_db *db);
int lib_column_count(lib_stmt *s);
lib_db *lib_stmt_db(lib_stmt *s);
int lib_create_function(lib_db *db, const char *name, int nArg);
typedef void (*lib_hook)(void *);
typedef int (*lib_cmp)(void *, int, const void *, int, const void *);
int lib_set_hook(lib_db *db, lib_hook hook, void *arg);
int lib_collation(lib_db *db, const char *name, void *arg, lib_cmp cmp, void (*destroy)(void *));
lib_file lib_fopen(const char *path);
int lib_bind_value(lib_stmt *s, int index, void *value, const char *type, void (*release)(void *));
void lib_set_aux(lib_stmt *s, int, void *, void (*)(void *));
void *lib_get_aux(lib_stmt *s, int n);
int lib_fclose(lib_file f);
const char *lib_version(void);
)Y");
  Diagnostics diags;
  std::string yaml = infer::write_starting_config({(dir.path() / "lib.h").string()}, {}, "lib", dir.path() / "bindery.yaml", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  auto has = [&](const std::string& text) { return yaml.find(text) != std::string::npos; };
  // Statuses: documented with the OK code (or in a documented group), never a count or a getter.
  EXPECT_TRUE(has("match: \"{lib_open,lib_prepare,lib_prepare_v2}\"")) << yaml;
  EXPECT_FALSE(has("lib_changes,")) << yaml;
  EXPECT_FALSE(has("lib_column_count,")) << yaml;
  // An output handle of a function that is not its constructor, and a returned handle.
  EXPECT_TRUE(has("stmt: {dir: out, own: full}  # review:")) << yaml;
  EXPECT_TRUE(has("lib_stmt_db:\n    returns: {own: borrow, from: $0, nullable: absent}  # review:")) << yaml;
  // A count next to a string is not its length.
  EXPECT_FALSE(has("name: {size: nArg")) << yaml;
  // Callbacks: forever (never freed under the library) unless a destroy-notify says when.
  EXPECT_TRUE(has("hook: {callback: {scope: forever, user_data: arg}, nullable: true}  # review:")) << yaml;
  EXPECT_TRUE(has("cmp: {callback: {scope: notified, user_data: arg, destroy: destroy}, nullable: true}  # review:")) << yaml;
  // A value the library keeps until it calls a release (a host value), named or by position, and
  // a plain `void *` getter once the library keeps such values; a callback's user data after its
  // function pointer stays a callback (hook above).
  EXPECT_TRUE(has("value: {host_value: true, release: release}  # review:")) << yaml;
  EXPECT_TRUE(has("$2: {host_value: true, release: $3}  # review:")) << yaml;
  EXPECT_TRUE(has("lib_get_aux:\n    returns: {host_value: true}  # review:")) << yaml;
  // A pointer typedef to a struct is a handle; text with no owner is static.
  EXPECT_TRUE(has("lib_file: {kind: handle, destroy: lib_fclose}  # review:")) << yaml;
  EXPECT_TRUE(has("lib_version:\n    returns: {own: static}  # review:")) << yaml;
  // The proposal loads and lowers cleanly.
  auto file = dir.write("bindery.yaml", yaml);
  config::Config config = config::load_config(file, diags);
  ir::Module m = ir::load_module(config, diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_NE(m.find_function("lib_fopen"), nullptr);
  EXPECT_NE(m.find_function("lib_prepare"), nullptr);
}

}  // namespace
}  // namespace bindery::test
