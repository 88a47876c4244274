#include "bindery/backends/cpp/emit_function.hpp"

#include <fmt/format.h>

#include "bindery/backends/cpp/names.hpp"

namespace bindery::backends::cpp {

namespace {

std::string param_list(const FunctionPlan& plan, bool with_defaults) {
  std::string s;
  for (const auto& p : plan.params) s += (s.empty() ? "" : ", ") + p.str(with_defaults);
  return s;
}

std::string attributes(const FunctionPlan& plan) {
  std::string s;
  if ((plan.function->nodiscard || plan.is_static_member) && plan.return_type != "void") s += "[[nodiscard]] ";
  if (plan.function->deprecated)
    s += fmt::format("[[deprecated({})]] ", string_literal(*plan.function->deprecated));
  return s;
}

/// `const`, `&` / `&&`, `noexcept` after the parameter list.
std::string qualifiers(const FunctionPlan& plan, bool rvalue) {
  std::string s;
  if (plan.is_member && plan.is_const) s += " const";
  if (plan.borrows_self) s += rvalue ? " &&" : " &";
  if (plan.is_noexcept && !rvalue) s += " noexcept";
  return s;
}

}  // namespace

void emit_function_doc(const FunctionPlan& plan, Writer& w) {
  const ir::Function& f = *plan.function;
  if (!f.doc.empty()) w.doc(f.doc);
  for (const auto& n : plan.notes) w.doc(n);
  if (f.deprecated && !f.deprecated->empty()) w.doc("Deprecated: " + *f.deprecated);
  w.doc(fmt::format("Calls `{}`.", f.c_name));
}

void emit_member_declaration(const FunctionPlan& plan, Writer& w) {
  emit_function_doc(plan, w);
  std::string head = attributes(plan) + (plan.is_static_member ? "static " : "");
  w.line(fmt::format("{}{} {}({}){}{};", head, plan.return_type, plan.name, param_list(plan, true),
                     qualifiers(plan, false), plan.borrows_self ? " BINDERY_LIFETIMEBOUND" : ""));
  if (plan.borrows_self) {
    // A view of a temporary would dangle at the end of the full expression: refused at compile time.
    w.line(fmt::format("{} {}({}){} = delete;", plan.return_type, plan.name, param_list(plan, true),
                       qualifiers(plan, true)));
  }
}

void emit_definition(const FunctionPlan& plan, const std::string& cls, Writer& w) {
  w.line();
  if (cls.empty()) {
    emit_function_doc(plan, w);
    w.line(fmt::format("{}inline {} {}({}){} {{", attributes(plan), plan.return_type, plan.name,
                       param_list(plan, true), qualifiers(plan, false)));
  } else {
    w.line(fmt::format("inline {} {}::{}({}){} {{", plan.return_type, cls, plan.name, param_list(plan, false),
                       qualifiers(plan, false)));
  }
  w.indent();
  for (const auto& line : plan.body) w.line(line);
  w.dedent();
  w.line("}");
}

void emit_result_struct(const FunctionPlan& plan, Writer& w) {
  if (plan.result_struct.empty()) return;
  w.line();
  w.doc(fmt::format("What `{}` returns.", plan.function->c_name));
  w.line(fmt::format("struct {} {{", plan.result_struct));
  for (const auto& f : plan.result_fields)
    w.line(fmt::format("  {} {};{}", f.type, f.name, f.doc.empty() ? "" : "  ///< " + f.doc));
  w.line("};");
}

}  // namespace bindery::backends::cpp
