#include "bindery/frontend/cxx/cxx_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "bindery/frontend/clang_util.hpp"
#include "bindery/frontend/cxx/cxx_types.hpp"

namespace bindery::frontend::cxx {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> compiler_arguments(const ParseOptions& options) {
  std::string std = options.std.rfind("c++", 0) == 0 || options.std.rfind("gnu++", 0) == 0 ? options.std : "c++20";
  std::vector<std::string> args = {"-x", "c++", "-std=" + std, "-fparse-all-comments",
                                   "-resource-dir", BINDERY_CLANG_RESOURCE_DIR,
                                   "-Wno-pragma-once-outside-header"};
  if (!options.annotate_include_dir.empty()) args.push_back("-I" + options.annotate_include_dir);
  for (const auto& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const auto& def : options.defines) args.push_back("-D" + def);
  return args;
}

bool is_noexcept(CXTranslationUnit tu, CXCursor c) {
  switch (clang_getCursorExceptionSpecificationType(c)) {
    case CXCursor_ExceptionSpecificationKind_BasicNoexcept:
    case CXCursor_ExceptionSpecificationKind_DynamicNone:
    case CXCursor_ExceptionSpecificationKind_NoThrow:
      return true;
    case CXCursor_ExceptionSpecificationKind_ComputedNoexcept: {
      // libclang does not evaluate noexcept(expr); the literal noexcept(true) is read from the
      // tokens, anything else is taken as "may throw" (always safe: the shim then catches).
      auto toks = clang::tokens(tu, c);
      for (size_t i = 0; i + 3 < toks.size(); ++i)
        if (toks[i] == "noexcept" && toks[i + 1] == "(" && toks[i + 2] == "true" && toks[i + 3] == ")") return true;
      return false;
    }
    default:
      return false;
  }
}

/// Whether an attribute child of `c` spells `name` (libclang exposes [[clang::lifetimebound]] on a
/// parameter only as an unexposed attribute).
bool has_attribute(CXTranslationUnit tu, CXCursor c, const std::string& name) {
  bool found = false;
  clang::for_each_child(c, [&](CXCursor a) {
    if (!clang_isAttribute(clang_getCursorKind(a))) return;
    for (const auto& t : clang::tokens(tu, a))
      if (t == name) found = true;
  });
  return found;
}

/// The tokens after a declaration's extent up to its `;` or `{`: where a trailing
/// `[[clang::lifetimebound]]` on `this` sits, outside the extent libclang reports.
std::vector<std::string> trailing_tokens(CXTranslationUnit tu, CXCursor c) {
  CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(c));
  CXFile file = nullptr;
  unsigned offset = 0;
  clang_getFileLocation(end, &file, nullptr, nullptr, &offset);
  size_t size = 0;
  if (!file || !clang_getFileContents(tu, file, &size)) return {};
  unsigned stop = static_cast<unsigned>(std::min<size_t>(size, offset + 256));
  CXSourceRange range = clang_getRange(end, clang_getLocationForOffset(tu, file, stop));
  CXToken* list = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, range, &list, &count);
  std::vector<std::string> out;
  for (unsigned i = 0; i < count; ++i) {
    std::string t = clang::take(clang_getTokenSpelling(tu, list[i]));
    if (t == ";" || t == "{") break;
    out.push_back(t);
  }
  clang_disposeTokens(tu, list, count);
  return out;
}

/// Walks the translation unit, keeping what is declared in the configured headers.
class Collector {
 public:
  Collector(CXTranslationUnit tu, const ParseOptions& options, CxxApi& out) : tu_(tu), out_(out) {
    for (const auto& h : options.headers) headers_.insert(fs::path(h).lexically_normal().string());
    include_dirs_ = options.include_dirs;
  }

  void visit_scope(CXCursor scope) {
    clang::for_each_child(scope, [&](CXCursor c) { visit(c); });
  }

