// `bindery generate --target c`: a C ABI over a C++ library. The IR the CLI hands over was
// lowered from C declarations, which a C++ library does not have, so this backend reads the
// module's headers again with the C++ frontend and plans from those (docs/adr/c-layer-cxx-frontend-route.md).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
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

namespace {

void report_skipped(const Plan& plan, Diagnostics& diags) {
  for (const auto& s : plan.skipped)
    diags.warning(s.location, fmt::format("'{}' is not in the C interface: {}", s.qualified_name, s.reason));
}

int usage() {
  std::cerr << "usage: bindery-c generate --target c --out DIR -c bindery.yaml\n"
               "       bindery-c ir|check -c bindery.yaml\n";
  return 2;
}

}  // namespace

int run_cli(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string command = argv[1], config = "bindery.yaml", out, target = "c";
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-c" || a == "--config") && i + 1 < argc) config = argv[++i];
    else if ((a == "--out" || a == "-o") && i + 1 < argc) out = argv[++i];
    else if (a == "--target" && i + 1 < argc) target = argv[++i];
    else return usage();
  }
  if (target != "c" || (command == "generate" && out.empty())) return usage();
  Diagnostics diags;
  try {
    Plan plan = plan_from_config(config, diags);
    if (command == "generate") {
      report_skipped(plan, diags);
      if (!diags.has_errors()) write_c_layer(plan, fs::absolute(out));
    } else if (command == "ir") {
      std::cout << ir::to_json(plan.module).dump(2) << "\n";
    } else if (command == "check") {
      std::cout << fmt::format("{}: {} C functions, {} not bound\n", plan.library, plan.shims.size(), plan.skipped.size());
      report_skipped(plan, diags);
    } else {
      return usage();
    }
  } catch (const FatalError&) {
  } catch (const std::exception& e) {
    diags.error({config, 0, 0}, e.what());
  }
  diags.print(std::cerr, false);
  return diags.has_errors() ? 1 : 0;
}

}  // namespace bindery::backends::c

namespace bindery::backends {

void generate_c(const ir::Module& module, const GenerateOptions& options, Diagnostics& diags) {
  auto std = options.options.find("std");
  auto& last = c::last_plan();
  c::Plan plan = last && c::same_library(last->module, module)
                     ? *last
                     : c::plan_cxx_library(module, std == options.options.end() ? "c++20" : std->second, diags);
  for (const auto& s : plan.skipped)
    diags.warning(s.location, fmt::format("'{}' is not in the C interface: {}", s.qualified_name, s.reason));
  if (!diags.has_errors()) c::write_c_layer(plan, options.out_dir);
}

}  // namespace bindery::backends
