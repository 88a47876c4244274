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


namespace {

/// The last plan made with bindery.yaml's requests, for generate_c(): the CLI hands a backend only
/// the IR module, which cannot carry the C++ spellings of template instances or the renames, so the
/// backend re-plans from the headers and takes the requests from the plan the CLI made just before
/// (same library, same headers). See docs/adr/c-layer-cxx-frontend-route.md.
std::optional<Plan>& last_plan() {
  static std::optional<Plan> plan;
  return plan;
}

bool same_library(const ir::Module& a, const ir::Module& b) {
  if (a.library != b.library || a.headers.size() != b.headers.size()) return false;
  for (size_t i = 0; i < a.headers.size(); ++i)
    if (a.headers[i].path != b.headers[i].path) return false;
  return true;
}

}  // namespace

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
  return make_plan(api, base, diags, requests);
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
  Plan plan = plan_cxx_library(ir::module_settings(config), config.std, diags, requests_from_config(config, diags));
  last_plan() = plan;
  return plan;
}

Plan plan_from_config(const fs::path& file, Diagnostics& diags) {
  config::Config config = config::load_config(file, diags);
  if (diags.has_errors()) throw FatalError("bindery.yaml has errors");
  return plan_from_config(config, diags);
}

void write_c_layer(const Plan& plan, const fs::path& out) {
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
  // The plan with bindery.yaml's template instances and names: the one the CLI made from the config,
  // or (`--option config=FILE`, until the CLI plans with the config) made here from it.
  auto std = options.options.find("std");
  auto config = options.options.find("config");
  auto& last = c::last_plan();
  c::Plan plan = config != options.options.end()           ? c::plan_from_config(std::filesystem::path(config->second), diags)
                 : last && c::same_library(last->module, module) ? *last
                 : c::plan_cxx_library(module, std == options.options.end() ? "c++20" : std->second, diags);
  for (const auto& s : plan.skipped)
    diags.warning(s.location, fmt::format("'{}' is not in the C interface: {}", s.qualified_name, s.reason));
  if (!diags.has_errors()) c::write_c_layer(plan, std::filesystem::absolute(options.out_dir));
}

}  // namespace bindery::backends
