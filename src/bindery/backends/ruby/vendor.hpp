// Makes the gem self-contained: the library's sources and headers that live outside the gem
// directory (in the project's source tree) are copied into ext/<library>/vendor/, so the gem
// builds wherever it is moved or installed. System directories (/usr/…) are left where they are.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::ruby {

struct Vendored {
  /// Files to copy: the original, and its path relative to the extension directory.
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  /// A source file or include directory (absolute, as in the IR) -> its path relative to the
  /// extension directory ("vendor/src/text.c", "vendor/include0").
  std::map<std::string, std::string> where;
};

/// What to copy for `module` into a gem written at `out_dir`.
Vendored plan_vendor(const ir::Module& module, const std::filesystem::path& out_dir);

}  // namespace bindery::backends::ruby
