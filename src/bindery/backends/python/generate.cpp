// `bindery generate --target python`: a CPython extension (C source + the runtime header), its
// package (__init__.py, .pyi stub, py.typed) and a PEP 517 project around them.
//
// Layout of `--out DIR`:
//   src/_<lib>.c  src/bindery_python.h      the extension (self-contained: builds offline)
//   <lib>/__init__.py  __init__.pyi  py.typed   the package
//   pyproject.toml  setup.py                     `pip wheel DIR`
#include <filesystem>

#include "bindery/backends/backend.hpp"
#include "bindery/backends/python/emit_module.hpp"
#include "bindery/backends/python/emit_package.hpp"
#include "bindery/backends/python/emit_stub.hpp"
#include "bindery/backends/python/layout.hpp"
#include "bindery/support/files.hpp"

#ifndef BINDERY_SOURCE_DIR
#define BINDERY_SOURCE_DIR ""
#endif

namespace bindery::backends {

namespace {

// The runtime header ships in the source tree (runtime/python/); `--option runtime_dir=DIR`
// points elsewhere (an installed bindery).
std::filesystem::path runtime_header(const GenerateOptions& options) {
  auto it = options.options.find("runtime_dir");
  std::filesystem::path dir = it != options.options.end()
                                  ? std::filesystem::path(it->second)
                                  : std::filesystem::path(BINDERY_SOURCE_DIR) / "runtime" / "python";
  return dir / "bindery_python.h";
}

}  // namespace

void generate_python(const ir::Module& module, const GenerateOptions& options, Diagnostics& diags) {
  using namespace python;
  const ModuleLayout layout = layout_module(module);
  for (const auto& s : layout.skipped) {
    diags.warning(s.fn->location, "python: " + s.fn->c_name + " is not bound: " + s.unsupported);
  }
  const auto& out = options.out_dir;
  const auto header = runtime_header(options);
  std::string runtime;
  try {
    runtime = read_file(header);
  } catch (const std::exception& e) {
    diags.error({header.string(), 0, 0}, std::string("python: cannot read the runtime header: ") + e.what(),
                "pass --option runtime_dir=DIR (the folder holding bindery_python.h)");
    return;
  }
  write_file_if_changed(out / "src" / "bindery_python.h", runtime);
  write_file_if_changed(out / "src" / (layout.extension + ".c"), emit_module_source(module, layout));
  write_file_if_changed(out / layout.package / "__init__.py", emit_init_py(module, layout));
  write_file_if_changed(out / layout.package / "__init__.pyi", emit_stub(module, layout));
  write_file_if_changed(out / layout.package / "py.typed", "");
  write_file_if_changed(out / "pyproject.toml", emit_pyproject(module, layout));
  write_file_if_changed(out / "setup.py", emit_setup_py(module, layout));
  // The library's own sources (fixtures, examples), so `pip wheel DIR` needs nothing outside DIR.
  for (const auto& s : module.sources) {
    try {
      write_file_if_changed(out / "lib" / std::filesystem::path(s).filename(), read_file(s));
    } catch (const std::exception& e) {
      diags.error({s, 0, 0}, std::string("python: cannot copy a library source: ") + e.what());
    }
  }
}

}  // namespace bindery::backends
