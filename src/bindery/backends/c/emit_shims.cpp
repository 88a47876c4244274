#include <fmt/format.h>

#include <algorithm>

#include "bindery/backends/c/emit.hpp"
#include "bindery/backends/c/writer.hpp"

namespace bindery::backends::c {

namespace {

/// put(out, v): how a shim stores a struct result through its out-parameter. Member by member
/// (to_c), GCC first spills a struct returned in registers to the stack and copies it from there;
/// one copy of its bytes lets it store the registers straight through `out` (bench/c/README.md:
/// two instructions a call). The bytes are copied only when the compiler confirms the layouts are
/// the same (same size, each field at the same offset, the C++ struct trivially copyable) and the
/// fields are the same scalars; otherwise, and for a struct with enum fields, put() is to_c().
void result_store(Writer& w, const RecordPlan& r) {
  bool all_scalar = std::none_of(r.field_is_enum.begin(), r.field_is_enum.end(), [](bool e) { return e; });
  w.line(fmt::format("void put({} *out, const {} &v) noexcept {{", r.c_name, r.cxx_name));
  w.indent();
  if (!all_scalar) {
    w.line("*out = to_c(v);");
  } else {
    w.line(fmt::format("constexpr bool same_layout = std::is_trivially_copyable_v<{}> && sizeof({}) == sizeof({})",
                       r.cxx_name, r.c_name, r.cxx_name));
    w.indent();
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const auto& [type, name] = r.fields[i];
      w.line(fmt::format("&& offsetof({}, {}) == offsetof({}, {}) && std::is_same_v<{}, decltype({}::{})>{}", r.c_name, name,
                         r.cxx_name, name, type, r.cxx_name, name, i + 1 == r.fields.size() ? ";" : ""));
    }
    if (r.fields.empty()) w.line(";");
    w.dedent();
    w.line("if constexpr (same_layout) std::memcpy(out, &v, sizeof *out);");
    w.line("else *out = to_c(v);");
  }
  w.dedent();
  w.line("}");
}

void to_cxx(Writer& w, const RecordPlan& r) {
  std::string fields;
  for (size_t i = 0; i < r.fields.size(); ++i) {
    const std::string& n = r.fields[i].second;
    std::string v = r.field_is_enum[i] ? fmt::format("static_cast<{}>(v.{})", r.field_cxx_enum[i], n) : "v." + n;
    fields += fmt::format("{}.{} = {}", i ? ", " : "", n, v);
  }
  w.line(fmt::format("{} to_cxx(const {} &v) noexcept {{ return {}{{{}}}; }}", r.cxx_name, r.c_name, r.cxx_name, fields));
}

/// Whether a shim stores a result of this struct through `out` (with put()).
bool stores_result(const Plan& plan, const RecordPlan& r) {
  for (const auto& s : plan.shims)
    for (const auto& p : s.params)
      if (p.name == "out" && p.c_type == r.c_name + " *") return true;
  return false;
}

/// Whether a shim takes this struct from C (by value, or as an optional `const T *`): to_cxx.
bool takes_record(const Plan& plan, const RecordPlan& r) {
  for (const auto& s : plan.shims)
    for (const auto& p : s.params)
      if (p.c_type == r.c_name || p.c_type == "const " + r.c_name + " *") return true;
  return false;
}

/// Whether a shim gives this struct to C (returned, or stored through `out` by put()): to_c.
bool gives_record(const Plan& plan, const RecordPlan& r) {
  for (const auto& s : plan.shims)
    if (s.c_return == r.c_name) return true;
  return stores_result(plan, r);
}

/// to_cxx / to_c / put for each struct, each written only where a shim uses it (an unused function
/// in an unnamed namespace is a warning).
void record_conversions(Writer& w, const Plan& plan) {
  bool any = std::any_of(plan.records.begin(), plan.records.end(),
                         [&](const RecordPlan& r) { return takes_record(plan, r) || gives_record(plan, r); });
  if (!any) return;
  w.line("namespace {");
  w.line();
  w.line("// Structs cross member by member: the C and C++ layouts are never assumed to match (put() copies");
  w.line("// bytes only where the compiler has checked that they do).");
  for (const auto& r : plan.records) {
    if (takes_record(plan, r)) to_cxx(w, r);
    if (!gives_record(plan, r)) continue;
    w.line(fmt::format("{} to_c(const {} &v) noexcept {{", r.c_name, r.cxx_name));
    w.indent();
    w.line(fmt::format("{} c{{}};", r.c_name));
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const std::string& n = r.fields[i].second;
      w.line(r.field_is_enum[i] ? fmt::format("c.{} = static_cast<{}>(v.{});", n, r.fields[i].first, n)
                                : fmt::format("c.{} = v.{};", n, n));
    }
    w.line("return c;");
    w.dedent();
    w.line("}");
    if (stores_result(plan, r)) result_store(w, r);
  }
  w.line();
  w.line("}  // namespace");
  w.line();
}

