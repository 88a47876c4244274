// Callbacks: a Ruby block or any object with #call, invoked from C through a generated trampoline
// that the C function receives as its function pointer.
//
// Scope `call`:
// The user data is a bindery_rb_cb frame on the Ruby method's C stack (the callable and the tag
// of a pending exception). The trampoline converts C arguments and the result inside rb_protect,
// so a Ruby exception (or break/throw) never unwinds through the library's C frames: it is kept
// in the frame, the trampoline returns the zero value of its result type, later calls do not run
// the callable again, and the Ruby method re-raises it (rb_jump_tag) once the C function returns.
//
// Scopes notified / owner / forever: the user data is a bindery_rb_kept record in C memory (kept in
// the module registry or by the owning object: runtime/ruby/bindery_ruby.h); the trampoline runs the
// body through bindery_rb_kept_call (rb_protect, the GVL taken back when needed) and an exception
// waits (per thread) for the next generated method to return from C on that thread
// (docs/adr/ruby-kept-callbacks.md).
#include <algorithm>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/values.hpp"

namespace bindery::backends::ruby {

namespace {

std::vector<const ir::Param*> by_index(const std::vector<ir::Param>& params) {
  std::vector<const ir::Param*> out;
  for (const ir::Param& p : params) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->index < b->index; });
  return out;
}

bool argument_supported(const ir::Param& p) {
  switch (p.type.kind) {
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Enum:
    case ir::TypeKind::Record: return p.c_type.find('*') == std::string::npos;
    case ir::TypeKind::Str: return true;  // borrowed for the call: copied into a String
    default: return false;
  }
}

const ir::Type& result_type(const ir::Callback& cb) {
  static const ir::Type void_type{};
  return cb.ret ? cb.ret->type : void_type;
}

std::string result_c_type(const ir::Callback& cb) {
  if (!cb.ret || cb.ret->type.kind == ir::TypeKind::Void) return "void";
  return cb.ret->c_type.empty() ? cb.ret->type.c_type : cb.ret->c_type;
}

std::string suffix(const ir::Function& fn, const ir::Param& p) { return c_ident(fn.c_name) + "_" + c_ident(p.name); }

}  // namespace

bool is_kept_callback(const ir::Param& p) {
  return p.role == ir::ParamRole::Input && p.callback && p.callback->scope != ir::Callback::Scope::Call;
}

bool module_keeps_callbacks(const ir::Module& m) {
  for (const ir::Function& fn : m.functions) {
    for (const ir::Param& p : fn.params) {
      if (is_kept_callback(p)) return true;
    }
  }
  return false;
}

std::string kept_var(const ir::Param& p) { return "bindery_kept_" + c_ident(p.name); }

bool is_call_callback(const ir::Param& p) {
  return p.role == ir::ParamRole::Input && p.callback && p.callback->scope == ir::Callback::Scope::Call;
}

const ir::Param* block_param(const ir::Function& fn, const std::vector<const ir::Param*>& host) {
  if (host.empty() || !(is_call_callback(*host.back()) || is_kept_callback(*host.back()))) return nullptr;
  (void)fn;
  return host.back();
}

bool has_callbacks(const ir::Function& fn) {
  return std::any_of(fn.params.begin(), fn.params.end(), [](const ir::Param& p) { return p.callback.has_value(); });
}

bool callback_supported(const ir::Param& p, std::string& why) {
  const ir::Callback& cb = *p.callback;
  if (cb.scope == ir::Callback::Scope::Notified && cb.destroy.empty()) {
    why = "callback parameter '" + p.name + "' of scope notified without its destroy-notify parameter";
    return false;
  }
  if (cb.user_data.empty() || cb.user_data_index < 0) {
    why = "callback parameter '" + p.name + "' without user data (nothing would carry the Ruby callable)";
    return false;
  }
  for (const ir::Param& a : cb.params) {
    if (a.role == ir::ParamRole::UserData) continue;
    if (!argument_supported(a)) {
      why = "callback parameter '" + p.name + "': argument '" + a.name + "' of a type the ruby backend cannot pass";
      return false;
    }
  }
  const ir::Type& r = result_type(cb);
  bool ok = r.kind == ir::TypeKind::Void || r.kind == ir::TypeKind::Scalar || r.kind == ir::TypeKind::Enum;
  if (!ok) {
    why = "callback parameter '" + p.name + "' returns a type the ruby backend cannot convert";
    return false;
  }
  return true;
}

std::string frame_var(const ir::Param& p) { return "bindery_cb_" + c_ident(p.name); }

std::string trampoline_symbol(const ir::Function& fn, const ir::Param& p) {
  return "bindery_tramp_" + suffix(fn, p);
}

