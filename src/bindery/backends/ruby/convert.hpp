// C expressions that convert one value between Ruby and C, by IR type.
//
// Fast paths live in runtime/ruby/bindery_ruby.h; these functions only choose which helper to call,
// so every conversion rule is spelled once, here.
#pragma once

#include <string>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

/// "i32", "u64", "f64", "bool", "char": the suffix of the runtime's bindery_rb_to_* helpers.
std::string scalar_suffix(ir::Scalar s);
/// Whether a value of this scalar always fits in a Fixnum on a 64-bit host (no allocation out).
bool fits_fixnum(ir::Scalar s);

/// Ruby VALUE `rb` -> C value, for Scalar, Enum and Handle types (nullable: nil -> 0/NULL).
/// Returns "" for types that need a statement (records, text, bytes): see emit_function.
std::string to_c(const Context& ctx, const ir::Type& type, const std::string& rb,
                 const std::string& what, bool nullable);

/// C value `c` -> Ruby VALUE, for Scalar, Enum and Record types. "" for others.
std::string to_ruby(const Context& ctx, const ir::Type& type, const std::string& c);

/// The RBS type of a value of this IR type.
std::string rbs_type(const Context& ctx, const ir::Type& type);

}  // namespace bindery::backends::ruby
