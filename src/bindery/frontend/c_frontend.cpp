#include "bindery/frontend/c_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "bindery/frontend/c_types.hpp"
#include "bindery/frontend/clang_util.hpp"
#include "bindery/frontend/macro_values.hpp"

namespace bindery::frontend {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUmbrellaName = "bindery-umbrella.c";

/// The headers, <stdbool.h> (a variant's or helper's signature may say `bool`, as its shim may:
/// the lowering includes it before the first helper), then one line per variant prototype (line
/// `headers + 2 + k` is variant k).
std::string umbrella_source(const ParseOptions& options) {
  std::string text;
  for (const auto& header : options.headers) text += fmt::format("#include \"{}\"\n", header);
  text += "#include <stdbool.h>\n";
  for (const auto& v : options.variants) text += v.declarator + ";\n";
  return text;
}

/// The variant whose prototype is on `line` of the umbrella file, if any.
const ParseOptions::Variant* variant_at_line(const ParseOptions& options, unsigned line) {
  size_t first = options.headers.size() + 2;
  if (line < first || line - first >= options.variants.size()) return nullptr;
  return &options.variants[line - first];
}

std::vector<std::string> compiler_arguments(const ParseOptions& options) {
  std::vector<std::string> args = {"-x", "c", "-std=" + options.std, "-fparse-all-comments",
                                   "-resource-dir", BINDERY_CLANG_RESOURCE_DIR,
                                   "-Wno-pragma-once-outside-header"};
  if (!options.annotate_include_dir.empty()) args.push_back("-I" + options.annotate_include_dir);
  for (const auto& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const auto& def : options.defines) args.push_back("-D" + def);
  return args;
}

/// Decides which declarations belong to the library: those spelled in a configured header or
/// under a configured include directory, plus system declarations listed in `bind_system`.
class Ownership {
 public:
  explicit Ownership(const ParseOptions& options)
      : include_dirs_(options.include_dirs), bind_system_(options.bind_system.begin(), options.bind_system.end()) {
    for (const auto& h : options.headers) headers_.insert(fs::path(h).lexically_normal().string());
    for (const auto& v : options.variants) variant_symbols_.insert(v.symbol);
  }

  bool owns(const std::string& file, const std::string& name) const {
    if (headers_.count(file)) return true;
    if (file == kUmbrellaName) return variant_symbols_.count(name) > 0;
    for (const auto& dir : include_dirs_) {
      auto rel = fs::path(file).lexically_relative(dir);
      if (!rel.empty() && rel.native().rfind("..", 0) != 0) return true;
    }
    return bind_system_.count(name) > 0;
  }

 private:
  std::set<std::string> headers_;
  std::vector<std::string> include_dirs_;
  std::set<std::string> bind_system_;
  std::set<std::string> variant_symbols_;
};

class Collector {
 public:
  Collector(CXTranslationUnit tu, const Ownership& ownership, TranslationUnit& out)
      : tu_(tu), ownership_(ownership), out_(out) {}

  void visit(CXCursor cursor) {
    CXCursorKind kind = clang_getCursorKind(cursor);
    std::string name = clang::spelling(cursor);
    SourceLocation where = clang::location(cursor);
    bool owned = ownership_.owns(where.file, name);
    if (kind == CXCursor_MacroDefinition || kind == CXCursor_FunctionDecl || kind == CXCursor_TypedefDecl ||
        kind == CXCursor_VarDecl)
      out_.identifiers.insert(name);
    if (kind == CXCursor_EnumDecl)
      clang::for_each_child(cursor, [&](CXCursor c) { out_.identifiers.insert(clang::spelling(c)); });
    switch (kind) {
      case CXCursor_FunctionDecl:
        if (owned) add_function(cursor, name, where);
        break;
      case CXCursor_StructDecl:
      case CXCursor_UnionDecl: add_record(cursor, where); break;
      case CXCursor_EnumDecl: if (owned) add_enum(cursor, where); break;
      case CXCursor_TypedefDecl: if (owned) add_typedef(cursor, name, where); break;
      case CXCursor_MacroDefinition:
        if (owned && !clang_Cursor_isMacroFunctionLike(cursor) && !clang_Cursor_isMacroBuiltin(cursor))
          macro_names_.push_back({name, where});
        break;
      default: break;
    }
  }

  std::vector<std::pair<std::string, SourceLocation>> macro_names() const { return macro_names_; }

