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

}  // namespace
}  // namespace bindery::test
