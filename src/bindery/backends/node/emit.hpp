// The files of a generated Node package, each written by one emitter over the same plan.
#pragma once

#include <string>

#include "bindery/backends/node/layout.hpp"
#include "bindery/backends/node/plan.hpp"

namespace bindery::backends::node {

/// 64-bit results of these C spellings are BigInts; other 64-bit integers (sizes) are Numbers.
bool is_exact64(const ir::Type& t);
/// A slice of uint8_t / int8_t: bytes to every host (a Buffer, or a Uint8Array view), not a typed array.
inline bool is_byte_slice(const ir::Type& t) {
  return t.kind == ir::TypeKind::Slice && (t.scalar == ir::Scalar::U8 || t.scalar == ir::Scalar::I8);
}

std::string emit_native(const ModulePlan& plan);   ///< src/addon.c
std::string emit_js(const ModulePlan& plan);       ///< index.js
std::string emit_dts(const ModulePlan& plan);      ///< index.d.ts
std::string emit_package_json(const ModulePlan& plan, const PackageLayout& layout);
/// build.js: compiles the addon and the library's sources carried in the package, offline.
std::string emit_build_js(const ModulePlan& plan, const PackageLayout& layout);

}  // namespace bindery::backends::node
