#include "bindery/frontend/cxx/cxx_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "bindery/frontend/clang_util.hpp"
#include "bindery/frontend/cxx/cxx_copyable.hpp"
#include "bindery/frontend/cxx/cxx_cursor.hpp"
#include "bindery/frontend/cxx/cxx_types.hpp"

namespace bindery::frontend::cxx {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> compiler_arguments(const ParseOptions& options) {
  std::vector<std::string> args = {"-x", "c++", "-std=" + cxx_standard(options.std), "-fparse-all-comments",
                                   "-resource-dir", BINDERY_CLANG_RESOURCE_DIR,
                                   "-Wno-pragma-once-outside-header"};
  if (!options.annotate_include_dir.empty()) args.push_back("-I" + options.annotate_include_dir);
  for (const auto& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const auto& def : options.defines) args.push_back("-D" + def);
  return args;
}

/// Walks the translation unit, keeping what is declared in the configured headers. With template
/// requests, phase 1 reads the patterns they name (`patterns`); phase 2 (`instances` set, the probe
/// appended) turns each probe namespace into the instance's class and functions.
class Collector {
 public:
  Collector(CXTranslationUnit tu, const ParseOptions& options, CxxApi& out, const std::vector<TemplateRequest>& requests,
            const std::vector<TemplatePattern>* instances)
      : tu_(tu), out_(out), requests_(requests), instances_(instances) {
    for (const auto& h : options.headers) headers_.insert(fs::path(h).lexically_normal().string());
    include_dirs_ = options.include_dirs;
  }

  std::vector<TemplatePattern> patterns;  ///< phase 1: one per request that names a template

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
      std::string name = clang::spelling(c);
      if (instances_ && name.rfind(kInstanceNamespace, 0) == 0) {
        add_instance(c, (*instances_)[std::stoul(name.substr(std::string(kInstanceNamespace).size()))]);
        return;
      }
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
        add_template(c);
        break;
      default: break;
    }
  }

  /// A template: read its pattern when bindery.yaml names an instance of it, else report it.
  void add_template(CXCursor c) {
    std::string qualified = qualified_name(c);
    bool is_class = clang_getCursorKind(c) == CXCursor_ClassTemplate;
    bool requested = false;
    for (const auto& r : requests_) {
      std::string name;
      std::vector<std::string> args;
      if (r.is_class != is_class || !split_template_id(r.spelling, name, args)) continue;
      if (name != qualified && !(qualified.size() > name.size() + 2 && qualified.ends_with("::" + name))) continue;
      requested = true;
      if (!instances_) patterns.push_back(read_pattern(tu_, c, r, qualified));
    }
    if (!requested)
      skip(c, fmt::format("a template: name an instance in bindery.yaml to bind it ({}: {{\"{}<…>\": {{name: …}}}})",
                          is_class ? "types" : "functions", qualified));
  }

  /// Phase 2: the probe namespace of one instance (cxx_templates.hpp).
  void add_instance(CXCursor ns, const TemplatePattern& p) {
    CXType self_type{};
    std::string self;
    std::vector<CXCursor> members(p.members.size(), clang_getNullCursor());
    clang::for_each_child(ns, [&](CXCursor c) {
      std::string n = clang::spelling(c);
      CXCursorKind k = clang_getCursorKind(c);
      if (k == CXCursor_TypeAliasDecl && n == kSelfAlias) {
        self_type = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(c));
        self = clang::type_spelling(self_type);
      }
      if (k == CXCursor_FunctionDecl && n.rfind(kMemberFunction, 0) == 0) {
        size_t index = std::stoul(n.substr(std::string(kMemberFunction).size()));
        if (index < members.size()) members[index] = c;
      }
    });
    std::string args;
    for (const auto& [param, arg] : p.params) args += (args.empty() ? "" : ", ") + arg;
    if (p.request.is_class) {
      CxxClass cls;
      cls.name = p.request.name;
      cls.qualified_name = self;
      cls.instance_of = p.request.spelling;
      cls.abstract = p.abstract;
      cls.public_destructor = p.public_destructor;
      cls.copyable = !p.abstract && p.public_destructor && is_copyable(self_type);
      cls.doc = p.doc;
      cls.location = p.location;
      out_.classes.push_back(std::move(cls));
    }
    for (size_t k = 0; k < members.size(); ++k) {
      if (clang_Cursor_isNull(members[k])) continue;
      size_t before = out_.functions.size();
      add_function(members[k], CxxFunction::Kind::Free, "");
      if (out_.functions.size() == before) continue;
      const PatternMember& m = p.members[k];
      CxxFunction& f = out_.functions.back();
      f.kind = m.kind;
      f.name = m.name;
      f.class_name = p.request.is_class ? self : "";
      f.qualified_name = p.request.is_class ? self + "::" + m.name : fmt::format("{}<{}>", p.qualified, args);
      f.bound_as = p.request.is_class ? "" : p.request.name;
      f.is_const = m.is_const;
      f.is_noexcept = m.is_noexcept;
      f.returns_lifetimebound = m.returns_lifetimebound;
      f.doc = m.doc;
      f.location = m.location;
      if (m.kind == CxxFunction::Kind::Constructor) {
        f.returns = CxxType();
        f.returns.kind = CxxType::Kind::Void;
      }
      for (size_t i = 0; i < f.params.size() && i < m.params.size(); ++i) {
        f.params[i].name = m.params[i].name;
        f.params[i].default_value = m.params[i].default_value;
        f.params[i].lifetimebound = m.params[i].lifetimebound;
        f.params[i].location = m.params[i].location;
      }
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
    cls.copyable = !cls.aggregate && !cls.abstract && cls.public_destructor && is_copyable(clang_getCursorType(c));
    std::string qualified = cls.qualified_name;
    out_.classes.push_back(std::move(cls));
    for (CXCursor m : members) {
      if (clang_getCXXAccessSpecifier(m) != CX_CXXPublic) continue;
      switch (clang_getCursorKind(m)) {
        case CXCursor_Constructor:
          if (clang_CXXConstructor_isCopyConstructor(m) || clang_CXXConstructor_isMoveConstructor(m)) break;
          if (!is_deleted(tu_, m)) add_function(m, CxxFunction::Kind::Constructor, qualified);
          break;
        case CXCursor_CXXMethod:
          if (is_deleted(tu_, m)) break;
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
          skip(m, "a member template: not bound (a free function template instance can be, see docs/adr/c-layer-templates.md)");
          break;
        default: break;
      }
    }
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
      p.default_value = default_argument(tu_, a);
      p.lifetimebound = is_lifetimebound_param(tu_, a);
      f.params.push_back(std::move(p));
    }
    // `[[clang::lifetimebound]]` after the parameter list applies to `this`.
    f.returns_lifetimebound = is_lifetimebound_this(tu_, c);
    out_.functions.push_back(std::move(f));
  }

  CXTranslationUnit tu_;
  CxxApi& out_;
  const std::vector<TemplateRequest>& requests_;
  const std::vector<TemplatePattern>* instances_;
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

