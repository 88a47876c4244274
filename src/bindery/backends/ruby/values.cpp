#include "bindery/backends/ruby/values.hpp"

#include "bindery/backends/ruby/convert.hpp"

namespace bindery::backends::ruby {

bool is_pointer_kind(const ir::Type& type) {
  switch (type.kind) {
    case ir::TypeKind::Str:
    case ir::TypeKind::Bytes:
    case ir::TypeKind::Slice:
    case ir::TypeKind::Handle:
    case ir::TypeKind::HostValue: return true;
    default: return false;
  }
}

std::string c_scalar(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::Bool: return "bool";
    case ir::Scalar::Char: return "char";
    case ir::Scalar::I8: return "int8_t";
    case ir::Scalar::I16: return "int16_t";
    case ir::Scalar::I32: return "int32_t";
    case ir::Scalar::I64: return "int64_t";
    case ir::Scalar::U8: return "uint8_t";
    case ir::Scalar::U16: return "uint16_t";
    case ir::Scalar::U32: return "uint32_t";
    case ir::Scalar::U64: return "uint64_t";
    case ir::Scalar::F32: return "float";
    case ir::Scalar::F64: return "double";
  }
  return "int";
}

std::string strip_pointer(std::string c_type) {
  auto trim = [&] {
    while (!c_type.empty() && c_type.back() == ' ') c_type.pop_back();
  };
  trim();
  for (std::string_view q : {"__restrict", "restrict", "const"}) {
    if (c_type.size() > q.size() && c_type.compare(c_type.size() - q.size(), q.size(), q) == 0 &&
        c_type[c_type.size() - q.size() - 1] == ' ') {
      c_type.resize(c_type.size() - q.size());
      trim();
    }
  }
  if (!c_type.empty() && c_type.back() == '*') c_type.pop_back();
  trim();
  return c_type;
}

namespace {

// A handle some other handle names as `parent`: its C object may outlive its Ruby object.
bool is_parent(const Context& ctx, const std::string& handle) {
  for (const ir::Handle& h : ctx.module.handles) {
    if (h.parent == handle) return true;
  }
  return false;
}

// The statement(s) for a non-NULL pointer `p`.
std::string convert_pointer(const Context& ctx, const OutValue& v, const std::string& p) {
  const ir::Type& t = *v.type;
  switch (t.kind) {
    case ir::TypeKind::Str:
      if (t.encoding == "utf16") {  // lengths in bytes; without one, two zero bytes end it
        return "bindery_rb_from_utf16(" + p + ", " + (v.length.empty() ? "-1L" : "(long)(" + v.length + ")") + ")";
      }
      return v.length.empty() ? "bindery_rb_from_cstr((const char *)" + p + ")"
                              : "bindery_rb_from_utf8((const char *)" + p + ", (long)(" + v.length + "))";
    case ir::TypeKind::Bytes: {
      std::string n = v.length.empty() ? "(long)strlen((const char *)" + p + ")" : "(long)(" + v.length + ")";
      if (v.view) return "bindery_rb_view_new(" + v.owner + ", " + p + ", " + n + ")";
      return "bindery_rb_from_bytes(" + p + ", " + n + ")";
    }
    case ir::TypeKind::Handle: {
      const ir::Handle* h = ctx.module.find_handle(t.name);
      bool owned = v.lifetime->own == ir::Own::Owned && h && h->kind == ir::Handle::Kind::Owned;
      owned = owned && !h->destroy.empty();
      if (owned && ctx.is_plain(t.name)) {
        return "bindery_rb_wrap_plain(" + Context::class_var(t.name) + ", &" + Context::type_var(t.name) +
               ", (void *)" + p + ")";
      }
      return "bindery_rb_wrap(" + Context::class_var(t.name) + ", &" + Context::type_var(t.name) +
             ", (void *)" + p + ", " + (owned ? Context::free_symbol(t.name) : "NULL") + ", " + v.owner + ", " +
             (is_parent(ctx, t.name) ? "1" : "0") + ")";
    }
    case ir::TypeKind::HostValue: return "bindery_rb_host_value(" + p + ")";  // the very object boxed
    default: return "Qnil";
  }
}

}  // namespace

void emit_out_value(const Context& ctx, const OutValue& v, const std::string& var, Code& code) {
  const ir::Type& t = *v.type;
  if (!is_pointer_kind(t)) {
    std::string e = to_ruby(ctx, t, v.c_expr);
    code.line("VALUE " + var + " = " + (e.empty() ? "Qnil" : e) + ";");
    return;
  }
  if (v.known_non_null && t.kind == ir::TypeKind::Handle) {
    code.line("VALUE " + var + " = " + convert_pointer(ctx, v, v.c_expr) + ";");
    return;
  }
  code.line("VALUE " + var + ";");
  code.open("if (" + v.c_expr + " == NULL) {");
  switch (v.lifetime->null) {
    case ir::NullMeaning::Absent: code.line(var + " = Qnil;"); break;
    case ir::NullMeaning::Empty:
      if (t.kind == ir::TypeKind::Str) {
        code.line(var + " = bindery_rb_from_utf8(\"\", 0);");
      } else if (t.kind == ir::TypeKind::Bytes && v.view) {
        code.line(var + " = bindery_rb_view_empty();");
      } else if (t.kind == ir::TypeKind::Bytes) {
        code.line(var + " = bindery_rb_from_bytes(\"\", 0);");
      } else if (t.kind == ir::TypeKind::Slice) {
        code.line(var + " = rb_ary_new();");
      } else {
        code.line(var + " = Qnil;");
      }
      break;
    case ir::NullMeaning::Error:
      code.line("bindery_rb_raise_error(" + c_string(v.function) + ", Qnil, Qnil, Qnil);");
      break;
    case ir::NullMeaning::Never: code.line("bindery_rb_raise_null(" + c_string(v.function) + ");"); break;
  }
  code.mid("} else {");
  if (t.kind == ir::TypeKind::Slice && (t.scalar == ir::Scalar::U8 || t.scalar == ir::Scalar::I8)) {
    // Bytes as Ruby holds them: a binary String (a copy).
    std::string n = v.length.empty() ? "0" : "(long)(" + v.length + ")";
    code.line(var + " = rb_str_new((const char *)" + v.c_expr + ", " + n + ");");
  } else if (t.kind == ir::TypeKind::Slice) {
    std::string n = v.length.empty() ? "0" : "(long)(" + v.length + ")";
    code.line(var + " = rb_ary_new_capa(" + n + ");");
    ir::Type elem{ir::TypeKind::Scalar, t.scalar, {}, {}, {}};
    code.open("for (long bindery_i = 0; bindery_i < " + n + "; ++bindery_i) {");
    code.line("rb_ary_push(" + var + ", " + to_ruby(ctx, elem, v.c_expr + "[bindery_i]") + ");");
    code.close();
  } else {
    code.line(var + " = " + convert_pointer(ctx, v, v.c_expr) + ";");
  }
  if (t.kind != ir::TypeKind::Handle && v.lifetime->own == ir::Own::Owned && !v.lifetime->free.empty()) {
    code.line(v.lifetime->free + "((void *)" + v.c_expr + ");  /* owned: copied, now released */");
  }
  code.close("}");
}

}  // namespace bindery::backends::ruby
