// `bindery generate --target node`: writes a self-contained npm package directory:
//   package.json, build.js, index.js, index.d.ts, src/addon.c, src/bindery_node.h (the runtime), and
//   native/: the library's own headers and sources (so the packed tarball builds anywhere).
#include <filesystem>
#include <stdexcept>

#include "bindery/backends/backend.hpp"
#include "bindery/backends/node/emit.hpp"
#include "bindery/backends/node/plan.hpp"
#include "bindery/support/files.hpp"

namespace bindery::backends {

namespace {
std::filesystem::path runtime_header(const GenerateOptions& options) {
  auto it = options.options.find("runtime_dir");
  std::filesystem::path dir = it != options.options.end() ? std::filesystem::path(it->second)
                                                          : std::filesystem::path(BINDERY_SOURCE_DIR) / "runtime" / "node";
  return dir / "bindery_node.h";
}
}  // namespace

void generate_node(const ir::Module& module, const GenerateOptions& options, Diagnostics& diags) {
  node::ModulePlan plan = node::make_plan(module, diags);
  const auto& out = options.out_dir;
  try {
    write_file_if_changed(out / "src" / "bindery_node.h", read_file(runtime_header(options)));
    write_file_if_changed(out / "src" / "addon.c", node::emit_native(plan));
    write_file_if_changed(out / "index.js", node::emit_js(plan));
    write_file_if_changed(out / "index.d.ts", node::emit_dts(plan));
    node::PackageLayout layout = node::plan_layout(module, out);
    for (const auto& [from, to] : layout.copies) write_file_if_changed(out / to, read_file(from));
    write_file_if_changed(out / "package.json", node::emit_package_json(plan, layout));
    write_file_if_changed(out / "build.js", node::emit_build_js(plan, layout));
  } catch (const std::exception& e) {
    diags.error({module.library, 0, 0}, std::string("node: ") + e.what());
  }
}

}  // namespace bindery::backends
