// Lowering `interfaces:`: structs of function pointers the host implements (SQLite's
// sqlite3_module). Each method's arguments are classified like a callback's; the objects the
// binding allocates get their C helpers as shims (docs/ir.md, "Interfaces").
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "bindery/ir/classify.hpp"
#include "bindery/ir/lowering_context.hpp"
#include "bindery/ir/scalars.hpp"
#include "bindery/support/naming.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::ir {

namespace {

using frontend::CType;
using K = frontend::CType::Kind;

/// A C name usable inside an identifier ("struct foo" → "struct_foo").
std::string identifier_part(std::string text) {
  for (char& c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) c = '_';
  return text;
}

bool passes_messages(const Interface& interface) {
  return std::any_of(interface.methods.begin(), interface.methods.end(), [](const auto& m) { return m.error_out >= 0; }) ||
         std::any_of(interface.objects.begin(), interface.objects.end(), [](const auto& o) { return !o.error.empty(); });
}

/// The C helpers of one object the binding allocates (see ImplementedObject).
std::string object_shims(const ImplementedObject& o, const Interface& interface) {
  const std::string& c_type = o.c_name;
  const std::string& p = o.shim_prefix;
  std::string text = fmt::format(
      "/* {0}, implemented by the host for interface {1}: the library's base first, then\n"
      "   the box of the host object. */\n"
      "#include <stdlib.h>\n"
      "typedef struct {2} {{ {3} base; void *box; }} {2};\n"
      "static inline int {2}_make(void *box, {3} **out) {{\n"
      "  {2} *impl = ({2} *)calloc(1, sizeof({2}));\n"
      "  if (!impl) return 0;\n"
      "  impl->box = box;\n"
      "  *out = &impl->base;\n"
      "  return 1;\n"
      "}}\n"
      "static inline void *{2}_box({3} *self) {{ return (({2} *)self)->box; }}\n"
      "static inline void *{2}_free({3} *self) {{\n"
      "  {2} *impl = ({2} *)self;\n"
      "  void *box = impl->box;\n"
      "  free(impl);\n"
      "  return box;\n"
      "}}\n",
      c_type, interface.c_name, p, c_type);
  if (!o.error.empty())
    text += fmt::format(
        "static inline void {0}_set_error({1} *self, const char *message) {{\n"
        "  {2}({3});\n"
        "  {3} = {4};\n"
        "}}\n",
        p, c_type, interface.message_free, o.error, interface.message_alloc);
  return text;
}

class InterfaceLowering {
 public:
  InterfaceLowering(LoweringContext& ctx, const config::InterfaceSpec& spec) : ctx_(ctx), spec_(spec) {}

  void run() {
    if (!spec_.function.empty() ? read_parameters() : read_struct()) lower();
  }

 private:
  /// The methods are fields of a struct.
  bool read_struct() {
    const frontend::RecordDecl* record = ctx_.tu.find_record(spec_.c_name);
    if (!record || !record->complete || record->is_union) {
      ctx_.diags.error(spec_.where, fmt::format("interface '{}' is not a struct declared in the headers", spec_.c_name),
                       "interfaces: keys are the C struct of function pointers, e.g. sqlite3_module (or give function:)");
      return false;
    }
    interface_.c_name = record->spelling;
    interface_.table = "bindery_interface_" + identifier_part(spec_.c_name);
    interface_.doc = record->doc;
    interface_.location = ctx_.relative(record->location);
    slots_ = record->fields;
    return true;
  }

  /// The methods are the function-pointer parameters of one function (`function:`).
  bool read_parameters() {
    const frontend::FunctionDecl* function = ctx_.tu.find_function(spec_.function);
    if (!function) {
      ctx_.diags.error(spec_.where, fmt::format("interface '{}': function '{}' is not declared in the headers", spec_.c_name, spec_.function));
      return false;
    }
    if (!spec_.preset.empty() || !spec_.objects.empty())
      ctx_.diags.error(spec_.where, fmt::format("interface '{}' is made of parameters of {}: it has no fields to preset and no objects",
                                                spec_.c_name, spec_.function));
    interface_.function = function->name;
    interface_.doc = function->doc;
    interface_.location = ctx_.relative(function->location);
    for (size_t i = 0; i < function->signature.params.size(); ++i) {
      const auto& p = function->signature.params[i];
      slots_.push_back({p.name.empty() ? fmt::format("${}", i) : p.name, p.type, ""});
    }
    return true;
  }

