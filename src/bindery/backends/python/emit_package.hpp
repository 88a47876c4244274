// The files around the extension: the package's __init__.py, and a PEP 517 project
// (pyproject.toml + setup.py, setuptools backend) that `pip wheel` builds offline.
#pragma once

#include <string>

#include "bindery/backends/python/layout.hpp"

namespace bindery::backends::python {

std::string emit_init_py(const ir::Module& module, const ModuleLayout& layout);
std::string emit_pyproject(const ir::Module& module, const ModuleLayout& layout);
std::string emit_setup_py(const ir::Module& module, const ModuleLayout& layout);

}  // namespace bindery::backends::python
