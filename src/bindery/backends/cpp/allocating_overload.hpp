// The convenience overload of a function that writes into a caller-allocated buffer: instead of a
// span it takes the capacity (or computes it from the `capacity:` expression), allocates a
// container of that size, calls the span overload, and returns the container shrunk to what was
// written. The span overload stays the zero-cost form; this one is for callers who want a value.
#pragma once

#include <optional>

#include "bindery/backends/cpp/function_plan.hpp"

namespace bindery::backends::cpp {

/// The allocating overload of `span_plan` (planned from `f`), when `f` has exactly one buffer and
/// the span overload returns the written count (or nothing, for a buffer filled whole).
std::optional<FunctionPlan> plan_allocating_overload(const Context& ctx, const ir::Function& f,
                                                     const FunctionPlan& span_plan);

}  // namespace bindery::backends::cpp
