// Lowering of everything but functions: handles, enums, records, constants, error conventions.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "bindery/config/rule_matching.hpp"
#include "bindery/ir/lowering_context.hpp"
#include "bindery/ir/scalars.hpp"
#include "bindery/support/naming.hpp"

namespace bindery::ir {

namespace fs = std::filesystem;

bool LoweringContext::Role::claims(const std::string& function) const {
  if (std::find(own_functions.begin(), own_functions.end(), function) != own_functions.end()) return true;
  return functions.match(function).has_value();
}

namespace {

/// The handle a pointee's name declares (pointer typedefs excluded: they name the pointer).
std::optional<std::string> pointee_handle_named(const LoweringContext& ctx, const std::string& c_name, const std::string& function) {
  if (auto it = ctx.handle_by_c_name.find(c_name); it != ctx.handle_by_c_name.end()) return it->second;
  if (auto it = ctx.roles_by_c_name.find(c_name); it != ctx.roles_by_c_name.end())
    for (const auto& role : it->second)
      if (role.claims(function)) return role.handle;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> LoweringContext::handle_named(const std::string& c_name, const std::string& function) const {
  if (auto it = handle_by_pointer_typedef.find(c_name); it != handle_by_pointer_typedef.end()) return it->second;
  return pointee_handle_named(*this, c_name, function);
}

std::optional<std::string> LoweringContext::handle_for(const frontend::CType& type, const std::string& function) const {
  for (const auto& name : type.names)
    if (auto handle = pointee_handle_named(*this, name, function)) return handle;
  return std::nullopt;
}

std::optional<std::string> LoweringContext::handle_of_pointer(const frontend::CType& pointer, const std::string& function) const {
  for (const auto& name : pointer.names)
    if (auto it = handle_by_pointer_typedef.find(name); it != handle_by_pointer_typedef.end()) return it->second;
  if (pointer.kind != frontend::CType::Kind::Pointer || !pointer.element) return std::nullopt;
  return handle_for(*pointer.element, function);
}

std::vector<std::string> LoweringContext::roles_of(const frontend::CType& type) const {
  std::vector<std::string> handles;
  for (const auto& name : type.names)
    if (auto it = roles_by_c_name.find(name); it != roles_by_c_name.end()) {
      for (const auto& role : it->second) handles.push_back(role.handle);
      break;
    }
  return handles;
}

std::optional<std::string> LoweringContext::enum_for(const frontend::CType& type) const {
  for (const auto& name : type.names)
    if (auto it = enum_by_c_name.find(name); it != enum_by_c_name.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> LoweringContext::record_for(const frontend::CType& type) const {
  for (const auto& name : type.names)
    if (auto it = record_by_c_name.find(name); it != record_by_c_name.end()) return it->second;
  return std::nullopt;
}

std::string LoweringContext::stripped(const std::string& c_name) const {
  return strip_prefix(c_name, config.prefix_strip);
}

SourceLocation LoweringContext::relative(const SourceLocation& where) const {
  if (where.file.empty()) return where;
  fs::path rel = fs::path(where.file).lexically_relative(config.dir);
  if (rel.empty() || rel.native().rfind("..", 0) == 0) return where;
  return {rel.string(), where.line, where.column};
}

namespace {

std::string type_class_name(const LoweringContext& ctx, const std::string& c_name) {
  std::string base = c_name;
  for (const char* keyword : {"struct ", "union ", "enum "})
    if (base.rfind(keyword, 0) == 0) base = base.substr(std::string(keyword).size());
  base = strip_type_suffix(base);
  std::string stripped = ctx.stripped(base);
  // "tarball" with prefix "tarball_" stays "tarball"; "fx_counter" becomes "counter".
  return camel_case(stripped.empty() ? base : stripped);
}

/// `typedef T *name;`: a handle declared on it is passed as the typedef itself, not as `name *`.
bool is_pointer_typedef(const LoweringContext& ctx, const std::string& c_name) {
  return std::any_of(ctx.tu.typedefs.begin(), ctx.tu.typedefs.end(), [&](const frontend::TypedefDecl& td) {
    return td.name == c_name && td.underlying.kind == frontend::CType::Kind::Pointer;
  });
}

/// Every name a C type is known by: the record's or the typedef's names.
std::vector<std::string> names_of_type(const LoweringContext& ctx, const std::string& c_name) {
  if (const auto* record = ctx.tu.find_record(c_name)) return record->names;
  for (const auto& td : ctx.tu.typedefs)
    if (td.name == c_name) {
      std::vector<std::string> names = {c_name};
      for (const auto& n : td.underlying.names)
        if (n != c_name) names.push_back(n);
      return names;
    }
  return {};
}

/// In-header BINDERY(...) on a typedef or struct, as a TypeSpec layer under bindery.yaml's.
std::vector<config::TypeSpec> header_type_specs(LoweringContext& ctx) {
  std::vector<config::TypeSpec> specs;
  auto collect = [&](const std::string& c_name, const frontend::Attributes& attrs) {
    for (const auto& [text, where] : attrs.annotations) {
      YAML::Node node = config::parse_annotation_text(text, where, ctx.diags);
      if (!node) continue;
      config::MarkMapper mapper = config::at_location(where);
      specs.push_back(config::parse_type_spec(c_name, node, mapper, ctx.diags));
    }
  };
  for (const auto& td : ctx.tu.typedefs) collect(td.name, td.attributes);
  for (const auto& r : ctx.tu.records)
    if (!r.names.empty()) collect(r.names.front(), r.attributes);
  return specs;
}

/// A pinned type: the binding owns the struct's storage; `init` functions fill it in place.
void lower_pinned(LoweringContext& ctx, const config::TypeSpec& spec, Handle& h) {
  h.pinned = true;
  const auto* record = ctx.tu.find_record(spec.c_name);
  if (!record || !record->complete) {
    ctx.diags.error(spec.kind.where, fmt::format("pinned type '{}' must be a complete struct", spec.c_name),
                    "the binding allocates it, so its size must be known");
    return;
  }
  if (!spec.init || spec.init->empty())
    ctx.diags.error(spec.kind.where, fmt::format("pinned type '{}' needs init: [functions that initialise it]", spec.c_name));
  for (const auto& fn : spec.init.value.value_or(std::vector<std::string>{})) {
    if (!ctx.tu.find_function(fn)) ctx.diags.error(spec.init.where, fmt::format("init function '{}' is not declared in the headers", fn));
    else ctx.init_of[fn] = h.name;
  }
  for (const auto& preset : spec.fields_preset.value.value_or(std::vector<std::pair<std::string, std::string>>{})) {
    const std::string& field = preset.first;
    bool exists = std::any_of(record->fields.begin(), record->fields.end(), [&](const auto& f) { return f.name == field; });
    if (!exists) ctx.diags.error(spec.fields_preset.where, fmt::format("'{}' has no field '{}'", spec.c_name, field));
    h.fields_preset.push_back(preset);
  }
}

void lower_handles(LoweringContext& ctx) {
  std::vector<config::TypeSpec> specs = header_type_specs(ctx);
  for (const auto& spec : ctx.config.types) {
    auto same = std::find_if(specs.begin(), specs.end(), [&](const config::TypeSpec& s) { return s.c_name == spec.c_name; });
    if (same == specs.end()) specs.push_back(spec);
    else same->merge(spec);
  }
  // A type with roles is one handle per role.
  std::vector<config::TypeSpec> expanded;
  for (auto& spec : specs) {
    if (spec.roles.empty() || spec.skip) expanded.push_back(std::move(spec));
    else
      for (auto& role : spec.roles) expanded.push_back(std::move(role));
  }
  specs = std::move(expanded);
  // First pass: names, so `parent:` may refer to a type declared later.
  struct Declared {
    const config::TypeSpec* spec;
    std::string ir_name;
  };
  std::vector<Declared> handles;
  for (const auto& spec : specs) {
    std::vector<std::string> names = names_of_type(ctx, spec.c_name);
    if (names.empty()) {
      ctx.diags.error(spec.where, fmt::format("type '{}' is not declared in the headers", spec.c_name),
                      "types: keys are C type names as written: a typedef (tarball_t) or 'struct name'");
      continue;
    }
    if (spec.skip) continue;
    std::string kind = spec.kind.value.value_or("");
    if (kind == "value") continue;  // records are bound by value anyway; nothing more to do
    if (kind != "handle" && kind != "opaque_borrowed" && kind != "pinned") {
      ctx.diags.error(spec.kind ? spec.kind.where : spec.where,
                      kind.empty() ? fmt::format("type '{}' needs a kind", spec.c_name)
                                   : fmt::format("unknown kind '{}' for type '{}'", kind, spec.c_name),
                      "kind: handle | pinned | opaque_borrowed | value");
      continue;
    }
    std::string ir_name = spec.name ? *spec.name : type_class_name(ctx, spec.c_name);
    if (is_pointer_typedef(ctx, spec.c_name)) {
      if (spec.functions || kind == "pinned")
        ctx.diags.error(spec.where, fmt::format("'{}' is a pointer typedef: it cannot be pinned or bound in roles", spec.c_name),
                        "declare the struct it points to instead");
      ctx.handle_by_pointer_typedef[spec.c_name] = ir_name;
    } else if (spec.functions) {
      config::RuleSpec pattern;
      pattern.is_regex = spec.functions->size() >= 2 && spec.functions->front() == '/' && spec.functions->back() == '/';
      pattern.pattern = pattern.is_regex ? spec.functions->substr(1, spec.functions->size() - 2) : *spec.functions;
      pattern.where = spec.functions.where;
      LoweringContext::Role role{ir_name, config::RuleMatcher(pattern, ctx.diags), spec.init.value.value_or(std::vector<std::string>{})};
      if (spec.destroy) role.own_functions.push_back(*spec.destroy);
      for (const auto& n : names) ctx.roles_by_c_name[n].push_back(role);
    } else {
      for (const auto& n : names) ctx.handle_by_c_name[n] = ir_name;
    }
    handles.push_back({&spec, ir_name});
  }
  for (const auto& [spec, ir_name] : handles) {
    Handle h;
    h.c_name = spec->c_name;
    h.pointer_c_type = ctx.handle_by_pointer_typedef.count(h.c_name) ? h.c_name : h.c_name + " *";
    h.name = ir_name;
    std::string kind = spec->kind.value.value_or("");
    h.kind = kind == "opaque_borrowed" ? Handle::Kind::OpaqueBorrowed : Handle::Kind::Owned;
    if (kind == "pinned") lower_pinned(ctx, *spec, h);
    else if (spec->init || spec->fields_preset)
      ctx.diags.error(spec->init ? spec->init.where : spec->fields_preset.where, "init and fields_preset are for kind: pinned");
    h.thread = spec->thread.value.value_or("affine");
    if (h.thread != "free" && h.thread != "affine" && h.thread != "serialized")
      ctx.diags.error(spec->thread.where, fmt::format("unknown thread policy '{}'", h.thread), "thread: free | affine | serialized");
    if (const auto* record = ctx.tu.find_record(spec->c_name)) {
      h.doc = record->doc;
      h.location = ctx.relative(record->location);
    }
    for (const auto& td : ctx.tu.typedefs)
      if (td.name == spec->c_name) {
        if (h.doc.empty()) h.doc = td.doc;
        h.location = ctx.relative(td.location);
      }
    if (spec->doc) h.doc = *spec->doc;
    if (h.kind == Handle::Kind::Owned) {
      if (!spec->destroy) {
        ctx.diags.error(spec->where, fmt::format("handle type '{}' has no destroy function", spec->c_name),
                        "add destroy: <the function that frees it>, or kind: opaque_borrowed if the library owns it");
      } else if (const auto* fn = ctx.tu.find_function(*spec->destroy); !fn) {
        ctx.diags.error(spec->destroy.where, fmt::format("destroy function '{}' is not declared in the headers", *spec->destroy));
      } else if (fn->signature.params.empty() || ctx.handle_of_pointer(fn->signature.params[0].type, fn->name) != h.name) {
        ctx.diags.error(spec->destroy.where,
                        fmt::format("destroy function '{}' does not take a '{}' as its first parameter", *spec->destroy, h.pointer_c_type));
      } else {
        h.destroy = *spec->destroy;
        ctx.destroy_of[h.destroy] = h.name;
      }
    }
    if (spec->parent) {
      auto it = ctx.handle_by_c_name.find(*spec->parent);
      if (it == ctx.handle_by_c_name.end())
        ctx.diags.error(spec->parent.where, fmt::format("parent '{}' is not a handle type", *spec->parent),
                        "parent: names another type declared with kind: handle");
      else
        h.parent = it->second;
    }
    ctx.module.handles.push_back(std::move(h));
  }
}

std::string value_name(const std::string& c_name, const std::string& strip) {
  std::string name = strip_prefix(c_name, strip);
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) name = "_" + name;
  return name;
}

Scalar underlying_scalar(LoweringContext& ctx, const config::EnumSpec& spec, bool is_unsigned, int bits) {
  if (spec.underlying.empty()) return integer_scalar(bits, !is_unsigned);
  if (auto s = scalar_from_name(spec.underlying)) return *s;
  ctx.diags.error(spec.where, fmt::format("unknown underlying type '{}'", spec.underlying),
                  "use a C integer type: int, unsigned, int64_t, uint32_t, …");
  return Scalar::I32;
}

void lower_enums(LoweringContext& ctx) {
  std::map<std::string, const config::EnumSpec*> refinements;
  for (const auto& spec : ctx.config.enums) {
    if (!spec.c_enum.empty()) {
      if (!ctx.tu.find_enum(spec.c_enum))
        ctx.diags.error(spec.where, fmt::format("c_enum '{}' is not declared in the headers", spec.c_enum));
      refinements[spec.c_enum] = &spec;
    }
  }
  for (const auto& decl : ctx.tu.enums) {
    const config::EnumSpec* spec = nullptr;
    for (const auto& n : decl.names)
      if (auto it = refinements.find(n); it != refinements.end()) spec = it->second;
    Enum e;
    e.c_name = decl.names.empty() ? "" : decl.names.front();
    std::string base = e.c_name.empty() && !decl.constants.empty() ? common_prefix({decl.constants[0].name}) : e.c_name;
    e.name = spec ? spec->name : type_class_name(ctx, base);
    if (e.name.empty()) continue;  // an anonymous enum of constants: exposed as constants only
    e.flags = spec && spec->flags;
    e.underlying = spec ? underlying_scalar(ctx, *spec, decl.is_unsigned, decl.bits) : integer_scalar(decl.bits, !decl.is_unsigned);
    e.doc = decl.doc;
    e.location = ctx.relative(decl.location);
    std::vector<std::string> names;
    for (const auto& c : decl.constants) names.push_back(c.name);
    std::string strip = spec && !spec->strip.empty() ? spec->strip : common_prefix(names);
    for (const auto& c : decl.constants) e.values.push_back({value_name(c.name, strip), c.name, c.value, c.doc});
    for (const auto& n : decl.names) ctx.enum_by_c_name[n] = e.name;
    ctx.module.enums.push_back(std::move(e));
  }
  for (const auto& spec : ctx.config.enums) {
    if (spec.from_macros.empty()) continue;
    Enum e;
    e.name = spec.name;
    e.flags = spec.flags;
    e.location = spec.where;
    std::vector<std::string> globs = config::expand_braces(spec.from_macros);
    std::vector<const frontend::MacroConstant*> members;
    for (const auto& m : ctx.tu.macros)
      if (m.kind == frontend::MacroConstant::Kind::Int &&
          std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return config::glob_match(g, m.name); }))
        members.push_back(&m);
    if (members.empty()) {
      ctx.diags.error(spec.where, fmt::format("from_macros '{}' matches no integer macro", spec.from_macros),
                      "the glob is matched against #define names in the headers, e.g. \"SQLITE_OPEN_*\"");
      continue;
    }
    bool any_unsigned = std::any_of(members.begin(), members.end(), [](auto* m) { return m->is_unsigned; });
    e.underlying = underlying_scalar(ctx, spec, any_unsigned, 32);
    std::string strip = spec.strip;
    if (strip.empty()) {
      auto wildcard = spec.from_macros.find_first_of("*?{");
      strip = spec.from_macros.substr(0, wildcard);
    }
    for (const auto* m : members) e.values.push_back({value_name(m->name, strip), m->name, m->int_value, ""});
    ctx.enum_by_c_name[e.name] = e.name;
    ctx.module.enums.push_back(std::move(e));
  }
}

/// Why a field type has no by-value mapping ("" when it has one).
std::string field_problem(const LoweringContext& ctx, const frontend::CType& type) {
  using K = frontend::CType::Kind;
  switch (type.kind) {
    case K::Bool: case K::Char: case K::Int: case K::Float: case K::Double: return "";
    case K::Enum: return ctx.enum_for(type) ? "" : fmt::format("enum '{}' is not bound", type.spelling);
    case K::Record: return ctx.record_for(type) ? "" : fmt::format("struct '{}' is not bound by value", type.spelling);
    default: return fmt::format("field of type '{}' has no by-value mapping", type.spelling);
  }
}

void lower_records(LoweringContext& ctx) {
  // Records may nest: repeat until no new record becomes bindable.
  bool progress = true;
  std::set<std::string> done;
  while (progress) {
    progress = false;
    for (const auto& decl : ctx.tu.records) {
      if (!decl.complete || decl.is_union || decl.names.empty() || done.count(decl.names.front())) continue;
      if (ctx.handle_by_c_name.count(decl.names.front())) continue;  // a handle, not a value
      std::string problem;
      for (const auto& f : decl.fields)
        if (problem.empty()) {
          std::string p = field_problem(ctx, f.type);
          if (!p.empty()) problem = fmt::format("{} ('{}')", p, f.name);
        }
      if (!problem.empty()) {
        for (const auto& n : decl.names) ctx.unbindable_records[n] = problem;
        continue;
      }
      Record r;
      r.c_name = decl.spelling.empty() ? decl.names.front() : decl.names.front();
      r.name = type_class_name(ctx, decl.names.front());
      r.doc = decl.doc;
      r.location = ctx.relative(decl.location);
      for (const auto& f : decl.fields) {
        Field field;
        field.name = f.name;
        field.doc = f.doc;
        field.type = value_type(ctx, f.type);
        r.fields.push_back(std::move(field));
      }
      for (const auto& n : decl.names) {
        ctx.record_by_c_name[n] = r.name;
        ctx.unbindable_records.erase(n);
      }
      done.insert(decl.names.front());
      ctx.module.records.push_back(std::move(r));
      progress = true;
    }
  }
}

void lower_constants(LoweringContext& ctx) {
  for (const auto& m : ctx.tu.macros) {
    Constant c;
    c.name = ctx.stripped(m.name);
    c.c_name = m.name;
    switch (m.kind) {
      case frontend::MacroConstant::Kind::Int: c.kind = Constant::Kind::Int; c.int_value = m.int_value; break;
      case frontend::MacroConstant::Kind::Float: c.kind = Constant::Kind::Float; c.float_value = m.float_value; break;
      case frontend::MacroConstant::Kind::String: c.kind = Constant::Kind::String; c.string_value = m.string_value; break;
    }
    ctx.module.constants.push_back(std::move(c));
  }
}

void lower_conventions(LoweringContext& ctx) {
  for (const auto& spec : ctx.config.conventions) {
    ErrorConvention c;
    c.name = spec.name;
    c.on = spec.type == "pointer" ? ErrorConvention::On::Pointer : ErrorConvention::On::Status;
    c.ok = spec.ok;
    c.eof = spec.eof;
    c.soft = spec.soft;
    c.negative_is_error = spec.negative_is_error;
    c.message = spec.message;
    c.code = spec.code;
    c.errno_expr = spec.errno_expr;
    c.exception = spec.exception;
    c.location = spec.where;
    if (c.on == ErrorConvention::On::Pointer) {
      if (c.ok.size() == 1 && c.ok[0] == "non_null") c.ok.clear();
    } else {
      for (const auto* list : {&c.ok, &c.eof, &c.soft})
        for (const auto& value : *list)
          if (!is_integer_literal(value) && !ctx.tu.declares(value))
            ctx.diags.error(spec.where, fmt::format("'{}' in result convention '{}' is not a macro, enum constant or integer", value, spec.name));
    }
    for (const auto& [code, kind] : spec.kinds) {
      if (!is_integer_literal(code) && !ctx.tu.declares(code))
        ctx.diags.error(spec.kinds_where, fmt::format("error code '{}' in the kinds of result convention '{}' is not a macro, enum constant or integer", code, spec.name),
                        "name a code the convention reports, e.g. kinds: {SQLITE_NOMEM: no_memory}");
      for (ErrorKind k : {ErrorKind::InvalidArgument, ErrorKind::OutOfRange, ErrorKind::NoMemory})
        if (error_kind_name(k) == kind) c.kinds.push_back({code, k});
    }
    ctx.module.conventions.push_back(std::move(c));
  }
}

}  // namespace

void lower_declarations(LoweringContext& ctx) {
  lower_handles(ctx);
  lower_enums(ctx);
  lower_records(ctx);
  lower_constants(ctx);
  lower_conventions(ctx);
}

}  // namespace bindery::ir
