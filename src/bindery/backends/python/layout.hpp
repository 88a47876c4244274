// Which functions become what in Python: module functions, classes with their methods,
// properties, constructors and static methods. Computed once from the IR; read by every emitter.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/python/plan.hpp"

namespace bindery::backends::python {

struct ClassLayout {
  const ir::Handle* handle = nullptr;
  std::vector<FunctionPlan> methods;       ///< instance methods (receiver first)
  std::vector<FunctionPlan> statics;       ///< constructors and static methods
  std::vector<FunctionPlan> properties;    ///< getters without arguments
  const FunctionPlan* call = nullptr;      ///< the constructor `Class(...)` runs, if any
};

struct ModuleLayout {
  std::string package;     ///< Python package name, e.g. "tarball"
  std::string extension;   ///< extension module inside it, e.g. "_tarball"
  std::vector<std::string> errors;  ///< exception classes, sorted (OSError is built in)
  std::vector<FunctionPlan> functions;
  std::vector<ClassLayout> classes;
  std::vector<FunctionPlan> skipped;  ///< with `unsupported` set
};

ModuleLayout layout_module(const ir::Module& module);

}  // namespace bindery::backends::python