  void lower() {
    interface_.name = spec_.name.empty() ? camel_case(strip_type_suffix(ctx_.stripped(spec_.c_name))) : spec_.name;
    interface_.key = spec_.c_name;
    interface_.ok = spec_.ok;
    interface_.error = spec_.error;
    interface_.message_alloc = spec_.message_alloc;
    interface_.message_free = spec_.message_free;
    for (const auto& [field, value] : spec_.preset) {
      if (!slot_named(field))
        ctx_.diags.error(spec_.where, fmt::format("preset: '{}' is not a field of {}", field, spec_.c_name));
      interface_.preset.emplace_back(field, value);
    }
    for (const auto& o : spec_.objects) lower_object(o);
    for (const auto& m : spec_.methods) lower_method(m);
    bool returns_status = std::any_of(interface_.methods.begin(), interface_.methods.end(), [](const InterfaceMethod& m) {
      return m.returns == InterfaceMethod::Returns::Status && m.ret && m.ret->type.kind != TypeKind::Void;
    });
    if (returns_status && (spec_.ok.empty() || spec_.error.empty()))
      ctx_.diags.error(spec_.where, fmt::format("interface '{}' needs status: {{ok: CODE, error: CODE}}", spec_.c_name),
                       "what a method returns when the host's method succeeds, and when it raises");
    // Methods in field order: the static table is written in declaration order (C++ designated
    // initializers must be).
    auto position = [&](const std::string& field) {
      for (size_t i = 0; i < slots_.size(); ++i)
        if (slots_[i].name == field) return i;
      return slots_.size();
    };
    std::stable_sort(interface_.methods.begin(), interface_.methods.end(),
                     [&](const InterfaceMethod& a, const InterfaceMethod& b) { return position(a.field) < position(b.field); });
    std::stable_sort(interface_.preset.begin(), interface_.preset.end(),
                     [&](const auto& a, const auto& b) { return position(a.first) < position(b.first); });
    bool needs_messages = passes_messages(interface_);
    if (needs_messages && (spec_.message_alloc.empty() || spec_.message_free.empty()))
      ctx_.diags.error(spec_.where, fmt::format("interface '{}' passes error messages but has no message: {{alloc:, free:}}", spec_.c_name),
                       "message: {alloc: \"sqlite3_mprintf(\\\"%s\\\", message)\", free: sqlite3_free} — how the library's messages are allocated");
    ctx_.module.interfaces.push_back(std::move(interface_));
  }

  const frontend::FieldDecl* slot_named(const std::string& name) const {
    for (const auto& f : slots_)
      if (f.name == name) return &f;
    return nullptr;
  }

  void lower_object(const config::ImplementedObjectSpec& spec) {
    const frontend::RecordDecl* record = ctx_.tu.find_record(spec.c_name);
    if (!record || !record->complete || record->is_union) {
      ctx_.diags.error(spec.where, fmt::format("object '{}' is not a struct declared in the headers", spec.c_name),
                       "the binding embeds the struct as the base of the objects it allocates: it must be complete");
      return;
    }
    ImplementedObject o;
    o.c_name = record->spelling;
    o.name = spec.name.empty() ? camel_case(strip_type_suffix(ctx_.stripped(spec.c_name))) : spec.name;
    o.error = spec.error;
    o.shim_prefix = "bindery_impl_" + identifier_part(spec.c_name);
    o.doc = record->doc;
    records_.emplace_back(record);
    interface_.objects.push_back(std::move(o));
  }

  /// The object a pointer type points to, if it is one of this interface's.
  const ImplementedObject* object_of(const CType& pointer) {
    if (pointer.kind != K::Pointer || !pointer.element) return nullptr;
    for (size_t i = 0; i < records_.size(); ++i)
      if (names_record(*pointer.element, *records_[i])) return &interface_.objects[i];
    return nullptr;
  }

