#include "bindery/cli/hosts_over_cxx.hpp"

#include "bindery/backends/c/c_layer.hpp"
#include "bindery/config/config.hpp"
#include "bindery/ir/lower.hpp"

namespace bindery::cli {

namespace fs = std::filesystem;

std::optional<ir::Module> module_over_c_layer(const backends::c::Plan& plan, const fs::path& out_dir,
                                              Diagnostics& diags) {
  const fs::path layer = out_dir / "c_layer";
  backends::c::write_c_layer(plan, layer, diags);
  if (diags.has_errors()) return std::nullopt;

  // The host binds the C layer exactly as a user would bind any C library: from its header and the
  // bindery.yaml written beside it. What the C++ side contributes is only how to build it.
  config::Config config = config::load_config(layer / "bindery.yaml", diags);
  if (diags.has_errors()) return std::nullopt;
  ir::Module module = ir::load_module(config, diags);
  if (diags.has_errors()) return std::nullopt;

  const ir::Module& cxx = plan.module;
  // The shim includes its runtime from src/ and the library's headers from the library's own dirs.
  module.include_dirs.push_back((layer / "src").string());
  module.include_dirs.insert(module.include_dirs.end(), cxx.include_dirs.begin(), cxx.include_dirs.end());
  module.defines.insert(module.defines.end(), cxx.defines.begin(), cxx.defines.end());
  module.sources = {(layer / "src" / (plan.library + "_c.cpp")).string()};
  module.sources.insert(module.sources.end(), cxx.sources.begin(), cxx.sources.end());
  module.link.insert(module.link.end(), cxx.link.begin(), cxx.link.end());
  module.cxx_std = cxx.cxx_std;
  return module;
}

}  // namespace bindery::cli
