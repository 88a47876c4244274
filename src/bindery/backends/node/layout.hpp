// What a generated package carries of the library itself, so that `npm pack` makes a tarball that
// builds anywhere: no absolute path into the source tree ever reaches build.js.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::node {

struct PackageLayout {
  std::vector<std::string> include_dirs;  ///< relative to the package directory
  std::vector<std::string> sources;       ///< relative to the package directory
  /// Files to copy into the package: (absolute source, path relative to the package).
  std::vector<std::pair<std::filesystem::path, std::string>> copies;
  std::vector<std::string> package_dirs;  ///< top-level folders build.js needs ("native/", "c_layer/")
};

/// Paths already inside `out` (the C layer of a C++ library) are used as they are; others are copied
/// to `native/inc<N>/` (the headers of an include directory, recursively) and `native/src<N>/` (a
/// source directory's sources and headers). System directories (/usr, /opt) are left to the compiler.
PackageLayout plan_layout(const ir::Module& module, const std::filesystem::path& out);

}  // namespace bindery::backends::node
