// Handle classes (TypedData), record classes (Struct) and enum conversions.
#include <set>

#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/emit.hpp"
#include "bindery/backends/ruby/values.hpp"

namespace bindery::backends::ruby {

void emit_handle_types(const Context& ctx, Code& code) {
  for (const ir::Handle& h : ctx.module.handles) {
    code.line("/* " + ctx.ruby_module + "::" + ctx.ruby_class(h.name) + " wraps " + h.c_name + " */");
    code.line("static VALUE " + Context::class_var(h.name) + " = Qnil;");
    if (h.kind == ir::Handle::Kind::Owned && !h.destroy.empty()) {
      // May run inside the GC (dfree): only the C destroy function, no Ruby calls.
      // Unused when nothing hands out an owned instance (a pinned type the backend leaves out).
      code.open("BINDERY_RB_UNUSED static void " + Context::free_symbol(h.name) + "(void *ptr) {");
      // pointer_c_type, not c_name + " *": a handle declared on a pointer typedef
      // (sqlite3_filename is `const char *`) is that typedef itself.
      const std::string pointer = h.pointer_c_type.empty() ? h.c_name + " *" : h.pointer_c_type;
      code.line(h.destroy + "((" + pointer + ")ptr);");
      if (h.pinned) code.line("xfree(ptr);  /* pinned: the binding's storage */");
      code.close();
    }
    code.open("static const rb_data_type_t " + Context::type_var(h.name) + " = {");
    code.line(".wrap_struct_name = " + c_string(ctx.ruby_module + "::" + ctx.ruby_class(h.name)) + ",");
    if (ctx.is_plain(h.name)) {
      // The data pointer is the C object: nothing to mark, the destroy function is the dfree.
      code.line(".function = {.dfree = " + Context::free_symbol(h.name) + ", .dsize = bindery_rb_plain_size},");
      code.line(".data = BINDERY_RB_PLAIN,");
    } else {
      code.line(".function = {.dmark = bindery_rb_handle_mark, .dfree = bindery_rb_handle_free"
                ", .dsize = bindery_rb_handle_size, .dcompact = bindery_rb_handle_compact},");
    }
    code.line(".flags = RUBY_TYPED_FREE_IMMEDIATELY,");
    code.close("};");
    code.open("static VALUE bindery_closed_p_" + c_ident(h.name) + "(VALUE rb_self) {");
    code.line("return bindery_rb_closed_p(rb_self, &" + Context::type_var(h.name) + ");");
    code.close();
    code.open("static VALUE bindery_busy_p_" + c_ident(h.name) + "(VALUE rb_self) {");
    code.line("return bindery_rb_busy_p(rb_self, &" + Context::type_var(h.name) + ");");
    code.close();
    code.line();
  }
}

namespace {

// Field conversions of a record: in (Ruby Struct member -> C field) and out.
std::string field_in(const Context& ctx, const ir::Field& f, const std::string& rb, const std::string& dst,
                     const std::string& what) {
  switch (f.type.kind) {
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Enum: return dst + " = " + to_c(ctx, f.type, rb, what, false) + ";";
    case ir::TypeKind::Record: return Context::record_in(f.type.name) + "(" + rb + ", &" + dst + ", " + what + ");";
    default: return "";
  }
}

}  // namespace

void emit_records(const Context& ctx, Code& code) {
  for (const ir::Record& r : ctx.module.records) {
    code.line("static VALUE " + Context::class_var(r.name) + " = Qnil;");
  }
  for (const ir::Record& r : ctx.module.records) {
    const std::string cls = ctx.ruby_class(r.name);
    code.line("/* " + ctx.ruby_module + "::" + cls + " <-> " + r.c_name + " */");
    // In: any object of the record's Struct class; each field converted (and range-checked).
    code.open("static void " + Context::record_in(r.name) + "(VALUE v, " + r.c_name + " *out, const char *what) {");
    code.line("if (!rb_obj_is_kind_of(v, " + Context::class_var(r.name) + ")) bindery_rb_raise_type(v, what, " +
              c_string(ctx.ruby_module + "::" + cls) + ");");
    code.line("(void)out;");
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      const ir::Field& f = r.fields[i];
      std::string s = field_in(ctx, f, "RSTRUCT_GET(v, " + std::to_string(i) + ")", "out->" + f.name,
                               c_string(ctx.ruby_module + "::" + cls + "#" + f.name));
      if (s.empty()) {
        code.line("/* field " + f.name + ": not settable from Ruby (left zero) */");
        code.line("memset(&out->" + f.name + ", 0, sizeof out->" + f.name + ");");
      } else {
        code.line(s);
      }
    }
    code.close();
    code.open("static VALUE " + Context::record_out(r.name) + "(const " + r.c_name + " *in) {");
    std::string args;
    for (const ir::Field& f : r.fields) {
      std::string e = to_ruby(ctx, f.type, "in->" + f.name);
      if (e.empty() && f.type.kind == ir::TypeKind::Str) e = "(in->" + f.name + " ? bindery_rb_from_cstr(in->" + f.name + ") : Qnil)";
      if (e.empty()) e = "Qnil";
      args += ", " + e;
    }
    code.line("return rb_struct_new(" + Context::class_var(r.name) + args + ");");
    code.close();
    code.line();
  }
}

void emit_enums(const Context& ctx, Code& code) {
  for (const ir::Enum& e : ctx.module.enums) {
    const std::string ct = c_scalar(e.underlying);
    const std::string fn = Context::enum_in(e.name);
    code.line("/* " + ctx.ruby_module + "::" + ctx.ruby_class(e.name) + (e.flags ? " (flags)" : "") + " */");
    // A Symbol names a value (:read_only); looked up off the fast path.
    code.open("BINDERY_RB_COLD static " + ct + " " + fn + "_symbol(VALUE v, const char *what) {");
    code.line("const char *name = rb_id2name(SYM2ID(v));");
    for (const ir::EnumValue& v : e.values) {
      std::string lower;
      for (char c : v.name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      code.line("if (strcmp(name, " + c_string(lower) + ") == 0 || strcmp(name, " + c_string(v.name) +
                ") == 0) return (" + ct + ")" + std::to_string(v.value) + "LL;");
    }
    code.line("bindery_rb_raise_arg(what, " + c_string("not a value of " + ctx.ruby_module + "::" + ctx.ruby_class(e.name)) + ");");
    code.close();
    code.open("static inline " + ct + " " + fn + "(VALUE v, const char *what) {");
    code.line("if (RB_SYMBOL_P(v)) return " + fn + "_symbol(v, what);");
    code.line(ct + " x = bindery_rb_to_" + scalar_suffix(e.underlying) + "(v, what);");
    if (e.flags) {
      int64_t all = 0;
      for (const ir::EnumValue& v : e.values) all |= v.value;
      code.line("if ((uint64_t)x & ~(uint64_t)" + std::to_string(all) + "ULL) bindery_rb_raise_arg(what, " +
                c_string("has bits outside " + ctx.ruby_module + "::" + ctx.ruby_class(e.name)) + ");");
      code.line("return x;");
    } else {
      code.open("switch ((int64_t)x) {");
      std::set<int64_t> seen;
      for (const ir::EnumValue& v : e.values) {
        if (seen.insert(v.value).second) code.line("case " + std::to_string(v.value) + "LL:");
      }
      code.line("  return x;");
      code.line("default:");
      code.line("  bindery_rb_raise_arg(what, " + c_string("not a value of " + ctx.ruby_module + "::" + ctx.ruby_class(e.name)) + ");");
      code.close();
    }
    code.close();
    code.line();
  }
}

}  // namespace bindery::backends::ruby
