// Lowering: every pointer classified, or listed as needing annotation with a suggestion.
#include <gtest/gtest.h>

#include <algorithm>

#include "bindery/ir/lower.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

using namespace bindery::ir;

const Function& fn(const Module& m, const std::string& c_name) {
  const Function* f = m.find_function(c_name);
  if (!f) throw std::runtime_error(c_name + " is not bound");
  return *f;
}

const Unbound* unbound(const Module& m, const std::string& c_name) {
  for (const auto& u : m.unbound)
    if (u.c_name == c_name) return &u;
  return nullptr;
}

TEST(Lowering, TheSeedTarballProtocol) {
  Diagnostics diags;
  config::Config config = config::load_config(source_dir() / "examples/tarball/bindery.yaml", diags);
  Module m = load_module(config, diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(m.handles.size(), 1u);
  EXPECT_EQ(m.handles[0].name, "Tarball");
  EXPECT_EQ(m.handles[0].destroy, "tarball_close");
  const Function& open = fn(m, "tarball_open");
  EXPECT_EQ(open.role, FunctionRole::Constructor);
  EXPECT_EQ(open.class_name, "Tarball");
  EXPECT_EQ(open.result.kind, ResultKind::NullError);
  EXPECT_EQ(open.returns.kind, TypeKind::Handle);
  EXPECT_EQ(open.returns_lifetime.own, Own::Owned);
  EXPECT_EQ(open.params[0].type.kind, TypeKind::Str);
  const Function& data = fn(m, "tarball_file_data");
  EXPECT_EQ(data.name, "file_data");
  EXPECT_EQ(data.role, FunctionRole::Method);
  EXPECT_EQ(data.params[0].role, ParamRole::Self);
  EXPECT_EQ(data.params[2].role, ParamRole::Length);
  EXPECT_EQ(data.params[2].length_of, "return");
  EXPECT_EQ(data.returns.kind, TypeKind::Bytes);
  EXPECT_EQ(data.returns_lifetime.own, Own::Borrowed);
  EXPECT_EQ(data.returns_lifetime.from, "tarball");
  EXPECT_EQ(data.returns_lifetime.null, NullMeaning::Absent);
  EXPECT_EQ(data.returns_length.kind, Length::Kind::OutParam);
  EXPECT_EQ(fn(m, "tarball_close").role, FunctionRole::Destructor);
}

TEST(Lowering, UnclassifiedPointersNeedAnnotationNeverAGuess) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stddef.h>
const char *lib_name(void);
void lib_write(void *buf, size_t n);
void lib_read(const void *buf, size_t n);
int lib_plain(int a);
)Y", "functions: {lib_read: {params: {buf: {size: n}}}}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  const Unbound* name = unbound(m, "lib_name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->kind, Unbound::Kind::NeedsAnnotation);
  EXPECT_NE(name->suggestion.find("own: static"), std::string::npos);
  EXPECT_EQ(name->location.str(), "lib.h:3:13");
  ASSERT_NE(unbound(m, "lib_write"), nullptr);
  EXPECT_NE(unbound(m, "lib_write")->suggestion.find("lib_write: {params: {buf:"), std::string::npos);
  const Function& read = fn(m, "lib_read");
  EXPECT_EQ(read.params[0].type.kind, TypeKind::Bytes);
  EXPECT_EQ(read.params[0].size, "n");
  EXPECT_EQ(read.params[1].role, ParamRole::Length);
  EXPECT_EQ(fn(m, "lib_plain").params[0].type.scalar, Scalar::I32);
}

