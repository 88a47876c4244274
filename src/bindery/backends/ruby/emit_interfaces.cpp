// Interfaces: structs of function pointers Ruby objects implement (SQLite's sqlite3_module).
//
// For each ir::Interface the extension defines one static table (`Interface::table`, preset fields
// and one trampoline per method) before any method wrapper, since a function that `implements:` it
// passes `&table` as a Fixed argument. A trampoline finds its Ruby receiver through a box — the
// registration's host value, or the box inside an object the binding allocated around a Ruby object
// a `makes` method returned (the lowering's shims) — and calls the receiver's public method of the
// interface method's name, inside rb_protect and with the GVL (taken back inside a GVL-free call),
// exactly as a kept callback runs (runtime/ruby/bindery_ruby.h, bindery_rb_impl_call). A Ruby
// exception is kept and raised by the outer method once the C function returns; the library gets
// `on_error` and the exception's message (`error_out`, or the receiver object's error field).
// Boxes are registry records (marked, GC.compact-safe); `releases` frees the object and its box.
// An interface of a function's parameters (create_window_function) has no table: its trampolines
// carry the lowering's names, and a per-group receiver (the aggregate context) holds the box of the
// group's object, made by the registered factory on the group's first call (docs/adr/ruby-interfaces.md).
#include <algorithm>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/interfaces.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::ruby {

namespace {

const ir::ImplementedObject* find_object(const ir::Interface& iface, const std::string& c_name) {
  auto it = std::find_if(iface.objects.begin(), iface.objects.end(),
                         [&](const ir::ImplementedObject& o) { return o.c_name == c_name; });
  return it == iface.objects.end() ? nullptr : &*it;
}

const ir::Param* param_at(const ir::InterfaceMethod& m, int index) {
  for (const ir::Param& p : m.params) {
    if (p.index == index) return &p;
  }
  return nullptr;
}

std::vector<const ir::Param*> by_index(const std::vector<ir::Param>& params) {
  std::vector<const ir::Param*> out;
  for (const ir::Param& p : params) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->index < b->index; });
  return out;
}

// "struct interfaces_source" -> "interfaces_source": the part of generated names that says which.
std::string bare(std::string c_name) {
  if (c_name.rfind("struct ", 0) == 0) c_name.erase(0, 7);
  return c_ident(c_name);
}

std::string suffix(const ir::Interface& iface, const ir::InterfaceMethod& m) {
  return bare(iface.c_name.empty() ? iface.key : iface.c_name) + "_" + c_ident(m.field);
}

// The lowering's name when it gives one (an interface of a function's parameters is passed by it).
std::string trampoline(const ir::Interface& iface, const ir::InterfaceMethod& m) {
  return m.trampoline.empty() ? "bindery_iftramp_" + suffix(iface, m) : m.trampoline;
}

// A C expression of the IR over the method's arguments, `$N` standing for the N-th (from 0).
std::string over_arguments(const ir::InterfaceMethod& m, const std::string& expr) {
  return substitute_positions(expr, [&](size_t n) {
    const ir::Param* p = param_at(m, static_cast<int>(n));
    return p ? c_ident(p->name) : "$" + std::to_string(n);  // unknown: left to fail to compile
  });
}

// "int x", "const char *const *argv": no space after a '*'.
std::string decl(const std::string& c_type, const std::string& name) {
  return !c_type.empty() && c_type.back() == '*' ? c_type + name : c_type + " " + name;
}

std::string return_c_type(const ir::InterfaceMethod& m) {
  if (!m.ret || m.ret->type.kind == ir::TypeKind::Void) return "void";
  return m.ret->c_type.empty() ? m.ret->type.c_type : m.ret->c_type;
}

// The Ruby arguments: the Input params (their Length params are read with them).
bool passed_to_ruby(const ir::InterfaceMethod& m, const ir::Param& p) {
  if (p.index == m.receiver || p.index == m.makes || p.index == m.result_to || p.index == m.error_out) return false;
  return p.role == ir::ParamRole::Input || p.role == ir::ParamRole::Length;
}

