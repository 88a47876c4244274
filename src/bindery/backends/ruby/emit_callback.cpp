// Callbacks: a Ruby block or any object with #call, invoked from C through a generated trampoline
// that the C function receives as its function pointer.
//
// Scope `call`:
// The user data is a bindery_rb_cb frame on the Ruby method's C stack (the callable and the tag
// of a pending exception). The trampoline converts C arguments and the result inside rb_protect,
// so a Ruby exception (or break/throw) never unwinds through the library's C frames: it is kept
// in the frame, the trampoline returns the zero value of its result type, later calls do not run
// the callable again, and the Ruby method re-raises it (bindery_rb_cb_reraise) once the C function returns.
//
// Scopes notified / owner / forever: the user data is a bindery_rb_kept record in C memory (kept in
// the module registry or by the owning object: runtime/ruby/bindery_ruby.h); the trampoline runs the
// body through bindery_rb_kept_call (rb_protect, the GVL taken back when needed) and an exception
// waits (per thread) for the next generated method to return from C on that thread
// (docs/adr/ruby-kept-callbacks.md).
//
// Handle arguments (one object, or an Array of them: SQLite's `sqlite3_value **argv`) are lent for
// the call and closed when the callable returns (docs/adr/ruby-callback-arguments.md). A slice of
// scalars (pointer + element count) reaches the callable as an Array copy. A callback
// with `user_data_from` gets no user-data argument: its trampoline evaluates that expression first.
#include <algorithm>
#include <cctype>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/values.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::ruby {

namespace {

std::vector<const ir::Param*> by_index(const std::vector<ir::Param>& params) {
  std::vector<const ir::Param*> out;
  for (const ir::Param& p : params) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->index < b->index; });
  return out;
}

// The Length argument that holds buffer argument `a`'s size (nullptr when it has none).
const ir::Param* length_arg(const ir::Callback& cb, const ir::Param& a) {
  if (a.size.empty()) return nullptr;
  for (const ir::Param& l : cb.params) {
    if (l.name == a.size && l.role == ir::ParamRole::Length) return &l;
  }
  return nullptr;
}

// A handle some other handle names as `parent`: its core is allocated apart (children hold it).
bool has_children(const Context& ctx, const std::string& handle) {
  for (const ir::Handle& h : ctx.module.handles) {
    if (h.parent == handle) return true;
  }
  return false;
}

// The callable's argument for C argument `a` (read from the call struct `c`).
std::string argument_value(const Context& ctx, const ir::Callback& cb, const ir::Param& a) {
  const std::string c = "c->" + c_ident(a.name);
  const ir::Param* len = length_arg(cb, a);
  const std::string n = len ? "(long)c->" + c_ident(len->name) : "";
  if (a.type.kind == ir::TypeKind::Str && a.type.encoding == "utf16") {
    return len ? "bindery_rb_cb_utf16(" + c + ", " + n + ")" : "(" + c + " ? bindery_rb_from_utf16(" + c + ", -1L) : Qnil)";
  }
  if (a.type.kind == ir::TypeKind::Str) {
    // With a length: exactly that many bytes (the text need not end there). Without: up to the
    // NUL; NULL (a nullable argument, or a library that passes one anyway) is nil, never a crash.
    return len ? "bindery_rb_cb_text(" + c + ", " + n + ")" : "(" + c + " ? bindery_rb_from_cstr(" + c + ") : Qnil)";
  }
  if (a.type.kind == ir::TypeKind::Bytes) return "bindery_rb_cb_bytes(" + c + ", " + n + ")";
  return to_ruby(ctx, a.type, c);
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

// `user_data_from` with each `$N` replaced by the trampoline's N-th C argument.
std::string user_data_expression(const ir::Callback& cb) {
  return substitute_positions(cb.user_data_from, [&](size_t n) {
    auto a = std::find_if(cb.params.begin(), cb.params.end(), [&](const ir::Param& p) { return p.index == static_cast<int>(n); });
    return a == cb.params.end() ? "$" + std::to_string(n) : c_ident(a->name);  // unknown: left to fail to compile
  });
}

}  // namespace

bool host_argument_supported(const Context& ctx, const ir::Callback& cb, const ir::Param& p) {
  switch (p.type.kind) {
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Enum:
    case ir::TypeKind::Record: return p.c_type.find('*') == std::string::npos;
    case ir::TypeKind::Str: return p.size.empty() || length_arg(cb, p);  // copied into a String
    case ir::TypeKind::Bytes: return length_arg(cb, p) != nullptr;       // copied, with its length
    case ir::TypeKind::Handle: return true;                               // lent for the call
    case ir::TypeKind::Slice:  // an array of handles (each lent), of strings or of scalars (copied into an Array)
      if (is_string_array(p)) return p.type.encoding == "utf8" && length_arg(cb, p);
      return (is_handle_array(ctx, p) || (p.type.name.empty() && p.c_type.find('*') != std::string::npos)) &&
             length_arg(cb, p);
    default: return false;
  }
}

