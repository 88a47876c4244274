#include "bindery/cli/exported_symbols.hpp"

#include <dlfcn.h>

#include <memory>
#include <vector>

namespace bindery::cli {

std::optional<std::function<bool(const std::string&)>> exported_by(const ir::Module& module) {
  if (module.link.empty()) return std::nullopt;
  auto close_all = [](std::vector<void*>* handles) {
    for (void* h : *handles) dlclose(h);
    delete handles;
  };
  std::shared_ptr<std::vector<void*>> owned(new std::vector<void*>, close_all);
  for (const auto& name : module.link) {
    // Only loaded to look symbols up: RTLD_LAZY resolves nothing, RTLD_LOCAL exports nothing.
    void* handle = dlopen(("lib" + name + ".so").c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (!handle) return std::nullopt;
    owned->push_back(handle);
  }
  return [owned](const std::string& function) {
    for (void* handle : *owned)
      if (dlsym(handle, function.c_str())) return true;
    return false;
  };
}

}  // namespace bindery::cli