void emit_trampolines(const Context& ctx, const ir::Function& fn, Code& code) {
  for (const ir::Param& p : fn.params) {
    if (!is_call_callback(p) && !is_kept_callback(p)) continue;
    const bool kept = is_kept_callback(p);
    const std::string callable = kept ? "c->kept->callable" : "c->frame->callable";
    const ir::Callback& cb = *p.callback;
    const std::string sfx = suffix(fn, p);
    const std::string what = c_string(ctx.ruby_path(fn) + ": " + p.name);
    const ir::Type& rt = result_type(cb);
    const std::string rtype = result_c_type(cb);
    const bool returns = rtype != "void";
    auto args = by_index(cb.params);

    // The C arguments and the result travel through one struct into the protected body.
    code.open("struct bindery_cbcall_" + sfx + " {");
    code.line(kept ? "const bindery_rb_kept *kept;" : "bindery_rb_cb *frame;");
    for (const ir::Param* a : args) {
      if (a->role != ir::ParamRole::UserData) {
        code.line(a->c_type + (a->c_type.back() == '*' ? "" : " ") + c_ident(a->name) + ";");
      }
    }
    if (returns) code.line(rtype + " ret;");
    code.close("};");

    code.open("static VALUE bindery_cbbody_" + sfx + "(VALUE data) {");
    code.line("struct bindery_cbcall_" + sfx + " *c = (struct bindery_cbcall_" + sfx + " *)data;");
    std::size_t n = 0;
    std::vector<std::string> argv;
    for (const ir::Param* a : args) {
      if (a->role == ir::ParamRole::UserData) continue;
      std::string c = "c->" + c_ident(a->name);
      std::string e;
      if (a->type.kind == ir::TypeKind::Str && a->type.encoding == "utf16") {
        e = "(" + c + " ? bindery_rb_from_utf16(" + c + ", -1L) : Qnil)";
      } else if (a->type.kind == ir::TypeKind::Str) {
        // NULL (a nullable argument, or a library that passes one anyway) is nil, never a crash.
        e = "(" + c + " ? bindery_rb_from_cstr(" + c + ") : Qnil)";
      } else {
        e = to_ruby(ctx, a->type, c);
      }
      argv.push_back(e);
      ++n;
    }
    if (n == 0) {
      code.line("VALUE r = rb_funcallv(" + callable + ", rb_intern(\"call\"), 0, NULL);");
    } else {
      std::string list;
      for (const auto& e : argv) list += (list.empty() ? "" : ", ") + e;
      code.line("VALUE argv[" + std::to_string(n) + "] = {" + list + "};");
      code.line("VALUE r = rb_funcallv(" + callable + ", rb_intern(\"call\"), " + std::to_string(n) + ", argv);");
    }
    if (!returns) {
      code.line("(void)r;");
    } else if (rt.kind == ir::TypeKind::Scalar && rt.scalar == ir::Scalar::Bool) {
      code.line("c->ret = RTEST(r);");
    } else if (rt.kind == ir::TypeKind::Scalar && (rt.scalar == ir::Scalar::F32 || rt.scalar == ir::Scalar::F64)) {
      code.line("c->ret = (" + rtype + ")" + to_c(ctx, rt, "r", c_string(ctx.ruby_path(fn) + ": " + p.name + " result"), false) + ";");
    } else {
      // An integer result: true/false/nil read as 1/0 (a block's natural "stop"/"go on"), an Integer
      // range-checked; anything else is a TypeError raised from the call.
      code.line("c->ret = (" + rtype + ")" +
                to_c(ctx, rt, "bindery_rb_cb_int(r)", c_string(ctx.ruby_path(fn) + ": " + p.name + " result"), false) + ";");
    }
    code.line("return Qnil;");
    code.close();

    std::string sig;
    for (const ir::Param* a : args) {
      std::string name = a->role == ir::ParamRole::UserData ? "bindery_user_data" : c_ident(a->name);
      sig += (sig.empty() ? "" : ", ") + a->c_type + (a->c_type.back() == '*' ? "" : " ") + name;
    }
    code.line("/* " + (cb.typedef_name.empty() ? p.c_type : cb.typedef_name) + " for " + ctx.ruby_path(fn) + " (" + what + ") */");
    code.open("static " + rtype + " " + trampoline_symbol(fn, p) + "(" + (sig.empty() ? "void" : sig) + ") {");
    code.line("struct bindery_cbcall_" + sfx + " c;");
    code.line("memset(&c, 0, sizeof c);");
    if (kept) {
      code.line("c.kept = (const bindery_rb_kept *)bindery_user_data;");
      for (const ir::Param* a : args) {
        if (a->role != ir::ParamRole::UserData) code.line("c." + c_ident(a->name) + " = " + c_ident(a->name) + ";");
      }
      code.line(std::string(returns ? "if (!" : "") + "bindery_rb_kept_call(c.kept, bindery_cbbody_" + sfx +
                ", (VALUE)&c)" + (returns ? ") memset(&c.ret, 0, sizeof c.ret);  /* the zero value: not run, or raised */" : ";"));
      code.line(returns ? "return c.ret;" : "return;");
      code.close();
      code.line();
      continue;
    }
    code.line("c.frame = (bindery_rb_cb *)bindery_user_data;");
    code.line("if (c.frame->state) return" + std::string(returns ? " c.ret" : "") + ";  /* raised before: not called again */");
    for (const ir::Param* a : args) {
      if (a->role != ir::ParamRole::UserData) code.line("c." + c_ident(a->name) + " = " + c_ident(a->name) + ";");
    }
    code.line("rb_protect(bindery_cbbody_" + sfx + ", (VALUE)&c, &c.frame->state);");
    if (returns) {
      code.line("if (c.frame->state) memset(&c.ret, 0, sizeof c.ret);  /* the zero value after a raise */");
      code.line("return c.ret;");
    } else {
      code.line("return;");
    }
    code.close();
    code.line();
  }
}

}  // namespace bindery::backends::ruby