TEST(Lowering, OutputsWithALengthOutParameter) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stddef.h>
#include <stdint.h>
void lib_free(void *p);
void lib_text(char **out, size_t *out_len);
void lib_doubles(double **out, size_t *n);
void lib_blob(void **out, int *n);
void lib_no_length(double **out);
)Y", R"Y(functions:
  lib_text: {params: {out: {dir: out, own: full, free: lib_free, length: {out: out_len}}}}
  lib_doubles: {params: {out: {dir: out, own: full, free: lib_free, length: {out: n}}}}
  lib_blob: {params: {out: {dir: out, own: full, free: lib_free, length: {out: n}}}}
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  const Function& text = fn(m, "lib_text");
  EXPECT_EQ(text.params[0].role, ParamRole::Output);
  EXPECT_EQ(text.params[0].type.kind, TypeKind::Str);
  EXPECT_EQ(text.params[0].size, "out_len");
  EXPECT_EQ(text.params[1].role, ParamRole::Length);
  EXPECT_EQ(text.params[1].length_of, "out");
  const Function& doubles = fn(m, "lib_doubles");
  EXPECT_EQ(doubles.params[0].type.kind, TypeKind::Slice);
  EXPECT_EQ(doubles.params[0].type.scalar, Scalar::F64);
  EXPECT_EQ(doubles.params[0].lifetime.free, "lib_free");
  EXPECT_EQ(fn(m, "lib_blob").params[0].type.kind, TypeKind::Bytes);
  EXPECT_EQ(fn(m, "lib_blob").params[1].type.scalar, Scalar::I32);
  ASSERT_NE(unbound(m, "lib_no_length"), nullptr);
  EXPECT_NE(unbound(m, "lib_no_length")->suggestion.find("length: {out: COUNT_PARAM}"), std::string::npos);
}

TEST(Lowering, AnOutputLengthMustBeAnOutPointer) {
  TempDir dir;
  Diagnostics diags;
  lower_snippet(dir, R"Y(
#include <stddef.h>
void lib_free(void *p);
void lib_a(char **out, size_t n);
void lib_b(char **out, size_t *n);
void lib_c(char **out, size_t *n);
)Y", R"Y(functions:
  lib_a: {params: {out: {dir: out, own: full, free: lib_free, length: {out: n}}}}
  lib_b: {params: {out: {dir: out, own: full, free: lib_free, length: {expr: "*n"}}}}
  lib_c: {params: {out: {dir: out, own: full, free: lib_free, length: {out: count}}}}
)Y", diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("'n' receives a length, so it must be a pointer"), std::string::npos) << text;
  EXPECT_NE(text.find("'out' is an output: its length can only be length: {out: PARAM}"), std::string::npos) << text;
  EXPECT_NE(text.find("length: {out: count} is not a parameter of 'lib_c'"), std::string::npos) << text;
}

TEST(Lowering, OneCTypeInSeveralRoles) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct stream_t stream_t;
stream_t *rd_open(void);
void rd_close(stream_t *s);
int rd_next(stream_t *s);
stream_t *wr_open(void);
void wr_close(stream_t *s);
void wr_put(stream_t *s, int v);
void wr_copy_from(stream_t *s, stream_t *source);
void other_touch(stream_t *s);
)Y", R"Y(types:
  stream_t:
    roles:
      Reader: {kind: handle, destroy: rd_close, functions: "rd_*"}
      Writer: {kind: handle, destroy: wr_close, functions: "/wr_.*/"}
functions:
  rd_open: {role: constructor, returns: {own: full}}
  wr_open: {role: constructor, returns: {own: full}}
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(m.handles.size(), 2u);
  EXPECT_EQ(m.handles[0].c_name, m.handles[1].c_name);
  EXPECT_EQ(fn(m, "rd_next").class_name, "Reader");
  EXPECT_EQ(fn(m, "rd_open").class_name, "Reader");
  EXPECT_EQ(fn(m, "rd_open").role, FunctionRole::Constructor);
  EXPECT_EQ(fn(m, "wr_put").class_name, "Writer");
  EXPECT_EQ(fn(m, "wr_close").role, FunctionRole::Destructor);
  EXPECT_EQ(fn(m, "wr_copy_from").params[1].type.name, "Writer");
  const Unbound* other = unbound(m, "other_touch");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->kind, Unbound::Kind::NeedsAnnotation);
  EXPECT_NE(other->reason.find("bound as Reader and Writer, and no role claims 'other_touch'"), std::string::npos) << other->reason;
}