// The interface method seen as a callback, so argument conversion is the callbacks' own.
ir::Callback as_callback(const ir::InterfaceMethod& m) {
  ir::Callback cb;
  for (const ir::Param& p : m.params) {
    if (passed_to_ruby(m, p)) cb.params.push_back(p);
  }
  cb.ret = m.ret;
  return cb;
}

bool scalar_like(const ir::Type& t) { return t.kind == ir::TypeKind::Scalar || t.kind == ir::TypeKind::Enum; }

bool method_supported(const Context& ctx, const ir::Interface& iface, const ir::InterfaceMethod& m, std::string& why) {
  const std::string where = "method " + m.field + ": ";
  if (!iface.function.empty() && m.trampoline.empty()) {
    why = where + "no trampoline name for a function's parameter";
    return false;
  }
  const ir::Param* recv = param_at(m, m.receiver);
  if (!m.receiver_slot.empty()) {
    if (m.receiver_factory.empty()) {
      why = where + "a per-group slot without the factory that makes its object";
      return false;
    }
  } else if (!recv || (m.receiver_object.empty() ? recv->type.kind != ir::TypeKind::HostValue
                                          : find_object(iface, m.receiver_object) == nullptr)) {
    why = where + "no receiver the binding can find a Ruby object through";
    return false;
  }
  if (m.makes >= 0 && (!param_at(m, m.makes) || !find_object(iface, m.makes_object))) {
    why = where + "makes an object of no known implemented type";
    return false;
  }
  if (m.result_to >= 0 && (!param_at(m, m.result_to) || !scalar_like(param_at(m, m.result_to)->type))) {
    why = where + "its result goes to a non-scalar out-argument";
    return false;
  }
  if (m.error_out >= 0 && !param_at(m, m.error_out)) {
    why = where + "its error out-argument is missing";
    return false;
  }
  const ir::Callback cb = as_callback(m);
  for (const ir::Param& p : cb.params) {
    if (p.role == ir::ParamRole::Length) continue;
    if (!host_argument_supported(ctx, cb, p)) {
      why = where + "argument '" + p.name + "' of a type the ruby backend cannot pass";
      return false;
    }
  }
  const bool void_ret = return_c_type(m) == "void";
  if (m.returns == ir::InterfaceMethod::Returns::Value && (void_ret || !scalar_like(m.ret->type))) {
    why = where + "returns a value of a type the ruby backend cannot convert";
    return false;
  }
  if (m.returns != ir::InterfaceMethod::Returns::Value && !void_ret && !scalar_like(m.ret->type)) {
    why = where + "its status is not a scalar";
    return false;
  }
  return true;
}

