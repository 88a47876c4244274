// `bindery init`: read headers and propose a starting bindery.yaml. Inference proposes, never
// decides silently: every guess is written with a `# review:` comment saying what it assumed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bindery/frontend/declarations.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::infer {

/// The YAML text of a starting configuration for `headers`; paths in it are made relative to
/// the directory of `output` (where the file will be written).
std::string write_starting_config(const std::vector<std::string>& headers, const std::vector<std::string>& include_dirs,
                                  const std::string& library, const std::filesystem::path& output, Diagnostics& diags);

/// The same from already-parsed declarations (unit-tested directly).
std::string propose_config(const frontend::TranslationUnit& tu, const std::vector<std::string>& header_paths,
                           const std::vector<std::string>& include_dirs, const std::string& library);

}  // namespace bindery::infer