  void lower_method(const config::InterfaceMethodSpec& spec) {
    const frontend::FieldDecl* field = slot_named(spec.field);
    if (!field || field->type.kind != K::Pointer || !field->type.element || field->type.element->kind != K::Function) {
      ctx_.diags.error(spec.where, spec_.function.empty()
                                       ? fmt::format("'{}' is not a function-pointer field of {}", spec.field, spec_.c_name)
                                       : fmt::format("'{}' is not a function-pointer parameter of {}", spec.field, spec_.function));
      return;
    }
    const frontend::FunctionSignature& sig = *field->type.element->function;
    InterfaceMethod m;
    m.field = spec.field;
    m.name = spec.name.empty() ? snake_case(spec.field) : spec.name;
    m.doc = field->doc;
    m.location = ctx_.relative(spec.where);
    m.releases = spec.releases;
    m.optional = spec.optional;
    for (size_t j = 0; j < sig.params.size(); ++j) {
      Param p;
      p.name = sig.params[j].name.empty() ? fmt::format("arg{}", j) : sig.params[j].name;
      p.index = static_cast<int>(j);
      p.c_type = sig.params[j].type.spelling;
      m.params.push_back(std::move(p));
    }
    bool ok = true;
    auto argument = [&](const std::string& key, const char* what) -> int {
      if (key.empty()) return -1;
      for (const auto& p : m.params)
        if (p.name == key || key == fmt::format("${}", p.index)) return p.index;
      ctx_.diags.error(spec.where, fmt::format("{}: method '{}' has no argument '{}'", what, spec.field, key),
                       fmt::format("its arguments: {}", argument_list(m)));
      ok = false;
      return -1;
    };
    m.receiver = argument(spec.receiver, "receiver");
    m.makes = argument(spec.makes, "makes");
    m.result_to = argument(spec.result_to, "result_to");
    m.error_out = argument(spec.error_out, "error_out");
    if (spec.receiver.empty() && spec.receiver_slot.empty()) {
      ctx_.diags.error(spec.where, fmt::format("method '{}' needs receiver: (the argument that finds the host object)", spec.field),
                       "the registration's user data (a void *), an object of the interface (objects:), or {slot:, factory:}");
      return;
    }
    if (!ok) return;
    m.trampoline = fmt::format("bindery_interface_{}_{}", identifier_part(spec_.c_name), identifier_part(spec.field));
    m.error_call = spec.error_call;
    for (const auto* expression : {&spec.receiver_slot, &spec.receiver_factory, &spec.error_call})
      substitute_positions(*expression, [&](size_t n) {
        if (n >= sig.params.size())
          ctx_.diags.error(spec.where, fmt::format("method '{}': '${}' names an argument it does not have", spec.field, n),
                           fmt::format("its arguments: {}", argument_list(m)));
        return std::string();
      });
    if (spec.receiver.empty()) {
      m.receiver_slot = spec.receiver_slot;
      m.receiver_factory = spec.receiver_factory;
    } else {
      classify_receiver(m, sig, spec);
    }
    classify_makes(m, sig, spec);
    classify_result_to(m, sig, spec);
    classify_error_out(m, sig, spec);
    classify_values(m, sig, spec);
    classify_return(m, sig, spec);
    interface_.methods.push_back(std::move(m));
  }

  static std::string argument_list(const InterfaceMethod& m) {
    std::vector<std::string> names;
    for (const auto& p : m.params) names.push_back(p.name);
    return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
  }

  void classify_receiver(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    Param& p = m.params[static_cast<size_t>(m.receiver)];
    const CType& t = sig.params[static_cast<size_t>(m.receiver)].type;
    p.role = ParamRole::UserData;
    if (t.kind == K::Pointer && t.element && t.element->kind == K::Void) {
      p.type = {TypeKind::HostValue, Scalar::I32, "", t.spelling, ""};
      if (spec.releases)
        ctx_.diags.error(spec.where, fmt::format("method '{}' releases its receiver, which is the registration's user data", spec.field),
                         "releases: frees an object of the interface; the user data is released by the registration's destroy");
    } else if (const ImplementedObject* o = object_of(t)) {
      m.receiver_object = o->c_name;
      p.type = {TypeKind::Void, Scalar::I32, "", t.spelling, ""};
    } else {
      ctx_.diags.error(spec.where, fmt::format("receiver '{}' of method '{}' is '{}': neither a void * nor an object of {}",
                                               p.name, spec.field, t.spelling, spec_.c_name),
                       "list the struct under objects: to let the binding allocate it around a host object");
    }
  }

  void classify_makes(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    if (m.makes < 0) return;
    Param& p = m.params[static_cast<size_t>(m.makes)];
    const CType& t = sig.params[static_cast<size_t>(m.makes)].type;
    const ImplementedObject* o = t.kind == K::Pointer && t.element ? object_of(*t.element) : nullptr;
    if (!o) {
      ctx_.diags.error(spec.where, fmt::format("makes: '{}' of method '{}' is '{}', not a pointer to an object pointer of {}",
                                               p.name, spec.field, t.spelling, spec_.c_name));
      return;
    }
    if (spec.optional)
      ctx_.diags.error(spec.where, fmt::format("method '{}' makes an object: it cannot be optional", spec.field));
    m.makes_object = o->c_name;
    p.role = ParamRole::Output;
    p.type = {TypeKind::Void, Scalar::I32, "", t.spelling, ""};
  }