void emit_method(const Context& ctx, const ir::Interface& iface, const ir::InterfaceMethod& m, Code& code) {
  const std::string sfx = suffix(iface, m);
  const std::string rtype = return_c_type(m);
  const bool returns = rtype != "void";
  const ir::ImplementedObject* recv_object = find_object(iface, m.receiver_object);
  const bool slot = !m.receiver_slot.empty();
  const std::string recv_name = recv_object ? recv_object->name : iface.name;
  const std::string ruby_method = m.name;
  const std::string what = recv_name + "#" + ruby_method;
  const ir::Param* recv = param_at(m, m.receiver);
  const auto args = by_index(m.params);
  const std::string on_error = !m.on_error.empty() ? m.on_error : !iface.error.empty() ? iface.error : "0";

  // The C arguments and the result travel through one struct into the protected body.
  code.line("/* " + iface.name + "." + m.field + ": " + what + " */");
  code.open("struct bindery_ifcall_" + sfx + " {");
  for (const ir::Param* a : args) code.line(decl(a->c_type, c_ident(a->name)) + ";");
  if (slot) code.line("void **slot;  /* the group's slot holding its object's box */");
  if (slot) code.line("void *factory;  /* the box of what makes a group's object */");
  const bool keeps_result = returns && m.returns != ir::InterfaceMethod::Returns::Status;
  if (keeps_result) code.line(decl(rtype, "ret") + ";");
  code.close("};");

  code.open("static VALUE bindery_ifbody_" + sfx + "(VALUE data) {");
  code.line("struct bindery_ifcall_" + sfx + " *c = (struct bindery_ifcall_" + sfx + " *)data;");
  if (slot) {
    // The group's object, made on its first call: the factory's #call (a Proc, a Method) or, for a
    // Class, #new; boxed into the slot (released by the releasing method, after the group's last call).
    code.line("VALUE self;");
    code.open("if (*c->slot) {");
    code.line("self = bindery_rb_host_value(*c->slot);");
    code.mid("} else {");
    code.line("VALUE factory = bindery_rb_host_value(c->factory);");
    code.line("ID make = rb_respond_to(factory, rb_intern(\"call\")) ? rb_intern(\"call\") : rb_intern(\"new\");");
    code.line("self = rb_funcallv_public(factory, make, 0, NULL);");
    code.line("if (NIL_P(self)) bindery_rb_raise_type(self, " + c_string(iface.name + " factory") + ", \"an object (nil is no " +
              iface.name + ")\");");
    code.line("*c->slot = bindery_rb_host_box(self);");
    code.close();
  } else {
    const std::string box = recv_object ? recv_object->shim_prefix + "_box(c->" + c_ident(recv->name) + ")"
                                        : "c->" + c_ident(recv->name);
    code.line("VALUE self = bindery_rb_host_value(" + box + ");");
  }
  if (m.optional) {
    code.line("if (!rb_respond_to(self, rb_intern(" + c_string(ruby_method) + "))) return Qnil;  /* optional: nothing to do */");
  }
  const ir::Callback cb = as_callback(m);
  std::vector<const ir::Param*> passed;
  for (const ir::Param& p : cb.params) passed.push_back(&p);
  emit_host_call(code, emit_host_arguments(ctx, cb, passed, code), "self", ruby_method);
  bool used = false;
  if (m.makes >= 0) {
    // The Ruby object the library will hand back as the new C object: boxed (a strong reference),
    // and the binding's struct around the box stored in the out-argument.
    const ir::ImplementedObject& made = *find_object(iface, m.makes_object);
    const std::string out = "c->" + c_ident(param_at(m, m.makes)->name);
    code.line("if (NIL_P(r)) bindery_rb_raise_type(r, " + c_string(what) + ", " + c_string("an object (the " + made.name + ")") + ");");
    code.line("void *box = bindery_rb_host_box(r);");
    code.open("if (!" + made.shim_prefix + "_make(box, " + out + ")) {");
    code.line("bindery_rb_host_release(box);");
    code.line("rb_raise(rb_eNoMemError, \"%s\", " + c_string(what + ": out of memory for the " + made.name) + ");");
    code.close();
    used = true;
  }
  if (m.result_to >= 0) {
    const ir::Param& to = *param_at(m, m.result_to);
    const std::string out = "c->" + c_ident(to.name);
    code.line("*" + out + " = (__typeof__(*" + out + "))" + to_c(ctx, to.type, "r", c_string(what + " result"), false) + ";");
    used = true;
  }
  if (m.returns == ir::InterfaceMethod::Returns::Bool && keeps_result) {
    code.line("c->ret = RTEST(r) ? 1 : 0;");
    used = true;
  } else if (m.returns == ir::InterfaceMethod::Returns::Value) {
    code.line("c->ret = (" + rtype + ")" + to_c(ctx, m.ret->type, "r", c_string(what + " result"), false) + ";");
    used = true;
  }
  if (!used) code.line("(void)r;");
  code.line("return Qnil;");
  code.close();

  std::string sig;
  for (const ir::Param* a : args) sig += (sig.empty() ? "" : ", ") + decl(a->c_type, c_ident(a->name));
  code.open("static " + rtype + " " + trampoline(iface, m) + "(" + (sig.empty() ? "void" : sig) + ") {");
  code.line("struct bindery_ifcall_" + sfx + " c;");
  code.line("memset(&c, 0, sizeof c);");
  for (const ir::Param* a : args) code.line("c." + c_ident(a->name) + " = " + c_ident(a->name) + ";");
  code.line("char *bindery_message = NULL;");
  if (slot) {
    code.line("c.slot = (void **)(" + over_arguments(m, m.receiver_slot) + ");");
    code.line("c.factory = (void *)(" + over_arguments(m, m.receiver_factory) + ");");
    code.line("int bindery_ok = c.slot != NULL && bindery_rb_impl_call(bindery_ifbody_" + sfx + ", (VALUE)&c, &bindery_message);  /* NULL: out of memory */");
  } else {
    code.line("int bindery_ok = bindery_rb_impl_call(bindery_ifbody_" + sfx + ", (VALUE)&c, &bindery_message);");
  }
  const std::string message = "bindery_message ? bindery_message : \"out of memory\"";
  if (m.error_out >= 0) {
    const std::string out = c_ident(param_at(m, m.error_out)->name);
    code.line("if (!bindery_ok && " + out + ") " + iface.table + "_error_out(" + out + ", " + message + ");");
  } else if (!m.error_call.empty()) {
    code.open("if (!bindery_ok) {");
    code.line("const char *message = " + message + ";");
    code.line(over_arguments(m, m.error_call) + ";");
    code.close();
  } else if (recv_object && !recv_object->error.empty() && !m.releases) {
    // Never for a releasing method (ir.hpp): the object is freed next, no library reads its field.
    code.line("if (!bindery_ok) " + recv_object->shim_prefix + "_set_error(" + c_ident(recv->name) + ", " + message + ");");
  }
  code.line("free(bindery_message);");
  if (m.releases && recv_object) {
    // Whatever happened: the library is done with the object; its box (the Ruby object) goes too.
    code.line("bindery_rb_host_release(" + recv_object->shim_prefix + "_free(" + c_ident(recv->name) + "));");
  }
  if (m.releases && slot) {
    // The group is done: its object goes (the library frees the slot's memory itself).
    code.open("if (c.slot && *c.slot) {");
    code.line("void *box = *c.slot;");
    code.line("*c.slot = NULL;");
    code.line("bindery_rb_host_release(box);");
    code.close();
  }
  if (!returns) {
    code.line("(void)bindery_ok;");
  } else if (m.returns == ir::InterfaceMethod::Returns::Status) {
    code.line("return bindery_ok ? (" + rtype + ")(" + iface.ok + ") : (" + rtype + ")(" + on_error + ");");
  } else {
    code.line("return bindery_ok ? c.ret : (" + rtype + ")(" + on_error + ");");
  }
  code.close();
  code.line();
}

}  // namespace

