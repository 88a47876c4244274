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

/// An array of strings (`const char *const *argv` with a Length): a JS array of strings to every callback.
inline bool is_string_array(const ir::Type& t) {
  return t.kind == ir::TypeKind::Slice && t.scalar == ir::Scalar::Char && t.name.empty();
}

/// How a scalar crosses: the runtime's bn_get_<suffix> reads it, `c_type` holds it, bn_from_<out> makes it.
struct ScalarInfo {
  const char* suffix;
  const char* c_type;
  const char* out;
};
ScalarInfo scalar_info(ir::Scalar s);

/// A callback (or interface method) argument as the JS value the function receives, a C expression
/// over the C argument `q.name` (emit_native.cpp). A lent handle's id goes to `lent` (an array of
/// handles: its array of ids).
std::string callback_argument(const ModulePlan& plan, const ir::Param& q, const std::string& lent);
/// A slice of handles (SQLite's `sqlite3_value **argv`), lent item by item.
bool is_handle_array(const ModulePlan& plan, const ir::Type& t);
/// The C expression for a callback argument's length (its `size`, a negative count read as 0).
std::string callback_length(const ir::Param& q);

/// The interfaces' trampolines and static tables (emit_interfaces.cpp), before any function wrapper.
void emit_interfaces(const ModulePlan& plan, std::string& out);

std::string emit_native(const ModulePlan& plan);   ///< src/addon.c
std::string emit_js(const ModulePlan& plan);       ///< index.js
std::string emit_dts(const ModulePlan& plan);      ///< index.d.ts
std::string emit_package_json(const ModulePlan& plan, const PackageLayout& layout);
/// build.js: compiles the addon and the library's sources carried in the package, offline.
std::string emit_build_js(const ModulePlan& plan, const PackageLayout& layout);

}  // namespace bindery::backends::node