TEST(Lowering, MalformedRolesAreErrors) {
  TempDir dir;
  Diagnostics diags;
  lower_snippet(dir, R"Y(
typedef struct stream_t stream_t;
void rd_close(stream_t *s);
)Y", R"Y(types:
  stream_t:
    kind: handle
    roles:
      Reader: {kind: handle, destroy: rd_close}
)Y", diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("type 'stream_t' has roles: 'kind' belongs in each role"), std::string::npos) << text;
  EXPECT_NE(text.find("roles of 'stream_t' map two or more class names"), std::string::npos) << text;
  Diagnostics more;
  lower_snippet(dir, R"Y(
typedef struct stream_t stream_t;
void rd_close(stream_t *s);
void wr_close(stream_t *s);
)Y", R"Y(types:
  stream_t:
    roles:
      Reader: {kind: handle, destroy: rd_close}
      Writer: {kind: handle, destroy: wr_close, functions: "wr_*", size: 3}
)Y", more);
  text = messages(more);
  EXPECT_NE(text.find("role 'Reader' of 'stream_t' claims no functions"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown key 'size'"), std::string::npos) << text;
}

TEST(Lowering, Utf16TextNeedsUntypedOr16BitUnits) {
  TempDir dir;
  Diagnostics diags;
  lower_snippet(dir, R"Y(
#include <stdint.h>
void lib_a(const char *s);
void lib_b(const uint16_t *s);
void lib_c(const char *s);
const uint32_t *lib_d(void);
)Y", R"Y(functions:
  lib_a: {params: {s: {string: utf16}}}
  lib_b: {params: {s: {string: utf16}}}
  lib_c: {params: {s: {string: utf32}}}
  lib_d: {returns: {own: static, string: utf16}}
)Y", diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("'s' is 'const char *': string: utf16 needs a 'const void *' or a pointer to 16-bit units"), std::string::npos) << text;
  EXPECT_EQ(text.find("lib_b"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown string 'utf32'"), std::string::npos) << text;
  EXPECT_NE(text.find("'lib_d' returns 'const uint32_t *': string: utf16 needs"), std::string::npos) << text;
}

TEST(Lowering, NullableCallbackArguments) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef void (*lib_fn)(const char *name, int n, void *ud);
void lib_each(lib_fn fn, void *ud);
void lib_bad(lib_fn fn, void *ud);
)Y", R"Y(functions:
  lib_each: {params: {fn: {callback: {scope: call, user_data: ud, nullable: [name]}}}}
  lib_bad: {params: {fn: {callback: {scope: call, user_data: ud, nullable: [nope, $1]}}}}
)Y", diags);
  const Function& each = fn(m, "lib_each");
  ASSERT_TRUE(each.params[0].callback.has_value());
  EXPECT_TRUE(each.params[0].callback->params[0].nullable);
  EXPECT_FALSE(each.params[0].callback->params[1].nullable);
  std::string text = messages(diags);
  EXPECT_NE(text.find("the callback of 'fn' has no argument 'nope'"), std::string::npos) << text;
  EXPECT_NE(text.find("callback argument '$1' is not a pointer the host sees"), std::string::npos) << text;
}

TEST(Lowering, CallbackBufferArgumentsTakeTheirLengths) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stddef.h>
#include <stdint.h>
typedef int (*lib_cmp)(void *ud, int na, const void *a, int nb, const void *b);
typedef void (*lib_each_fn)(void *ud, const char *s, size_t n, const uint16_t *w, const double *v, int nv);
typedef void (*lib_raw_fn)(void *ud, const void *p, double x, int n);
void lib_sort(lib_cmp cmp, void *ud);
void lib_each(lib_each_fn fn, void *ud);
void lib_bad(lib_raw_fn fn, void *ud);
)Y", R"Y(functions:
  lib_sort: {params: {cmp: {callback: {scope: call, user_data: ud, args: {$2: {length: $1, string: utf8}, b: {length: nb}}}}}}
  lib_each: {params: {fn: {callback: {scope: call, user_data: ud, args: {s: {length: n}, w: {string: utf16}, v: {length: nv}}}}}}
  lib_bad: {params: {fn: {callback: {scope: call, user_data: ud, args: {p: {length: x}, nope: {length: n}, n: {length: p}}}}}}
)Y", diags);
  const auto& cmp = *fn(m, "lib_sort").params[0].callback;
  EXPECT_EQ(cmp.params[1].role, ParamRole::Length);
  EXPECT_EQ(cmp.params[1].length_of, "a");  // `$2` named it by position
  EXPECT_EQ(cmp.params[2].type.kind, TypeKind::Str);
  EXPECT_EQ(cmp.params[2].type.encoding, "utf8");
  EXPECT_EQ(cmp.params[2].size, "na");
  EXPECT_EQ(cmp.params[4].type.kind, TypeKind::Bytes);  // `b` named by the typedef's own name
  EXPECT_EQ(cmp.params[4].size, "nb");
  const auto& each = *fn(m, "lib_each").params[0].callback;
  EXPECT_EQ(each.params[1].type.kind, TypeKind::Str);
  EXPECT_EQ(each.params[2].role, ParamRole::Length);
  EXPECT_EQ(each.params[3].type.encoding, "utf16");
  EXPECT_TRUE(each.params[3].size.empty());  // NUL-terminated UTF-16
  EXPECT_EQ(each.params[4].type.kind, TypeKind::Slice);
  EXPECT_EQ(each.params[4].type.scalar, Scalar::F64);
  EXPECT_EQ(each.params[5].length_of, "v");
  std::string text = messages(diags);
  EXPECT_NE(text.find("length 'x' of callback argument 'p' is not an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("the callback of 'fn' has no argument 'nope'"), std::string::npos) << text;
  EXPECT_NE(text.find("callback argument 'n' of type 'int' is not a pointer"), std::string::npos) << text;
}

TEST(Lowering, CallbacksFindingTheirUserDataThroughACall) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct lib_ctx lib_ctx;
typedef struct lib_val lib_val;
typedef void (*lib_fn)(lib_ctx *ctx, int argc, lib_val **argv);
void *lib_user_data(lib_ctx *ctx);
int lib_define(const char *name, void *app, lib_fn fn, void (*destroy)(void *));
int lib_bad(const char *name, void *app, lib_fn fn);
int lib_orphan(lib_fn fn);
)Y", R"Y(types:
  lib_ctx: {kind: opaque_borrowed, name: Ctx}
  lib_val: {kind: opaque_borrowed, name: Val}
functions:
  lib_user_data: {skip: "the binding's own"}
  lib_define:
    params:
      fn: {callback: {scope: notified, user_data: app, destroy: destroy, user_data_from: "lib_user_data($0)", args: {argv: {length: argc}}}}
  lib_bad:
    params:
      fn: {callback: {scope: forever, user_data: app, user_data_from: "lib_user_data($3)", args: {argv: {length: argc}}}}
  lib_orphan:
    params:
      fn: {callback: {scope: call, user_data_from: "lib_user_data($0)", args: {argv: {length: argc}}}}
)Y", diags);
  const Callback& cb = *fn(m, "lib_define").params[2].callback;
  EXPECT_EQ(cb.user_data_from, "lib_user_data($0)");
  EXPECT_EQ(cb.user_data_index, -1);
  EXPECT_EQ(cb.params[0].type.kind, TypeKind::Handle);
  EXPECT_EQ(cb.params[1].role, ParamRole::Length);
  EXPECT_EQ(cb.params[2].type.kind, TypeKind::Slice);  // an array of borrowed handles
  EXPECT_EQ(cb.params[2].type.name, "Val");
  EXPECT_EQ(cb.params[2].size, "argc");
  std::string text = messages(diags);
  EXPECT_NE(text.find("user_data_from: '$3' names an argument the callback does not have"), std::string::npos) << text;
  EXPECT_NE(text.find("user_data_from: recovers the user data given by user_data:, which is missing"), std::string::npos) << text;
}