  void finish() {
    // Overloads: a name declared twice in one scope (constructors: per class).
    std::map<std::string, int> count;
    for (const auto& f : out_.functions) ++count[key(f)];
    for (auto& f : out_.functions) f.is_overloaded = count[key(f)] > 1;
  }

 private:
  static std::string key(const CxxFunction& f) {
    return f.kind == CxxFunction::Kind::Constructor ? f.class_name + "::<init>" : f.qualified_name;
  }

  bool owns(CXCursor c) const {
    std::string file = clang::location(c).file;
    if (headers_.count(file)) return true;
    for (const auto& dir : include_dirs_) {
      auto rel = fs::path(file).lexically_relative(dir);
      if (!rel.empty() && rel.native().rfind("..", 0) != 0) return true;
    }
    return false;
  }

  void skip(CXCursor c, std::string reason) {
    out_.skipped.push_back({qualified_name(c), std::move(reason), clang::location(c)});
  }

  void visit(CXCursor c) {
    CXCursorKind kind = clang_getCursorKind(c);
    if (kind == CXCursor_Namespace) {
      visit_scope(c);  // namespaces span files: ownership is decided per declaration
      return;
    }
    if (!owns(c)) return;
    switch (kind) {
      case CXCursor_ClassDecl:
      case CXCursor_StructDecl:
        if (clang_isCursorDefinition(c)) add_class(c);
        break;
      case CXCursor_EnumDecl:
        if (clang_isCursorDefinition(c)) add_enum(c);
        break;
      case CXCursor_FunctionDecl: add_function(c, CxxFunction::Kind::Free, ""); break;
      case CXCursor_FunctionTemplate:
      case CXCursor_ClassTemplate:
        skip(c, "a template: bind an explicit instantiation instead");
        break;
      default: break;
    }
  }

  void add_enum(CXCursor c) {
    CxxEnum e;
    e.name = clang::spelling(c);
    e.qualified_name = qualified_name(c);
    if (e.name.empty() || e.name.find("(unnamed") != std::string::npos || e.name.find("(anonymous") != std::string::npos) {
      skip(c, "an unnamed enum: name it to bind its values");
      return;
    }
    e.scoped = clang_EnumDecl_isScoped(c) != 0;
    CxxType underlying = classify_type(clang_getEnumDeclIntegerType(c));
    if (underlying.kind == CxxType::Kind::Scalar) e.underlying = underlying.scalar;
    e.doc = clang::doc_comment(c);
    e.location = clang::location(c);
    clang::for_each_child(c, [&](CXCursor v) {
      if (clang_getCursorKind(v) != CXCursor_EnumConstantDecl) return;
      e.values.emplace_back(clang::spelling(v), clang_getEnumConstantDeclValue(v));
      e.value_docs.push_back(clang::doc_comment(v));
    });
    out_.enums.push_back(std::move(e));
  }

