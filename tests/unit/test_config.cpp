// bindery.yaml: shape errors point at the line and column, with a hint.
#include <gtest/gtest.h>

#include "bindery/config/config.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

TEST(Config, LoadsEveryTopLevelKeyAndResolvesPaths) {
  TempDir dir;
  dir.write("include/lib.h", "int lib_f(void);\n");
  auto file = dir.write("bindery.yaml", R"Y(bindery: 1
library: lib
headers: [include/lib.h]
include_dirs: [include]
sources: [src/lib.c]
link: [m]
defines: [X=1]
prefix_strip: lib_
cxx_namespace: libns
types: {lib_t: {kind: handle, destroy: lib_free}}
results: {rc: {type: int, ok: [LIB_OK], message: "lib_error(${self})"}}
enums: {Mode: {from_macros: "LIB_MODE_*", flags: true}}
constants: {LIB_TWICE: "2 * LIB_MAX"}
rules: [{match: "lib_get_*", role: getter}]
functions: {lib_open: {role: constructor, of: lib_t}}
)Y");
  Diagnostics diags;
  config::Config c = config::load_config(file, diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(c.headers, std::vector<std::string>{(dir.path() / "include/lib.h").string()});
  EXPECT_EQ(c.sources, std::vector<std::string>{(dir.path() / "src/lib.c").string()});
  EXPECT_EQ(c.cxx_namespace, "libns");
  ASSERT_EQ(c.types.size(), 1u);
  EXPECT_EQ(*c.types[0].destroy, "lib_free");
  ASSERT_EQ(c.conventions.size(), 1u);
  EXPECT_EQ(c.conventions[0].message, "lib_error(${self})");
  ASSERT_EQ(c.enums.size(), 1u);
  EXPECT_TRUE(c.enums[0].flags);
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0].pattern, "lib_get_*");
  ASSERT_EQ(c.functions.size(), 1u);
  EXPECT_EQ(*c.functions[0].second.role, "constructor");
}

TEST(Config, UnknownKeyGivesLineColumnAndTheClosestKey) {
  TempDir dir;
  auto file = dir.write("bindery.yaml", "bindery: 1\nlibrary: lib\nheaders: [lib.h]\nfunctions:\n  f: {rol: method}\n");
  Diagnostics diags;
  config::load_config(file, diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("bindery.yaml:5:7: error: unknown key 'rol' in a function's annotations"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'role'?"), std::string::npos) << text;
}

TEST(Config, MissingHeaderPointsAtTheHeadersLine) {
  TempDir dir;
  auto file = dir.write("bindery.yaml", "bindery: 1\nlibrary: lib\nheaders: [nope.h]\n");
  Diagnostics diags;
  config::load_config(file, diags);
  EXPECT_NE(messages(diags).find("bindery.yaml:3:10: error: header 'nope.h' not found"), std::string::npos) << messages(diags);
}

TEST(Config, MalformedYamlIsFatalWithPosition) {
  TempDir dir;
  auto file = dir.write("bindery.yaml", "bindery: 1\nheaders: [a.h\n");
  Diagnostics diags;
  EXPECT_THROW(config::load_config(file, diags), FatalError);
  EXPECT_NE(messages(diags).find("malformed YAML"), std::string::npos);
}

TEST(Config, MissingRequiredKeysAreReported) {
  TempDir dir;
  auto file = dir.write("bindery.yaml", "bindery: 2\n");
  Diagnostics diags;
  config::load_config(file, diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("unsupported format version '2'"), std::string::npos) << text;
  EXPECT_NE(text.find("missing 'library:'"), std::string::npos) << text;
  EXPECT_NE(text.find("missing 'headers:'"), std::string::npos) << text;
}

TEST(Config, ContradictionsInOneEntryAreReported) {
  TempDir dir;
  auto file = dir.write("bindery.yaml", R"Y(bindery: 1
library: lib
headers: [lib.h]
types: {t: {name: A, cxx_name: B}}
enums: {E: {from_macros: "X_*", c_enum: x}}
results: {r: {type: int}}
functions: {f: {result: {convention: r, kind: value}}}
)Y");
  Diagnostics diags;
  config::load_config(file, diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("both 'name' and 'cxx_name'"), std::string::npos) << text;
  EXPECT_NE(text.find("exactly one of from_macros or c_enum"), std::string::npos) << text;
  EXPECT_NE(text.find("says nothing about success"), std::string::npos) << text;
  EXPECT_NE(text.find("both 'convention' and 'kind'"), std::string::npos) << text;
}

TEST(Config, AnnotationTextIsAFlowMapping) {
  Diagnostics diags;
  YAML::Node n = config::parse_annotation_text("returns: {own: borrow, from: t}, role: method", {"h.h", 3, 4}, diags);
  ASSERT_TRUE(n);
  EXPECT_EQ(n["returns"]["from"].Scalar(), "t");
  config::parse_annotation_text("returns: {own: ", {"h.h", 3, 4}, diags);
  EXPECT_NE(messages(diags).find("h.h:3:4: error: malformed BINDERY(...) annotation"), std::string::npos);
}

}  // namespace
}  // namespace bindery::test
