// Reads C headers with libclang into frontend::TranslationUnit.
#pragma once

#include "bindery/frontend/declarations.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::frontend {

/// Parses `options.headers` as one C translation unit. Compiler errors in the headers are
/// reported to `diags` with their location and end the run (FatalError).
TranslationUnit parse_c_headers(const ParseOptions& options, Diagnostics& diags);

}  // namespace bindery::frontend
