// Helpers for the unit tests: temporary trees of headers and bindery.yaml files.
#pragma once

#include <filesystem>
#include <string>

#include "bindery/config/config.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::test {

/// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  /// Writes `content` to `name` inside the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

/// Writes `header` as lib.h and `yaml_body` (after the standard preamble) as bindery.yaml, then
/// loads and lowers them. Diagnostics land in `diags`.
ir::Module lower_snippet(const TempDir& dir, const std::string& header, const std::string& yaml_body, Diagnostics& diags);

/// All diagnostics, one per line, as the CLI would print them without colour.
std::string messages(const Diagnostics& diags);

std::filesystem::path source_dir();

}  // namespace bindery::test
