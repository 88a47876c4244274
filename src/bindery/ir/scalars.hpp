// Mapping C value types to IR types, and the IR's scalar vocabulary as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/ir.hpp"

namespace bindery::ir {

struct LoweringContext;

Scalar integer_scalar(int bits, bool is_signed);
/// "int" / "uint32_t" / "size_t" / "i32" … → Scalar.
std::optional<Scalar> scalar_from_name(std::string_view name);
/// Stable names used in the IR JSON: bool, char, i8 … u64, f32, f64.
std::string_view scalar_name(Scalar s);
std::optional<Scalar> scalar_from_ir_name(std::string_view name);
bool is_integer_literal(std::string_view text);

/// The IR type of a C value type (scalar, enum, record); kind Void when it has none.
Type value_type(const LoweringContext& ctx, const frontend::CType& type);

}  // namespace bindery::ir
