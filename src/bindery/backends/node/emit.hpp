// The files of a generated Node package, each written by one emitter over the same plan.
#pragma once

#include <string>

#include "bindery/backends/node/layout.hpp"
#include "bindery/backends/node/plan.hpp"

namespace bindery::backends::node {

/// 64-bit results of these C spellings are BigInts; other 64-bit integers (sizes) are Numbers.
bool is_exact64(const ir::Type& t);

std::string emit_native(const ModulePlan& plan);   ///< src/addon.c
std::string emit_js(const ModulePlan& plan);       ///< index.js
std::string emit_dts(const ModulePlan& plan);      ///< index.d.ts
std::string emit_package_json(const ModulePlan& plan, const PackageLayout& layout);
/// build.js: compiles the addon and the library's sources carried in the package, offline.
std::string emit_build_js(const ModulePlan& plan, const PackageLayout& layout);

}  // namespace bindery::backends::node