TEST(Lowering, AnOutputSaysWhatItsNullMeans) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct lib_obj lib_obj;
void lib_obj_free(lib_obj *o);
int lib_make(const char *spec, lib_obj **out);
int lib_find(const char *spec, lib_obj **out);
)Y", R"Y(types:
  lib_obj: {kind: handle, destroy: lib_obj_free}
functions:
  lib_make: {params: {out: {dir: out, own: full}}}
  lib_find: {params: {out: {dir: out, own: full, nullable: absent}}}
)Y", diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(fn(m, "lib_make").params[1].lifetime.null, NullMeaning::Never);
  EXPECT_EQ(fn(m, "lib_find").params[1].lifetime.null, NullMeaning::Absent);  // SQLite's prepare of an empty text
}

TEST(Lowering, HandlesDeclaredOnPointerTypedefs) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef const char *lib_path;
typedef struct lib_obj *lib_ref;
lib_path lib_path_new(const char *name);
void lib_path_free(lib_path p);
const char *lib_path_name(lib_path p);
int lib_path_dup(lib_path p, lib_path *out);
lib_ref lib_ref_new(void);
void lib_ref_free(lib_ref r);
)Y", R"Y(types:
  lib_path: {kind: handle, destroy: lib_path_free, name: Path}
  lib_ref: {kind: handle, destroy: lib_ref_free}  # named from the typedef: Ref
functions:
  lib_path_new: {role: constructor, returns: {own: full, nullable: false}}
  lib_ref_new: {role: constructor, returns: {own: full, nullable: false}}
  lib_path_name: {returns: {own: borrow, nullable: false}}
  lib_path_dup: {params: {out: {dir: out, own: full}}}
)Y", diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(m.find_handle("Path")->pointer_c_type, "lib_path");
  ASSERT_NE(m.find_handle("Ref"), nullptr);
  EXPECT_EQ(m.find_handle("Ref")->pointer_c_type, "lib_ref");
  EXPECT_EQ(m.find_handle("Ref")->destroy, "lib_ref_free");
  EXPECT_EQ(m.find_handle("Path")->destroy, "lib_path_free");
  EXPECT_EQ(fn(m, "lib_path_new").class_name, "Path");
  EXPECT_EQ(fn(m, "lib_path_new").returns.kind, TypeKind::Handle);  // not text, although it is a const char *
  EXPECT_EQ(fn(m, "lib_path_name").role, FunctionRole::Method);
  EXPECT_EQ(fn(m, "lib_path_name").params[0].role, ParamRole::Self);
  EXPECT_EQ(fn(m, "lib_path_name").returns.kind, TypeKind::Str);
  const Param& out = fn(m, "lib_path_dup").params[1];  // `lib_path *`: an output of a Path
  EXPECT_EQ(out.role, ParamRole::Output);
  EXPECT_EQ(out.type.kind, TypeKind::Handle);
  EXPECT_EQ(out.type.name, "Path");
  EXPECT_EQ(fn(m, "lib_ref_new").class_name, "Ref");
}

