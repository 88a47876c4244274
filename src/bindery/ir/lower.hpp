// Lowering: C declarations + annotations → the protocol IR.
#pragma once

#include "bindery/config/config.hpp"
#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::ir {

/// Builds the IR. Annotation mistakes are errors in `diags`; pointers nothing classifies end up
/// in `Module::unbound` as "needs annotation" (an error only under --strict).
Module lower(const config::Config& config, const frontend::TranslationUnit& tu, Diagnostics& diags);

/// The library-level settings of `config` as a module with no declarations yet: name, namespace,
/// headers with their #include spelling, include dirs, defines, sources, link. Both the C lowering
/// and the C++ route (backends/c) start from it.
Module module_settings(const config::Config& config);

/// The frontend options a configuration asks for.
frontend::ParseOptions parse_options(const config::Config& config);

/// Reads the headers and lowers them: the whole front half of every command.
Module load_module(const config::Config& config, Diagnostics& diags);

}  // namespace bindery::ir
