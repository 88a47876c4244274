// The contract between `bindery generate` and a target backend.
//
// A backend reads only the validated IR (never the config or the AST), writes its files under
// `options.out_dir`, and reports problems through `diags`. Output must be deterministic: the same
// IR gives the same bytes (golden tests pin it).
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::backends {

struct GenerateOptions {
  std::filesystem::path out_dir;
  /// Free-form `--option key=value` pairs from the command line, per backend.
  std::map<std::string, std::string> options;
};

using GenerateFn = void (*)(const ir::Module&, const GenerateOptions&, Diagnostics&);

struct Target {
  std::string_view name;
  std::string_view description;
  GenerateFn generate;
};

/// Every target `bindery generate --target` knows, in a fixed order.
std::span<const Target> targets();
const Target* find_target(std::string_view name);

// One entry point per backend, each defined in backends/<name>/.
void generate_cpp(const ir::Module&, const GenerateOptions&, Diagnostics&);
void generate_c(const ir::Module&, const GenerateOptions&, Diagnostics&);
void generate_python(const ir::Module&, const GenerateOptions&, Diagnostics&);
void generate_ruby(const ir::Module&, const GenerateOptions&, Diagnostics&);
void generate_node(const ir::Module&, const GenerateOptions&, Diagnostics&);

}  // namespace bindery::backends