TEST(Lowering, SameThreadIsForBlockingFunctions) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
void lib_wait(int ms);
void lib_lock(int id);
)Y", R"Y(functions:
  lib_wait: {blocking: true, same_thread: true}
  lib_lock: {same_thread: true}
)Y", diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("'lib_lock' says same_thread but is not blocking"), std::string::npos) << text;
  EXPECT_TRUE(fn(m, "lib_wait").same_thread);
  EXPECT_TRUE(fn(m, "lib_wait").blocking);
}

TEST(Lowering, PositionsNamesRulesAndPrecedence) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stddef.h>
int lib_get_a(const void *, size_t);
int lib_get_b(const void *, size_t);
)Y", R"Y(rules:
  - match: "/lib_get_(\\w)/"
    names: [data, len]
    params: {$0: {size: len}}
    doc: "gets {1}"
functions:
  lib_get_b: {doc: "overridden", name: fetch_b}
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(fn(m, "lib_get_a").doc, "gets a");
  EXPECT_EQ(fn(m, "lib_get_a").params[0].name, "data");
  EXPECT_EQ(fn(m, "lib_get_a").params[1].role, ParamRole::Length);
  EXPECT_EQ(fn(m, "lib_get_b").doc, "overridden");
  EXPECT_EQ(fn(m, "lib_get_b").name, "fetch_b");
}