  void classify_result_to(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    if (m.result_to < 0) return;
    Param& p = m.params[static_cast<size_t>(m.result_to)];
    const CType& t = sig.params[static_cast<size_t>(m.result_to)].type;
    Type pointee = t.kind == K::Pointer && t.element && !t.element->is_const ? value_type(ctx_, *t.element) : Type{};
    if (pointee.kind != TypeKind::Scalar && pointee.kind != TypeKind::Enum) {
      ctx_.diags.error(spec.where, fmt::format("result_to: '{}' of method '{}' is '{}', not a pointer to a number",
                                               p.name, spec.field, t.spelling));
      return;
    }
    if (m.makes >= 0)
      ctx_.diags.error(spec.where, fmt::format("method '{}' has both makes and result_to: the host returns one thing", spec.field));
    p.role = ParamRole::Output;
    p.type = pointee;
  }

  void classify_error_out(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    if (m.error_out < 0) return;
    Param& p = m.params[static_cast<size_t>(m.error_out)];
    const CType& t = sig.params[static_cast<size_t>(m.error_out)].type;
    bool char_pp = t.kind == K::Pointer && t.element && t.element->kind == K::Pointer && t.element->element &&
                   t.element->element->kind == K::Char && !t.element->is_const;
    if (!char_pp)
      ctx_.diags.error(spec.where, fmt::format("error_out: '{}' of method '{}' is '{}', not a 'char **'", p.name, spec.field, t.spelling));
    p.role = ParamRole::Output;
    p.type = {TypeKind::Void, Scalar::I32, "", t.spelling, ""};
  }

  /// The arguments passed to the host method, classified like a callback's (lent for the call).
  void classify_values(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    auto hidden = [&](int index) { return index == m.receiver || index == m.makes || index == m.result_to || index == m.error_out; };
    auto find = [&](const std::string& key) -> Param* {
      for (auto& p : m.params)
        if (p.name == key || key == fmt::format("${}", p.index)) return &p;
      return nullptr;
    };
    for (const auto& a : spec.args) {
      Param* p = find(a.arg);
      if (!p || hidden(p->index)) {
        ctx_.diags.error(a.where, fmt::format("args: method '{}' has no argument '{}' passed to the host", spec.field, a.arg),
                         fmt::format("its arguments: {}", argument_list(m)));
        continue;
      }
      BufferArgumentProblem problem;
      p->type = buffer_argument_type(ctx_, sig.params[static_cast<size_t>(p->index)].type, a, "", problem);
      if (problem.kind != BufferArgumentProblem::Kind::None) ctx_.diags.error(a.where, problem.message);
      p->lifetime.own = Own::Borrowed;
      if (a.length.empty()) continue;
      Param* count = find(a.length);
      Type count_type = count ? value_type(ctx_, sig.params[static_cast<size_t>(count->index)].type) : Type{};
      if (!count || hidden(count->index) || count == p || !counts_elements(count_type)) {
        ctx_.diags.error(a.where, fmt::format("length '{}' of argument '{}' is not another integer argument of '{}'", a.length, a.arg, spec.field));
        continue;
      }
      count->type = count_type;
      tie_length(*p, *count);
    }
    for (auto& p : m.params) {
      if (hidden(p.index) || p.role == ParamRole::Length || p.type.kind != TypeKind::Void) continue;
      const CType& t = sig.params[static_cast<size_t>(p.index)].type;
      classify_lent_argument(ctx_, t, "", p);
      if (p.type.kind == TypeKind::Void || p.type.kind == TypeKind::Record)
        ctx_.diags.error(spec.where, fmt::format("argument '{}' of method '{}' is '{}', which has no host mapping", p.name, spec.field, t.spelling),
                         "args: {ARG: {length: COUNT}} for arrays and buffers; declare handles under types:");
    }
    for (const auto& name : spec.nullable) {
      Param* p = find(name);
      if (!p || (p->type.kind != TypeKind::Str && p->type.kind != TypeKind::Handle) || hidden(p->index))
        ctx_.diags.error(spec.where, fmt::format("nullable: '{}' is not a text or handle argument of method '{}'", name, spec.field));
      else
        p->nullable = true;
    }
  }

