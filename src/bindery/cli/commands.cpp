#include "bindery/cli/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bindery/backends/backend.hpp"
#include "bindery/backends/c/c_layer.hpp"
#include "bindery/frontend/cxx/cxx_frontend.hpp"
#include "bindery/cli/coverage_report.hpp"
#include "bindery/cli/hosts_over_cxx.hpp"
#include "bindery/config/config.hpp"
#include "bindery/infer/init.hpp"
#include "bindery/ir/json.hpp"
#include "bindery/ir/lower.hpp"
#include "bindery/support/files.hpp"

namespace bindery::cli {

namespace {

namespace fs = std::filesystem;

bool is_cxx_library(const config::Config& config) {
  return !config.headers.empty() &&
         std::all_of(config.headers.begin(), config.headers.end(), frontend::cxx::is_cxx_header);
}

/// What the front half read: the IR, and for a C++ library (every header C++,
/// docs/adr/c-layer-cxx-frontend-route.md) the plan of its C layer, whose module is that IR.
struct Loaded {
  ir::Module module;
  std::optional<backends::c::Plan> cxx_plan;
};

/// Runs the front half (config → headers → IR); nullopt when errors stop it.
std::optional<Loaded> load(const Options& options, Diagnostics& diags) {
  try {
    config::Config config = config::load_config(options.config, diags);
    if (diags.has_errors()) return std::nullopt;
    if (!is_cxx_library(config)) {
      ir::Module module = ir::load_module(config, diags);
      if (diags.has_errors()) return std::nullopt;
      return Loaded{std::move(module), std::nullopt};
    }
    // With the config: its template instances and function names are part of the plan.
    backends::c::Plan plan = backends::c::plan_from_config(config, diags);
    if (diags.has_errors()) return std::nullopt;
    ir::Module module = plan.module;
    return Loaded{std::move(module), std::move(plan)};
  } catch (const FatalError&) {
    return std::nullopt;
  } catch (const std::exception& e) {  // e.g. a path the file system refuses: an error, never a crash
    diags.error({options.config, 0, 0}, e.what(), "check the paths in bindery.yaml");
    return std::nullopt;
  }
}

/// A C++ library's generate: `--target c` writes its C layer from the plan; every host target binds
/// the C layer, read back as C (docs/hosts-over-cxx.md). nullopt when nothing is left to generate.
std::optional<ir::Module> cxx_library_for_target(const Options& options, const backends::c::Plan& plan,
                                                 const fs::path& out, Diagnostics& diags) {
  if (options.target == "c") {
    backends::c::write_c_layer(plan, out, diags);
    return std::nullopt;
  }
  if (options.target == "cpp")
    diags.fatal({options.config, 0, 0}, "the cpp target makes a C library safe to call from C++; this library is C++ already",
                "use --target c for its C interface, or python, ruby, node");
  return module_over_c_layer(plan, out, diags);
}

int finish(const Diagnostics& diags, bool colour, int code) {
  diags.print(std::cerr, colour);
  return diags.has_errors() ? 1 : code;
}

/// Under --strict, every "needs annotation" becomes an error with its suggestion.
void report_strict(const ir::Module& module, Diagnostics& diags) {
  for (const auto& u : module.unbound)
    if (u.kind == ir::Unbound::Kind::NeedsAnnotation)
      diags.error(u.location, fmt::format("'{}' needs annotation: {}", u.c_name, u.reason),
                  u.suggestion.empty() ? "" : fmt::format("add to bindery.yaml under functions: {}", u.suggestion));
}

}  // namespace

int run_check(const Options& options) {
  Diagnostics diags;
  auto loaded = load(options, diags);
  if (!loaded) return finish(diags, options.colour, 1);
  print_coverage(loaded->module, std::cout, options.quiet);
  if (options.strict) report_strict(loaded->module, diags);
  return finish(diags, options.colour, 0);
}

int run_ir(const Options& options) {
  Diagnostics diags;
  auto loaded = load(options, diags);
  if (!loaded) return finish(diags, options.colour, 1);
  std::string text = ir::to_json(loaded->module).dump(2) + "\n";
  if (options.output.empty() || options.output == "-") std::cout << text;
  else write_file_if_changed(options.output, text);
  return finish(diags, options.colour, 0);
}

int run_generate(const Options& options) {
  Diagnostics diags;
  auto loaded = load(options, diags);
  if (!loaded) return finish(diags, options.colour, 1);
  if (options.strict) report_strict(loaded->module, diags);
  if (diags.has_errors()) return finish(diags, options.colour, 1);
  const backends::Target* target = backends::find_target(options.target);
  backends::GenerateOptions generate;
  generate.out_dir = fs::absolute(options.output);
  for (const auto& kv : options.backend_options) {
    auto eq = kv.find('=');
    generate.options[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  try {
    std::optional<ir::Module> module = std::move(loaded->module);
    if (loaded->cxx_plan) module = cxx_library_for_target(options, *loaded->cxx_plan, generate.out_dir, diags);
    if (module && !diags.has_errors()) target->generate(*module, generate, diags);
  } catch (const FatalError&) {
  } catch (const std::exception& e) {
    diags.error({options.output, 0, 0}, e.what());
  }
  return finish(diags, options.colour, 0);
}

int run_init(const Options& options) {
  Diagnostics diags;
  try {
    std::string yaml = infer::write_starting_config(options.headers, options.include_dirs, options.library,
                                                    options.output.empty() ? fs::path("bindery.yaml") : fs::path(options.output), diags);
    if (diags.has_errors()) return finish(diags, options.colour, 1);
    if (options.output == "-") {
      std::cout << yaml;
    } else {
      fs::path out = options.output.empty() ? "bindery.yaml" : options.output;
      if (fs::exists(out) && !options.force) {
        diags.error({out.string(), 0, 0}, "already exists", "pass --force to overwrite it, or -o to write elsewhere");
        return finish(diags, options.colour, 1);
      }
      write_file_if_changed(out, yaml);
      std::cerr << fmt::format("wrote {}: review every line marked 'review:', then run `bindery check -c {}`\n", out.string(), out.string());
    }
  } catch (const FatalError&) {
  } catch (const std::exception& e) {
    diags.error({options.output.empty() ? std::string("bindery.yaml") : options.output, 0, 0}, e.what());
  }
  return finish(diags, options.colour, 0);
}

}  // namespace bindery::cli