 private:
  void add_function(CXCursor cursor, const std::string& name, const SourceLocation& where) {
    if (std::any_of(out_.functions.begin(), out_.functions.end(),
                    [&](const FunctionDecl& f) { return f.name == name; }))
      return;  // a redeclaration: the first one wins
    FunctionDecl fn;
    fn.name = name;
    fn.location = where;
    fn.from_system_header = clang::in_system_header(cursor);
    fn.doc = clang::doc_comment(cursor);
    fn.attributes = read_attributes(tu_, cursor);
    fn.signature.result = convert_type(clang_getCursorResultType(cursor));
    fn.signature.variadic = clang_Cursor_isVariadic(cursor) != 0;
    int count = clang_Cursor_getNumArguments(cursor);
    for (int i = 0; i < count; ++i) {
      CXCursor arg = clang_Cursor_getArgument(cursor, static_cast<unsigned>(i));
      ParamDecl p;
      p.name = clang::spelling(arg);
      p.type = convert_type(clang_getCursorType(arg));
      name_function_params(p.type, arg);
      p.attributes = read_attributes(tu_, arg);
      // libclang 14 drops the nullability sugar of parameter types: read the qualifier's token.
      if (p.type.nullability == CType::Nullability::Unspecified)
        for (const auto& tok : clang::tokens(tu_, arg)) {
          if (tok == "_Nullable" || tok == "__nullable") p.type.nullability = CType::Nullability::Nullable;
          if (tok == "_Nonnull" || tok == "__nonnull") p.type.nullability = CType::Nullability::NonNull;
        }
      p.location = clang::location(arg);
      fn.signature.params.push_back(std::move(p));
    }
    out_.functions.push_back(std::move(fn));
  }

  void add_record(CXCursor cursor, const SourceLocation& where) {
    CType type = convert_type(clang_getCursorType(cursor));
    bool complete = clang_isCursorDefinition(cursor) != 0;
    RecordDecl* existing = nullptr;
    for (auto& r : out_.records)
      if (!type.names.empty() && std::find(r.names.begin(), r.names.end(), type.names.front()) != r.names.end())
        existing = &r;
    if (existing && (existing->complete || !complete)) return;
    RecordDecl record;
    record.tag = clang::spelling(cursor);
    if (record.tag.find("(anonymous") != std::string::npos || record.tag.find("(unnamed") != std::string::npos)
      record.tag.clear();
    record.names = type.names;
    record.spelling = record.tag.empty() ? "" : fmt::format("{} {}",
        clang_getCursorKind(cursor) == CXCursor_UnionDecl ? "union" : "struct", record.tag);
    record.is_union = clang_getCursorKind(cursor) == CXCursor_UnionDecl;
    record.complete = complete;
    record.location = where;
    record.doc = clang::doc_comment(cursor);
    record.attributes = read_attributes(tu_, cursor);
    if (complete)
      clang::for_each_child(cursor, [&](CXCursor child) {
        if (clang_getCursorKind(child) != CXCursor_FieldDecl) return;
        CType type = convert_type(clang_getCursorType(child));
        name_function_params(type, child);  // a function-pointer field's argument names (interfaces)
        record.fields.push_back({clang::spelling(child), std::move(type), clang::doc_comment(child)});
      });
    if (existing) {
      auto names = existing->names;
      *existing = std::move(record);
      for (auto& n : names)
        if (std::find(existing->names.begin(), existing->names.end(), n) == existing->names.end())
          existing->names.push_back(n);
    } else {
      out_.records.push_back(std::move(record));
    }
  }

  void add_enum(CXCursor cursor, const SourceLocation& where) {
    if (!clang_isCursorDefinition(cursor)) return;
    EnumDecl e;
    CType type = convert_type(clang_getCursorType(cursor));
    e.tag = clang::spelling(cursor);
    if (e.tag.find("(anonymous") != std::string::npos || e.tag.find("(unnamed") != std::string::npos) e.tag.clear();
    e.names = type.names;
    e.spelling = e.tag.empty() ? "" : "enum " + e.tag;
    e.is_unsigned = !type.is_signed;
    e.bits = type.bits;
    e.location = where;
    e.doc = clang::doc_comment(cursor);
    clang::for_each_child(cursor, [&](CXCursor child) {
      if (clang_getCursorKind(child) != CXCursor_EnumConstantDecl) return;
      e.constants.push_back({clang::spelling(child), clang_getEnumConstantDeclValue(child),
                             clang::doc_comment(child)});
    });
    out_.enums.push_back(std::move(e));
  }