TEST(Lowering, ImportedAttributesBecomeDefaults) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stddef.h>
#include <bindery/annotate.h>
void lib_free(void *p);
char *lib_dup(const char *s) BINDERY(returns: {own: full, free: lib_free});
__attribute__((access(read_only, 1, 2))) int lib_sum(const int *v, size_t n);
__attribute__((warn_unused_result)) int lib_check(const char *_Nullable s);
int lib_fill(double out[3]);
)Y", "", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  const Function& dup = fn(m, "lib_dup");
  EXPECT_EQ(dup.returns.kind, TypeKind::Str);
  EXPECT_EQ(dup.returns_lifetime.own, Own::Owned);
  EXPECT_EQ(dup.returns_lifetime.free, "lib_free");
  const Function& sum = fn(m, "lib_sum");
  EXPECT_EQ(sum.params[0].type.kind, TypeKind::Slice);
  EXPECT_EQ(sum.params[0].size, "n");
  EXPECT_TRUE(fn(m, "lib_check").nodiscard);
  EXPECT_TRUE(fn(m, "lib_check").params[0].nullable);
  ASSERT_NE(unbound(m, "lib_fill"), nullptr) << "a writable sized array needs dir/capacity";
}

TEST(Lowering, HandlesBorrowsAndOwnership) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct lib_db lib_db;
typedef struct lib_stmt lib_stmt;
int lib_open(const char *path, lib_db **out);
void lib_close(lib_db *db);
lib_stmt *lib_prepare(lib_db *db, const char *sql);
void lib_finalize(lib_stmt *s);
lib_db *lib_stmt_db(lib_stmt *s);
void lib_give(lib_db *db, lib_stmt *s);
)Y", R"Y(types:
  lib_db: {kind: handle, destroy: lib_close}
  lib_stmt: {kind: handle, destroy: lib_finalize, parent: lib_db}
results:
  rc: {type: int, ok: ["0"]}
functions:
  lib_open: {role: constructor, result: rc}
  lib_prepare: {returns: {own: full}}
  lib_stmt_db: {returns: {own: borrow, from: s}}
  lib_give: {params: {s: {own: full}}}
)Y", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_EQ(m.find_handle("Stmt")->parent, "Db");
  const Function& open = fn(m, "lib_open");
  EXPECT_EQ(open.class_name, "Db");
  EXPECT_EQ(open.params[1].role, ParamRole::Output);
  EXPECT_EQ(open.params[1].lifetime.own, Own::Owned);
  EXPECT_EQ(open.result.kind, ResultKind::Status);
  EXPECT_EQ(fn(m, "lib_prepare").returns_lifetime.own, Own::Owned);
  EXPECT_EQ(fn(m, "lib_stmt_db").name, "db");
  EXPECT_EQ(fn(m, "lib_stmt_db").returns_lifetime.from, "s");
  EXPECT_EQ(fn(m, "lib_give").params[1].lifetime.own, Own::Consumed);
}

TEST(Lowering, BadAnnotationsAreErrorsAtTheYamlLocation) {
  TempDir dir;
  Diagnostics diags;
  lower_snippet(dir, R"Y(
typedef struct lib_t lib_t;
const char *lib_label(lib_t *t, int index);
void lib_t_free(lib_t *t);
)Y", R"Y(types: {lib_t: {kind: handle, destroy: lib_nope}}
functions:
  lib_label: {returns: {own: borrow, from: index}, params: {size: {dir: out}}}
  lib_missing: {}
)Y", diags);
  std::string text = messages(diags);
  EXPECT_NE(text.find("bindery.yaml:5:40: error: destroy function 'lib_nope' is not declared"), std::string::npos) << text;
  EXPECT_NE(text.find("'lib_label' has no parameter 'size'"), std::string::npos) << text;
  EXPECT_NE(text.find("function 'lib_missing' is not declared in the headers"), std::string::npos) << text;
}