  void add_class(CXCursor c) {
    CxxClass cls;
    cls.name = clang::spelling(c);
    cls.qualified_name = qualified_name(c);
    if (cls.name.empty() || cls.name.find("(unnamed") != std::string::npos || cls.name.find("(anonymous") != std::string::npos)
      return;
    cls.abstract = clang_CXXRecord_isAbstract(c) != 0;
    cls.doc = clang::doc_comment(c);
    cls.location = clang::location(c);
    bool has_constructor = false, has_private_field = false, has_base = false, has_virtual = false;
    std::vector<CXCursor> members;
    clang::for_each_child(c, [&](CXCursor m) {
      CXCursorKind k = clang_getCursorKind(m);
      bool is_public = clang_getCXXAccessSpecifier(m) == CX_CXXPublic;
      if (k == CXCursor_CXXBaseSpecifier) has_base = true;
      if (k == CXCursor_Constructor) has_constructor = true;
      if (k == CXCursor_CXXMethod && clang_CXXMethod_isVirtual(m)) has_virtual = true;
      if (k == CXCursor_Destructor && !is_public) cls.public_destructor = false;
      if (k == CXCursor_FieldDecl) {
        if (!is_public) has_private_field = true;
        else cls.fields.push_back({clang::spelling(m), classify_type(clang_getCursorType(m)), clang::doc_comment(m)});
      }
      members.push_back(m);
    });
    cls.aggregate = !has_constructor && !has_private_field && !has_base && !has_virtual && !cls.fields.empty() &&
                    std::all_of(cls.fields.begin(), cls.fields.end(), [](const CxxField& f) {
                      return !f.type.is_reference && !f.type.is_pointer &&
                             (f.type.kind == CxxType::Kind::Scalar || f.type.kind == CxxType::Kind::Enum);
                    });
    std::string qualified = cls.qualified_name;
    out_.classes.push_back(std::move(cls));
    for (CXCursor m : members) {
      if (clang_getCXXAccessSpecifier(m) != CX_CXXPublic) continue;
      switch (clang_getCursorKind(m)) {
        case CXCursor_Constructor:
          if (clang_CXXConstructor_isCopyConstructor(m) || clang_CXXConstructor_isMoveConstructor(m)) break;
          if (!is_deleted(m)) add_function(m, CxxFunction::Kind::Constructor, qualified);
          break;
        case CXCursor_CXXMethod:
          if (is_deleted(m)) break;
          if (clang::spelling(m).rfind("operator", 0) == 0) {
            skip(m, "an operator: give it a named function to bind it");
            break;
          }
          add_function(m, clang_CXXMethod_isStatic(m) ? CxxFunction::Kind::Static : CxxFunction::Kind::Method, qualified);
          break;
        case CXCursor_ClassDecl:
        case CXCursor_StructDecl:
          if (clang_isCursorDefinition(m)) add_class(m);
          break;
        case CXCursor_EnumDecl:
          if (clang_isCursorDefinition(m)) add_enum(m);
          break;
        case CXCursor_FunctionTemplate:
          skip(m, "a member template: bind an explicit instantiation instead");
          break;
        default: break;
      }
    }
  }

  bool is_deleted(CXCursor c) const {
    auto toks = clang::tokens(tu_, c);
    return toks.size() >= 2 && toks[toks.size() - 1] == "delete" && toks[toks.size() - 2] == "=";
  }

  void add_function(CXCursor c, CxxFunction::Kind kind, const std::string& class_name) {
    CxxFunction f;
    f.kind = kind;
    f.name = clang::spelling(c);
    f.qualified_name = qualified_name(c);
    if (f.name.rfind("operator", 0) == 0) {
      skip(c, "an operator: give it a named function to bind it");
      return;
    }
    if (clang_Cursor_isVariadic(c)) {
      skip(c, "variadic");
      return;
    }
    // A declaration seen twice (redeclared in another header) is bound once.
    if (std::any_of(out_.functions.begin(), out_.functions.end(), [&](const CxxFunction& g) {
          SourceLocation here = clang::location(c);
          return g.qualified_name == f.qualified_name && here.str() == g.location.str();
        }))
      return;
    f.class_name = class_name;
    f.is_const = kind == CxxFunction::Kind::Method && clang_CXXMethod_isConst(c);
    f.is_noexcept = is_noexcept(tu_, c);
    f.doc = clang::doc_comment(c);
    f.location = clang::location(c);
    if (kind == CxxFunction::Kind::Constructor) f.returns.kind = CxxType::Kind::Void;
    else f.returns = classify_type(clang_getCursorResultType(c));
    int n = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < n; ++i) {
      CXCursor a = clang_Cursor_getArgument(c, static_cast<unsigned>(i));
      CxxParam p;
      p.name = clang::spelling(a);
      if (p.name.empty()) p.name = fmt::format("arg{}", i);
      p.type = classify_type(clang_getCursorType(a));
      p.location = clang::location(a);
      auto toks = clang::tokens(tu_, a);
      auto eq = std::find(toks.begin(), toks.end(), "=");
      for (auto it = eq == toks.end() ? eq : eq + 1; it != toks.end(); ++it) {
        // Tokens joined with spaces only where both sides are words: `1.0`, `Color::Red`, `-1`.
        bool word = std::isalnum(static_cast<unsigned char>((*it)[0])) || (*it)[0] == '_';
        bool prev_word = !p.default_value.empty() &&
                         (std::isalnum(static_cast<unsigned char>(p.default_value.back())) || p.default_value.back() == '_');
        if (word && prev_word) p.default_value += ' ';
        p.default_value += *it;
      }
      p.lifetimebound = std::find(toks.begin(), eq, "lifetimebound") != eq || has_attribute(tu_, a, "lifetimebound");
      f.params.push_back(std::move(p));
    }
    // `[[clang::lifetimebound]]` after the parameter list applies to `this`.
    auto toks = clang::tokens(tu_, c);
    auto close = std::find(toks.rbegin(), toks.rend(), ")");
    auto after = trailing_tokens(tu_, c);
    f.returns_lifetimebound = std::find(toks.rbegin(), close, "lifetimebound") != close ||
                              std::find(after.begin(), after.end(), "lifetimebound") != after.end();
    out_.functions.push_back(std::move(f));
  }

  CXTranslationUnit tu_;
  CxxApi& out_;
  std::set<std::string> headers_;
  std::vector<std::string> include_dirs_;
};

