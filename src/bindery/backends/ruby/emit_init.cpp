// The extension's Init function: the module, its error classes, constants, enums, record and
// handle classes, and every method with its exact arity.

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/emit.hpp"

namespace bindery::backends::ruby {

namespace {

std::string constant_value(const ir::Constant& c) {
  switch (c.kind) {
    case ir::Constant::Kind::Int: return "LL2NUM(" + std::to_string(c.int_value) + "LL)";
    case ir::Constant::Kind::Float: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", c.float_value);
      return std::string("DBL2NUM(") + buf + ")";
    }
    case ir::Constant::Kind::String: return "rb_obj_freeze(rb_utf8_str_new_cstr(" + c_string(c.string_value) + "))";
  }
  return "Qnil";
}

std::string arity_string(const ir::Function& fn) { return std::to_string(method_arity(fn)); }

// Ractors may call the extension when no class is thread-affine: its objects can then be used
// from whichever thread a Ractor runs on. (Objects never cross Ractors: TypedData is not shareable.)
bool ractor_safe(const Context& ctx, bool views) {
  // Views list themselves in one table of the extension (bindery_ruby.h), which Ractors running in
  // parallel would share unguarded.
  if (views) return false;
  for (const ir::Handle& h : ctx.module.handles) {
    if (h.thread != "free" && h.thread != "serialized") return false;
  }
  // A Ruby object the library carries could reach another Ractor through it.
  return !module_has_host_values(ctx.module);
}

}  // namespace

void emit_init(const Context& ctx, const std::vector<const ir::Function*>& bound, Code& code) {
  const std::string ext = ext_name(ctx.module);
  const bool views = offers_views(bound);
  code.open("RUBY_FUNC_EXPORTED void Init_" + ext + "(void) {");
  if (ractor_safe(ctx, views)) {
    code.line("#ifdef HAVE_RB_EXT_RACTOR_SAFE");
    code.line("rb_ext_ractor_safe(true);  /* no thread-affine class */");
    code.line("#endif");
  }
  code.line("VALUE bindery_module = rb_define_module(" + c_string(ctx.ruby_module) + ");");
  code.line("rb_gc_register_mark_object(bindery_rb_define_errors(bindery_module));");
  code.line("rb_gc_register_mark_object(bindery_rb_eClosedError);");
  code.line("rb_gc_register_mark_object(bindery_rb_eBusyError);");
  if (module_keeps_callbacks(ctx.module)) {
    code.line("bindery_rb_kept_init();  /* callbacks kept after the call */");
  } else if (module_has_host_values(ctx.module)) {
    code.line("bindery_rb_kept_init();  /* the registry that holds host-value boxes */");
  }
  if (views) {
    code.line("bindery_rb_define_view_class(bindery_module);  /* what the _view methods return */");
  }
  for (const ir::Constant& c : ctx.module.constants) {
    code.line("rb_define_const(bindery_module, " + c_string(constant_name(c.name)) + ", " + constant_value(c) + ");");
  }
  for (const ir::Enum& e : ctx.module.enums) {
    code.open("{");
    code.line("VALUE m = bindery_rb_define_enum(bindery_module, " + c_string(ctx.ruby_class(e.name)) + ");");
    for (const ir::EnumValue& v : e.values) {
      code.line("bindery_rb_enum_value(m, " + c_string(constant_name(v.name)) + ", " + std::to_string(v.value) + "LL);");
    }
    code.line("rb_obj_freeze(bindery_rb_enum_to_h(m));");
    code.close();
  }
  for (const ir::Record& r : ctx.module.records) {
    std::string fields;
    for (const ir::Field& f : r.fields) fields += c_string(f.name) + ", ";
    const std::string var = Context::class_var(r.name);
    code.line(var + " = rb_struct_define_under(bindery_module, " + c_string(ctx.ruby_class(r.name)) + ", " + fields + "NULL);");
    code.line("rb_gc_register_mark_object(" + var + ");");
  }
  for (const ir::Handle& h : ctx.module.handles) {
    const std::string var = Context::class_var(h.name);
    code.line(var + " = rb_define_class_under(bindery_module, " + c_string(ctx.ruby_class(h.name)) + ", rb_cObject);");
    code.line("rb_gc_register_mark_object(" + var + ");");
    code.line("rb_undef_alloc_func(" + var + ");  /* instances come from constructors only */");
    code.line("rb_define_method(" + var + ", \"close\", " + Context::close_symbol(h.name) + ", 0);");
    code.line("rb_define_method(" + var + ", \"closed?\", bindery_closed_p_" + c_ident(h.name) + ", 0);");
    code.line("rb_define_method(" + var + ", \"busy?\", bindery_busy_p_" + c_ident(h.name) + ", 0);");
  }
  for (const ir::Function* fn : bound) {
    if (fn->role == ir::FunctionRole::Destructor) continue;  // it is `close`
    const std::string name = c_string(method_name(*fn));
    const std::string sym = Context::fn_symbol(*fn);
    switch (fn->role) {
      case ir::FunctionRole::Free:
        code.line("rb_define_module_function(bindery_module, " + name + ", " + sym + ", " + arity_string(*fn) + ");");
        break;
      case ir::FunctionRole::Constructor:
      case ir::FunctionRole::Static:
        code.line("rb_define_singleton_method(" + Context::class_var(fn->class_name) + ", " + name + ", " + sym +
                  ", " + arity_string(*fn) + ");");
        break;
      default:
        code.line("rb_define_method(" + Context::class_var(fn->class_name) + ", " + name + ", " + sym + ", " +
                  arity_string(*fn) + ");");
        if (offers_view(*fn)) {
          code.line("rb_define_method(" + Context::class_var(fn->class_name) + ", " + c_string(method_name(*fn) + "_view") +
                    ", " + sym + "_view, " + arity_string(*fn) + ");");
        }
    }
  }
  code.close();
}

}  // namespace bindery::backends::ruby
