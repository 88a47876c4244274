// The files `bindery generate --target c` writes, one emitter each; all read only the Plan.
#pragma once

#include <string>

#include "bindery/backends/c/plan.hpp"

namespace bindery::backends::c {

/// include/<lib>.h: the C99 header, extern "C"-guarded, documented, with BINDERY(...) annotations.
std::string emit_header(const Plan& plan);
/// src/<lib>_c.cpp: one noexcept extern "C" shim per C function.
std::string emit_shims(const Plan& plan);
/// CMakeLists.txt: static and shared libraries, pkg-config file, exported CMake package.
std::string emit_cmake(const Plan& plan);
/// <lib>_c.pc.in: pkg-config template (configured by the CMakeLists.txt).
std::string emit_pkgconfig(const Plan& plan);
/// <lib>_cConfig.cmake.in: find_package(<lib>_c) support.
std::string emit_package_config(const Plan& plan);
/// bindery.yaml: reads the generated header back (round trip; any host binding over the C layer).
std::string emit_config(const Plan& plan);

}  // namespace bindery::backends::c