bool interface_supported(const Context& ctx, const ir::Interface& iface, std::string& why) {
  for (const ir::InterfaceMethod& m : iface.methods) {
    if (!method_supported(ctx, iface, m, why)) return false;
  }
  return true;
}


const ir::Interface* registered_interface(const Context& ctx, const ir::Function& fn) {
  for (const ir::Param& p : fn.params) {
    if (const ir::Interface* iface = ctx.module.interface_passed_by(p)) return iface;
  }
  return nullptr;
}

void emit_interfaces(const Context& ctx, const std::vector<const ir::Function*>& bound, Code& code) {
  for (const ir::Interface& iface : ctx.module.interfaces) {
    std::string why;
    if (!interface_supported(ctx, iface, why)) continue;  // generate.cpp warns; nothing takes its table
    // A table no bound function passes (its registration skipped) would be an unused static.
    if (std::none_of(bound.begin(), bound.end(), [&](const ir::Function* fn) { return registered_interface(ctx, *fn) == &iface; })) {
      continue;
    }
    for (const ir::InterfaceMethod& m : iface.methods) emit_method(ctx, iface, m, code);
    if (!iface.function.empty()) continue;  // its methods are passed one by one (each a Fixed param)
    code.line("/* " + iface.name + ": the table every registration passes (Ruby objects implement its methods). */");
    code.open("static const " + iface.c_name + " " + iface.table + " = {");
    for (const auto& [field, value] : iface.preset) code.line("." + field + " = " + value + ",");
    for (const ir::InterfaceMethod& m : iface.methods) code.line("." + m.field + " = " + trampoline(iface, m) + ",");
    code.close("};");
    code.line();
  }
}

}  // namespace bindery::backends::ruby