std::string cxx_standard(const std::string& std) {
  return std.rfind("c++", 0) == 0 || std.rfind("gnu++", 0) == 0 ? std : "c++20";
}

bool is_cxx_header(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".hpp" || ext == ".hh" || ext == ".hxx" || ext == ".h++" || ext == ".H";
}

CxxApi parse_cxx_headers(const ParseOptions& options, Diagnostics& diags, const std::vector<TemplateRequest>& templates) {
  for (const auto& header : options.headers)
    if (std::error_code ec; !fs::exists(header, ec))
      diags.fatal({header, 0, 0}, "header not found", "paths in bindery.yaml are relative to the bindery.yaml file");
  std::string umbrella;
  for (const auto& header : options.headers) umbrella += fmt::format("#include \"{}\"\n", header);
  std::vector<std::string> args = compiler_arguments(options);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  clang::Index index;
  auto parse = [&](const std::string& source) {
    const char* name = "bindery-umbrella.cpp";
    CXUnsavedFile unsaved{name, source.c_str(), static_cast<unsigned long>(source.size())};
    CXTranslationUnit raw = nullptr;
    CXErrorCode rc = clang_parseTranslationUnit2(index.get(), name, argv.data(), static_cast<int>(argv.size()),
                                                 &unsaved, 1, CXTranslationUnit_SkipFunctionBodies, &raw);
    auto unit = std::make_unique<clang::Unit>(raw);
    if (rc != CXError_Success || !*unit)
      diags.fatal({options.headers.empty() ? "" : options.headers.front(), 0, 0},
                  fmt::format("libclang could not parse the C++ headers (error {})", static_cast<int>(rc)));
    report_clang_diagnostics(unit->get(), diags);
    return unit;
  };
  auto unit = parse(umbrella);
  CxxApi api;
  Collector collector(unit->get(), options, api, templates, nullptr);
  collector.visit_scope(clang_getTranslationUnitCursor(unit->get()));
  collector.finish();
  for (const auto& r : templates) {
    bool found = std::any_of(collector.patterns.begin(), collector.patterns.end(),
                             [&](const TemplatePattern& p) { return p.request.spelling == r.spelling; });
    if (!found)
      diags.error(r.where, fmt::format("no {} template '{}' in the headers", r.is_class ? "class" : "function", r.spelling),
                  "write the template's name as declared (with its namespace), then its arguments");
  }
  if (collector.patterns.empty()) return api;
  // Phase 2: the headers again, with the probe that spells out each instance (cxx_templates.hpp).
  std::vector<TemplatePattern> patterns = std::move(collector.patterns);
  CxxApi instances;
  for (const auto& p : patterns)
    if (!p.problem.empty()) instances.skipped.push_back({p.request.spelling, p.problem, p.request.where});
  unit = parse(umbrella + probe_source(patterns));
  Collector second(unit->get(), options, instances, templates, &patterns);
  second.visit_scope(clang_getTranslationUnitCursor(unit->get()));
  second.finish();
  return instances;
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
