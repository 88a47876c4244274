#include "bindery/ir/lower.hpp"

#include <filesystem>

#include "bindery/frontend/c_frontend.hpp"
#include "bindery/ir/check.hpp"
#include "bindery/ir/lowering_context.hpp"

namespace bindery::ir {

namespace fs = std::filesystem;

frontend::ParseOptions parse_options(const config::Config& config) {
  frontend::ParseOptions options;
  options.headers = config.headers;
  options.include_dirs = config.include_dirs;
  options.defines = config.defines;
  options.std = config.std;
  options.bind_system = config.bind_system;
  options.annotate_include_dir = fs::path(BINDERY_SOURCE_DIR) / "include";
  for (const auto& c : config.constants) options.constant_expressions.emplace_back(c.name, c.expression, c.where);
  for (const auto& v : config.variants) options.variants.push_back({v.symbol, v.declarator, v.c_name, v.where});
  return options;
}

namespace {
/// How generated code includes a header: relative to an include dir that contains it, else
/// relative to /usr/include, else by file name.
std::string include_spelling(const std::string& header, const config::Config& config) {
  std::vector<std::string> roots = config.include_dirs;
  roots.push_back("/usr/local/include");
  roots.push_back("/usr/include");
  for (const auto& root : roots) {
    auto rel = fs::path(header).lexically_relative(root);
    if (!rel.empty() && rel.native().rfind("..", 0) != 0) return rel.string();
  }
  return fs::path(header).filename().string();
}
}  // namespace

Module module_settings(const config::Config& config) {
  Module module;
  module.library = config.library;
  module.cxx_namespace = config.cxx_namespace;
  module.prefix_strip = config.prefix_strip;
  for (const auto& h : config.headers) module.headers.push_back({h, include_spelling(h, config)});
  module.include_dirs = config.include_dirs;
  module.defines = config.defines;
  module.sources = config.sources;
  module.link = config.link;
  return module;
}

Module lower(const config::Config& config, const frontend::TranslationUnit& tu, Diagnostics& diags) {
  Module module = module_settings(config);
  LoweringContext ctx{config, tu, diags, module, {}, {}, {}, {}, {}, {}, {}, {}};
  lower_declarations(ctx);
  lower_interfaces(ctx);
  lower_functions(ctx);
  drop_unused_interfaces(module);
  add_interface_shims(module);
  check_module(module, tu, diags);
  return module;
}

Module load_module(const config::Config& config, Diagnostics& diags) {
  frontend::TranslationUnit tu = frontend::parse_c_headers(parse_options(config), diags);
  return lower(config, tu, diags);
}

}  // namespace bindery::ir
