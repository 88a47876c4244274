// Evaluating object-like macros to constants with libclang itself (no home-made expression
// evaluator): each candidate macro becomes `static const __typeof__(M) v = M;` in a probe
// translation unit, and clang_Cursor_Evaluate reads the value. Macros that are not constants
// (types, keywords, empty guards) simply fail to compile in the probe and are dropped.
#pragma once

#include <clang-c/Index.h>

#include <string>
#include <utility>
#include <vector>

#include "bindery/frontend/declarations.hpp"

namespace bindery::frontend {

/// A constant to evaluate: a macro (expression == name) or a `constants:` entry.
struct ConstantProbe {
  std::string name;
  std::string expression;
  SourceLocation location;
};

std::vector<MacroConstant> evaluate_constants(CXIndex index, const std::string& umbrella,
                                              const std::vector<std::string>& args,
                                              const std::vector<ConstantProbe>& probes);

}  // namespace bindery::frontend