TEST(Lowering, EnumsFromCAndFromMacroFamilies) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#define LIB_OPEN_READ 1
#define LIB_OPEN_WRITE 2
#define LIB_OPEN_CREATE 4
typedef enum lib_colour { LIB_COLOUR_RED, LIB_COLOUR_BLUE = 5 } lib_colour;
lib_colour lib_pick(int flags);
unsigned lib_default_flags(void);
)Y", "enums: {OpenFlags: {from_macros: \"LIB_OPEN_*\", flags: true}}\nfunctions: {lib_pick: {params: {flags: {flags: OpenFlags}}},\n  lib_default_flags: {returns: {flags: OpenFlags}}}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  const Enum* colour = m.find_enum("Colour");
  ASSERT_NE(colour, nullptr);
  EXPECT_EQ(colour->values[1].name, "BLUE");
  EXPECT_EQ(colour->values[1].value, 5);
  const Enum* flags = m.find_enum("OpenFlags");
  ASSERT_NE(flags, nullptr);
  EXPECT_TRUE(flags->flags);
  ASSERT_EQ(flags->values.size(), 3u);
  EXPECT_EQ(flags->values[2].name, "CREATE");
  EXPECT_EQ(fn(m, "lib_pick").returns.kind, TypeKind::Enum);
  EXPECT_EQ(fn(m, "lib_pick").params[0].type.name, "OpenFlags");
  EXPECT_EQ(fn(m, "lib_default_flags").returns.kind, TypeKind::Enum);
  EXPECT_EQ(fn(m, "lib_default_flags").returns.name, "OpenFlags");
}

TEST(Lowering, VariadicAndSkippedFunctionsHaveReasons) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, "int lib_printf(const char *fmt, ...);\nint lib_x(void);\n",
                           "functions: {lib_x: {skip: \"internal\"}}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_NE(unbound(m, "lib_printf"), nullptr);
  EXPECT_NE(unbound(m, "lib_printf")->reason.find("variadic"), std::string::npos);
  EXPECT_EQ(unbound(m, "lib_x")->reason, "internal");
}

TEST(Lowering, ConstantsAreEvaluatedAndSystemDeclarationsBoundOnlyWhenListed) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
#include <stdlib.h>
#define LIB_MAX 21
int lib_f(int x);
)Y", "bind_system: [abs]\nconstants: {LIB_TWICE: \"2 * LIB_MAX\"}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_NE(m.find_function("abs"), nullptr) << "listed in bind_system";
  EXPECT_EQ(m.find_function("atoi"), nullptr) << "not listed";
  auto twice = std::find_if(m.constants.begin(), m.constants.end(), [](const Constant& c) { return c.c_name == "LIB_TWICE"; });
  ASSERT_NE(twice, m.constants.end());
  EXPECT_EQ(twice->int_value, 42);
  Diagnostics bad;
  lower_snippet(dir, "int lib_f(int x);\n", "constants: {LIB_BAD: \"no_such_name + 1\"}\n", bad);
  EXPECT_NE(messages(bad).find("constant 'LIB_BAD' is not a constant C expression"), std::string::npos) << messages(bad);
}

TEST(Lowering, RecordsByValueAndCallbacks) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct lib_point { int x; int y; } lib_point;
typedef struct lib_rect { lib_point min, max; } lib_rect;
typedef int (*lib_visit_fn)(int value, void *user_data);
lib_rect lib_grow(lib_rect r, const lib_point *by, lib_point *centre);
int lib_each(int n, lib_visit_fn fn, void *user_data);
int lib_each_unannotated(int n, lib_visit_fn fn, void *user_data);
)Y", "functions: {lib_each: {params: {fn: {callback: {scope: call, user_data: user_data}}}}}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_NE(m.find_record("Rect"), nullptr);
  EXPECT_EQ(m.find_record("Rect")->fields[0].type.name, "Point");
  const Function& grow = fn(m, "lib_grow");
  EXPECT_EQ(grow.returns.kind, TypeKind::Record);
  EXPECT_TRUE(grow.params[1].by_pointer);
  EXPECT_EQ(grow.params[2].role, ParamRole::Output);
  const Function& each = fn(m, "lib_each");
  ASSERT_TRUE(each.params[1].callback.has_value());
  EXPECT_EQ(each.params[1].callback->user_data_index, 1);
  EXPECT_EQ(each.params[2].role, ParamRole::UserData);
  const Unbound* plain = unbound(m, "lib_each_unannotated");
  ASSERT_NE(plain, nullptr);
  EXPECT_NE(plain->suggestion.find("callback: {scope: call, user_data: user_data}"), std::string::npos) << plain->suggestion;
}

}  // namespace

