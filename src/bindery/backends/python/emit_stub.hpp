// The `.pyi` stub of the extension: the same plans as the C source, spelled as Python types, so
// `mypy --strict` checks callers against exactly what the wrappers accept and return.
#pragma once

#include <string>

#include "bindery/backends/python/layout.hpp"

namespace bindery::backends::python {

std::string emit_stub(const ir::Module& module, const ModuleLayout& layout);

}  // namespace bindery::backends::python
