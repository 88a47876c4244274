// Interfaces in the addon: for each struct of function pointers JavaScript implements (SQLite's
// sqlite3_module), one trampoline per method with the field's exact C signature, and the static
// table the registering function passes (`&<table>`), emitted before every function wrapper.
//
// A trampoline finds the JS object through its receiver (the registration's host-value box, or the
// box inside an object the binding allocated), converts the arguments as a callback's are (handles
// lent for the call, text and arrays copied), calls the method and converts its result. What the
// method throws stays pending for the outer call (bn_im_fail/bn_im_end) while the library gets the
// method's error status and the message.
#include <fmt/format.h>

#include "bindery/backends/node/emit.hpp"
#include "bindery/backends/node/names.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::node {

namespace {

std::string return_type(const ir::InterfaceMethod& m) {
  if (!m.ret || m.ret->type.kind == ir::TypeKind::Void) return "void";
  return m.ret->c_type.empty() ? m.ret->type.c_type : m.ret->c_type;
}

// "struct interfaces_source" -> "interfaces_source": the tag names the trampolines.
std::string tag(const std::string& c_name) {
  return c_name.rfind("struct ", 0) == 0 ? c_name.substr(7) : c_name;
}

// The IR names it when the interface is a function's parameters (each is `fixed` to its trampoline).
std::string trampoline_name(const ir::Interface& i, const ir::InterfaceMethod& m) {
  if (!m.trampoline.empty()) return m.trampoline;
  return fmt::format("bn_im_{}_{}", c_ident(tag(i.c_name)), c_ident(m.field));
}

class MethodEmitter {
 public:
  MethodEmitter(const ModulePlan& plan, const ir::Interface& i, const ir::InterfaceMethod& m, std::string& out)
      : plan_(plan), i_(i), m_(m), index_(static_cast<size_t>(&m - i.methods.data())), out_(out) {}

  void emit() {
    std::string ret = return_type(m_);
    bool has_ret = ret != "void";
    std::string params;
    for (const auto& q : m_.params) params += (params.empty() ? "" : ", ") + fmt::format("{} {}", q.c_type, q.name);
    std::string what = receiver_name(i_, m_) + "." + camel(m_.name);
    line(fmt::format("/* {} ({}.{}){} */", what, i_.c_name.empty() ? i_.function : tag(i_.c_name), m_.field,
                     m_.doc.empty() ? "" : ": " + m_.doc));
    line(fmt::format("static {} {}({}) {{", ret, trampoline_name(i_, m_), params.empty() ? "void" : params));
    line(fmt::format("  static const char bn_what[] = {};", c_string(what)));
    line(fmt::format("  static const bn_im_method bn_m = {{bn_what, {}, {}, {}, {}, {}}};", c_string(camel(m_.name)),
                     index_, i_.methods.size(), m_.optional ? "true" : "false", m_.releases ? "true" : "false"));
    for (const auto& q : m_.params)
      if (!used(q)) line(fmt::format("  (void){};", q.name));
    if (has_ret) {
      // Success: the interface's OK status; a truth value or a value starts as 0 (an optional
      // method the object lacks gives that).
      std::string start = m_.returns == ir::InterfaceMethod::Returns::Status && !i_.ok.empty() ? i_.ok : "0";
      line(fmt::format("  {} bn_r = ({})({});", ret, ret, start));
    }
    line("  napi_value bn_res = NULL;");
    line("  bn_im bn_c;");
    if (slot()) {  // the group's object: made by the factory on the group's first call
      line(fmt::format("  void** bn_slot = {};", over_arguments(m_.receiver_slot)));
      line(fmt::format("  int bn_go = bn_im_begin_slot(&bn_c, bn_slot, {}, {}, &bn_m);",
                       over_arguments(m_.receiver_factory), c_string(receiver_name(i_, m_))));
    } else {
      line(fmt::format("  int bn_go = bn_im_begin(&bn_c, {}, &bn_m);", receiver_box()));
    }
    emit_call();
    emit_result(has_ret ? ret : "");
    emit_failure(has_ret ? ret : "");
    if (m_.releases) {  // whatever happened: the object goes, and the JS object with it
      const ir::ImplementedObject* o = find_object(i_, m_.receiver_object);
      if (slot()) {
        line("  if (bn_slot && *bn_slot) {");
        line("    bn_hv_release(*bn_slot);");
        line("    *bn_slot = NULL;");
        line("  }");
      } else if (o) {
        line(fmt::format("  bn_hv_release({}_free({}));", o->shim_prefix, receiver_arg()));
      } else {
        line(fmt::format("  bn_hv_release({});", receiver_arg()));
      }
    }
    line("  bn_im_end(&bn_c);");
    if (has_ret) line("  return bn_r;");
    line("}");
    line("");
  }