TEST(Lowering, InterfacesNoBoundFunctionRegistersAreDropped) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, R"Y(
typedef struct lib_ctx lib_ctx;
void *lib_slot(lib_ctx *ctx);
void *lib_factory(lib_ctx *ctx);
int lib_register(void (*step)(lib_ctx *ctx), void *factory, void (*destroy)(void *));
int lib_register_too(void (*step)(lib_ctx *ctx), void *factory, void (*destroy)(void *));
)Y", R"Y(types:
  lib_ctx: {kind: opaque_borrowed, name: Ctx}
interfaces:
  kept:
    function: lib_register
    methods:
      step: {receiver: {slot: "(void **)lib_slot($0)", factory: "lib_factory($0)"}}
  dropped:
    function: lib_register_too
    methods:
      step: {receiver: {slot: "(void **)lib_slot($0)", factory: "lib_factory($0)"}}
functions:
  lib_slot: {skip: "the binding's own"}
  lib_factory: {skip: "the binding's own"}
  lib_register:
    params: {step: {implements: kept}, factory: {host_value: true, release: destroy}}
  lib_register_too: {skip: "not today"}
)Y", diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(m.interfaces.size(), 1u);
  EXPECT_EQ(m.interfaces[0].key, "kept");
  EXPECT_EQ(fn(m, "lib_register").params[0].fixed, "bindery_interface_kept_step");
  EXPECT_EQ(m.interfaces[0].methods[0].trampoline, "bindery_interface_kept_step");
}

}  // namespace bindery::test

namespace bindery::test {

TEST(Lowering, ADroppedInterfaceLeavesNoShims) {
  TempDir dir;
  Diagnostics diags;
  const std::string header = R"Y(
typedef struct lib_obj { const struct lib_methods *methods; char *error; } lib_obj;
typedef struct lib_methods { int (*make)(void *data, lib_obj **out, char **error); int (*poke)(lib_obj *self); } lib_methods;
char *lib_strdup(const char *s);
void lib_free(void *p);
int lib_install(const lib_methods *methods, void *data, void (*destroy)(void *));
)Y";
  const std::string yaml = R"Y(interfaces:
  lib_methods:
    status: {ok: "0", error: "1"}
    message: {alloc: "lib_strdup(message)", free: lib_free}
    objects:
      lib_obj: {name: Obj, error: "self->error"}
    methods:
      make: {receiver: data, makes: out, error_out: error}
      poke: {receiver: self}
functions:
  lib_strdup: {skip: "the binding's own"}
  lib_free: {skip: "the binding's own"}
)Y";
  Module kept = lower_snippet(dir, header, yaml + R"Y(  lib_install:
    params: {methods: {implements: lib_methods}, data: {host_value: true, release: destroy}}
)Y", diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(kept.interfaces.size(), 1u);
  ASSERT_EQ(kept.shims.size(), 2u) << "the error_out helper, then the object's helpers";
  EXPECT_NE(kept.shims[0].find("bindery_interface_lib_methods_error_out"), std::string::npos) << kept.shims[0];
  EXPECT_NE(kept.shims[1].find("_make(void *box, struct lib_obj **out)"), std::string::npos) << kept.shims[1];
  EXPECT_NE(kept.shims[1].find("_set_error(struct lib_obj *self"), std::string::npos) << kept.shims[1];

  TempDir other;
  Module dropped = lower_snippet(other, header, yaml + "  lib_install: {skip: \"not today\"}\n", diags);
  EXPECT_FALSE(diags.has_errors()) << messages(diags);
  EXPECT_TRUE(dropped.interfaces.empty());
  EXPECT_TRUE(dropped.shims.empty()) << "no helper for an object nothing can make: " << dropped.shims.front();
}

}  // namespace bindery::test
