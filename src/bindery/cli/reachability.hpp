// Which bound functions a host can actually call: a method needs an instance of its class, and a
// host only ever gets one from a bound function (a constructor, a returned or output handle, or a
// callback argument). A handle nothing hands out makes its methods bound yet unreachable, and the
// coverage report says so instead of counting them silently.
#pragma once

#include <map>
#include <string>

#include "bindery/ir/ir.hpp"

namespace bindery::cli {

/// Bound functions no host can reach, by C name, each with the handle it is missing.
std::map<std::string, std::string> unreachable_functions(const ir::Module& module);

}  // namespace bindery::cli
