// `bindery generate --target c`: a C ABI over a C++ library. The IR the CLI hands over was
// lowered from C declarations, which a C++ library does not have, so this backend reads the
// module's headers again with the C++ frontend and plans from those (docs/adr/c-layer-cxx-frontend-route.md).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "bindery/backends/backend.hpp"
#include "bindery/backends/c/c_layer.hpp"
#include "bindery/backends/c/emit.hpp"
#include "bindery/frontend/cxx/cxx_frontend.hpp"
#include "bindery/ir/json.hpp"
#include "bindery/ir/lower.hpp"
#include "bindery/support/files.hpp"

namespace bindery::backends::c {

namespace fs = std::filesystem;


Plan plan_cxx_library(const ir::Module& base, const std::string& std, Diagnostics& diags, const Requests& requests) {
  if (base.headers.empty() ||
      !std::all_of(base.headers.begin(), base.headers.end(),
                   [](const ir::Header& h) { return frontend::cxx::is_cxx_header(h.path); }))
    diags.fatal({base.headers.empty() ? base.library : base.headers.front().path, 0, 0},
                "the 'c' target wraps a C++ library: every header must be C++ (.hpp, .hh, .hxx, .h++)",
                "a C library needs no C layer; for C++ use --target cpp");
  frontend::ParseOptions parse;
  for (const auto& h : base.headers) parse.headers.push_back(h.path);
  parse.include_dirs = base.include_dirs;
  parse.defines = base.defines;
  parse.std = std;
  parse.annotate_include_dir = (fs::path(BINDERY_SOURCE_DIR) / "include").string();
  frontend::cxx::CxxApi api = frontend::cxx::parse_cxx_headers(parse, diags, requests.templates);
  Plan plan = make_plan(api, base, diags, requests);
  plan.module.cxx_std = frontend::cxx::cxx_standard(std);
  return plan;
}

Requests requests_from_config(const config::Config& config, Diagnostics& diags) {
  Requests requests;
  for (const auto& t : config.types) {
    std::string name;
    std::vector<std::string> args;
    if (!frontend::cxx::split_template_id(t.c_name, name, args)) {
      diags.warning(t.where, fmt::format("types: '{}' has no effect on a C++ library", t.c_name),
                    "C++ classes need no entry; types: names class template instances (\"Stack<int32_t>\": {name: StackI32})");
      continue;
    }
    if (!t.name) {
      diags.error(t.where, fmt::format("the template instance '{}' needs a name", t.c_name),
                  fmt::format("\"{}\": {{name: CamelCaseName}}", t.c_name));
      continue;
    }
    requests.templates.push_back({t.c_name, *t.name, true, t.where});
  }
  for (const auto& [key, spec] : config.functions) {
    SourceLocation where;
    for (const auto& [k, loc] : config.function_keys)
      if (k == key) where = loc;
    std::string name;
    std::vector<std::string> args;
    if (key.find('(') == std::string::npos && frontend::cxx::split_template_id(key, name, args)) {
      if (!spec.name) {
        diags.error(where, fmt::format("the template instance '{}' needs a name", key), fmt::format("\"{}\": {{name: snake_name}}", key));
        continue;
      }
      requests.templates.push_back({key, *spec.name, false, where});
      continue;
    }
    requests.functions.push_back({key, spec.name.value.value_or(""), spec.skip.value.value_or(""), where});
  }
  return requests;
}

Plan plan_from_config(const config::Config& config, Diagnostics& diags) {
  return plan_cxx_library(ir::module_settings(config), config.std, diags, requests_from_config(config, diags));
}

Plan plan_from_config(const fs::path& file, Diagnostics& diags) {
  config::Config config = config::load_config(file, diags);
  if (diags.has_errors()) throw FatalError("bindery.yaml has errors");
  return plan_from_config(config, diags);
}

void write_c_layer(const Plan& plan, const fs::path& out, Diagnostics& diags) {
  for (const auto& s : plan.skipped)
    diags.warning(s.location, fmt::format("'{}' is not in the C interface: {}", s.qualified_name, s.reason));
  if (diags.has_errors()) return;
  const std::string lib = plan.library + "_c";
  write_file_if_changed(out / "include" / (plan.library + ".h"), emit_header(plan));
  write_file_if_changed(out / "include" / "bindery" / "annotate.h",
                        read_file(fs::path(BINDERY_SOURCE_DIR) / "include" / "bindery" / "annotate.h"));
  write_file_if_changed(out / "src" / (lib + ".cpp"), emit_shims(plan));
  write_file_if_changed(out / "src" / "bindery_c_runtime.hpp",
                        read_file(fs::path(BINDERY_SOURCE_DIR) / "runtime" / "c" / "bindery_c_runtime.hpp"));
  write_file_if_changed(out / "CMakeLists.txt", emit_cmake(plan));
  write_file_if_changed(out / (lib + ".pc.in"), emit_pkgconfig(plan));
  write_file_if_changed(out / (lib + "Config.cmake.in"), emit_package_config(plan));
  write_file_if_changed(out / "bindery.yaml", emit_config(plan));
}

}  // namespace bindery::backends::c

namespace bindery::backends {

void generate_c(const ir::Module& module, const GenerateOptions& options, Diagnostics& diags) {
  // The CLI writes a C++ library's C layer from the plan it made with bindery.yaml (template
  // instances, names); a module alone is planned from its headers, without those requests.
  c::write_c_layer(c::plan_cxx_library(module, module.cxx_std, diags), std::filesystem::absolute(options.out_dir), diags);
}

}  // namespace bindery::backends
