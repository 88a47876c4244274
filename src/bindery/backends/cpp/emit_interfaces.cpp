#include "bindery/backends/cpp/emit_interfaces.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "bindery/backends/cpp/callback_arguments.hpp"
#include "bindery/backends/cpp/names.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::cpp {

namespace {

std::string arg(int k) { return fmt::format("a{}", k); }

/// A lowering expression over the trampoline's arguments: `sqlite3_aggregate_context($0, 8)` -> `(a0, 8)`.
std::string over_args(const std::string& expr) {
  return substitute_positions(expr, [](std::size_t k) { return arg(static_cast<int>(k)); });
}

const ir::ImplementedObject* object_named(const ir::Interface& iface, const std::string& c_name) {
  for (const auto& o : iface.objects)
    if (o.c_name == c_name) return &o;
  return nullptr;
}

std::string tag_identifier(const std::string& c_name);

std::string object_class(const ir::ImplementedObject& o) {
  return o.name.empty() ? camel_case(tag_identifier(o.c_name)) : o.name;
}

/// C spells bool `_Bool` (what libclang reports under <stdbool.h>); C++ knows only `bool`.
std::string cxx_spelling(const std::string& c_type) { return replace_identifier(c_type, "_Bool", "bool", ""); }

/// One method as the generated code needs it: the virtual function's signature and what the
/// trampoline does around the call.
struct MethodPlan {
  const ir::InterfaceMethod* method = nullptr;
  const ir::ImplementedObject* receiver = nullptr;  ///< nullptr: the registered object
  std::string owner;        ///< the C++ class declaring the virtual function
  std::string name;         ///< its C++ name
  std::string return_type;  ///< what the application's override returns
  std::vector<std::string> param_decls;  ///< `Type name`
  CallbackArguments args;
  std::string failure;
};

/// The C++ type of a scalar or enum value the method returns.
std::string value_type(const Context& ctx, const ir::Type& t) {
  if (t.kind == ir::TypeKind::Scalar) return scalar_type(t.scalar);
  if (t.kind == ir::TypeKind::Enum && ctx.enumeration(t.name) != nullptr) return t.name;
  return "";
}

/// A virtual function's parameter name: the C one, except that a handle the C header left unnamed
/// (`int (*xCreate)(sqlite3*, …)`, lowered as `arg0`) is named after its class (`database`), an
/// array of handles in the plural (`values`).
std::string parameter_name(const ir::Param& p) {
  const bool unnamed = p.name.size() > 3 && p.name.starts_with("arg") &&
                       std::all_of(p.name.begin() + 3, p.name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  const bool handle = p.type.kind == ir::TypeKind::Handle, array = p.type.kind == ir::TypeKind::Slice;
  if (!unnamed || !(handle || array) || p.type.name.empty()) return safe_identifier(p.name);
  std::string snake;
  for (char c : p.type.name) {
    if (std::isupper(static_cast<unsigned char>(c)) != 0 && !snake.empty()) snake += '_';
    snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return safe_identifier(array ? snake + "s" : snake);  // an array of them: `values`
}

MethodPlan plan_method(const Context& ctx, const ir::Interface& iface, const ir::InterfaceMethod& m) {
  MethodPlan plan;
  plan.method = &m;
  plan.name = safe_identifier(m.name.empty() ? m.field : m.name);
  const int n = static_cast<int>(m.params.size());
  auto in_range = [&](int k) { return k >= 0 && k < n; };
  const bool slot = !m.receiver_slot.empty();
  if (slot && m.receiver_factory.empty()) {
    plan.failure = fmt::format("method `{}` keeps its object in a slot without a factory", m.field);
    return plan;
  }
  if (!slot && !in_range(m.receiver)) {
    plan.failure = fmt::format("method `{}` has no receiver argument", m.field);
    return plan;
  }
  if (!m.receiver_object.empty()) {
    plan.receiver = object_named(iface, m.receiver_object);
    if (plan.receiver == nullptr) {
      plan.failure = fmt::format("method `{}`: its receiver `{}` is no object of the interface", m.field, m.receiver_object);
      return plan;
    }
    plan.owner = object_class(*plan.receiver);
  } else {
    plan.owner = interface_class(iface);
  }
  // The callable sees its Input arguments only: the receiver is `this`, the out-arguments are
  // what it returns, the error out-argument is the binding's.
  std::vector<int> hidden;
  for (int k = 0; k < n; ++k)
    if (k == m.receiver || k == m.makes || k == m.result_to || k == m.error_out ||
        (m.params[static_cast<std::size_t>(k)].role != ir::ParamRole::Input &&
         m.params[static_cast<std::size_t>(k)].role != ir::ParamRole::Length))
      hidden.push_back(k);
  ir::Callback cb;
  cb.params = m.params;
  cb.ret = m.ret;
  plan.args = convert_callback_arguments(ctx, cb, hidden);
  if (!plan.args.failure.empty()) {
    plan.failure = fmt::format("method `{}`: {}", m.field, plan.args.failure);
    return plan;
  }
  std::size_t next = 0;
  std::vector<std::string> names;
  for (int k = 0; k < n; ++k) {
    const ir::Param& p = m.params[static_cast<std::size_t>(k)];
    if (std::find(hidden.begin(), hidden.end(), k) != hidden.end() || p.role == ir::ParamRole::Length) continue;
    std::string name = parameter_name(p);
    if (std::find(names.begin(), names.end(), name) != names.end()) name = safe_identifier(p.name);
    names.push_back(name);
    plan.param_decls.push_back(fmt::format("{} {}", plan.args.types[next++], name));
  }

  const ir::Type ret = m.ret ? m.ret->type : ir::Type{};
  if (in_range(m.makes)) {
    const ir::ImplementedObject* made = object_named(iface, m.makes_object);
    if (made == nullptr) {
      plan.failure = fmt::format("method `{}` makes `{}`, no object of the interface", m.field, m.makes_object);
      return plan;
    }
    plan.return_type = fmt::format("std::unique_ptr<{}>", object_class(*made));
  } else if (in_range(m.result_to)) {
    plan.return_type = value_type(ctx, m.params[static_cast<std::size_t>(m.result_to)].type);
    if (plan.return_type.empty()) plan.failure = fmt::format("method `{}`: its result is not a scalar or enum", m.field);
  } else if (m.returns == ir::InterfaceMethod::Returns::Bool) {
    plan.return_type = "bool";
  } else if (m.returns == ir::InterfaceMethod::Returns::Value) {
    plan.return_type = value_type(ctx, ret);
    if (plan.return_type.empty()) plan.failure = fmt::format("method `{}`: its result is not a scalar or enum", m.field);
  } else {
    plan.return_type = "void";
  }
  if (m.returns != ir::InterfaceMethod::Returns::Status && (in_range(m.makes) || in_range(m.result_to)))
    plan.failure = fmt::format("method `{}` returns its result both through an argument and as a value", m.field);
  return plan;
}

std::vector<MethodPlan> plan_methods(const Context& ctx, const ir::Interface& iface) {
  std::vector<MethodPlan> plans;
  for (const auto& m : iface.methods) plans.push_back(plan_method(ctx, iface, m));
  return plans;
}

/// The doc comment of a virtual function.
std::string method_doc(const ir::Interface& iface, const MethodPlan& p) {
  const ir::InterfaceMethod& m = *p.method;
  std::string doc = m.doc.empty() ? "" : m.doc + "\n";
  doc += iface.function.empty() ? fmt::format("The library calls it through `{}.{}`.", iface.c_name, m.field)
                                 : fmt::format("The library calls it through {}'s `{}`.", iface.function, m.field);
  if (m.optional) doc += " Optional: does nothing unless overridden.";
  if (p.args.lends_views)
    doc += " The text, arrays and handles it receives are valid only while it runs: copy what it keeps.";
  if (p.return_type.starts_with("std::unique_ptr"))
    doc += " It must return an object (a null pointer is an error); the binding owns it from then on and deletes it "
           "when the library releases it.";
  if (m.releases) doc += " The library is done with this object afterwards: the binding then deletes it.";
  return doc;
}

void emit_class(const ir::Interface& iface, const std::string& name, const std::string& doc,
                const std::vector<MethodPlan>& methods, Writer& w) {
  w.line();
  w.doc(doc);
  w.line(fmt::format("class {} {{", name));
  w.line(" public:");
  w.indent();
  w.line(fmt::format("virtual ~{}() = default;", name));
  for (const auto& p : methods) {
    if (p.owner != name) continue;
    w.doc(method_doc(iface, p));
    std::string params;
    for (const auto& d : p.param_decls) params += (params.empty() ? "" : ", ") + d;
    if (!p.method->optional) {
      w.line(fmt::format("virtual {} {}({}) = 0;", p.return_type, p.name, params));
      continue;
    }
    // The default does nothing: the parameters are named in comments only (they are unused).
    std::string unnamed;
    for (const auto& d : p.param_decls) {
      const auto space = d.rfind(' ');
      unnamed += (unnamed.empty() ? "" : ", ") + d.substr(0, space) + " /*" + d.substr(space + 1) + "*/";
    }
    w.line(fmt::format("virtual {} {}({}) {{{}}}", p.return_type, p.name, unnamed,
                       p.return_type == "void" ? "" : " return {}; "));
  }
  w.dedent();
  w.line("};");
}

/// `struct sqlite3_module` -> `sqlite3_module`: a C type spelling made an identifier.
std::string tag_identifier(const std::string& c_name) {
  for (const char* prefix : {"struct ", "union "})
    if (c_name.starts_with(prefix)) return c_name.substr(std::string(prefix).size());
  return c_name;
}

std::string trampolines_namespace(const ir::Interface& iface) { return tag_identifier(iface.c_name) + "_trampolines"; }

/// The statements that hand the library a failed method's message.
std::string report_message(const ir::Interface& iface, const MethodPlan& p) {
  const ir::InterfaceMethod& m = *p.method;
  const std::string message = "bindery::detail::pending_callback_message()";
  if (!m.error_call.empty())  // `aggregates_result_error($0, message)`
    return replace_identifier(over_args(m.error_call), "message", message, "") + ";";
  if (m.error_out >= 0) return fmt::format("{}_error_out({}, {});", iface.table, arg(m.error_out), message);
  // A releasing method's object is freed right after: its `error` field would be freed unread, or
  // leak (PREFIX_free frees only the object; ir.hpp, InterfaceMethod::releases).
  if (p.receiver != nullptr && !p.receiver->error.empty() && !m.releases)
    return fmt::format("{}_set_error({}, {});", p.receiver->shim_prefix, arg(m.receiver), message);
  return "";
}

void emit_trampoline(const Context& ctx, const ir::Interface& iface, const MethodPlan& p, Writer& w) {
  const ir::InterfaceMethod& m = *p.method;
  const ir::Type ret = m.ret ? m.ret->type : ir::Type{};
  const std::string c_ret = ret.kind == ir::TypeKind::Void ? "void" : cxx_spelling(m.ret->c_type.empty() ? ret.c_type : m.ret->c_type);
  // An argument the trampoline does not read stays unnamed (-Wunused-parameter).
  std::string conversions;
  for (const auto& c : p.args.conversions) conversions += c + " ";
  auto used = [&](int k) {
    if (k == m.receiver || k == m.makes || k == m.result_to || k == m.error_out) return true;
    const std::string name = arg(k);
    const std::string slot_text = m.receiver_slot + " " + m.receiver_factory + " " + m.error_call;
    if (slot_text.find(fmt::format("${}", k)) != std::string::npos) return true;
    for (auto at = conversions.find(name); at != std::string::npos; at = conversions.find(name, at + 1)) {
      const char after = conversions[at + name.size()];
      if (!std::isdigit(static_cast<unsigned char>(after))) return true;
    }
    return false;
  };
  std::string params;
  for (std::size_t k = 0; k < m.params.size(); ++k) {
    // C's spelling: `char **a4`, `int a1`.
    const std::string type = cxx_spelling(m.params[k].c_type);
    std::string name = used(static_cast<int>(k)) ? arg(static_cast<int>(k)) : "";
    if (!name.empty() && !type.ends_with('*')) name = " " + name;
    params += fmt::format("{}{}{}", k == 0 ? "" : ", ", type, name);
  }
  auto returning = [&](const std::string& value) {
    return c_ret == "void" ? std::string("return;") : fmt::format("return {};", value);
  };
  const std::string on_error = m.on_error.empty() ? iface.error : m.on_error;

  w.line();
  w.doc(iface.function.empty() ? fmt::format("`{}.{}`: calls {}::{}.", iface.c_name, m.field, p.owner, p.name)
                               : fmt::format("{}'s `{}`: calls {}::{} on the group's object.", iface.function, m.field,
                                             p.owner, p.name));
  // A function's parameters are fixed to the trampolines by their C names.
  const std::string fn_name = iface.function.empty() ? safe_identifier(m.field) : m.trampoline;
  w.line(fmt::format("inline {} {}({}) noexcept {{", c_ret, fn_name, params));
  w.indent();
  const bool slot = !m.receiver_slot.empty();
  const std::string receiver = slot ? "" : arg(m.receiver);
  if (slot) {
    // The group's slot (NULL: out of memory); its object is made by the factory on first use.
    w.line(fmt::format("void** const slot_ = {};", over_args(m.receiver_slot)));
  }
  if (m.releases && slot) {
    // Whatever the method does, the group is over: its object is deleted when this returns.
    w.line(fmt::format("const bindery::detail::release_slot_on_return<{}> release_(slot_);", p.owner));
  } else if (m.releases) {
    // Whatever the method does, the library is done with the object: freed when this returns
    // (after the message below is stored where the library reads it).
    w.line(fmt::format("const bindery::detail::release_on_return<{}, {}> release_({}, &{}_free);", p.owner,
                       pointee_type(cxx_spelling(m.params[static_cast<std::size_t>(m.receiver)].c_type)), receiver,
                       p.receiver->shim_prefix));
  } else {
    // An exception already waits for the caller: nothing more runs on the state it left.
    w.line("if (!bindery::detail::callback_failed) {");
    w.indent();
  }
  w.line("try {");
  w.indent();
  if (slot)
    w.line(fmt::format("{0}& self = bindery::detail::slot_object<{0}>(slot_, {1}, {2});", p.owner,
                       over_args(m.receiver_factory),
                       string_literal(fmt::format("{}: the factory of {} returned no object (a null std::unique_ptr)",
                                                  ctx.module.library, p.owner))));
  else if (p.receiver == nullptr)
    w.line(fmt::format("{0}& self = bindery::detail::registered_object<{0}>({1});", p.owner, receiver));
  else
    w.line(fmt::format("{0}& self = *static_cast<{0}*>({1}_box({2}));", p.owner, p.receiver->shim_prefix, receiver));
  std::string call_args;
  for (const auto& c : p.args.conversions) call_args += (call_args.empty() ? "" : ", ") + c;
  const std::string call = fmt::format("self.{}({})", p.name, call_args);
  const std::string ok = returning(iface.ok);
  if (m.makes >= 0) {
    const ir::ImplementedObject* made = object_named(iface, m.makes_object);
    w.line(fmt::format("{} made = {};", p.return_type, call));
    w.line(fmt::format("void* const box = bindery::detail::made_object_box(made, {});",
                       string_literal(fmt::format("{}: {}::{} returned no {} (a null std::unique_ptr)",
                                                  ctx.module.library, p.owner, p.name, object_class(*made)))));
    w.line(fmt::format("if ({}_make(box, {}) == 0) throw std::bad_alloc();", made->shim_prefix, arg(m.makes)));
    w.line("(void)made.release();  // the library's object holds it now");
    w.line(ok);
  } else if (m.result_to >= 0) {
    const ir::Param& out = m.params[static_cast<std::size_t>(m.result_to)];
    w.line(fmt::format("*{} = static_cast<{}>({});", arg(m.result_to), pointee_type(cxx_spelling(out.c_type)), call));
    w.line(ok);
  } else if (m.returns == ir::InterfaceMethod::Returns::Bool) {
    w.line(returning(fmt::format("{} ? 1 : 0", call)));
  } else if (m.returns == ir::InterfaceMethod::Returns::Value) {
    w.line(returning(fmt::format("static_cast<{}>({})", c_ret, call)));
  } else {
    w.line(call + ";");
    w.line(ok);
  }
  w.dedent();
  w.line("} catch (...) {");
  w.line(fmt::format("  bindery::detail::park_callback_error(std::current_exception(), {});", string_literal(p.owner)));
  w.line("}");
  if (!m.releases) {
    w.dedent();
    w.line("}");
  }
  if (const std::string report = report_message(iface, p); !report.empty()) w.line(report);
  if (c_ret != "void") w.line(returning(on_error));  // a void trampoline simply ends
  w.dedent();
  w.line("}");
}

}  // namespace

std::string interface_class(const ir::Interface& iface) {
  return iface.name.empty() ? camel_case(tag_identifier(iface.c_name)) : iface.name;
}

std::string interface_failure(const Context& ctx, const ir::Interface& iface) {
  for (const auto& m : iface.methods)
    if (!iface.function.empty() && m.trampoline.empty())
      return fmt::format("method `{}` of {}'s parameters has no trampoline name", m.field, iface.function);
  for (const auto& p : plan_methods(ctx, iface))
    if (!p.failure.empty()) return p.failure;
  return "";
}

void emit_interface_forward_declarations(const Context& ctx, Writer& w) {
  for (const auto& iface : ctx.module.interfaces) {
    if (!interface_failure(ctx, iface).empty()) continue;
    w.line(fmt::format("class {};", interface_class(iface)));
    for (const auto& o : iface.objects) w.line(fmt::format("class {};", object_class(o)));
  }
}

void emit_interface_classes(const Context& ctx, Writer& w) {
  for (const auto& iface : ctx.module.interfaces) {
    const std::string why = interface_failure(ctx, iface);
    if (!why.empty()) {
      ctx.diags.warning(iface.location, fmt::format("cpp: interface {} is not generated: {}",
                                                    iface.key.empty() ? iface.c_name : iface.key, why));
      continue;
    }
    const std::vector<MethodPlan> methods = plan_methods(ctx, iface);
    const std::string name = interface_class(iface);
    std::string doc = iface.doc.empty() ? "" : iface.doc + "\n";
    if (!iface.function.empty())
      doc += fmt::format(
          "Implemented by the application (the functions {} takes): register a factory making one object per "
          "group; the binding calls it on a group's first call and deletes the object after the releasing method. An "
          "exception a method throws never crosses the library: the library sees the method fail (what() is its "
          "message) and the exception leaves the C++ call during which the library ran the method.",
          iface.function);
    else
      doc += fmt::format(
          "Implemented by the application (`{}`): derive from it and pass the object to the function that "
          "registers it; the library keeps it (a std::shared_ptr) until it drops the registration. An exception a "
          "method throws never crosses the library: the library sees the method fail (what() is its message) and "
          "the exception leaves the C++ call during which the library ran the method.",
          iface.c_name);
    emit_class(iface, name, doc, methods, w);
    for (const auto& o : iface.objects) {
      std::string odoc = o.doc.empty() ? "" : o.doc + "\n";
      odoc += fmt::format("An object of `{}` the application makes (`{}` around it, which the library reads); "
                          "the binding deletes it when the library releases it.",
                          iface.c_name, o.c_name);
      emit_class(iface, object_class(o), odoc, methods, w);
    }
  }
}

void emit_interface_tables(const Context& ctx, Writer& w) {
  for (const auto& iface : ctx.module.interfaces) {
    if (!interface_failure(ctx, iface).empty()) continue;
    const std::vector<MethodPlan> methods = plan_methods(ctx, iface);
    if (!iface.function.empty()) {
      // The methods are the function's own parameters: one trampoline each, under the IR's name.
      w.line();
      w.line(fmt::format("// The C side of interface {}: the trampolines {} takes.", interface_class(iface), iface.function));
      for (const auto& p : methods) emit_trampoline(ctx, iface, p, w);
      continue;
    }
    w.line();
    w.line(fmt::format("// The C side of interface {}: one trampoline per method, and the table of them.", interface_class(iface)));
    w.line(fmt::format("namespace {} {{", trampolines_namespace(iface)));
    for (const auto& p : methods) emit_trampoline(ctx, iface, p, w);
    w.line();
    w.line(fmt::format("}}  // namespace {}", trampolines_namespace(iface)));
    w.line();
    w.doc(fmt::format("`{}` filled with the trampolines above: what the registering functions pass.", iface.c_name));
    w.line(fmt::format("inline constexpr {0} {1} = [] {{", iface.c_name, iface.table));
    w.indent();
    w.line(fmt::format("{} table{{}};", iface.c_name));
    for (const auto& [field, value] : iface.preset) w.line(fmt::format("table.{} = {};", field, value));
    for (const auto& p : methods)
      w.line(fmt::format("table.{} = &{}::{};", p.method->field, trampolines_namespace(iface), safe_identifier(p.method->field)));
    w.line("return table;");
    w.dedent();
    w.line("}();");
  }
}

}  // namespace bindery::backends::cpp