 private:
  void line(const std::string& s) { out_ += s + "\n"; }

  // Whether the trampoline reads C argument `q` (the others are cast to void): the receiver, the
  // out-arguments it writes, the host's arguments and their lengths.
  bool used(const ir::Param& q) const {
    int k = static_cast<int>(&q - m_.params.data());
    if (k == m_.receiver || k == m_.makes || k == m_.result_to || k == m_.error_out) return true;
    for (const auto* a : host_arguments(m_))
      if (a == &q || (q.role == ir::ParamRole::Length && q.length_of == a->name)) return true;
    return false;
  }

  bool slot() const { return !m_.receiver_slot.empty(); }

  // A C expression of the IR over the arguments: `$N` is the N-th (from 0).
  std::string over_arguments(const std::string& expr) const {
    return substitute_positions(expr, [&](size_t n) { return n < m_.params.size() ? m_.params[n].name : "NULL"; });
  }

  const std::string& receiver_arg() const { return m_.params[static_cast<size_t>(m_.receiver)].name; }

  // The host-value box holding the JS object: the argument itself, or the one inside the object.
  std::string receiver_box() const {
    if (const ir::ImplementedObject* o = find_object(i_, m_.receiver_object))
      return fmt::format("{}_box({})", o->shim_prefix, receiver_arg());
    return receiver_arg();
  }

  // The arguments converted (handles lent for the call), the method called, the loans ended.
  void emit_call() {
    auto args = host_arguments(m_);
    size_t lent = 0;
    std::vector<const ir::Param*> arrays;
    for (const auto* q : args) {
      if (q->type.kind == ir::TypeKind::Handle) ++lent;
      if (is_handle_array(plan_, q->type)) arrays.push_back(q);
    }
    if (args.empty()) {
      line("  if (bn_go == BN_IM_CALL) bn_go = bn_im_call(&bn_c, 0, NULL, &bn_res);");
      return;
    }
    line("  if (bn_go == BN_IM_CALL) {");
    line("    napi_env bn_env = bn_c.env;");
    line(fmt::format("    napi_value bn_argv[{}];", args.size()));
    if (lent) line(fmt::format("    uint32_t bn_lent[{}] = {{0}};", lent));
    for (const auto* q : arrays) line(fmt::format("    uint32_t* bn_lent_{} = NULL;", q->name));
    size_t k = 0;
    for (size_t a = 0; a < args.size(); a++) {
      const ir::Param& q = *args[a];
      std::string slot = q.type.kind == ir::TypeKind::Handle ? fmt::format("bn_lent[{}]", k++)
                         : is_handle_array(plan_, q.type)    ? "bn_lent_" + q.name
                                                             : "";
      line(fmt::format("    bn_argv[{}] = {};", a, callback_argument(plan_, q, slot)));
    }
    line(fmt::format("    bn_go = bn_im_call(&bn_c, {}, bn_argv, &bn_res);", args.size()));
    for (size_t j = 0; j < lent; j++) line(fmt::format("    bn_unlend(bn_env, bn_lent[{}]);", j));
    for (const auto* q : arrays)
      line(fmt::format("    bn_unlend_array(bn_env, bn_lent_{}, {});", q->name,
                       q->size.empty() ? std::string("0") : callback_length(*q)));
    line("  }");
  }

  // Reads `bn_res` into a scalar of `t` (as `c_type`), then runs `store` with it in `bn_x`.
  void read_scalar(const ir::Type& t, const std::string& store) {
    ir::Scalar sc = t.scalar;
    if (t.kind == ir::TypeKind::Enum)
      if (const ir::Enum* e = plan_.module->find_enum(t.name)) sc = e->underlying;
    auto si = scalar_info(sc);
    line("    {");
    line(fmt::format("      {} bn_x;", si.c_type));
    line(fmt::format("      if (bn_get_{}(bn_env, bn_res, bn_what, \"result\", &bn_x)) {}", si.suffix, store));
    line("      else bn_go = BN_IM_FAIL;");
    line("    }");
  }

