// Text of the gem's packaging files.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

std::string emit_extconf(const Context& ctx);
std::string emit_gemspec(const Context& ctx, const std::vector<std::string>& files);
std::string emit_lib_rb(const Context& ctx);
/// A C file that #includes the library's `sources:` so they build with the extension.
std::string emit_library_sources(const Context& ctx);

}  // namespace bindery::backends::ruby
