// The C frontend: what libclang reports, read into plain declarations.
#include <gtest/gtest.h>

#include "bindery/frontend/c_frontend.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

using frontend::CType;

frontend::TranslationUnit parse(const TempDir& dir, const std::string& header, Diagnostics& diags) {
  frontend::ParseOptions options;
  options.headers = {dir.write("lib.h", header).string()};
  options.annotate_include_dir = (source_dir() / "include").string();
  return frontend::parse_c_headers(options, diags);
}

TEST(Frontend, ReadsFunctionsWithTypesNamesAndDocs) {
  TempDir dir;
  Diagnostics diags;
  auto tu = parse(dir, R"Y(
#include <stddef.h>
#include <stdint.h>
typedef struct lib_thing lib_thing_t;
/** Makes a thing. */
lib_thing_t *lib_new(const char *name, size_t n);
/// Counts.
uint16_t lib_count(const lib_thing_t *t, int8_t *out, double values[4]);
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(tu.functions.size(), 2u);
  const auto& made = tu.functions[0];
  EXPECT_EQ(made.name, "lib_new");
  EXPECT_EQ(made.doc, "Makes a thing.");
  EXPECT_EQ(made.signature.result.kind, CType::Kind::Pointer);
  EXPECT_EQ(made.signature.result.element->names.front(), "lib_thing_t");
  EXPECT_EQ(made.signature.params[0].name, "name");
  EXPECT_TRUE(made.signature.params[0].type.element->is_const);
  EXPECT_TRUE(made.signature.params[0].type.element->is_plain_char);
  EXPECT_EQ(made.signature.params[1].type.kind, CType::Kind::Int);
  EXPECT_EQ(made.signature.params[1].type.bits, 64);
  EXPECT_FALSE(made.signature.params[1].type.is_signed);
  const auto& count = tu.functions[1];
  EXPECT_EQ(count.doc, "Counts.");
  EXPECT_EQ(count.signature.result.bits, 16);
  EXPECT_EQ(count.signature.params[1].type.element->bits, 8);
  EXPECT_TRUE(count.signature.params[1].type.element->is_signed);
  EXPECT_EQ(count.signature.params[2].type.kind, CType::Kind::Array);
  EXPECT_EQ(count.signature.params[2].type.array_size, 4);
  const auto* record = tu.find_record("lib_thing_t");
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->complete);
  EXPECT_NE(tu.find_record("struct lib_thing"), nullptr);
}

TEST(Frontend, ReadsRecordsEnumsMacrosAndSkipsSystemDeclarations) {
  TempDir dir;
  Diagnostics diags;
  auto tu = parse(dir, R"Y(
#include <stdio.h>
#define LIB_MAX 42
#define LIB_NAME "lib"
#define LIB_MASK (LIB_MAX | 0x100)
#define LIB_GUARD
typedef struct lib_point { int x; /**< across */ double y; } lib_point;
typedef enum { LIB_RED = 1, LIB_GREEN = -4 } lib_colour;
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(tu.find_function("printf"), nullptr) << "system declarations are not the library's";
  const auto* point = tu.find_record("lib_point");
  ASSERT_NE(point, nullptr);
  ASSERT_EQ(point->fields.size(), 2u);
  EXPECT_EQ(point->fields[0].name, "x");
  EXPECT_EQ(point->fields[0].doc, "across");
  const auto* colour = tu.find_enum("lib_colour");
  ASSERT_NE(colour, nullptr);
  ASSERT_EQ(colour->constants.size(), 2u);
  EXPECT_EQ(colour->constants[1].value, -4);
  ASSERT_NE(tu.find_macro("LIB_MAX"), nullptr);
  EXPECT_EQ(tu.find_macro("LIB_MAX")->int_value, 42);
  EXPECT_EQ(tu.find_macro("LIB_MASK")->int_value, 42 | 0x100);
  ASSERT_NE(tu.find_macro("LIB_NAME"), nullptr);
  EXPECT_EQ(tu.find_macro("LIB_NAME")->kind, frontend::MacroConstant::Kind::String);
  EXPECT_EQ(tu.find_macro("LIB_NAME")->string_value, "lib");
  EXPECT_EQ(tu.find_macro("LIB_GUARD"), nullptr);
  EXPECT_TRUE(tu.declares("EOF")) << "expressions may use system macros";
}

TEST(Frontend, ImportsAttributesAndAnnotations) {
  TempDir dir;
  Diagnostics diags;
  auto tu = parse(dir, R"Y(
#include <stddef.h>
#include <bindery/annotate.h>
__attribute__((warn_unused_result, returns_nonnull)) void *lib_make(size_t n);
__attribute__((nonnull(1), access(read_only, 1, 2))) int lib_sum(const int *v, size_t n);
int lib_maybe(const char *_Nullable s, int *_Nonnull out BINDERY(dir: out));
__attribute__((deprecated("use lib_sum"))) int lib_old(void) BINDERY(role: free);
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  const auto* make = tu.find_function("lib_make");
  EXPECT_TRUE(make->attributes.warn_unused_result);
  EXPECT_TRUE(make->attributes.returns_nonnull);
  const auto* sum = tu.find_function("lib_sum");
  EXPECT_EQ(sum->attributes.nonnull, std::vector<int>{1});
  ASSERT_EQ(sum->attributes.access.size(), 1u);
  EXPECT_EQ(sum->attributes.access[0].mode, "read_only");
  EXPECT_EQ(sum->attributes.access[0].size_index, 2);
  const auto* maybe = tu.find_function("lib_maybe");
  EXPECT_EQ(maybe->signature.params[0].type.nullability, CType::Nullability::Nullable);
  EXPECT_EQ(maybe->signature.params[1].type.nullability, CType::Nullability::NonNull);
  ASSERT_EQ(maybe->signature.params[1].attributes.annotations.size(), 1u);
  EXPECT_EQ(maybe->signature.params[1].attributes.annotations[0].first, "dir: out");
  const auto* old = tu.find_function("lib_old");
  ASSERT_TRUE(old->attributes.deprecated.has_value());
  EXPECT_EQ(*old->attributes.deprecated, "use lib_sum");
  ASSERT_EQ(old->attributes.annotations.size(), 1u);
}

TEST(Frontend, SyntaxErrorInAHeaderIsADiagnosticWithLocation) {
  TempDir dir;
  Diagnostics diags;
  EXPECT_THROW(parse(dir, "int lib_f(int x;\n", diags), FatalError);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_NE(messages(diags).find("lib.h:1:"), std::string::npos) << messages(diags);
}

TEST(Frontend, MissingHeaderIsADiagnostic) {
  Diagnostics diags;
  frontend::ParseOptions options;
  options.headers = {"/nonexistent/lib.h"};
  EXPECT_THROW(frontend::parse_c_headers(options, diags), FatalError);
  EXPECT_NE(messages(diags).find("header not found"), std::string::npos);
}

}  // namespace
}  // namespace bindery::test
