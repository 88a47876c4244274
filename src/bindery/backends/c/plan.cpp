#include "bindery/backends/c/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "bindery/support/naming.hpp"

namespace bindery::backends::c {

namespace {

using frontend::cxx::CxxApi;
using frontend::cxx::CxxClass;
using frontend::cxx::CxxFunction;
using frontend::cxx::CxxParam;
using frontend::cxx::CxxType;
using K = CxxType::Kind;

/// Thrown while planning one function: it is skipped with this reason, the rest goes on.
struct Unsupported {
  std::string reason;
};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

ir::Type scalar_type(ir::Scalar s) {
  ir::Type t;
  t.kind = ir::TypeKind::Scalar;
  t.scalar = s;
  t.c_type = c_scalar(s);
  return t;
}

ir::Param ir_param(std::string name, int index, std::string c_type, ir::ParamRole role, ir::Type type) {
  ir::Param p;
  p.name = std::move(name);
  p.index = index;
  p.c_type = std::move(c_type);
  p.role = role;
  p.type = std::move(type);
  return p;
}

/// A C expression as a YAML flow scalar inside BINDERY(...): quoted when YAML would read it otherwise.
std::string yaml_scalar(const std::string& expr) {
  bool plain = !expr.empty() && expr.find_first_of("\"':,{}[]#&*!|>%@`") == std::string::npos;
  if (plain) return expr;
  std::string out = "'";
  for (char c : expr) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string without_spaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

/// `a` and `b` name the same thing, one maybe more qualified ("Point" / "geo::Point").
bool same_name(const std::string& a, const std::string& b) {
  return a == b || (a.size() > b.size() && a.ends_with("::" + b)) || (b.size() > a.size() && b.ends_with("::" + a));
}

/// The parameter types of a bindery.yaml key "geo::Polygon::add(double, double)", spaces removed.
std::vector<std::string> key_params(const std::string& key) {
  std::vector<std::string> out;
  auto open = key.find('('), close = key.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close <= open) return out;
  std::string inside = without_spaces(key.substr(open + 1, close - open - 1));
  if (inside.empty() || inside == "void") return out;
  int depth = 0;
  std::string current;
  for (char c : inside) {
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

/// One C++ parameter spelled as C parameters, and the C++ argument expression rebuilt from them.
struct Arg {
  std::vector<CParam> c;
  std::vector<ir::Param> ir;
  std::string expr;
  bool allocates = false;  ///< building the argument may throw std::bad_alloc
};

/// What the shim does with the C++ result.
struct Ret {
  bool needs_status = false;           ///< owned copies and optionals always report a status
  std::string direct_type = "void";    ///< C return type when the shim has no status
  std::vector<CParam> outs;            ///< status shims: where the result goes
  std::vector<std::string> store;      ///< statements over `r` (status) …
  std::string direct_return;           ///< … or the returned expression over `r` (no status)
  std::vector<std::string> direct_pre; ///< statements before the direct return
  bool bind_r = true;                  ///< `auto &&r = CALL;` (false: CALL used in place of `r`)
  bool allocates = false;              ///< storing the result allocates (a copy, `new`): may throw
  ir::Type type;
  ir::Lifetime lifetime;
  ir::Length length;
  std::vector<ir::Param> ir_outs;
};

class Planner {
 public:
  Planner(const CxxApi& api, const ir::Module& base, Diagnostics& diags, const Requests& requests)
      : api_(api), base_(base), diags_(diags), requests_(requests), entry_used_(requests.functions.size(), false),
        entry_reported_(requests.functions.size(), false) {
    plan_.library = base.library;
    plan_.prefix = base.library + "_";
    plan_.upper = upper(plan_.prefix);
  }

  Plan run() {
    for (const auto& h : base_.headers) plan_.cxx_includes.push_back(h.include);
    plan_enums();
    plan_classes();
    for (const auto& f : api_.functions) plan_function(f);
    plan_.skipped.insert(plan_.skipped.end(), api_.skipped.begin(), api_.skipped.end());
    for (size_t i = 0; i < requests_.functions.size(); ++i)
      if (!entry_used_[i])
        diags_.error(requests_.functions[i].where,
                     fmt::format("functions: '{}' matches no function of the C++ API", requests_.functions[i].key),
                     "write the C++ name (geo::Polygon::add), with the parameter types when it is overloaded "
                     "(geo::Polygon::add(double, double)), or the C name the scheme gives it");
    build_module();
    return std::move(plan_);
  }

 private:
  // ---- names --------------------------------------------------------------------------------

  std::string c_class(const std::string& qualified) const {
    const CxxClass* cls = api_.find_class(qualified);
    return plan_.prefix + snake_case(cls ? cls->name : qualified);
  }
  std::string c_enum(const std::string& qualified) const {
    const auto* e = api_.find_enum(qualified);
    return plan_.prefix + snake_case(e ? e->name : qualified);
  }
  /// The C enumerator of value `v`: <LIB>_<ENUM>_<VALUE> (docs/adr/c-layer-enum-values.md). An
  /// unscoped enum's values usually repeat a prefix to stay apart in the enclosing scope
  /// (PLAIN_A, PLAIN_B); C already scopes them with <LIB>_<ENUM>_, so that prefix goes, found by
  /// the rule the C frontend applies to C enums (common_prefix).
  std::string enum_value_c_name(const frontend::cxx::CxxEnum& e, size_t v) const {
    std::string value = e.values[v].first;
    if (!e.scoped) {
      std::vector<std::string> names;
      for (const auto& [name, number] : e.values) names.push_back(name);
      value = strip_prefix(value, common_prefix(names));
    }
    return upper(c_enum(e.qualified_name) + "_" + snake_case(value));
  }
  std::string ir_name(const std::string& qualified) const {
    if (const CxxClass* cls = api_.find_class(qualified)) return cls->name;  // template instances: their yaml name
    auto pos = qualified.rfind("::");
    return pos == std::string::npos ? qualified : qualified.substr(pos + 2);
  }

  /// The overload suffix: one tag per parameter type (docs/adr/c-layer-names.md).
  std::string tag(const CxxType& t) const {
    switch (t.kind) {
      case K::Scalar: {
        static const char* const kTags[] = {"bool", "char", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64"};
        return kTags[static_cast<int>(t.scalar)];
      }
      case K::Enum:
      case K::Class:
        return snake_case(ir_name(t.name));
      case K::UniquePtr: return tag(*t.element);
      case K::String:
      case K::StringView:
      case K::CString: return "str";
      case K::Span:
      case K::Vector: return tag(*t.element) + "s";
      case K::Optional: return "opt_" + tag(*t.element);
      default: return "x";
    }
  }
  std::string overload_suffix(const CxxFunction& f) const {
    if (!f.is_overloaded || f.params.empty()) return "";
    std::string s;
    for (const auto& p : f.params) s += "_" + tag(p.type);
    return s;
  }

  /// The bindery.yaml `functions:` entry for `f`: keyed by its C++ name (with the parameter types,
  /// which an overload needs) or by `scheme_c_name`, the C name the naming scheme gives it.
  const FunctionEntry* entry_for(const CxxFunction& f, const std::string& scheme_c_name) {
    for (size_t i = 0; i < requests_.functions.size(); ++i) {
      const FunctionEntry& e = requests_.functions[i];
      bool by_c_name = e.key == scheme_c_name;
      if (!by_c_name && !matches(e.key, f)) continue;
      entry_used_[i] = true;
      if (!by_c_name && f.is_overloaded && e.key.find('(') == std::string::npos) {
        if (!entry_reported_[i])
          diags_.error(e.where, fmt::format("functions: '{}' is overloaded", e.key),
                       "add the parameter types to say which one: geo::Polygon::add(double, double)");
        entry_reported_[i] = true;
        continue;
      }
      return &e;
    }
    return nullptr;
  }

  static bool matches(const std::string& key, const CxxFunction& f) {
    std::string name = without_spaces(key.substr(0, key.find('(')));
    if (!same_name(f.qualified_name, name) || name.size() > f.qualified_name.size()) return false;
    if (key.find('(') == std::string::npos) return true;
    std::vector<std::string> want = key_params(key);
    if (want.size() != f.params.size()) return false;
    for (size_t i = 0; i < want.size(); ++i)
      if (!same_name(without_spaces(f.params[i].type.spelling), want[i])) return false;
    return true;
  }

  // ---- declarations -------------------------------------------------------------------------

  void plan_enums() {
    for (const auto& e : api_.enums) {
      EnumPlan p;
      p.c_name = c_enum(e.qualified_name);
      p.cxx_name = e.qualified_name;
      p.doc = e.doc;
      for (size_t i = 0; i < e.values.size(); ++i) {
        p.values.emplace_back(enum_value_c_name(e, i), e.values[i].second);
        p.docs.push_back(e.value_docs[i]);
      }
      plan_.enums.push_back(std::move(p));
    }
  }

  void plan_classes() {
    std::set<std::string> seen;
    for (const auto& cls : api_.classes) {
      std::string c_name = c_class(cls.qualified_name);
      if (!seen.insert(c_name).second) {
        diags_.error(cls.location, fmt::format("'{}' and another class both become the C type '{}'", cls.qualified_name, c_name),
                     "rename one of them, or split the library");
        continue;
      }
      if (cls.aggregate) {
        RecordPlan r;
        r.c_name = c_name;
        r.cxx_name = cls.qualified_name;
        r.doc = cls.doc;
        for (const auto& f : cls.fields) {
          bool is_enum = f.type.kind == K::Enum;
          r.fields.emplace_back(is_enum ? c_enum(f.type.name) : c_scalar(f.type.scalar), f.name);
          r.field_docs.push_back(f.doc);
          r.field_is_enum.push_back(is_enum);
          r.field_cxx_enum.push_back(is_enum ? f.type.name : "");
        }
        plan_.records.push_back(std::move(r));
        continue;
      }
      HandlePlan h;
      h.name = cls.name;
      h.c_name = c_name;
      h.cxx_name = cls.qualified_name;
      h.doc = cls.doc;
      if (cls.public_destructor) h.destroy = c_name + "_destroy";
      plan_.handles.push_back(h);
      if (!h.destroy.empty()) add_destroy(h, cls);
      if (!h.destroy.empty() && cls.copyable) add_clone(h, cls);
    }
  }

  const HandlePlan* handle(const std::string& qualified) const {
    for (const auto& h : plan_.handles)
      if (h.cxx_name == qualified) return &h;
    return nullptr;
  }
  const RecordPlan* record(const std::string& qualified) const {
    for (const auto& r : plan_.records)
      if (r.cxx_name == qualified) return &r;
    return nullptr;
  }

  ir::Type handle_type(const HandlePlan& h, bool is_const) const {
    ir::Type t;
    t.kind = ir::TypeKind::Handle;
    t.name = ir_name(h.cxx_name);
    t.c_type = h.pointer(is_const);
    return t;
  }

  void add_destroy(const HandlePlan& h, const CxxClass& cls) {
    Shim s;
    s.c_name = h.destroy;
    s.doc = fmt::format("Destroys a {} (runs its destructor). Does nothing when `self` is NULL.", cls.qualified_name);
    s.c_return = "void";
    s.params.push_back({h.pointer(), "self", ""});
    s.annotation = "role: destructor";
    s.body.push_back(fmt::format("delete reinterpret_cast<{} *>(self);", h.cxx_name));
    s.ir.c_name = s.c_name;
    s.ir.name = "destroy";
    s.ir.role = ir::FunctionRole::Destructor;
    s.ir.class_name = ir_name(h.cxx_name);
    s.ir.params.push_back(ir_param("self", 0, h.pointer(), ir::ParamRole::Self, handle_type(h, false)));
    s.ir.params.back().lifetime.own = ir::Own::Consumed;
    s.ir.result.kind = ir::ResultKind::Void;
    s.ir.location = cls.location;
    plan_.shims.push_back(std::move(s));
  }

  /// `clone`: a copy through the C++ copy constructor, for classes that have one C can call.
  void add_clone(const HandlePlan& h, const CxxClass& cls) {
    Shim s;
    s.c_name = h.c_name + "_clone";
    s.doc = fmt::format("A copy of `self` (the C++ copy constructor of {}).\nOn success `*out` is a new object: release it with {}.\n"
                        "Returns {}OK, or an error code with the message in {}last_error().",
                        cls.name, h.destroy, plan_.upper, plan_.prefix);
    s.c_return = "int";
    s.status = true;
    s.can_throw = true;  // `new` and the copy constructor
    s.params.push_back({h.pointer(true), "self", ""});
    s.params.push_back({h.pointer() + "*", "out", "dir: out, own: full"});
    s.annotation = "result: " + plan_.prefix + "status";
    s.body.push_back(fmt::format("*out = reinterpret_cast<{}>(new {}(*reinterpret_cast<const {} *>(self)));", h.pointer(),
                                 h.cxx_name, h.cxx_name));
    s.body.push_back(fmt::format("return {}OK;", plan_.upper));
    s.ir.c_name = s.c_name;
    s.ir.name = "clone";
    s.ir.role = ir::FunctionRole::Method;
    s.ir.class_name = ir_name(h.cxx_name);
    ir::Param self = ir_param("self", 0, h.pointer(true), ir::ParamRole::Self, handle_type(h, true));
    self.lifetime.own = ir::Own::Borrowed;
    s.ir.params.push_back(self);
    ir::Param out = ir_param("out", 1, h.pointer() + "*", ir::ParamRole::Output, handle_type(h, false));
    out.lifetime.own = ir::Own::Owned;
    s.ir.params.push_back(out);
    s.ir.result.kind = ir::ResultKind::Status;
    s.ir.result.convention = plan_.prefix + "status";
    s.ir.returns = scalar_type(ir::Scalar::I32);
    s.ir.location = cls.location;
    plan_.shims.push_back(std::move(s));
  }

  // ---- parameters ---------------------------------------------------------------------------

  /// A C++ default argument as a C expression, "" when it has no C spelling (then C callers pass
  /// the value themselves and the comment says what C++ would use). Literals stay as written;
  /// an enumerator becomes the C enumerator; std::nullopt needs nothing (the parameter is nullable).
  std::string c_default(const CxxParam& p) const {
    const std::string& d = p.default_value;
    const CxxType& t = p.type;
    if (d.empty()) return "";
    switch (t.kind) {
      case K::Scalar: {
        if (d == "true" || d == "false") return d;
        if (d.size() >= 3 && d.front() == '\'' && d.back() == '\'') return d;
        size_t i = d[0] == '-' ? 1 : 0;
        if (i >= d.size() || !std::isdigit(static_cast<unsigned char>(d[i]))) return "";
        std::string out;
        for (char c : d) {
          if (c == '\'') continue;  // C++14 digit separators
          if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '+') return "";
          out += c;
        }
        return out;
      }
      case K::Enum: {
        const auto* e = api_.find_enum(t.name);
        if (!e) return "";
        std::string last = d.substr(d.rfind("::") == std::string::npos ? 0 : d.rfind("::") + 2);
        for (size_t v = 0; v < e->values.size(); ++v)
          if (e->values[v].first == last) return enum_value_c_name(*e, v);
        return "";
      }
      case K::String:
      case K::StringView:
      case K::CString:
        return d.size() >= 2 && d.front() == '"' && d.back() == '"' ? d : "";
      default:
        return "";
    }
  }

  Arg map_param(const CxxParam& p, int index) const {
    const CxxType& t = p.type;
    Arg a;
    const std::string& n = p.name;
    auto input = [&](std::string c_type, ir::Type type, std::string annotation = "") {
      a.c.push_back({c_type, n, annotation});
      ir::Param ip = ir_param(n, index, c_type, ir::ParamRole::Input, std::move(type));
      ip.default_value = c_default(p);
      if (!ip.default_value.empty())
        a.c.back().annotation += (a.c.back().annotation.empty() ? "" : ", ") + std::string("default: ") + yaml_scalar(ip.default_value);
      ip.location = p.location;
      a.ir.push_back(std::move(ip));
    };
    auto with_length = [&](std::string c_type, ir::Type type) {
      input(c_type, std::move(type), fmt::format("size: {}_len", n));
      a.ir.back().size = n + "_len";
      a.ir.back().lifetime.own = ir::Own::Borrowed;
      a.c.push_back({"size_t", n + "_len", ""});
      ir::Param len = ir_param(n + "_len", index + 1, "size_t", ir::ParamRole::Length, scalar_type(ir::Scalar::U64));
      len.length_of = n;
      a.ir.push_back(std::move(len));
    };
    if (t.is_pointer && t.kind != K::Class && t.kind != K::CString)
      throw Unsupported{fmt::format("parameter '{}' is a raw pointer '{}': use a reference, std::span or std::optional", n, t.spelling)};
    if (t.is_reference && !t.is_const && t.kind != K::Class)
      throw Unsupported{fmt::format("parameter '{}' is an output reference '{}': return the value instead", n, t.spelling)};
    switch (t.kind) {
      case K::Scalar:
        input(c_scalar(t.scalar), scalar_type(t.scalar));
        a.expr = n;
        return a;
      case K::Enum: {
        if (!api_.find_enum(t.name)) break;
        ir::Type type{ir::TypeKind::Enum, ir::Scalar::I32, ir_name(t.name), c_enum(t.name), ""};
        input(c_enum(t.name), type);
        a.expr = fmt::format("static_cast<{}>({})", t.name, n);
        return a;
      }
      case K::Class: {
        if (const RecordPlan* r = record(t.name)) {
          if (t.is_pointer || (t.is_reference && !t.is_const))
            throw Unsupported{fmt::format("parameter '{}' passes the struct '{}' by pointer or reference: pass it by value or const reference", n, t.name)};
          input(r->c_name, ir::Type{ir::TypeKind::Record, ir::Scalar::I32, ir_name(t.name), r->c_name, ""});
          a.expr = fmt::format("to_cxx({})", n);
          return a;
        }
        const HandlePlan* h = handle(t.name);
        if (!h) break;
        bool is_const = t.is_const || (!t.is_reference && !t.is_pointer);
        std::string c_type = h->pointer(is_const);
        input(c_type, handle_type(*h, is_const));
        a.ir.back().lifetime.own = ir::Own::Borrowed;
        std::string cast = fmt::format("reinterpret_cast<{}{} *>({})", is_const ? "const " : "", t.name, n);
        if (t.is_pointer) {
          a.c.back().annotation = "nullable: true";
          a.ir.back().nullable = true;
          a.expr = cast;
        } else {
          a.expr = "*" + cast;
          a.allocates = !t.is_reference;  // by value: the call copies it
        }
        return a;
      }
      case K::UniquePtr: {
        const HandlePlan* h = handle(t.element->name);
        if (!h || h->destroy.empty()) break;
        input(h->pointer(), handle_type(*h, false), "own: full");
        a.ir.back().lifetime.own = ir::Own::Consumed;
        a.expr = fmt::format("std::unique_ptr<{}>(reinterpret_cast<{} *>({}))", h->cxx_name, h->cxx_name, n);
        return a;
      }
      case K::String:
      case K::StringView:
        with_length("const char *", ir::Type{ir::TypeKind::Str, ir::Scalar::Char, "", "const char *", "utf8"});
        a.expr = fmt::format("std::{}({}, {}_len)", t.kind == K::String ? "string" : "string_view", n, n);
        a.allocates = t.kind == K::String;
        return a;
      case K::CString:
        input("const char *", ir::Type{ir::TypeKind::Str, ir::Scalar::Char, "", "const char *", "utf8"});
        a.ir.back().lifetime.own = ir::Own::Borrowed;
        a.expr = n;
        return a;
      case K::Span:
      case K::Vector: {
        if (t.element->scalar == ir::Scalar::Bool)
          throw Unsupported{fmt::format("parameter '{}' holds bools, which have no C array layout (std::vector<bool> is packed)", n)};
        std::string elem = c_scalar(t.element->scalar);
        if (t.kind == K::Span && !t.element->is_const) {
          // std::span<T>: the callee reads and writes the caller's array in place. The IR has no
          // in/out buffer, so C reads it back as an input the callee may write (dir: in).
          ir::Type type{elements_kind(t.element->scalar), t.element->scalar, "", elem + " *", ""};
          with_length(elem + " *", type);
          a.c[0].annotation = "dir: in, " + a.c[0].annotation;
          a.expr = fmt::format("std::span<{}>({}, {}_len)", elem, n, n);
          return a;
        }
        ir::Type type{elements_kind(t.element->scalar), t.element->scalar, "", "const " + elem + " *", ""};
        with_length("const " + elem + " *", type);
        a.expr = t.kind == K::Span ? fmt::format("std::span<const {}>({}, {}_len)", elem, n, n)
                                   : fmt::format("std::vector<{}>({}, {} + {}_len)", elem, n, n, n);
        a.allocates = t.kind == K::Vector;
        return a;
      }
      case K::Optional: {
        // std::optional<value> in: a pointer that may be NULL (absent).
        const CxxType& e = *t.element;
        std::string c_type, conv;
        ir::Type type;
        if (e.kind == K::Scalar) {
          c_type = c_scalar(e.scalar);
          conv = "*" + n;
          type = scalar_type(e.scalar);
        } else if (e.kind == K::Enum && api_.find_enum(e.name)) {
          c_type = c_enum(e.name);
          conv = fmt::format("static_cast<{}>(*{})", e.name, n);
          type = ir::Type{ir::TypeKind::Enum, ir::Scalar::I32, ir_name(e.name), c_type, ""};
        } else if (e.kind == K::Class && record(e.name)) {
          c_type = record(e.name)->c_name;
          conv = fmt::format("to_cxx(*{})", n);
          type = ir::Type{ir::TypeKind::Record, ir::Scalar::I32, ir_name(e.name), c_type, ""};
        } else {
          break;
        }
        input("const " + c_type + " *", type, "nullable: true");
        a.ir.back().nullable = true;
        a.ir.back().by_pointer = type.kind == ir::TypeKind::Record;
        a.expr = fmt::format("{} ? std::optional<{}>({}) : std::nullopt", n, e.spelling.empty() ? c_type : e.spelling, conv);
        return a;
      }
      default: break;
    }
    throw Unsupported{fmt::format("parameter '{}' has type '{}', which the C layer does not carry", n, t.spelling)};
  }

  // ---- results ------------------------------------------------------------------------------

  /// A single C value for `t` (scalar, enum, record, handle): its C type and the conversion of
  /// the C++ expression `e`. Sets ownership on `ret`.
  std::pair<std::string, std::string> single_value(const CxxType& t, const CxxFunction& f, const std::string& e, Ret& ret) {
    switch (t.kind) {
      case K::Scalar:
        ret.type = scalar_type(t.scalar);
        return {c_scalar(t.scalar), e};
      case K::Enum:
        if (!api_.find_enum(t.name)) break;
        ret.type = ir::Type{ir::TypeKind::Enum, ir::Scalar::I32, ir_name(t.name), c_enum(t.name), ""};
        return {c_enum(t.name), fmt::format("static_cast<{}>({})", c_enum(t.name), e)};
      case K::Class: {
        if (const RecordPlan* r = record(t.name)) {
          if (t.is_pointer) break;
          ret.type = ir::Type{ir::TypeKind::Record, ir::Scalar::I32, ir_name(t.name), r->c_name, ""};
          return {r->c_name, fmt::format("to_c({})", e)};
        }
        const HandlePlan* h = handle(t.name);
        if (!h || t.is_pointer) break;
        if (t.is_reference) {
          // A reference result borrows: from `this`, from a [[clang::lifetimebound]] parameter, or
          // (a free/static function without one) it refers to static storage.
          ret.type = handle_type(*h, t.is_const);
          ret.lifetime.own = ir::Own::Borrowed;
          ret.lifetime.from = borrow_source(f);
          if (ret.lifetime.from.empty()) ret.lifetime.own = ir::Own::Static;
          return {h->pointer(t.is_const), fmt::format("reinterpret_cast<{}>(&{})", h->pointer(t.is_const), e)};
        }
        if (h->destroy.empty()) break;
        ret.needs_status = true;  // `new` may throw std::bad_alloc
        ret.allocates = true;
        ret.type = handle_type(*h, false);
        ret.lifetime.own = ir::Own::Owned;
        return {h->pointer(), fmt::format("reinterpret_cast<{}>(new {}(std::move({})))", h->pointer(), h->cxx_name, e)};
      }
      case K::UniquePtr: {
        const HandlePlan* h = handle(t.element->name);
        if (!h || h->destroy.empty()) break;
        ret.type = handle_type(*h, false);
        ret.lifetime.own = ir::Own::Owned;
        ret.lifetime.null = ir::NullMeaning::Absent;
        return {h->pointer(), fmt::format("reinterpret_cast<{}>({}.release())", h->pointer(), e)};
      }
      default: break;
    }
    throw Unsupported{fmt::format("returns '{}', which the C layer does not carry", t.spelling)};
  }

  /// What (pointer, length) of `s` means in C, as bindery's C reader sees it: 8-bit elements are
  /// bytes (Bytes), wider ones a Slice. (A `T **` output is a Slice whatever T: hosts give a
  /// Slice of 8-bit elements as bytes.)
  static ir::TypeKind elements_kind(ir::Scalar s) {
    return s == ir::Scalar::U8 || s == ir::Scalar::I8 ? ir::TypeKind::Bytes : ir::TypeKind::Slice;
  }

  std::string borrow_source(const CxxFunction& f) const {
    for (const auto& p : f.params)
      if (p.lifetimebound) return p.name;
    if (f.kind == CxxFunction::Kind::Method) return "self";
    return "";
  }

  Ret map_return(const CxxFunction& f) {
    Ret ret;
    const CxxType& t = f.returns;
    if (t.kind == K::Void) {
      ret.type.kind = ir::TypeKind::Void;
      ret.store.push_back("CALL;");
      ret.direct_pre.push_back("CALL;");
      ret.bind_r = false;
      return ret;
    }
    bool optional = t.kind == K::Optional;
    const CxxType& v = optional ? *t.element : t;
    if (optional) ret.needs_status = true;
    std::string r = optional ? "*r" : "r";
    // Pointer + length results: owned copies and borrowed views.
    bool text = v.kind == K::String || v.kind == K::StringView;
    bool elements = v.kind == K::Vector || v.kind == K::Span;
    if (text || elements) {
      bool owned = !v.is_reference && (v.kind == K::String || v.kind == K::Vector);
      std::string elem = text ? "char" : c_scalar(v.element->scalar);
      ret.type = text ? ir::Type{ir::TypeKind::Str, ir::Scalar::Char, "", "", "utf8"}
                      : ir::Type{ir::TypeKind::Slice, v.element->scalar, "", "", ""};
      // A writable span (std::span<T>) is a view C may write through: `T *`, not `const T *`.
      std::string pointee = (v.kind == K::Span && !v.element->is_const ? "" : "const ") + elem;
      if (elements && v.element->scalar == ir::Scalar::Bool)
        throw Unsupported{"returns bools, which have no C array layout (std::vector<bool> is packed)"};
      if (owned) {
        ret.needs_status = true;
        ret.type.c_type = elem + " *";
        ret.lifetime.own = ir::Own::Owned;
        ret.lifetime.free = plan_.prefix + "free";
        ret.outs = {{elem + " **", "out", fmt::format("dir: out, own: full, free: {}free, length: {{out: out_len}}", plan_.prefix)},
                    {"size_t *", "out_len", ""}};
        ret.store.push_back(fmt::format("bindery_c::copy_out({}, out, out_len);", r));
        ret.allocates = true;
        return ret;
      }
      ret.type.c_type = pointee + " *";
      ret.lifetime.own = ir::Own::Borrowed;
      // An empty view's data() may be NULL (an empty std::span or vector): NULL is the empty value.
      ret.lifetime.null = ir::NullMeaning::Empty;
      ret.lifetime.from = borrow_source(f);
      if (ret.lifetime.from.empty())
        throw Unsupported{"returns a view with no owner: only methods (borrowing from this) or functions with a [[clang::lifetimebound]] parameter may"};
      if (ret.needs_status || !f.is_noexcept) {
        ret.needs_status = true;
        ret.outs = {{pointee + " **", "out", fmt::format("dir: out, own: borrow, from: {}, nullable: empty, length: {{out: out_len}}", ret.lifetime.from)},
                    {"size_t *", "out_len", ""}};
        ret.store.push_back(fmt::format("*out = {}.data();", r));
        ret.store.push_back(fmt::format("*out_len = {}.size();", r));
        return ret;
      }
      ret.direct_type = pointee + " *";
      if (elements) ret.type.kind = elements_kind(v.element->scalar);
      ret.outs = {{"size_t *", "len", ""}};
      ret.length = {ir::Length::Kind::OutParam, "len"};
      ret.direct_pre.push_back("*len = r.size();");
      ret.direct_return = "r.data()";
      return ret;
    }
    auto [c_type, conv] = single_value(v, f, r, ret);
    if (optional && ret.type.kind == ir::TypeKind::Handle && ret.lifetime.own == ir::Own::Borrowed)
      throw Unsupported{"returns an optional reference"};
    ret.needs_status = ret.needs_status || !f.is_noexcept;
    if (ret.needs_status) {
      // A std::unique_ptr result may be null: C gets NULL through `out` with <LIB>_OK.
      std::string ann = ret.type.kind != ir::TypeKind::Handle ? ""
                        : ret.lifetime.own == ir::Own::Owned
                            ? (ret.lifetime.null == ir::NullMeaning::Absent ? "dir: out, own: full, nullable: absent" : "dir: out, own: full")
                        : ret.lifetime.own == ir::Own::Static ? "dir: out, own: static"
                                                              : fmt::format("dir: out, own: borrow, from: {}", ret.lifetime.from);
      ret.outs = {{c_type + (c_type.back() == '*' ? "*" : " *"), "out", ann}};
      // A struct goes through put(): one copy of its bytes when the layouts match, which lets GCC
      // store the registers the C++ function returned it in straight through `out` (emit_shims).
      ret.store.push_back(ret.type.kind == ir::TypeKind::Record ? fmt::format("put(out, {});", r)
                                                                : fmt::format("*out = {};", conv));
      if (!optional && conv == "r") {
        ret.bind_r = false;
        ret.store = {"*out = CALL;"};
      }
      return ret;
    }
    ret.direct_type = c_type;
    ret.direct_return = conv;
    if (conv == "r") {
      ret.bind_r = false;
      ret.direct_return = "CALL";
    }
    return ret;
  }

  // ---- functions ----------------------------------------------------------------------------

  void plan_function(const CxxFunction& f) {
    try {
      Shim s = shim_for(f);
      // Two C++ names can meet in C (a method `destroy`, `add_point` next to an overload set):
      // the first declared keeps the name, the other is reported.
      for (const auto& other : plan_.shims)
        if (other.c_name == s.c_name)
          throw Unsupported{fmt::format("its C name '{}' is already taken by another declaration", s.c_name)};
      plan_.shims.push_back(std::move(s));
    } catch (const Unsupported& u) {
      plan_.skipped.push_back({f.qualified_name, u.reason, f.location});
    }
  }

  Shim shim_for(const CxxFunction& f) {
    Shim s;
    const HandlePlan* owner = nullptr;
    std::string cls_snake;
    if (!f.class_name.empty()) {
      if (record(f.class_name)) throw Unsupported{"a member of a plain struct (passed by value in C)"};
      owner = handle(f.class_name);
      if (!owner) throw Unsupported{"its class is not bound"};
      cls_snake = owner->c_name.substr(plan_.prefix.size());
      const CxxClass* cls = api_.find_class(f.class_name);
      if (f.kind == CxxFunction::Kind::Constructor && (cls->abstract || owner->destroy.empty()))
        throw Unsupported{"a constructor of a class that C cannot own (abstract, or no public destructor)"};
    }
    std::string base = f.kind == CxxFunction::Kind::Constructor ? "new" : snake_case(f.name);
    std::string host = f.bound_as.empty() ? base + overload_suffix(f) : f.bound_as;
    if (const FunctionEntry* e = entry_for(f, plan_.prefix + (owner ? cls_snake + "_" : "") + host)) {
      if (!e->skip.empty()) throw Unsupported{"skip: " + e->skip};
      if (!e->name.empty()) host = e->name;
    }
    // A free function already named after the library keeps its name: double_input stays
    // double_input, not double_input_double_input.
    bool prefixed = !owner && (host == plan_.library || host.rfind(plan_.prefix, 0) == 0);
    s.c_name = (prefixed ? "" : plan_.prefix) + (owner ? cls_snake + "_" : "") + host;
    if (prefixed) host = host == plan_.library ? host : host.substr(plan_.prefix.size());
    s.ir.c_name = s.c_name;
    s.ir.name = host;
    s.ir.class_name = owner ? ir_name(owner->cxx_name) : "";
    s.ir.location = f.location;
    s.doc = f.doc;
    int index = 0;
    std::vector<std::string> args;
    bool allocates = false;
    if (f.kind == CxxFunction::Kind::Method) {
      std::string c_type = owner->pointer(f.is_const);
      s.params.push_back({c_type, "self", ""});
      ir::Param self = ir_param("self", index++, c_type, ir::ParamRole::Self, handle_type(*owner, f.is_const));
      self.lifetime.own = ir::Own::Borrowed;
      s.ir.params.push_back(self);
      s.ir.role = ir::FunctionRole::Method;
    } else if (f.kind == CxxFunction::Kind::Static) {
      s.ir.role = ir::FunctionRole::Static;
      s.annotation = "role: static, of: " + owner->c_name;
    } else if (f.kind == CxxFunction::Kind::Constructor) {
      s.ir.role = ir::FunctionRole::Constructor;
      s.annotation = "role: constructor, of: " + owner->c_name;
    }
    std::vector<std::string> defaults;
    for (const auto& p : f.params) {
      Arg a = map_param(p, index);
      index += static_cast<int>(a.c.size());
      s.params.insert(s.params.end(), a.c.begin(), a.c.end());
      s.ir.params.insert(s.ir.params.end(), a.ir.begin(), a.ir.end());
      args.push_back(a.expr);
      allocates = allocates || a.allocates;
      if (!p.default_value.empty()) defaults.push_back(fmt::format("`{}` defaults to `{}` in C++.", p.name, p.default_value));
    }
    // bindery's C reader makes a function whose first parameter is a handle a method of it; a free
    // C++ function (pick(const Shelf&, …)) says it stays free.
    if (s.ir.role == ir::FunctionRole::Free && !s.ir.params.empty() && s.ir.params[0].type.kind == ir::TypeKind::Handle)
      s.annotation = "role: free";
    std::string arglist;
    for (const auto& a : args) arglist += (arglist.empty() ? "" : ", ") + a;
    std::string call;
    Ret ret;
    if (f.kind == CxxFunction::Kind::Constructor) {
      ret.needs_status = true;
      ret.type = handle_type(*owner, false);
      ret.lifetime.own = ir::Own::Owned;
      ret.outs = {{owner->pointer() + "*", "out", ""}};
      ret.store = {fmt::format("*out = reinterpret_cast<{}>(new {}({}));", owner->pointer(), owner->cxx_name, arglist)};
      ret.bind_r = false;
      ret.allocates = true;
    } else {
      if (f.kind == CxxFunction::Kind::Method)
        call = fmt::format("reinterpret_cast<{}{} *>(self)->{}({})", f.is_const ? "const " : "", owner->cxx_name, f.name, arglist);
      else
        call = fmt::format("{}({})", f.qualified_name, arglist);
      ret = map_return(f);
    }
    s.status = ret.needs_status || allocates || !f.is_noexcept;
    s.can_throw = allocates || ret.allocates || !f.is_noexcept;
    auto replace_call = [&](std::string line) {
      auto pos = line.find("CALL");
      if (pos != std::string::npos) line.replace(pos, 4, call);
      return line;
    };
    if (s.status) {
      s.c_return = "int";
      // Only a std::optional result can end in <LIB>_NONE: the eof code is the function's, not the
      // convention's, so hosts give "none" (None / nil / null) only where C++ said it may be absent.
      bool may_be_none = f.returns.kind == K::Optional;
      s.annotation += std::string(s.annotation.empty() ? "" : ", ") +
                      (may_be_none ? fmt::format("result: {{convention: {}status, eof: [{}NONE]}}", plan_.prefix, plan_.upper)
                                   : "result: " + plan_.prefix + "status");
      for (auto& o : ret.outs) {
        s.params.push_back(o);
        ir::Type t = ret.type;
        ir::Param p = ir_param(o.name, index++, o.c_type, ir::ParamRole::Output, o.name == "out" ? t : scalar_type(ir::Scalar::U64));
        if (o.name == "out") p.lifetime = ret.lifetime;
        // A text or array result: `out_len` receives its element count (bytes for text), hidden
        // from hosts, which get the output exactly that long (NULs included).
        if (o.name == "out_len") {
          p.role = ir::ParamRole::Length;
          p.length_of = "out";
          s.ir.params.back().size = "out_len";
        }
        s.ir.params.push_back(p);
      }
      if (ret.bind_r) s.body.push_back(replace_call("auto &&r = CALL;"));
      if (f.returns.kind == K::Optional) s.body.push_back(fmt::format("if (!r) return {}NONE;", plan_.upper));
      for (const auto& line : ret.store) s.body.push_back(replace_call(line));
      s.body.push_back(fmt::format("return {}OK;", plan_.upper));
      s.ir.result.kind = ir::ResultKind::Status;
      s.ir.result.convention = plan_.prefix + "status";
      if (may_be_none) s.ir.result.eof = {plan_.upper + "NONE"};
      s.ir.returns = scalar_type(ir::Scalar::I32);
    } else {
      s.c_return = ret.direct_type;
      for (auto& o : ret.outs) {
        s.params.push_back(o);
        ir::Param p = ir_param(o.name, index++, o.c_type, ir::ParamRole::Length, scalar_type(ir::Scalar::U64));
        p.length_of = "return";
        s.ir.params.push_back(p);
      }
      if (!ret.direct_pre.empty() || !ret.direct_return.empty()) {
        if (ret.bind_r) s.body.push_back(replace_call("auto &&r = CALL;"));
        for (const auto& line : ret.direct_pre) s.body.push_back(replace_call(line));
        if (!ret.direct_return.empty()) s.body.push_back("return " + replace_call(ret.direct_return) + ";");
      }
      if (!ret.outs.empty()) {
        s.annotation += std::string(s.annotation.empty() ? "" : ", ") +
                        fmt::format("returns: {{own: borrow, from: {}, nullable: empty, length: {{out: len}}}}", ret.lifetime.from);
      } else if (ret.type.kind == ir::TypeKind::Handle && ret.lifetime.own == ir::Own::Borrowed) {
        s.annotation += std::string(s.annotation.empty() ? "" : ", ") + fmt::format("returns: {{own: borrow, from: {}}}", ret.lifetime.from);
      } else if (ret.type.kind == ir::TypeKind::Handle && ret.lifetime.own == ir::Own::Owned) {
        s.annotation += std::string(s.annotation.empty() ? "" : ", ") + "returns: {own: full, nullable: absent}";
      } else if (ret.type.kind == ir::TypeKind::Handle) {
        s.annotation += std::string(s.annotation.empty() ? "" : ", ") + "returns: {own: static}";
      }
      s.ir.result.kind = ret.type.kind == ir::TypeKind::Void ? ir::ResultKind::Void : ir::ResultKind::Value;
      s.ir.returns = ret.type;
      s.ir.returns_lifetime = ret.lifetime;
      s.ir.returns_length = ret.length;
    }
    // What a C caller must know that the C++ comment does not say.
    std::vector<std::string> notes = defaults;
    if (s.status) notes.push_back(fmt::format("Returns {}OK, or an error code with the message in {}last_error().", plan_.upper, plan_.prefix));
    if (f.returns.kind == K::Optional) notes.push_back(fmt::format("Returns {}NONE, and writes nothing, when the result is empty.", plan_.upper));
    if (ret.lifetime.own == ir::Own::Owned && ret.type.kind == ir::TypeKind::Str)
      notes.push_back(fmt::format("`*out` holds `*out_len` bytes and a NUL; release it with {}free().", plan_.prefix));
    if (ret.lifetime.own == ir::Own::Owned && ret.type.kind == ir::TypeKind::Slice)
      notes.push_back(fmt::format("`*out` holds `*out_len` elements; release it with {}free().", plan_.prefix));
    if (ret.lifetime.own == ir::Own::Owned && ret.type.kind == ir::TypeKind::Handle && f.kind != CxxFunction::Kind::Constructor)
      notes.push_back(fmt::format("The caller owns the result: release it with {}_destroy().", ret.type.c_type.substr(0, ret.type.c_type.find(' '))));
    if (ret.lifetime.own == ir::Own::Borrowed)
      notes.push_back(fmt::format("The result is borrowed from `{}`: valid while it lives and is not modified.", ret.lifetime.from));
    if (ret.lifetime.null == ir::NullMeaning::Empty) notes.push_back("An empty result may be NULL (with a length of 0).");
    if (ret.lifetime.null == ir::NullMeaning::Absent && ret.type.kind == ir::TypeKind::Handle)
      notes.push_back("`*out` may be NULL (an empty std::unique_ptr).");
    if (f.kind == CxxFunction::Kind::Constructor)
      notes.push_back(fmt::format("On success `*out` is a new object: release it with {}.", owner->destroy));
    for (const auto& n : notes) s.doc += (s.doc.empty() ? "" : "\n") + n;
    return s;
  }

  // ---- the IR module ------------------------------------------------------------------------

  void build_module() {
    ir::Module& m = plan_.module;
    m.library = base_.library;
    m.cxx_namespace = base_.cxx_namespace;
    m.prefix_strip = plan_.prefix;
    m.headers = base_.headers;
    m.include_dirs = base_.include_dirs;
    m.defines = base_.defines;
    m.sources = base_.sources;
    m.link = base_.link;
    for (const auto& h : plan_.handles) {
      ir::Handle ih;
      ih.name = ir_name(h.cxx_name);
      ih.c_name = h.c_name;
      ih.destroy = h.destroy;
      ih.pointer_c_type = h.pointer();
      ih.kind = h.destroy.empty() ? ir::Handle::Kind::OpaqueBorrowed : ir::Handle::Kind::Owned;
      ih.doc = h.doc;
      m.handles.push_back(ih);
    }
    for (const auto& r : plan_.records) {
      ir::Record ir_r;
      ir_r.name = ir_name(r.cxx_name);
      ir_r.c_name = r.c_name;
      ir_r.doc = r.doc;
      const CxxClass* cls = api_.find_class(r.cxx_name);
      for (size_t i = 0; i < r.fields.size(); ++i) {
        const auto& ft = cls->fields[i].type;
        ir::Type t = ft.kind == K::Enum ? ir::Type{ir::TypeKind::Enum, ir::Scalar::I32, ir_name(ft.name), r.fields[i].first, ""}
                                        : scalar_type(ft.scalar);
        ir_r.fields.push_back({r.fields[i].second, t, r.field_docs[i]});
      }
      m.records.push_back(ir_r);
    }
    for (size_t i = 0; i < plan_.enums.size(); ++i) {
      const auto& e = plan_.enums[i];
      ir::Enum ie;
      ie.name = ir_name(e.cxx_name);
      ie.c_name = e.c_name;
      ie.doc = e.doc;
      // Host names follow from the C names by the C frontend's own rule, so that reading the
      // header back gives the same names: the enumerators' common prefix (<LIB>_<ENUM>_) goes, and
      // a name that would start with a digit gets a '_'.
      std::vector<std::string> c_names;
      for (const auto& [c_name, number] : e.values) c_names.push_back(c_name);
      std::string strip = common_prefix(c_names);
      for (size_t v = 0; v < e.values.size(); ++v) {
        std::string name = strip_prefix(e.values[v].first, strip);
        if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) name = "_" + name;
        ie.values.push_back({name, e.values[v].first, e.values[v].second, e.docs[v]});
      }
      m.enums.push_back(ie);
    }
    ir::ErrorConvention status;
    status.name = plan_.prefix + "status";
    status.ok = {plan_.upper + "OK"};
    status.message = plan_.prefix + "last_error()";
    m.conventions.push_back(status);
    for (const auto& s : plan_.shims) m.functions.push_back(s.ir);
    for (const auto& sk : plan_.skipped)
      m.unbound.push_back({sk.qualified_name, ir::Unbound::Kind::Skipped, sk.reason, "", sk.location});
  }

  const CxxApi& api_;
  const ir::Module& base_;
  Diagnostics& diags_;
  const Requests& requests_;
  std::vector<bool> entry_used_;      ///< per requests_.functions: matched a function
  std::vector<bool> entry_reported_;  ///< per requests_.functions: an error was reported
  Plan plan_;
};

}  // namespace

std::string c_scalar(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::Bool: return "bool";
    case ir::Scalar::Char: return "char";
    case ir::Scalar::I8: return "int8_t";
    case ir::Scalar::I16: return "int16_t";
    case ir::Scalar::I32: return "int32_t";
    case ir::Scalar::I64: return "int64_t";
    case ir::Scalar::U8: return "uint8_t";
    case ir::Scalar::U16: return "uint16_t";
    case ir::Scalar::U32: return "uint32_t";
    case ir::Scalar::U64: return "uint64_t";
    case ir::Scalar::F32: return "float";
    case ir::Scalar::F64: return "double";
  }
  return "int";
}

Plan make_plan(const frontend::cxx::CxxApi& api, const ir::Module& base, Diagnostics& diags, const Requests& requests) {
  return Planner(api, base, diags, requests).run();
}

}  // namespace bindery::backends::c
