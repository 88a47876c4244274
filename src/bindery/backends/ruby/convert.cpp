#include "bindery/backends/ruby/convert.hpp"

namespace bindery::backends::ruby {

std::string scalar_suffix(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::Bool: return "bool";
    case ir::Scalar::Char: return "char";
    case ir::Scalar::I8: return "i8";
    case ir::Scalar::I16: return "i16";
    case ir::Scalar::I32: return "i32";
    case ir::Scalar::I64: return "i64";
    case ir::Scalar::U8: return "u8";
    case ir::Scalar::U16: return "u16";
    case ir::Scalar::U32: return "u32";
    case ir::Scalar::U64: return "u64";
    case ir::Scalar::F32: return "f32";
    case ir::Scalar::F64: return "f64";
  }
  return "i32";
}

bool fits_fixnum(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::I8:
    case ir::Scalar::I16:
    case ir::Scalar::I32:
    case ir::Scalar::U8:
    case ir::Scalar::U16:
    case ir::Scalar::U32: return true;
    default: return false;
  }
}

std::string to_c(const Context& ctx, const ir::Type& type, const std::string& rb, const std::string& what,
                 bool nullable) {
  switch (type.kind) {
    case ir::TypeKind::Scalar:
      if (nullable) return "";  // a nullable scalar is a pointer: handled by the caller
      return "bindery_rb_to_" + scalar_suffix(type.scalar) + "(" + rb + ", " + what + ")";
    case ir::TypeKind::Enum:
      return Context::enum_in(type.name) + "(" + rb + ", " + what + ")";
    case ir::TypeKind::Handle: {
      std::string fn = ctx.checks_busy(type.name) ? "bindery_rb_unwrap_idle" : "bindery_rb_unwrap";
      if (nullable) fn += "_or_null";
      return fn + "(" + rb + ", &" + Context::type_var(type.name) + ", " + what + ")";
    }
    default: return "";
  }
}

std::string to_ruby(const Context& ctx, const ir::Type& type, const std::string& c) {
  switch (type.kind) {
    case ir::TypeKind::Scalar:
      switch (type.scalar) {
        case ir::Scalar::Bool: return "((" + c + ") ? Qtrue : Qfalse)";
        case ir::Scalar::Char: return "bindery_rb_from_char(" + c + ")";
        case ir::Scalar::I64: return "LL2NUM((long long)(" + c + "))";
        case ir::Scalar::U64: return "ULL2NUM((unsigned long long)(" + c + "))";
        case ir::Scalar::F32:
        case ir::Scalar::F64: return "DBL2NUM((double)(" + c + "))";
        default: return "LONG2FIX((long)(" + c + "))";
      }
    case ir::TypeKind::Enum: {
      const ir::Enum* e = ctx.module.find_enum(type.name);
      bool small = e && fits_fixnum(e->underlying);
      return small ? "LONG2FIX((long)(" + c + "))" : "LL2NUM((long long)(" + c + "))";
    }
    case ir::TypeKind::Record: return Context::record_out(type.name) + "(&(" + c + "))";
    default: return "";
  }
}

std::string rbs_type(const Context& ctx, const ir::Type& type) {
  switch (type.kind) {
    case ir::TypeKind::Void: return "nil";
    case ir::TypeKind::Scalar:
      switch (type.scalar) {
        case ir::Scalar::Bool: return "bool";
        case ir::Scalar::Char: return "String";
        case ir::Scalar::F32:
        case ir::Scalar::F64: return "Float";
        default: return "Integer";
      }
    case ir::TypeKind::Str:
    case ir::TypeKind::Bytes: return "String";
    case ir::TypeKind::Slice: return "Array[" + rbs_type(ctx, ir::Type{ir::TypeKind::Scalar, type.scalar, {}, {}, {}}) + "]";
    case ir::TypeKind::Handle:
    case ir::TypeKind::Record: return ctx.ruby_module + "::" + ctx.ruby_class(type.name);
    case ir::TypeKind::Enum: return "Integer";
    case ir::TypeKind::Callback: return "^(*untyped) -> untyped";
    case ir::TypeKind::HostValue: return "untyped";  // any Ruby object, carried through the library
  }
  return "untyped";
}

}  // namespace bindery::backends::ruby
