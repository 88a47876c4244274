// The extension module's C source: includes, wrappers, one static type per handle class,
// method tables and the module initialisation (exception, enums, constants).
#pragma once

#include <string>

#include "bindery/backends/python/layout.hpp"

namespace bindery::backends::python {

std::string emit_module_source(const ir::Module& module, const ModuleLayout& layout);

/// The docstring of a wrapper: a `__text_signature__` line (so `inspect.signature` works) and the
/// header comment.
std::string docstring(const FunctionPlan& plan, bool method, bool is_static);

}  // namespace bindery::backends::python