  void classify_return(InterfaceMethod& m, const frontend::FunctionSignature& sig, const config::InterfaceMethodSpec& spec) {
    auto ret = std::make_shared<Param>();
    ret->name = "return";
    ret->c_type = sig.result.spelling;
    ret->type = sig.result.kind == K::Void ? Type{TypeKind::Void, Scalar::I32, "", "void", ""} : value_type(ctx_, sig.result);
    bool integer = ret->type.kind == TypeKind::Scalar && ret->type.scalar != Scalar::F32 && ret->type.scalar != Scalar::F64;
    if (spec.returns == "bool") m.returns = InterfaceMethod::Returns::Bool;
    else if (spec.returns == "value") m.returns = InterfaceMethod::Returns::Value;
    if (ret->type.kind == TypeKind::Void) {  // nothing to return: errors go through error_call (or nowhere)
      if (m.returns != InterfaceMethod::Returns::Status || !spec.on_error.empty())
        ctx_.diags.error(spec.where, fmt::format("method '{}' returns void: it takes no returns: and no on_error:", spec.field));
      if (m.makes >= 0 || m.result_to >= 0)
        ctx_.diags.error(spec.where, fmt::format("method '{}' returns void: it cannot make an object or give a result", spec.field));
      m.ret = std::move(ret);
      return;
    }
    if (m.returns != InterfaceMethod::Returns::Value && !integer)
      ctx_.diags.error(spec.where, fmt::format("method '{}' returns '{}': returns: {} needs an integer", spec.field, sig.result.spelling, spec.returns),
                       "returns: value converts the host's result to the C return type");
    if (m.returns == InterfaceMethod::Returns::Value && ret->type.kind != TypeKind::Scalar && ret->type.kind != TypeKind::Enum)
      ctx_.diags.error(spec.where, fmt::format("method '{}' returns '{}', which has no host mapping", spec.field, sig.result.spelling));
    if (m.returns != InterfaceMethod::Returns::Status && (m.makes >= 0 || m.result_to >= 0))
      ctx_.diags.error(spec.where, fmt::format("method '{}' gives the host's result through an argument: its return is a status", spec.field),
                       "remove returns:, or makes:/result_to:");
    m.on_error = spec.on_error.empty() && m.returns == InterfaceMethod::Returns::Status ? spec_.error : spec.on_error;
    if (m.on_error.empty())
      ctx_.diags.error(spec.where, fmt::format("method '{}' needs on_error: (what the library sees when the host raises)", spec.field),
                       "e.g. on_error: \"1\" for an end-of-data test, so a failing scan stops");
    m.ret = std::move(ret);
  }

  LoweringContext& ctx_;
  const config::InterfaceSpec& spec_;
  Interface interface_;
  std::vector<const frontend::RecordDecl*> records_;  ///< parallel to interface_.objects
  std::vector<frontend::FieldDecl> slots_;  ///< the struct's fields, or the function's parameters
};

}  // namespace

void lower_interfaces(LoweringContext& ctx) {
  for (const auto& spec : ctx.config.interfaces) InterfaceLowering(ctx, spec).run();
}

void drop_unused_interfaces(Module& module) {
  std::set<const Interface*> used;
  for (const auto& f : module.functions)
    for (const auto& p : f.params)
      if (const Interface* interface = module.interface_passed_by(p)) used.insert(interface);
  std::vector<Interface> kept;
  for (auto& interface : module.interfaces)
    if (used.count(&interface)) kept.push_back(std::move(interface));
  module.interfaces = std::move(kept);
}

void add_interface_shims(Module& module) {
  // Written after the unused interfaces are dropped, so no backend compiles helpers nothing calls;
  // placed before the variants' and helpers' shims, in the interfaces' order.
  std::vector<std::string> shims;
  for (const auto& interface : module.interfaces) {
    if (passes_messages(interface) && !interface.message_alloc.empty())
      shims.push_back(fmt::format(
          "/* A host error's message for an error out-argument of interface {0}. */\n"
          "static inline void {1}_error_out(char **out, const char *message) {{ *out = {2}; }}\n",
          interface.c_name, interface.table, interface.message_alloc));
    for (const auto& object : interface.objects) shims.push_back(object_shims(object, interface));
  }
  module.shims.insert(module.shims.begin(), shims.begin(), shims.end());
}

}  // namespace bindery::ir
