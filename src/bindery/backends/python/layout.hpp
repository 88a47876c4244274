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

/// An error kind's exception: a subclass of both the library's error class and the builtin, so
/// `.code` and `except ValueError` both work (MetricsError + ValueError → MetricsValueError).
struct KindError {
  std::string name;     ///< "MetricsValueError"
  std::string base;     ///< the library's class, "MetricsError"
  std::string builtin;  ///< "ValueError" | "IndexError" | "MemoryError"
  bool operator<(const KindError& o) const { return name < o.name; }
  bool operator==(const KindError& o) const { return name == o.name; }
};

/// The exception raised for error kind `k` of a convention whose class is `base`.
KindError kind_error(const ir::Module& module, const std::string& base, ir::ErrorKind k);

struct ModuleLayout {
  std::string package;     ///< Python package name, e.g. "tarball"
  std::string extension;   ///< extension module inside it, e.g. "_tarball"
  std::vector<std::string> errors;  ///< exception classes, sorted (OSError is built in)
  std::vector<KindError> kind_errors;  ///< sorted
  std::vector<FunctionPlan> functions;
  std::vector<ClassLayout> classes;
  std::vector<FunctionPlan> skipped;  ///< with `unsupported` set
};

ModuleLayout layout_module(const ir::Module& module);

}  // namespace bindery::backends::python
