#include "bindery/backends/python/layout.hpp"

#include <algorithm>

#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

KindError kind_error(const ir::Module& m, const std::string& base, ir::ErrorKind k) {
  const char* builtin = k == ir::ErrorKind::InvalidArgument ? "ValueError"
                        : k == ir::ErrorKind::OutOfRange    ? "IndexError"
                                                            : "MemoryError";
  std::string prefix = base.ends_with("Error") ? base.substr(0, base.size() - 5) : base;
  if (prefix.empty()) {  // `Error`: never shadow the builtin's name in the module
    prefix = host_exception(m, nullptr);
    prefix = prefix.substr(0, prefix.size() - 5);
  }
  return {prefix + builtin, base, builtin};
}

ModuleLayout layout_module(const ir::Module& m) {
  ModuleLayout out;
  out.package = py_ident(m.library);
  out.extension = "_" + out.package;
  for (const auto& c : m.conventions) {
    auto name = host_exception(m, &c);
    if (!name.empty() && std::find(out.errors.begin(), out.errors.end(), name) == out.errors.end()) {
      out.errors.push_back(name);
    }
  }
  if (out.errors.empty()) out.errors.push_back(host_exception(m, nullptr));
  std::sort(out.errors.begin(), out.errors.end());
  for (const auto& c : m.conventions) {
    const auto base = host_exception(m, &c);
    if (base.empty()) continue;  // OSError: errno picks its subclass already
    for (const auto& k : c.kinds) out.kind_errors.push_back(kind_error(m, base, k.kind));
  }
  std::sort(out.kind_errors.begin(), out.kind_errors.end());
  out.kind_errors.erase(std::unique(out.kind_errors.begin(), out.kind_errors.end()),
                        out.kind_errors.end());
  for (const auto& h : m.handles) out.classes.push_back({&h, {}, {}, {}, nullptr});

  auto class_of = [&](const std::string& name) -> ClassLayout* {
    for (auto& c : out.classes) {
      if (c.handle->name == name) return &c;
    }
    return nullptr;
  };

  for (const auto& fn : m.functions) {
    FunctionPlan plan = plan_function(m, fn);
    if (!plan.unsupported.empty()) {
      out.skipped.push_back(std::move(plan));
      continue;
    }
    ClassLayout* cls = class_of(fn.class_name);
    switch (fn.role) {
      case ir::FunctionRole::Destructor:
        // close(), `with` and the finaliser call the handle's destroy function.
        if (cls) continue;
        break;
      case ir::FunctionRole::Constructor:
      case ir::FunctionRole::Static:
        if (cls) {
          cls->statics.push_back(std::move(plan));
          continue;
        }
        break;
      case ir::FunctionRole::Getter:  // a method, as every host spells it: `p.name()`
      case ir::FunctionRole::Method:
        if (cls && plan.self) {
          cls->methods.push_back(std::move(plan));
          continue;
        }
        break;
      case ir::FunctionRole::Free:
        break;
    }
    out.functions.push_back(std::move(plan));
  }

  // `Class(...)` runs the constructor named new/create, or the only one.
  for (auto& c : out.classes) {
    const FunctionPlan* only = nullptr;
    int constructors = 0;
    for (const auto& s : c.statics) {
      if (s.fn->role != ir::FunctionRole::Constructor) continue;
      ++constructors;
      only = &s;
      if (s.fn->name == "new" || s.fn->name == "create") {
        c.call = &s;
        break;
      }
    }
    if (!c.call && constructors == 1) c.call = only;
  }
  return out;
}

}  // namespace bindery::backends::python