void report_clang_diagnostics(CXTranslationUnit tu, Diagnostics& diags) {
  bool fatal = false;
  for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
      fatal = true;
      diags.error(clang::location(clang_getDiagnosticLocation(d)), clang::take(clang_getDiagnosticSpelling(d)),
                  "bindery parses these headers as C++ (by their extension): fix the header, or include_dirs/defines/std");
    }
    clang_disposeDiagnostic(d);
  }
  if (fatal) throw FatalError("the C++ headers do not compile");
}

}  // namespace

bool is_cxx_header(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".hpp" || ext == ".hh" || ext == ".hxx" || ext == ".h++" || ext == ".H";
}

CxxApi parse_cxx_headers(const ParseOptions& options, Diagnostics& diags) {
  for (const auto& header : options.headers)
    if (!fs::exists(header))
      diags.fatal({header, 0, 0}, "header not found", "paths in bindery.yaml are relative to the bindery.yaml file");
  std::string umbrella;
  for (const auto& header : options.headers) umbrella += fmt::format("#include \"{}\"\n", header);
  std::vector<std::string> args = compiler_arguments(options);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  const char* name = "bindery-umbrella.cpp";
  CXUnsavedFile unsaved{name, umbrella.c_str(), static_cast<unsigned long>(umbrella.size())};
  clang::Index index;
  CXTranslationUnit raw = nullptr;
  CXErrorCode rc = clang_parseTranslationUnit2(index.get(), name, argv.data(), static_cast<int>(argv.size()),
                                               &unsaved, 1, CXTranslationUnit_SkipFunctionBodies, &raw);
  clang::Unit unit(raw);
  if (rc != CXError_Success || !unit)
    diags.fatal({options.headers.empty() ? "" : options.headers.front(), 0, 0},
                fmt::format("libclang could not parse the C++ headers (error {})", static_cast<int>(rc)));
  report_clang_diagnostics(unit.get(), diags);
  CxxApi api;
  Collector collector(unit.get(), options, api);
  collector.visit_scope(clang_getTranslationUnitCursor(unit.get()));
  collector.finish();
  return api;
}

const CxxClass* CxxApi::find_class(const std::string& qualified) const {
  for (const auto& c : classes)
    if (c.qualified_name == qualified) return &c;
  return nullptr;
}

const CxxEnum* CxxApi::find_enum(const std::string& qualified) const {
  for (const auto& e : enums)
    if (e.qualified_name == qualified) return &e;
  return nullptr;
}

}  // namespace bindery::frontend::cxx
