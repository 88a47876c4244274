// Text of the gem's packaging files.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

std::string emit_extconf(const Context& ctx);
std::string emit_gemspec(const Context& ctx, const std::vector<std::string>& files);
std::string emit_lib_rb(const Context& ctx);
/// A C file that #includes the library's C `sources:` so they build with the extension.
std::string emit_library_sources(const Context& ctx);
/// The module's C++ sources (.cpp, .cc, .cxx), in order: each gets a unit of its own.
std::vector<std::string> cxx_sources(const ir::Module& module);
/// "<library>_cxx_<i>.cpp": the C++ unit of the i-th C++ source (mkmf builds every .cpp in ext/).
std::string cxx_unit_name(const ir::Module& module, std::size_t i);
/// A C++ file that #includes one C++ source.
std::string emit_cxx_unit(const Context& ctx, const std::string& source);

}  // namespace bindery::backends::ruby