  // What the method gave: the C return (a truth value or a value), a result stored through an
  // out-argument, an object made around the JS object returned.
  void emit_result(const std::string& ret) {
    bool truth = !ret.empty() && m_.returns == ir::InterfaceMethod::Returns::Bool;
    bool value = !ret.empty() && m_.returns == ir::InterfaceMethod::Returns::Value;
    if (!truth && !value && m_.result_to < 0 && m_.makes < 0) return;
    line("  if (bn_go == BN_IM_CALL) {");
    line("    napi_env bn_env = bn_c.env;");
    if (truth) {  // JavaScript's truthiness, as `if (result)` reads it
      line("    napi_value bn_b;");
      line("    bool bn_t = false;");
      line("    if (napi_coerce_to_bool(bn_env, bn_res, &bn_b) == napi_ok) napi_get_value_bool(bn_env, bn_b, &bn_t);");
      line(fmt::format("    bn_r = ({})(bn_t ? 1 : 0);", ret));
    }
    if (value) read_scalar(m_.ret->type, fmt::format("bn_r = ({})bn_x;", ret));
    if (m_.result_to >= 0) {
      const ir::Param& to = m_.params[static_cast<size_t>(m_.result_to)];
      read_scalar(to.type, fmt::format("*{} = bn_x;", to.name));
    }
    if (m_.makes >= 0) {
      const ir::ImplementedObject* o = find_object(i_, m_.makes_object);
      const std::string& out = m_.params[static_cast<size_t>(m_.makes)].name;
      line("    bn_hv* bn_box = NULL;");
      line(fmt::format("    if (bn_go == BN_IM_CALL && !(bn_box = bn_im_box(&bn_c, bn_res, bn_what, {}))) bn_go = BN_IM_FAIL;",
                       c_string(o->name)));
      line(fmt::format("    if (bn_box && !{}_make(bn_box, {})) {{", o->shim_prefix, out));
      line("      bn_hv_release(bn_box);");
      line(fmt::format("      napi_throw_error(bn_env, \"ERR_MEMORY\", {});", c_string(o->name + ": out of memory")));
      line("      bn_go = BN_IM_FAIL;");
      line("    }");
    }
    line("  }");
  }

  // The method threw (or its result did not convert, or JavaScript could not run): the library gets
  // the message where the method says, and the method's error status.
  void emit_failure(const std::string& ret) {
    line("  if (bn_go == BN_IM_FAIL) {");
    line("    char* bn_msg = bn_im_fail(&bn_c);");
    line("    const char* bn_text = bn_msg ? bn_msg : \"out of memory\";");
    const ir::ImplementedObject* o = find_object(i_, m_.receiver_object);
    if (m_.error_out >= 0)
      line(fmt::format("    {}_error_out({}, bn_text);", i_.table, m_.params[static_cast<size_t>(m_.error_out)].name));
    else if (o && !o->error.empty() && !m_.releases)  // a released object's field is never read (ir.hpp)
      line(fmt::format("    {}_set_error({}, bn_text);", o->shim_prefix, receiver_arg()));
    else if (m_.error_call.empty())
      line("    (void)bn_text;");
    if (!m_.error_call.empty()) {  // a statement over `message` and the arguments
      line("    {");
      line("      const char* message = bn_text;");
      line(fmt::format("      {};", over_arguments(m_.error_call)));
      line("    }");
    }
    line("    free(bn_msg);");
    std::string on_error = !m_.on_error.empty() ? m_.on_error : i_.error;
    if (!ret.empty() && !on_error.empty()) line(fmt::format("    bn_r = ({})({});", ret, on_error));
    line("  }");
  }

  const ModulePlan& plan_;
  const ir::Interface& i_;
  const ir::InterfaceMethod& m_;
  size_t index_;  ///< the method's index in the interface: its entry in a box's method cache
  std::string& out_;
};

}  // namespace

void emit_interfaces(const ModulePlan& plan, std::string& out) {
  for (const ir::Interface* i : plan.interfaces) {
    out += fmt::format("/* ---- interface {} ({}): methods of JavaScript objects ---- */\n\n", i->name,
                       i->c_name.empty() ? i->function : i->c_name);
    for (const auto& m : i->methods) MethodEmitter(plan, *i, m, out).emit();
    if (!i->function.empty()) continue;  // a function's parameters: each is fixed to its trampoline
    // The table every registration passes; a field the IR does not name stays NULL.
    out += fmt::format("static const {} {} BN_UNUSED = {{\n", i->c_name, i->table);
    for (const auto& [field, value] : i->preset) out += fmt::format("    .{} = {},\n", field, value);
    for (const auto& m : i->methods) out += fmt::format("    .{} = {},\n", m.field, trampoline_name(*i, m));
    out += "};\n\n";
  }
}

}  // namespace bindery::backends::node