bool is_string_array(const ir::Param& p) {
  return p.type.kind == ir::TypeKind::Slice && p.type.scalar == ir::Scalar::Char && p.type.name.empty() &&
         !p.type.encoding.empty();
}

bool is_handle_array(const Context& ctx, const ir::Param& p) {
  return p.type.kind == ir::TypeKind::Slice && !p.type.name.empty() && ctx.module.find_handle(p.type.name) != nullptr;
}

bool is_kept_callback(const ir::Param& p) {
  return p.role == ir::ParamRole::Input && p.callback && p.callback->scope != ir::Callback::Scope::Call;
}

bool module_keeps_callbacks(const ir::Module& m) {
  if (!m.interfaces.empty()) return true;  // an interface method's exception waits like a kept callback's
  for (const ir::Function& fn : m.functions) {
    for (const ir::Param& p : fn.params) {
      if (is_kept_callback(p)) return true;
    }
  }
  return false;
}

bool module_has_host_values(const ir::Module& m) {
  for (const ir::Function& fn : m.functions) {
    if (fn.returns.kind == ir::TypeKind::HostValue) return true;
    for (const ir::Param& p : fn.params) {
      if (p.type.kind == ir::TypeKind::HostValue) return true;
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

bool callback_supported(const Context& ctx, const ir::Param& p, std::string& why) {
  const ir::Callback& cb = *p.callback;
  if (cb.scope == ir::Callback::Scope::Notified && cb.destroy.empty()) {
    why = "callback parameter '" + p.name + "' of scope notified without its destroy-notify parameter";
    return false;
  }
  if (cb.user_data.empty() || (cb.user_data_index < 0 && cb.user_data_from.empty())) {
    why = "callback parameter '" + p.name + "' without user data (nothing would carry the Ruby callable)";
    return false;
  }
  for (const ir::Param& a : cb.params) {
    if (a.role == ir::ParamRole::UserData) continue;
    if (!host_argument_supported(ctx, cb, a)) {
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

HostArguments emit_host_arguments(const Context& ctx, const ir::Callback& cb, const std::vector<const ir::Param*>& args,
                                  Code& code) {
  HostArguments out;
  std::vector<std::string>& argv = out.argv;
  std::vector<std::string>& lent = out.lent;
  // A borrowed view of handle `name` at C pointer `c` (no destroy), nil for NULL.
  auto lend = [&](const std::string& name, const std::string& c) {
    return c + " ? bindery_rb_wrap(" + Context::class_var(name) + ", &" + Context::type_var(name) + ", (void *)" + c +
           ", NULL, Qnil, " + (has_children(ctx, name) ? "1" : "0") + ") : Qnil";
  };
  // With an array of handles the count of objects lent is known at run time only: they are all
  // kept in a private Array (`lent`), closed when the callable returns.
  const bool arrays = std::any_of(args.begin(), args.end(), [&](const ir::Param* a) { return is_handle_array(ctx, *a); });
  out.arrays = arrays;
  if (arrays) code.line("VALUE lent = rb_ary_new();");
  for (const ir::Param* a : args) {
    if (a->role == ir::ParamRole::UserData) continue;
    if (a->role == ir::ParamRole::Length && !a->length_of.empty()) continue;  // read with its buffer
    const std::string c = "c->" + c_ident(a->name);
    if (a->type.kind == ir::TypeKind::Handle && arrays) {
      code.line("VALUE lent_" + c_ident(a->name) + " = " + lend(a->type.name, c) + ";");
      code.line("rb_ary_push(lent, lent_" + c_ident(a->name) + ");");
      argv.push_back("lent_" + c_ident(a->name));
      continue;
    }
    if (a->type.kind == ir::TypeKind::Handle) {
      lent.push_back(lend(a->type.name, c));
      argv.push_back("lent[" + std::to_string(lent.size() - 1) + "]");
      continue;
    }
    if (is_handle_array(ctx, *a)) {
      // The callable's own Array (it may keep or change it); the private one closes each item.
      const std::string items = "items_" + c_ident(a->name);
      const std::string n = "(" + c + " ? (long)c->" + c_ident(length_arg(cb, *a)->name) + " : 0L)";
      code.line("VALUE " + items + " = rb_ary_new_capa(" + n + ");");
      code.open("for (long i = 0; i < " + n + "; ++i) {");
      code.line("VALUE item = " + lend(a->type.name, c + "[i]") + ";");
      code.line("rb_ary_push(lent, item);");
      code.line("rb_ary_push(" + items + ", item);");
      code.close();
      argv.push_back(items);
      continue;
    }
    if (is_string_array(*a)) {
      // `const char *const *argv` + `argc`: an Array of Strings (copies; a NULL entry is nil).
      const std::string items = "items_" + c_ident(a->name);
      const std::string len = "c->" + c_ident(length_arg(cb, *a)->name);
      const std::string n = "n_" + c_ident(a->name);
      code.line("long " + n + " = " + c + " && " + len + " > 0 ? (long)" + len + " : 0L;  /* NULL: empty */");
      code.line("VALUE " + items + " = rb_ary_new_capa(" + n + ");");
      code.line("for (long i = 0; i < " + n + "; ++i) rb_ary_push(" + items + ", " + c + "[i] ? bindery_rb_from_cstr(" + c +
                "[i]) : Qnil);");
      argv.push_back(items);
      continue;
    }
    if (a->type.kind == ir::TypeKind::Slice) {
      // Scalars valid during the callback only: copied into an Array the callable may keep.
      const std::string items = "items_" + c_ident(a->name);
      const std::string len = "c->" + c_ident(length_arg(cb, *a)->name);
      const std::string n = "n_" + c_ident(a->name);
      const ir::Type element{ir::TypeKind::Scalar, a->type.scalar, {}, {}, {}};
      code.line("long " + n + " = " + c + " && " + len + " > 0 ? (long)" + len + " : 0L;  /* NULL: empty */");
      code.line("VALUE " + items + " = rb_ary_new_capa(" + n + ");");
      code.line("for (long i = 0; i < " + n + "; ++i) rb_ary_push(" + items + ", " + to_ruby(ctx, element, c + "[i]") + ");");
      argv.push_back(items);
      continue;
    }
    argv.push_back(argument_value(ctx, cb, *a));
  }
  return out;
}

void emit_host_call(Code& code, const HostArguments& args, const std::string& recv, const std::string& method) {
  auto joined = [](const std::vector<std::string>& v) {
    std::string list;
    for (const auto& e : v) list += (list.empty() ? "" : ", ") + e;
    return list;
  };
  const std::string n = std::to_string(args.argv.size());
  // Handle arguments are borrowed views for the call only: closed when the callable returns.
  if (!args.lent.empty()) code.line("VALUE lent[" + std::to_string(args.lent.size()) + "] = {" + joined(args.lent) + "};");
  if (!args.argv.empty()) code.line("VALUE argv[" + n + "] = {" + joined(args.argv) + "};");
  const std::string argv_ptr = args.argv.empty() ? "NULL" : "argv";
  // A callable's #call, or (interfaces) a public method of the receiver.
  const std::string mid = "rb_intern(" + c_string(method) + ")";
  if (args.arrays) {
    code.line("VALUE r = " + (method.empty() ? "bindery_rb_call_lending_ary(" + recv : "bindery_rb_send_lending_ary(" + recv + ", " + mid) +
              ", " + n + ", " + argv_ptr + ", lent);");
  } else if (!args.lent.empty()) {
    code.line("VALUE r = " + (method.empty() ? "bindery_rb_call_lending(" + recv : "bindery_rb_send_lending(" + recv + ", " + mid) +
              ", " + n + ", " + argv_ptr + ", lent, " + std::to_string(args.lent.size()) + ");");
  } else if (method.empty()) {
    code.line("VALUE r = rb_funcallv(" + recv + ", rb_intern(\"call\"), " + n + ", " + argv_ptr + ");");
  } else {
    code.line("VALUE r = rb_funcallv_public(" + recv + ", " + mid + ", " + n + ", " + argv_ptr + ");");
  }
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
    emit_host_call(code, emit_host_arguments(ctx, cb, args, code), callable, "");
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
    if (!cb.user_data_from.empty()) {
      // The library does not pass the user data: the binding asks for it (sqlite3_user_data).
      code.line("void *bindery_user_data = (void *)(" + user_data_expression(cb) + ");");
    }
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
    code.line("if (!bindery_rb_cb_on_calling_thread(c.frame)) return" + std::string(returns ? " c.ret" : "") +
              ";  /* a thread Ruby cannot run on */");
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
