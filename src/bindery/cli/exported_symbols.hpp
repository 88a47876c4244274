// Which functions the installed shared libraries of a module (`link:`) really export.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "bindery/ir/ir.hpp"

namespace bindery::cli {

/// Whether a C function is exported by the module's `link:` libraries, looked up with dlsym in
/// `lib<name>.so` — a header may declare functions its platform build leaves out (SQLite's
/// snapshot and scan-status APIs without their compile options, its Windows-only functions).
/// nullopt when the module links nothing or a library cannot be loaded: then there is no figure.
std::optional<std::function<bool(const std::string&)>> exported_by(const ir::Module& module);

}  // namespace bindery::cli
