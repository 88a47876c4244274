// The cpp target: a safe, header-only C++20 API over a C library.
//
// Writes `<out>/<library>.hpp` and copies the runtime header it includes
// (`<out>/bindery/cpp_runtime.hpp`), so the output builds with nothing else. Layout of the header:
// exception classes, constants, enums, records, the handle classes (members declared), the result
// structs, then every function body inline — so each class is complete where a body needs it.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <exception>

#include "bindery/backends/backend.hpp"
#include "bindery/backends/cpp/allocating_overload.hpp"
#include "bindery/backends/cpp/emit_class.hpp"
#include "bindery/backends/cpp/emit_function.hpp"
#include "bindery/backends/cpp/emit_types.hpp"
#include "bindery/backends/cpp/names.hpp"
#include "bindery/support/files.hpp"

#ifndef BINDERY_SOURCE_DIR
#define BINDERY_SOURCE_DIR "."
#endif

namespace bindery::backends {

namespace cpp {
namespace {

struct ApiPlan {
  std::vector<ClassPlan> classes;
  std::vector<FunctionPlan> free_functions;
  std::vector<std::pair<std::string, std::string>> not_generated;  // C name, reason
};

ApiPlan plan_api(const Context& ctx) {
  ApiPlan api;
  for (const auto& h : ctx.module.handles) {
    ClassPlan cls;
    cls.handle = &h;
    cls.destroy = ctx.function(h.destroy);
    api.classes.push_back(cls);
  }
  auto class_of = [&](const std::string& name) -> ClassPlan* {
    for (auto& c : api.classes)
      if (c.handle->name == name) return &c;
    return nullptr;
  };
  for (const auto& f : ctx.module.functions) {
    // A handle's destroy function is its destructor and close(), not a method.
    if (ctx.handle_destroyed_by(f.c_name) != nullptr) continue;
    ClassPlan* cls = f.class_name.empty() ? nullptr : class_of(f.class_name);
    FunctionPlan plan = plan_function(ctx, f, cls != nullptr ? cls->handle : nullptr);
    if (!plan.skip.empty()) {
      ctx.diags.warning(f.location, fmt::format("cpp: {} is not generated: {}", f.c_name, plan.skip));
      api.not_generated.emplace_back(f.c_name, plan.skip);
      continue;
    }
    const bool member = cls != nullptr && (plan.is_member || plan.is_static_member);
    if (member) {
      // Names the class itself defines stay free for them.
      for (const char* reserved : {"close", "adopt", "release", "is_open", "c_ptr", "c_ptr_or_throw", "replace_c_ptr"})
        if (plan.name == reserved) plan.name += '_';
    }
    std::optional<FunctionPlan> allocating = plan_allocating_overload(ctx, f, plan);
    auto& into = member ? cls->members : api.free_functions;
    into.push_back(std::move(plan));
    if (allocating) into.push_back(std::move(*allocating));
  }
  return api;
}

/// The C++ namespace: `cxx_namespace` (default: the library), unless the C header already uses that
/// name at global scope (a function `double_input`, a `struct tarball`), which C++ refuses; then
/// `<name>_cpp`, with a warning naming the clash.
std::string namespace_name(const Context& ctx) {
  const ir::Module& m = ctx.module;
  std::string ns = m.cxx_namespace.empty() ? m.library : m.cxx_namespace;
  auto tag_of = [](std::string c) {
    for (const char* prefix : {"struct ", "enum ", "union "})
      if (c.starts_with(prefix)) c = c.substr(std::string(prefix).size());
    return c;
  };
  std::vector<std::string> taken;
  for (const auto& f : m.functions) taken.push_back(f.c_name);
  for (const auto& u : m.unbound) taken.push_back(u.c_name);
  for (const auto& h : m.handles) {
    taken.push_back(tag_of(h.c_name));
    // `typedef struct foo foo_t;` declares the tag `foo` too.
    if (h.c_name.ends_with("_t")) taken.push_back(h.c_name.substr(0, h.c_name.size() - 2));
  }
  for (const auto& r : m.records) taken.push_back(tag_of(r.c_name));
  for (const auto& e : m.enums) taken.push_back(tag_of(e.c_name));
  for (const auto& c : m.constants) taken.push_back(c.c_name);
  if (std::find(taken.begin(), taken.end(), ns) == taken.end()) return ns;
  ctx.diags.warning({m.library, 0, 0},
                    fmt::format("cpp: the C header already declares `{0}` at global scope, so the C++ namespace is "
                                "`{0}_cpp`", ns),
                    "set `cxx_namespace:` in bindery.yaml to choose another name");
  return ns + "_cpp";
}

/// A variant shim of Module::shims as C++ accepts it. The lowering writes C, whose call may pass a
/// `const char *` for the C function's `void *` (a `void *` made concrete); C++ refuses that, so the
/// shim is written again from its Function (same name, same signature) with each pointer-to-const
/// argument const_cast: the C function receives the very pointer it received in C. A shim whose
/// Function has a parameter C++ cannot spell this way (a function pointer) is kept as written.
std::string cxx_shim(const ir::Module& m, std::string shim) {
  while (shim.ends_with('\n')) shim.pop_back();
  for (const auto& f : m.functions) {
    if (f.variant_of.empty() || shim.find(" " + f.c_name + "(") == std::string::npos) continue;
    std::vector<const ir::Param*> params;
    for (const auto& p : f.params) params.push_back(&p);
    std::sort(params.begin(), params.end(), [](const ir::Param* a, const ir::Param* b) { return a->index < b->index; });
    std::string decl, args;
    bool cast = false;
    for (const ir::Param* p : params) {
      if (p->c_type.find('(') != std::string::npos || p->c_type.find('[') != std::string::npos) return shim;
      const bool spaced = p->c_type.ends_with("*");
      decl += (decl.empty() ? "" : ", ") + p->c_type + (spaced ? "" : " ") + p->name;
      std::string arg = p->name;
      if (p->c_type.find('*') != std::string::npos && p->c_type.find("const") != std::string::npos) {
        arg = fmt::format("const_cast<{}>({})", without_const(p->c_type), p->name);
        cast = true;
      }
      args += (args.empty() ? "" : ", ") + arg;
    }
    if (!cast) return shim;  // valid C++ as it is: verbatim
    const bool returns = f.returns.kind != ir::TypeKind::Void;
    const std::string ret = returns ? f.returns.c_type : "void";
    return fmt::format("static inline {}{}{}({}) {{ {}{}({}); }}", ret, ret.ends_with("*") ? "" : " ", f.c_name, decl,
                       returns ? "return " : "", f.variant_of, args);
  }
  return shim;
}

std::string header_text(const Context& ctx, const ApiPlan& api) {
  const ir::Module& m = ctx.module;
  Writer w;
  w.line(fmt::format("// {}.hpp: safe C++20 API over the {} C library.", m.library, m.library));
  w.line("//");
  w.line("// Generated by `bindery generate --target cpp`. Do not edit: change the headers or bindery.yaml");
  w.line("// and generate again.");
  w.line("#pragma once");
  w.line();
  for (const char* inc : {"cerrno", "cstddef", "cstdint", "limits", "optional", "span", "stdexcept", "string",
                          "string_view", "system_error", "type_traits", "utility", "vector"})
    w.line(fmt::format("#include <{}>", inc));
  w.line();
  w.line("#include \"bindery/cpp_runtime.hpp\"");
  w.line();
  w.line("extern \"C\" {");
  for (const auto& h : m.headers) w.line(fmt::format("#include <{}>", h.include));
  if (!m.shims.empty()) {
    // Typed entry points the lowering wrote for `variants:` (one C function bound several ways).
    w.line();
    w.line("// Variant shims (bindery.yaml `variants:`): the lowering's, with `const` pointers passed on as");
    w.line("// their non-const type, since C++, unlike C, converts no `const T *` to the `void *` they stand for.");
    for (const std::string& shim : m.shims) w.line(cxx_shim(m, shim));
  }
  w.line("}");
  w.line();
  const std::string ns = namespace_name(ctx);
  w.line(fmt::format("namespace {} {{", ns));
  w.line();
  emit_errors(ctx, w);
  emit_constants(ctx, w);
  emit_enums(ctx, w);
  emit_records(ctx, w);

  if (!api.classes.empty()) {
    w.line();
    for (const auto& c : api.classes) {
      w.line(fmt::format("class {};", c.handle->name));
      if (ctx.refs.count(c.handle->name) != 0) w.line(fmt::format("class {};", ctx.ref_type(*c.handle)));
    }
  }
  for (const auto& c : api.classes)
    for (const auto& f : c.members)
      if (!f.result_struct.empty()) w.line(fmt::format("struct {};", f.result_struct));
  for (const auto& c : api.classes) emit_class_declaration(ctx, c, w);
  for (const auto& c : api.classes) emit_ref_declaration(ctx, c, w);
  for (const auto& c : api.classes)
    for (const auto& f : c.members) emit_result_struct(f, w);
  for (const auto& f : api.free_functions) emit_result_struct(f, w);
  for (const auto& c : api.classes) {
    emit_class_definitions(ctx, c, w);
    emit_ref_definitions(ctx, c, w);
  }
  for (const auto& f : api.free_functions) emit_definition(f, "", w);

  if (!api.not_generated.empty() || !m.unbound.empty()) {
    w.line();
    w.line("// Not in this API (call the C function directly; `bindery check` explains each):");
    for (const auto& [name, why] : api.not_generated) w.line(fmt::format("//   {}: {}", name, why));
    for (const auto& u : m.unbound) w.line(fmt::format("//   {}: {}", u.c_name, u.reason));
  }
  w.line();
  w.line(fmt::format("}}  // namespace {}", ns));
  return w.str();
}

/// The runtime header: `--option runtime_dir=...`, else $BINDERY_CPP_RUNTIME_DIR, else the source tree.
std::filesystem::path runtime_dir(const GenerateOptions& options) {
  if (auto it = options.options.find("runtime_dir"); it != options.options.end()) return it->second;
  if (const char* env = std::getenv("BINDERY_CPP_RUNTIME_DIR")) return env;
  return std::filesystem::path(BINDERY_SOURCE_DIR) / "runtime" / "cpp";
}

}  // namespace
}  // namespace cpp

void generate_cpp(const ir::Module& module, const GenerateOptions& options, Diagnostics& diags) {
  cpp::Context ctx{module, diags, {}, {}};
  ctx.find_refs();
  ctx.find_function_names();
  cpp::ApiPlan api = cpp::plan_api(ctx);
  const std::string header = cpp::header_text(ctx, api);
  const auto runtime = cpp::runtime_dir(options) / "bindery" / "cpp_runtime.hpp";
  try {
    write_file_if_changed(options.out_dir / (module.library + ".hpp"), header);
    write_file_if_changed(options.out_dir / "bindery" / "cpp_runtime.hpp", read_file(runtime));
  } catch (const std::exception& e) {
    diags.error({module.library, 0, 0}, e.what(),
                "the cpp runtime header is looked up in --option runtime_dir=DIR, $BINDERY_CPP_RUNTIME_DIR, "
                "then the bindery source tree");
  }
}

}  // namespace bindery::backends
