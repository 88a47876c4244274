#include "bindery/ir/scalars.hpp"

#include <array>
#include <cctype>
#include <map>

#include "bindery/ir/lowering_context.hpp"

namespace bindery::ir {

Scalar integer_scalar(int bits, bool is_signed) {
  switch (bits) {
    case 8: return is_signed ? Scalar::I8 : Scalar::U8;
    case 16: return is_signed ? Scalar::I16 : Scalar::U16;
    case 64: return is_signed ? Scalar::I64 : Scalar::U64;
    default: return is_signed ? Scalar::I32 : Scalar::U32;
  }
}

std::optional<Scalar> scalar_from_name(std::string_view name) {
  static const std::map<std::string_view, Scalar> names = {
      {"bool", Scalar::Bool}, {"char", Scalar::Char},
      {"int8_t", Scalar::I8}, {"int16_t", Scalar::I16}, {"int32_t", Scalar::I32}, {"int64_t", Scalar::I64},
      {"uint8_t", Scalar::U8}, {"uint16_t", Scalar::U16}, {"uint32_t", Scalar::U32}, {"uint64_t", Scalar::U64},
      {"signed char", Scalar::I8}, {"unsigned char", Scalar::U8}, {"short", Scalar::I16},
      {"unsigned short", Scalar::U16}, {"int", Scalar::I32}, {"unsigned", Scalar::U32},
      {"unsigned int", Scalar::U32}, {"long", Scalar::I64}, {"unsigned long", Scalar::U64},
      {"long long", Scalar::I64}, {"unsigned long long", Scalar::U64}, {"size_t", Scalar::U64},
      {"float", Scalar::F32}, {"double", Scalar::F64}};
  if (auto it = names.find(name); it != names.end()) return it->second;
  return scalar_from_ir_name(name);
}

namespace {
constexpr std::array<std::pair<Scalar, std::string_view>, 12> kIrNames = {{
    {Scalar::Bool, "bool"}, {Scalar::Char, "char"}, {Scalar::I8, "i8"}, {Scalar::I16, "i16"},
    {Scalar::I32, "i32"}, {Scalar::I64, "i64"}, {Scalar::U8, "u8"}, {Scalar::U16, "u16"},
    {Scalar::U32, "u32"}, {Scalar::U64, "u64"}, {Scalar::F32, "f32"}, {Scalar::F64, "f64"}}};
}

std::string_view scalar_name(Scalar s) {
  for (const auto& [scalar, name] : kIrNames)
    if (scalar == s) return name;
  return "?";
}

std::optional<Scalar> scalar_from_ir_name(std::string_view name) {
  for (const auto& [scalar, n] : kIrNames)
    if (n == name) return scalar;
  return std::nullopt;
}

bool is_integer_literal(std::string_view text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

Type value_type(const LoweringContext& ctx, const frontend::CType& type) {
  using K = frontend::CType::Kind;
  Type t;
  t.c_type = type.spelling;
  switch (type.kind) {
    case K::Bool: t.kind = TypeKind::Scalar; t.scalar = Scalar::Bool; break;
    case K::Char:
      t.kind = TypeKind::Scalar;
      t.scalar = type.is_plain_char ? Scalar::Char : (type.is_signed ? Scalar::I8 : Scalar::U8);
      break;
    case K::Int: t.kind = TypeKind::Scalar; t.scalar = integer_scalar(type.bits, type.is_signed); break;
    case K::Float: t.kind = TypeKind::Scalar; t.scalar = Scalar::F32; break;
    case K::Double: t.kind = TypeKind::Scalar; t.scalar = Scalar::F64; break;
    case K::Enum:
      if (auto e = ctx.enum_for(type)) {
        t.kind = TypeKind::Enum;
        t.name = *e;
        t.scalar = integer_scalar(type.bits, type.is_signed);
      }
      break;
    case K::Record:
      if (auto r = ctx.record_for(type)) {
        t.kind = TypeKind::Record;
        t.name = *r;
      }
      break;
    default: break;
  }
  return t;
}

}  // namespace bindery::ir