  void add_typedef(CXCursor cursor, const std::string& name, const SourceLocation& where) {
    TypedefDecl td;
    td.name = name;
    td.underlying = convert_type(clang_getTypedefDeclUnderlyingType(cursor));
    td.attributes = read_attributes(tu_, cursor);
    td.doc = clang::doc_comment(cursor);
    td.location = where;
    // `typedef struct x x_t;` and `typedef enum {…} e_t;`: the typedef name joins the tag's names.
    auto attach = [&](std::vector<std::string>& names, std::string& spelling) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.insert(names.begin(), name);
      if (spelling.empty()) spelling = name;
    };
    if (td.underlying.kind == CType::Kind::Record)
      for (auto& r : out_.records)
        for (const auto& n : td.underlying.names)
          if (n != name && std::find(r.names.begin(), r.names.end(), n) != r.names.end()) {
            attach(r.names, r.spelling);
            goto done_records;
          }
  done_records:
    if (td.underlying.kind == CType::Kind::Enum) {
      CXCursor decl = clang_getTypeDeclaration(clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(cursor)));
      SourceLocation decl_where = clang::location(decl);
      for (auto& e : out_.enums)
        if (e.location.file == decl_where.file && e.location.line == decl_where.line &&
            e.location.column == decl_where.column)
          attach(e.names, e.spelling);
    }
    out_.typedefs.push_back(std::move(td));
  }

  CXTranslationUnit tu_;
  const Ownership& ownership_;
  TranslationUnit& out_;
  std::vector<std::pair<std::string, SourceLocation>> macro_names_;
};

void report_clang_diagnostics(CXTranslationUnit tu, const ParseOptions& options, Diagnostics& diags) {
  unsigned count = clang_getNumDiagnostics(tu);
  bool fatal = false;
  for (unsigned i = 0; i < count; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    CXDiagnosticSeverity severity = clang_getDiagnosticSeverity(d);
    if (severity >= CXDiagnostic_Error) {
      fatal = true;
      SourceLocation where = clang::location(clang_getDiagnosticLocation(d));
      if (const auto* v = where.file == kUmbrellaName ? variant_at_line(options, where.line) : nullptr)
        diags.error(v->where, fmt::format("the signature of variant '{}' of '{}' does not compile: {}",
                                          v->symbol.substr(v->variant_of.size() + 2), v->variant_of,
                                          clang::take(clang_getDiagnosticSpelling(d))),
                    "write it as RETURN_TYPE (PARAMETERS) with the types of the headers, e.g. \"int (sqlite3 *db, int op, int *value)\"");
      else
        diags.error(where, clang::take(clang_getDiagnosticSpelling(d)),
                    "bindery parses headers as a C compiler would: fix the header, or the include_dirs/defines/std in bindery.yaml");
    }
    clang_disposeDiagnostic(d);
  }
  if (fatal) throw FatalError("the headers do not compile");
}

}  // namespace

TranslationUnit parse_c_headers(const ParseOptions& options, Diagnostics& diags) {
  for (const auto& header : options.headers)
    if (std::error_code ec; !fs::exists(header, ec)) diags.fatal({header, 0, 0}, "header not found",
                                         "paths in bindery.yaml are relative to the bindery.yaml file");

  std::string umbrella = umbrella_source(options);
  std::vector<std::string> args = compiler_arguments(options);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  const char* umbrella_name = kUmbrellaName;
  CXUnsavedFile unsaved{umbrella_name, umbrella.c_str(), static_cast<unsigned long>(umbrella.size())};

  clang::Index index;
  CXTranslationUnit raw = nullptr;
  CXErrorCode rc = clang_parseTranslationUnit2(
      index.get(), umbrella_name, argv.data(), static_cast<int>(argv.size()), &unsaved, 1,
      CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_SkipFunctionBodies, &raw);
  clang::Unit unit(raw);
  if (rc != CXError_Success || !unit)
    diags.fatal({options.headers.empty() ? "" : options.headers.front(), 0, 0},
                fmt::format("libclang could not parse the headers (error {})", static_cast<int>(rc)));
  report_clang_diagnostics(unit.get(), options, diags);

  TranslationUnit result;
  Ownership ownership(options);
  Collector collector(unit.get(), ownership, result);
  clang::for_each_child(clang_getTranslationUnitCursor(unit.get()), [&](CXCursor c) { collector.visit(c); });
  for (const auto& v : options.variants)  // point every later diagnostic at the variant in bindery.yaml
    for (auto& fn : result.functions)
      if (fn.name == v.symbol) {
        fn.variant_of = v.variant_of;
        if (const FunctionDecl* target = result.find_function(v.variant_of); target && fn.doc.empty()) fn.doc = target->doc;
        fn.location = v.where;
        for (auto& p : fn.signature.params) p.location = v.where;
      }
  std::vector<ConstantProbe> probes;
  for (const auto& [name, where] : collector.macro_names()) probes.push_back({name, name, where});
  for (const auto& [name, expression, where] : options.constant_expressions) probes.push_back({name, expression, where});
  result.macros = evaluate_constants(index.get(), umbrella, args, probes);
  for (const auto& [name, expression, where] : options.constant_expressions)
    if (!result.find_macro(name))
      diags.error(where, fmt::format("constant '{}' is not a constant C expression here: {}", name, expression),
                  "constants are evaluated by clang after including the headers");
  return result;
}

}  // namespace bindery::frontend