std::string signature(const Shim& s) {
  std::string params;
  for (const auto& p : s.params) {
    std::string sep = !p.c_type.empty() && p.c_type.back() == '*' ? "" : " ";
    params += (params.empty() ? "" : ", ") + p.c_type + sep + p.name;
  }
  std::string sep = !s.c_return.empty() && s.c_return.back() == '*' ? "" : " ";
  return fmt::format("{}{}{}({}) noexcept", s.c_return, sep, s.c_name, params.empty() ? "void" : params);
}

void shim(Writer& w, const Plan& plan, const Shim& s) {
  w.line(signature(s) + " {");
  w.indent();
  if (s.status && s.can_throw) {
    w.line("try {");
    w.indent();
    for (const auto& l : s.body) w.line(l);
    w.dedent();
    w.line("} catch (...) {");
    w.indent();
    w.line("return bindery_c::fail();");
    w.dedent();
    w.line("}");
  } else {
    for (const auto& l : s.body) w.line(l);
  }
  w.dedent();
  w.line("}");
  w.line();
  (void)plan;
}

}  // namespace

std::string emit_shims(const Plan& plan) {
  Writer w;
  w.line(fmt::format("// {}_c.cpp: the extern \"C\" shims over the C++ library {}.", plan.library, plan.library));
  w.line("//");
  w.line("// Generated by `bindery generate --target c`. Do not edit. Every function is noexcept: a C++");
  w.line("// exception never crosses into C; it becomes a status code and a thread-local message.");
  w.line("// Objects cross as the C++ object's own address (reinterpret_cast to an incomplete C struct),");
  w.line("// so a call through a shim costs one call and no conversion.");
  w.line(fmt::format("#include \"{}.h\"", plan.library));
  w.line();
  for (const char* h : {"<cstddef>", "<cstdlib>", "<cstring>", "<memory>", "<optional>", "<span>", "<string>", "<string_view>", "<type_traits>", "<utility>", "<vector>"})
    w.line(fmt::format("#include {}", h));
  w.line();
  w.line("#include \"bindery_c_runtime.hpp\"");
  for (const auto& inc : plan.cxx_includes) w.line(fmt::format("#include <{}>", inc));
  w.line();
  w.line("// The C header's codes and the runtime's must agree.");
  w.line(fmt::format("static_assert({}OK == bindery_c::kOk && {}ERROR == bindery_c::kError &&", plan.upper, plan.upper));
  w.line(fmt::format("              {}ERROR_NO_MEMORY == bindery_c::kNoMemory && {}ERROR_UNKNOWN == bindery_c::kUnknown);",
                     plan.upper, plan.upper));
  w.line();
  record_conversions(w, plan);
  w.line("extern \"C\" {");
  w.line();
  w.line(fmt::format("const char *{}last_error(void) noexcept {{ return bindery_c::last_error; }}", plan.prefix));
  w.line();
  w.line(fmt::format("void {}free(void *p) noexcept {{ std::free(p); }}", plan.prefix));
  w.line();
  for (const auto& s : plan.shims) shim(w, plan, s);
  w.line("}  // extern \"C\"");
  return w.str();
}

}  // namespace bindery::backends::c
