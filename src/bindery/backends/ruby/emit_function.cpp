// One Ruby method per bound C function: convert the arguments, call the function directly, read the
// result by its convention, convert what comes back.
//
// C locals carry the C parameters' own names, so the C expressions of the IR (sizes, capacities,
// preconditions, fixed values, length calls) are pasted verbatim; Ruby arguments are `rb_<name>`
// and the generator's own locals `bindery_*`.
#include <algorithm>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/emit.hpp"
#include "bindery/backends/ruby/values.hpp"

namespace bindery::backends::ruby {

namespace {

std::string rb_var(const ir::Param& p) { return p.role == ir::ParamRole::Self ? "rb_self" : "rb_" + c_ident(p.name); }
std::string out_var(const ir::Param& p) { return "bindery_out_" + c_ident(p.name); }
bool has_pointer(const std::string& c_type) { return c_type.find('*') != std::string::npos; }
// "int32_t x", "const char *s": no space after a '*'.
// A function-pointer type names its variable inside: "int (*)(void *)" -> "int (*cb)(void *)".
std::string decl(const std::string& c_type, const std::string& name) {
  if (auto at = c_type.find("(*)"); at != std::string::npos) {
    return c_type.substr(0, at + 2) + name + c_type.substr(at + 2);
  }
  return !c_type.empty() && c_type.back() == '*' ? c_type + name : c_type + " " + name;
}

// C has no nullptr; IR defaults are written for C++ too.
std::string c_expr(std::string e) { return e == "nullptr" ? "NULL" : e; }

std::string kind_constant(ir::ErrorKind kind) {
  switch (kind) {
    case ir::ErrorKind::InvalidArgument: return "BINDERY_RB_INVALID_ARGUMENT";
    case ir::ErrorKind::OutOfRange: return "BINDERY_RB_OUT_OF_RANGE";
    case ir::ErrorKind::NoMemory: return "BINDERY_RB_NO_MEMORY";
  }
  return "BINDERY_RB_KIND_NONE";
}

// The largest length a narrow integer type can carry, for the Length range check.
std::string scalar_max(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::I8: return "INT8_MAX";
    case ir::Scalar::I16: return "INT16_MAX";
    case ir::Scalar::I32: return "INT32_MAX";
    case ir::Scalar::U8: return "UINT8_MAX";
    case ir::Scalar::U16: return "UINT16_MAX";
    case ir::Scalar::U32: return "UINT32_MAX";
    default: return "";
  }
}

class FunctionEmitter {
 public:
  // view: the `<name>_view` twin of a method whose result is borrowed bytes (offers_view).
  FunctionEmitter(const Context& ctx, const ir::Function& fn, Code& code, bool view = false)
      : ctx_(ctx), fn_(fn), code_(code), path_(ctx.ruby_path(fn) + (view ? "_view" : "")), view_(view) {
    for (const ir::Param& p : fn.params) params_.push_back(&p);
    std::sort(params_.begin(), params_.end(), [](auto* a, auto* b) { return a->index < b->index; });
    hidden_ = hidden_outputs(fn);
    is_close_ = fn.role == ir::FunctionRole::Destructor;
    keeps_ = module_keeps_callbacks(ctx.module);
    if (fn.result.kind == ir::ResultKind::Status || fn.result.kind == ir::ResultKind::Count ||
        fn.result.kind == ir::ResultKind::NullError) {
      conv_ = ctx.module.find_convention(fn.result.convention);
    }
  }

  void emit() {
    if (field_buffers_self(fn_)) {
      emit_field_buffers_method();
      return;
    }
    emit_signature();
    emit_inputs();
    emit_computed();
    emit_buffers();
    emit_checks();
    emit_call();
    emit_result_check();
    emit_after_success();
    emit_return();
    code_.close();
    code_.line();
  }

 private:
  // A method whose buffers travel in the receiver's fields (zlib's next_in/avail_in,
  // next_out/avail_out): the Ruby caller passes the input bytes; the binding points the input
  // fields at them, calls repeatedly into a growing output String while the library fills all the
  // output space it was given (whatever success code it reports), and returns what was produced.
  // An error raises. The fields are cleared afterwards: no pointer into a Ruby String survives.
  void emit_field_buffers_method() {
    const ir::Param& self = *field_buffers_self(fn_);
    const ir::FieldBuffers& fb = *self.field_buffers;
    emit_signature();
    emit_inputs();
    emit_computed();
    emit_checks();
    const std::string s = self.name;
    if (!fb.in_pointer.empty()) {
      const ir::Param& in = field_input_param();
      // A frozen copy shares the bytes and cannot change under a call that runs without the GVL.
      code_.line("VALUE bindery_input = rb_str_new_frozen((bindery_rb_to_bytes(" + rb_var(in) + ", " + what(in.name) + "), " +
                 rb_var(in) + "));");
      code_.line("if ((unsigned long long)RSTRING_LEN(bindery_input) > (unsigned long long)((__typeof__(" + s + "->" +
                 fb.in_length + "))-1)) bindery_rb_raise_arg(" + what(in.name) + ", \"too long for the C length type\");");
      code_.line(s + "->" + fb.in_pointer + " = (__typeof__(" + s + "->" + fb.in_pointer + "))RSTRING_PTR(bindery_input);");
      code_.line(s + "->" + fb.in_length + " = (__typeof__(" + s + "->" + fb.in_length + "))RSTRING_LEN(bindery_input);");
    }
    code_.line("long bindery_chunk = " + std::string(fb.in_pointer.empty() ? "16384" : "RSTRING_LEN(bindery_input) / 2 + 64") + ";");
    code_.line("if (bindery_chunk > (1L << 20)) bindery_chunk = 1L << 20;");
    code_.line("VALUE bindery_output = rb_str_buf_new(bindery_chunk);");
    code_.line("long bindery_produced = 0;");
    code_.open("for (;;) {");
    code_.line("rb_str_modify_expand(bindery_output, bindery_chunk);");
    code_.line(s + "->" + fb.out_pointer + " = (__typeof__(" + s + "->" + fb.out_pointer + "))(RSTRING_PTR(bindery_output) + bindery_produced);");
    code_.line(s + "->" + fb.out_length + " = (__typeof__(" + s + "->" + fb.out_length + "))bindery_chunk;");
    if (releases_gvl(fn_)) {
      emit_blocking_call();
    } else {
      code_.line(decl(ret_type(), "bindery_ret") + " = " + fn_.c_name + "(" + call_args() + ");");
    }
    // The room left is read before anything clears the fields.
    code_.line("long bindery_room = (long)" + s + "->" + fb.out_length + ";");
    code_.line("bindery_produced += bindery_chunk - bindery_room;");
    code_.line("rb_str_set_len(bindery_output, bindery_produced);");
    // On an error, the fields must not keep pointing into Ruby Strings; on any success code they
    // stay: the input not consumed yet is where the next round starts.
    if (std::string failed = failed_condition(); !failed.empty()) {
      code_.open("if (RB_UNLIKELY(" + failed + ")) {");
      clear_fields(s, fb);
      code_.close();
    }
    emit_result_check(false);
    // Whatever the code (zlib's inflate says Z_BUF_ERROR after every Z_FINISH round that is not
    // the last), output space used to the last byte means the library may have more to give; room
    // left over means it gave all it could. Every round that loops produced bindery_chunk > 0
    // bytes, so the loop ends: a round with nothing more to give leaves all its room.
    code_.line("if (bindery_room != 0) break;");
    code_.line("if (bindery_chunk < (1L << 20)) bindery_chunk *= 2;");
    code_.close();
    clear_fields(s, fb);
    if (!fb.in_pointer.empty()) code_.line("RB_GC_GUARD(bindery_input);");
    code_.line("return bindery_output;");
    code_.close();
    code_.line();
  }

  void clear_fields(const std::string& s, const ir::FieldBuffers& fb) {
    if (!fb.in_pointer.empty()) {
      code_.line(s + "->" + fb.in_pointer + " = NULL;");
      code_.line(s + "->" + fb.in_length + " = 0;");
    }
    code_.line(s + "->" + fb.out_pointer + " = NULL;");
    code_.line(s + "->" + fb.out_length + " = 0;");
  }

  static std::string utf16_var(const ir::Param& p) { return "bindery_u16_" + c_ident(p.name); }
  std::string w_what(const ir::Param& p) const { return what(p.name); }

  std::string what(const std::string& name) const { return c_string(path_ + ": " + name); }
  const ir::Param* find(const std::string& name) const {
    for (auto* p : params_) {
      if (p->name == name) return p;
    }
    return nullptr;
  }
  bool is_hidden(const ir::Param& p) const {
    return std::find(hidden_.begin(), hidden_.end(), p.name) != hidden_.end();
  }
  std::string symbol() const {
    if (view_) return Context::fn_symbol(fn_) + "_view";
    return is_close_ ? Context::close_symbol(fn_.class_name) : Context::fn_symbol(fn_);
  }

  void emit_signature() {
    std::string doc = fn_.doc.empty() ? "" : ": " + fn_.doc.substr(0, fn_.doc.find('\n'));
    code_.line("/* " + path_ + " -> " + fn_.c_name + doc + " */");
    auto host = host_params(fn_);
    int arity = method_arity(fn_);
    if (arity >= 0) {
      std::string sig = "static VALUE " + symbol() + "(VALUE rb_self";
      for (auto* p : host) sig += ", VALUE " + rb_var(*p);
      code_.open(sig + ") {");
    } else {
      code_.open("static VALUE " + symbol() + "(int argc, VALUE *argv, VALUE rb_self) {");
      code_.line("rb_check_arity(argc, " + std::to_string(required_params(fn_)) + ", " +
                 std::to_string(host.size()) + ");");
      for (std::size_t i = 0; i < host.size(); ++i) {
        code_.line("VALUE " + rb_var(*host[i]) + " = argc > " + std::to_string(i) + " ? argv[" +
                   std::to_string(i) + "] : Qundef;");
      }
    }
    bool has_self = std::any_of(params_.begin(), params_.end(),
                                [](auto* p) { return p->role == ir::ParamRole::Self; });
    if (!has_self) code_.line("(void)rb_self;");
  }

  // Wraps a conversion so an omitted trailing argument takes the IR's C default.
  std::string with_default(const ir::Param& p, const std::string& conv) const {
    if (p.default_value.empty()) return conv;
    return "(" + rb_var(p) + " == Qundef) ? (" + p.c_type + ")(" + c_expr(p.default_value) + ") : " + conv;
  }

  void emit_inputs() {
    for (auto* pp : params_) {
      const ir::Param& p = *pp;
      switch (p.role) {
        case ir::ParamRole::Self: emit_self(p); break;
        case ir::ParamRole::Input: emit_input(p); break;
        case ir::ParamRole::Output: emit_output(p); break;
        case ir::ParamRole::Capacity:
          if (capacity_from_host(fn_, p)) {
            std::string conv = with_default(p, to_c(ctx_, p.type, rb_var(p), what(p.name), false));
            if (has_pointer(p.c_type)) {  // in/out: capacity in, written count out
              code_.line(decl(strip_pointer(p.c_type), out_var(p)) + " = " + conv + ";");
              code_.line(decl(p.c_type, p.name) + " = &" + out_var(p) + ";");
            } else {
              code_.line(decl(p.c_type, p.name) + " = " + conv + ";");
            }
          }
          break;
        default: break;
      }
    }
  }

  void emit_self(const ir::Param& p) {
    std::string handle = p.type.kind == ir::TypeKind::Handle ? p.type.name : fn_.class_name;
    if (fn_.role == ir::FunctionRole::Constructor) {
      // A pinned handle: the storage is allocated just before the call (emit_pinned_storage).
      code_.line("(void)rb_self;");
      code_.line(decl(p.c_type, p.name) + " = NULL;");
      pinned_new_ = &p;
      return;
    }
    if (is_close_ && ctx_.is_plain(handle)) {
      // close is idempotent: the object is emptied first, a second call finds nothing to destroy.
      code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")bindery_rb_take_plain_for_close(rb_self, &" +
                 Context::type_var(handle) + ");");
      code_.line("if (" + p.name + " == NULL) return Qnil;");
      return;
    }
    if (is_close_) {
      // close is idempotent: a second call (or closing a borrowed view) does nothing; with children
      // alive the C object is destroyed when the last one goes.
      code_.line("bindery_rb_core *bindery_core = bindery_rb_take_for_close(rb_self, &" + Context::type_var(handle) + ");");
      code_.line("if (bindery_core == NULL) return Qnil;");
      code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")bindery_core->ptr;");
      return;
    }
    // A receiver the callee takes over (sqlite3_close) is never taken while a GVL-free call in
    // another thread uses it, whatever the class's thread policy.
    bool idle = ctx_.checks_busy(handle) || (p.lifetime.own == ir::Own::Consumed && ctx_.used_without_gvl(handle));
    const char* unwrap = idle ? "bindery_rb_unwrap_idle" : "bindery_rb_unwrap";
    code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")" + unwrap + "(rb_self, &" +
               Context::type_var(handle) + ", " + what("self") + ");");
  }

  bool has_length_param(const ir::Param& p) const {
    return std::any_of(params_.begin(), params_.end(), [&](auto* q) {
      return q->role == ir::ParamRole::Length && (q->length_of == p.name || q->name == p.size);
    });
  }

  void emit_input(const ir::Param& p) {
    const std::string rb = rb_var(p);
    const std::string w = what(p.name);
    switch (p.type.kind) {
      case ir::TypeKind::Scalar:
      case ir::TypeKind::Enum:
      case ir::TypeKind::Record:
        if (has_pointer(p.c_type)) {
          emit_input_by_pointer(p);
        } else if (p.type.kind == ir::TypeKind::Record) {
          code_.line(decl(p.c_type, p.name) + ";");
          code_.line(Context::record_in(p.type.name) + "(" + rb + ", &" + p.name + ", " + w + ");");
        } else {
          code_.line(decl(p.c_type, p.name) + " = " + with_default(p, "(" + p.c_type + ")" +
                                                                 to_c(ctx_, p.type, rb, w, false)) + ";");
        }
        break;
      case ir::TypeKind::Handle: {
        std::string conv = to_c(ctx_, p.type, rb, w, p.nullable);
        if (p.lifetime.own == ir::Own::Consumed && ctx_.used_without_gvl(p.type.name) && !ctx_.checks_busy(p.type.name)) {
          // Whatever the class's thread policy, the callee takes the C object: refused (BusyError)
          // while a GVL-free call in another thread uses it.
          conv = std::string("bindery_rb_unwrap_idle") + (p.nullable ? "_or_null" : "") + "(" + rb + ", &" +
                 Context::type_var(p.type.name) + ", " + w + ")";
        }
        code_.line(decl(p.c_type, p.name) + " = " + with_default(p, "(" + p.c_type + ")" + conv) + ";");
        break;
      }
      case ir::TypeKind::Str: {
        if (p.type.encoding == "utf16") {
          // Transcoded into a String of our own (native UTF-16, two zero bytes after it).
          const std::string w = utf16_var(p);
          code_.line("VALUE " + w + " = " + (p.nullable ? "NIL_P(" + rb + ") ? Qnil : " : std::string()) +
                     "bindery_rb_to_utf16(" + rb + ", " + w_what(p) + ", " +
                     (has_length_param(p) || !p.size.empty() ? "0" : "1") + ");");
          code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")(NIL_P(" + w + ") ? NULL : RSTRING_PTR(" + w + "));");
          guards_.push_back(w);
          break;
        }
        bool sized = has_length_param(p) || !p.size.empty();
        std::string fn = sized ? (p.nullable ? "bindery_rb_to_bytes_or_null(" : "bindery_rb_to_bytes(")
                               : (p.nullable ? "bindery_rb_to_cstr_or_null(&" : "bindery_rb_to_cstr(&");
        code_.line(decl(p.c_type, p.name) + " = " + with_default(p, "(" + p.c_type + ")" + fn + rb + ", " + w + ")") + ";");
        guards_.push_back(rb);
        break;
      }
      case ir::TypeKind::Bytes: {
        if (!p.lifetime.alloc.empty()) {
          // The callee takes the buffer and frees it with its allocator's free: checked now, copied
          // into the library's memory just before the call (emit_allocated_copies), when nothing
          // can raise any more and leak the block.
          code_.line("const char *" + alloc_src(p) + " = " + (p.nullable ? "bindery_rb_to_bytes_or_null(" : "bindery_rb_to_bytes(") +
                     rb + ", " + w + ");");
          code_.line(decl(p.c_type, p.name) + " = NULL;");
          allocated_.push_back(&p);
          break;
        }
        std::string fn = p.nullable ? "bindery_rb_to_bytes_or_null(" : "bindery_rb_to_bytes(";
        code_.line(decl(p.c_type, p.name) + " = " + with_default(p, "(" + p.c_type + ")" + fn + rb + ", " + w + ")") + ";");
        guards_.push_back(rb);
        break;
      }
      case ir::TypeKind::Slice: emit_input_slice(p); break;
      case ir::TypeKind::Callback: emit_input_callback(p); break;
      case ir::TypeKind::HostValue:
        // Any Ruby object but nil (nil is "absent", never a value). Boxed just before the call
        // (emit_boxes), when nothing can raise any more and leave a box nobody releases.
        if (!p.nullable) {
          code_.line("if (NIL_P(" + rb + ")) bindery_rb_raise_type(" + rb + ", " + w + ", \"an object (nil is no value)\");");
        }
        code_.line(decl(p.c_type, p.name) + " = NULL;");
        boxed_.push_back(&p);
        break;
      default:
        ctx_.diags.error(p.location, "ruby backend: cannot pass parameter '" + p.name + "' of " + fn_.c_name);
    }
  }

  // A call-scope callback: the trampoline is the function pointer, a frame on this C stack the user
  // data (callbacks.hpp). A block may stand for the last argument.
  void emit_input_callback(const ir::Param& p) {
    const std::string rb = rb_var(p);
    const std::string frame = frame_var(p);
    bool block = block_param(fn_, host_params(fn_)) == &p;
    std::string callable = block ? "bindery_rb_block_or_callable(" + rb + ", " + what(p.name) + ")"
                                 : "bindery_rb_to_callable(" + rb + ", " + what(p.name) + ")";
    if (is_kept_callback(p)) {
      emit_kept_callback(p, callable);
      return;
    }
    code_.line("bindery_rb_cb " + frame + " = {Qnil, 0, pthread_self()};");
    if (p.nullable) {
      code_.line(decl(p.c_type, p.name) + " = NULL;");
      code_.open("if (!NIL_P(" + rb + ")) {");
      code_.line(frame + ".callable = " + callable + ";");
      code_.line(p.name + " = " + trampoline_symbol(fn_, p) + ";");
      code_.close();
    } else {
      code_.line(frame + ".callable = " + callable + ";");
      code_.line(decl(p.c_type, p.name) + " = " + trampoline_symbol(fn_, p) + ";");
    }
    callbacks_.push_back(&p);
  }

  // A callback the library keeps: its record is the user data, made just before the call
  // (emit_kept_records) so that a later argument's error leaks nothing. Scopes notified and forever
  // join the module registry (the library may call back before returning); scope owner takes the
  // object's slot once the library has accepted it (emit_after_success).
  void emit_kept_callback(const ir::Param& p, const std::string& callable) {
    const std::string rb = rb_var(p);
    const std::string id = c_ident(p.name);
    if (p.callback->scope == ir::Callback::Scope::Owner) {
      code_.line("static const char bindery_slot_" + id + " = 0;  /* this setter's slot on the object */");
    }
    if (p.nullable) {
      code_.line("VALUE bindery_callable_" + id + " = NIL_P(" + rb + ") ? Qnil : " + callable + ";");
    } else {
      code_.line("VALUE bindery_callable_" + id + " = " + callable + ";");
    }
    code_.line("bindery_rb_kept *" + kept_var(p) + " = NULL;");
    code_.line(decl(p.c_type, p.name) + " = NULL;");
    guards_.push_back("bindery_callable_" + id);
    kept_.push_back(&p);
  }

  void emit_kept_records() {
    for (const ir::Param* p : kept_) {
      const std::string id = c_ident(p->name);
      const std::string rec = kept_var(*p);
      const bool owner = p->callback->scope == ir::Callback::Scope::Owner;
      code_.open("if (!NIL_P(bindery_callable_" + id + ")) {");
      code_.line(rec + " = " + (owner ? "bindery_rb_kept_new(bindery_callable_" + id + ", &bindery_slot_" + id + ")"
                                      : "bindery_rb_kept_register(bindery_callable_" + id + ")") + ";");
      code_.line(p->name + " = " + trampoline_symbol(fn_, *p) + ";");
      for (const ir::Param* u : params_) {
        if (u->role != ir::ParamRole::UserData || u->length_of != p->name) continue;
        if (u->name == p->callback->destroy) {
          code_.line(u->name + " = (" + u->c_type + ")bindery_rb_kept_notify;");
        } else {
          code_.line(u->name + " = " + rec + ";");
        }
      }
      code_.close();
    }
  }

  // `const T *p` pointing to one value: the value lives in a local, NULL when nil is allowed.
  void emit_input_by_pointer(const ir::Param& p) {
    const std::string local = "bindery_in_" + c_ident(p.name);
    const std::string rb = rb_var(p);
    std::string value_type = strip_pointer(p.c_type);  // "const point" -> "point": we fill it in
    if (value_type.rfind("const ", 0) == 0 && !has_pointer(value_type)) value_type.erase(0, 6);
    code_.line(decl(value_type, local) + ";");
    code_.line("memset(&" + local + ", 0, sizeof " + local + ");");
    std::string assign = p.type.kind == ir::TypeKind::Record
                             ? Context::record_in(p.type.name) + "(" + rb + ", &" + local + ", " + what(p.name) + ");"
                             : local + " = " + to_c(ctx_, p.type, rb, what(p.name), false) + ";";
    if (p.nullable) {
      code_.line(decl(p.c_type, p.name) + " = NULL;");
      code_.open("if (!NIL_P(" + rb + ")) {");
      code_.line(assign);
      code_.line(p.name + " = &" + local + ";");
      code_.close();
    } else {
      code_.line(assign);
      code_.line(decl(p.c_type, p.name) + " = &" + local + ";");
    }
  }

  // An Array of numbers copied into a temporary C array (freed with the call's frame by Ruby).
  void emit_input_slice(const ir::Param& p) {
    const std::string rb = rb_var(p);
    const std::string id = c_ident(p.name);
    const std::string elem = c_scalar(p.type.scalar);
    ir::Type et{ir::TypeKind::Scalar, p.type.scalar, {}, {}, {}};
    std::string check = "!RB_TYPE_P(" + rb + ", T_ARRAY)";
    if (p.nullable) check = "!NIL_P(" + rb + ") && " + check;
    code_.line("if (" + check + ") bindery_rb_raise_type(" + rb + ", " + what(p.name) + ", \"Array\");");
    code_.line("long bindery_n_" + id + " = NIL_P(" + rb + ") ? 0 : RARRAY_LEN(" + rb + ");");
    code_.line("VALUE bindery_tmp_" + id + " = 0;");
    code_.line(elem + " *bindery_buf_" + id + " = ALLOCV_N(" + elem + ", bindery_tmp_" + id + ", bindery_n_" + id + ");");
    code_.open("for (long bindery_i = 0; bindery_i < bindery_n_" + id + "; ++bindery_i) {");
    code_.line("bindery_buf_" + id + "[bindery_i] = " + to_c(ctx_, et, "RARRAY_AREF(" + rb + ", bindery_i)", what(p.name), false) + ";");
    code_.close();
    code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")(NIL_P(" + rb + ") ? NULL : bindery_buf_" + id + ");");
    allocv_.push_back("bindery_tmp_" + id);
  }

  void emit_output(const ir::Param& p) {
    const std::string v = out_var(p);
    code_.line(decl(strip_pointer(p.c_type), v) + ";");
    code_.line("memset(&" + v + ", 0, sizeof " + v + ");");
    if (p.inout && !is_hidden(p)) {
      if (p.type.kind == ir::TypeKind::Record) {
        code_.line(Context::record_in(p.type.name) + "(" + rb_var(p) + ", &" + v + ", " + what(p.name) + ");");
      } else {
        code_.line(v + " = " + to_c(ctx_, p.type, rb_var(p), what(p.name), false) + ";");
      }
    }
    code_.line(decl(p.c_type, p.name) + " = &" + v + ";");
  }

  // Hidden parameters computed from the others: lengths, capacities, fixed values.
  void emit_computed() {
    for (auto* pp : params_) {
      const ir::Param& p = *pp;
      if (p.role == ir::ParamRole::Length && has_pointer(p.c_type)) {
        // A length the callee writes (of the returned buffer, or of what it wrote): a hidden output.
        emit_output(p);
      } else if (p.role == ir::ParamRole::Length) {
        const ir::Param* of = find(p.length_of);
        std::string len;
        if (of && of->type.kind == ir::TypeKind::Slice) {
          len = "bindery_n_" + c_ident(of->name);
        } else if (of && of->type.kind == ir::TypeKind::Str && of->type.encoding == "utf16") {
          len = "bindery_rb_utf16_len(" + utf16_var(*of) + ")";  // bytes, as every Str length
        } else if (of) {
          len = "bindery_rb_len_or_zero(" + rb_var(*of) + ")";
        } else {
          ctx_.diags.error(p.location, "ruby backend: length parameter '" + p.name + "' of " + fn_.c_name +
                                           " serves no parameter");
          len = "0";
        }
        std::string max = p.type.kind == ir::TypeKind::Scalar ? scalar_max(p.type.scalar) : "";
        if (!max.empty()) {
          code_.line("if (" + len + " > (long)" + max + ") bindery_rb_raise_arg(" + what(p.length_of) +
                     ", \"too long for the C length type\");");
        }
        code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")" + len + ";");
      } else if (p.role == ir::ParamRole::Capacity && !capacity_from_host(fn_, p)) {
        const ir::Param* buf = find(p.length_of);
        code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")(" + (buf ? buf->capacity : "0") + ");");
      } else if (p.role == ir::ParamRole::UserData && find(p.length_of) && is_kept_callback(*find(p.length_of))) {
        // A kept callback's record, and for scope notified the destroy-notify that frees it.
        code_.line(decl(p.c_type, p.name) + " = NULL;  /* set with the record, just before the call */");
      } else if (p.role == ir::ParamRole::UserData) {
        // The callback's frame (a destroy-notify slot would be a callback type: never for scope call).
        const ir::Param* cb = find(p.length_of);
        std::string frame = cb ? "&" + frame_var(*cb) : "NULL";
        if (cb && cb->nullable) frame = "(" + cb->name + " ? (void *)" + frame + " : NULL)";
        code_.line(decl(p.c_type, p.name) + " = " + frame + ";");
      } else if (p.role == ir::ParamRole::Fixed) {
        code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")(" + c_expr(p.fixed) + ");");
      } else if (p.role == ir::ParamRole::Release) {
        // The library calls it exactly once per box, when done with the value (even on failure).
        code_.line(decl(p.c_type, p.name) + " = bindery_rb_host_release;");
      } else if (p.role == ir::ParamRole::HostTag) {
        // This binding's boxes: a pointer stored under another tag is never read as one of ours.
        code_.line(decl(p.c_type, p.name) + " = " + c_string("bindery:ruby:" + ctx_.module.library) + ";");
      }
    }
  }

  // Caller-allocated output buffers: a Ruby String of the capacity, filled in place.
  void emit_buffers() {
    for (auto* pp : params_) {
      const ir::Param& p = *pp;
      if (p.role != ir::ParamRole::Buffer) continue;
      const std::string id = c_ident(p.name);
      // A capacity naming an in/out parameter means the value it points to.
      const ir::Param* named = find(p.capacity);
      std::string cap = named && has_pointer(named->c_type) ? out_var(*named) : "(" + p.capacity + ")";
      code_.line("long bindery_cap_" + id + " = (long)" + cap + ";");
      code_.line("if (bindery_cap_" + id + " < 0) bindery_rb_raise_arg(" + what(p.name) + ", \"negative capacity\");");
      code_.line("VALUE bindery_buf_" + id + " = rb_str_buf_new(bindery_cap_" + id + ");");
      code_.line(decl(p.c_type, p.name) + " = (" + p.c_type + ")RSTRING_PTR(bindery_buf_" + id + ");");
      if (p.written.kind == ir::Written::Kind::InOut) {
        if (const ir::Param* io = find(p.written.value); io && io != named) {
          code_.line(out_var(*io) + " = (" + strip_pointer(io->c_type) + ")bindery_cap_" + id + ";");
        }
      }
    }
  }

  void emit_checks() {
    for (auto* pp : params_) {
      const ir::Param& p = *pp;
      bool text = p.type.kind == ir::TypeKind::Bytes || p.type.kind == ir::TypeKind::Str;
      if (p.role != ir::ParamRole::Input || !text || p.size.empty() || has_length_param(p)) continue;
      if (p.type.encoding == "utf16") continue;  // its length is the transcoded one: nothing to check
      // A size that is another argument: the String must hold that many bytes. Otherwise the size
      // is fixed (a key, a nonce): the String must have exactly that length.
      const ir::Param* named = find(p.size);
      bool host_arg = named && (named->role == ir::ParamRole::Input || capacity_from_host(fn_, *named));
      std::string len = "RSTRING_LEN(" + rb_var(p) + ")";
      std::string bad = host_arg ? len + " < (long)(" + p.size + ")" : len + " != (long)(" + p.size + ")";
      std::string msg = host_arg ? "shorter than " + p.size : "must be exactly " + p.size + " bytes";
      if (p.nullable) bad = "!NIL_P(" + rb_var(p) + ") && " + bad;
      code_.line("if (" + bad + ") bindery_rb_raise_arg(" + what(p.name) + ", " + c_string(msg) + ");");
    }
    for (auto* pp : params_) {
      if (pp->precondition.empty()) continue;
      code_.line("if (!(" + pp->precondition + ")) bindery_rb_raise_arg(" + what(pp->name) + ", " +
                 c_string("precondition failed: " + pp->precondition) + ");");
    }
  }

  std::string call_args() const {
    std::string args;
    for (auto* p : params_) args += (args.empty() ? "" : ", ") + p->name;
    return args;
  }

  bool returns_value() const {
    return fn_.result.kind != ir::ResultKind::Void && fn_.returns.kind != ir::TypeKind::Void;
  }

  std::string ret_type() const {
    return fn_.returns.c_type.empty() ? "__typeof__(" + fn_.c_name + "(" + call_args() + "))" : fn_.returns.c_type;
  }

  // Zeroed storage that never moves (xcalloc), its preset fields, then the in-place constructor.
  void emit_pinned_storage() {
    if (!pinned_new_) return;
    const std::string v = pinned_new_->name;
    code_.line(v + " = (" + pinned_new_->c_type + ")ruby_xcalloc(1, sizeof *" + v + ");");
    if (const ir::Handle* h = ctx_.module.find_handle(pinned_new_->type.name)) {
      for (const auto& [field, value] : h->fields_preset) code_.line(v + "->" + field + " = " + c_expr(value) + ";");
    }
  }

  // Pinned storage the call did not take (a failed constructor) or that close must release.
  std::string pinned_storage_to_free() const {
    if (pinned_new_) return pinned_new_->name;
    if (is_close_) {
      const ir::Handle* h = ctx_.module.find_handle(fn_.class_name);
      if (h && h->pinned) {
        for (auto* p : params_) {
          if (p->role == ir::ParamRole::Self) return p->name;
        }
      }
    }
    return "";
  }

  static std::string alloc_src(const ir::Param& p) { return "bindery_src_" + c_ident(p.name); }

  // Bytes the callee takes over (`alloc`): a copy in memory from the library's allocator, at least
  // one byte; NULL is NoMemoryError with C not called. From here on nothing raises before the call.
  void emit_allocated_copies() {
    for (const ir::Param* p : allocated_) {
      const std::string n = "bindery_n_" + c_ident(p->name);
      const std::string rb = rb_var(*p);
      code_.line("long " + n + " = " + (p->nullable ? "NIL_P(" + rb + ") ? 0 : " : std::string()) + "RSTRING_LEN(" + rb + ");");
      if (p->nullable) code_.open("if (!NIL_P(" + rb + ")) {");
      code_.line(p->name + " = (" + p->c_type + ")" + p->lifetime.alloc + "((size_t)(" + n + " ? " + n + " : 1));");
      code_.line("if (RB_UNLIKELY(" + p->name + " == NULL)) rb_raise(rb_eNoMemError, \"%s\", " +
                 c_string(ctx_.ruby_path(fn_) + ": " + p->lifetime.alloc + " returned NULL (out of memory)") + ");");
      code_.line("if (" + n + " > 0) memcpy((void *)" + p->name + ", " + alloc_src(*p) + ", (size_t)" + n + ");");
      if (p->nullable) code_.close();
      guards_.push_back(rb);
    }
  }

  // A handle the library lends only briefly (`copy`): passed at once through the copy function,
  // whose result is ours (the handle's destroy frees it). A failed copy is NoMemoryError.
  void emit_result_copy() {
    const std::string& copy = fn_.returns_lifetime.copy;
    if (copy.empty() || !returns_value() || fn_.result.kind == ir::ResultKind::Ignore) return;
    code_.open("if (bindery_ret != NULL) {  /* lent until the next call: copied now, the copy is ours */");
    code_.line("bindery_ret = (" + ret_type() + ")" + copy + "(bindery_ret);");
    code_.line("if (RB_UNLIKELY(bindery_ret == NULL)) rb_raise(rb_eNoMemError, \"%s\", " +
               c_string(ctx_.ruby_path(fn_) + ": " + copy + " returned NULL (out of memory)") + ");");
    code_.close();
  }

  // Host values: a box (a registry record holding a strong reference) per value; the library's
  // call of the Release param frees it. A value with no Release param is lent for the call only:
  // its box is freed after it (released_after_call_).
  void emit_boxes() {
    for (const ir::Param* p : boxed_) {
      const std::string rb = rb_var(*p);
      code_.line(p->name + " = " + (p->nullable ? "NIL_P(" + rb + ") ? NULL : " : std::string()) + "(" + p->c_type +
                 ")bindery_rb_host_box(" + rb + ");");
      bool released = std::any_of(params_.begin(), params_.end(), [&](auto* q) {
        return q->role == ir::ParamRole::Release && q->length_of == p->name;
      });
      if (!released) released_after_call_.push_back(p->name);
    }
  }

  void emit_call() {
    emit_kept_records();
    emit_pinned_storage();
    emit_allocated_copies();
    emit_boxes();
    std::string call = fn_.c_name + "(" + call_args() + ")";
    // A module with interfaces: the library may call Ruby methods during any call, and one of them
    // may try to close what the call uses (context.cpp: no class is plain then).
    const bool reenters = !releases_gvl(fn_) && !ctx_.module.interfaces.empty();
    const std::vector<std::string> busy = reenters ? busy_values() : std::vector<std::string>{};
    for (const auto& v : busy) code_.line("bindery_rb_busy_enter(" + v + ");  /* Ruby code may run in the call */");
    if (releases_gvl(fn_)) {
      emit_blocking_call();
    } else if (!returns_value()) {
      code_.line(call + ";");
    } else if (fn_.result.kind == ir::ResultKind::Ignore) {
      code_.line("(void)" + call + ";");
    } else {
      code_.line(decl(ret_type(), "bindery_ret") + " = " + call + ";");
    }
    for (const auto& v : busy) code_.line("bindery_rb_busy_leave(" + v + ");");
    emit_result_copy();
    for (const auto& b : released_after_call_) code_.line("bindery_rb_host_release((void *)" + b + ");  /* lent for the call */");
    if (is_close_ && !ctx_.is_plain(fn_.class_name)) code_.line("bindery_rb_close_done(bindery_core);");
    for (const auto& g : guards_) code_.line("RB_GC_GUARD(" + g + ");");
    for (const auto& a : allocv_) code_.line("ALLOCV_END(" + a + ");");
    for (const ir::Param* cb : callbacks_) emit_reraise(*cb);
    // Lengths are read at once: a `call:` length must follow the pointer call, before anything else.
    if (fn_.returns_length.kind == ir::Length::Kind::Expr || fn_.returns_length.kind == ir::Length::Kind::Call) {
      code_.line("long bindery_len = (long)(" + fn_.returns_length.value + ");");
    }
  }

  // An exception a callback raised was kept by its trampoline: raised now that C has returned. An
  // owned result of that call is released first (nobody else would).
  void emit_reraise(const ir::Param& cb) {
    const std::string frame = frame_var(cb);
    code_.line("RB_GC_GUARD(" + frame + ".callable);");
    code_.open("if (RB_UNLIKELY(" + frame + ".state)) {");
    if (returns_value() && fn_.returns_lifetime.own == ir::Own::Owned && fn_.result.kind != ir::ResultKind::Ignore) {
      if (fn_.returns.kind == ir::TypeKind::Handle) {
        const ir::Handle* h = ctx_.module.find_handle(fn_.returns.name);
        if (h && !h->destroy.empty()) code_.line("if (bindery_ret) " + h->destroy + "(bindery_ret);");
      } else if (!fn_.returns_lifetime.free.empty()) {
        code_.line("if (bindery_ret) " + fn_.returns_lifetime.free + "((void *)bindery_ret);");
      }
    }
    code_.line("bindery_rb_cb_reraise(" + frame + ".state);");
    code_.close();
  }

  // The Ruby objects whose C objects a GVL-free call uses: marked busy around it, so `close` from
  // another thread raises instead of freeing them under the call (docs/adr/ruby-busy-handles.md).
  // A destructor's self is not among them: it was taken from its Ruby object already.
  std::vector<std::string> busy_values() const {
    std::vector<std::string> out;
    for (auto* p : params_) {
      if (p->type.kind != ir::TypeKind::Handle || fn_.role == ir::FunctionRole::Constructor) continue;
      if (p->role == ir::ParamRole::Self && !is_close_) out.push_back("rb_self");
      if (p->role == ir::ParamRole::Input) {
        const std::string v = rb_var(*p);
        out.push_back(p->default_value.empty() ? v : "(" + v + " == Qundef ? Qnil : " + v + ")");
      }
    }
    return out;
  }

  // blocking: the call runs without the GVL; the arguments travel in a struct. The `2` variant
  // raises nothing: a pending interrupt returns NULL before the call, is handled with the busy marks
  // cleared, and the call is retried — so no exception skips the unmarking after the call.
  void emit_blocking_call() {
    std::string s = "bindery_nogvl_" + c_ident(fn_.c_name);
    code_.line("struct " + s + "_args bindery_a;");
    for (auto* p : params_) code_.line("bindery_a." + p->name + " = " + p->name + ";");
    const auto busy = busy_values();
    code_.open("for (;;) {");
    for (const auto& v : busy) code_.line("bindery_rb_busy_enter(" + v + ");");
    code_.line("void *bindery_ran = rb_thread_call_without_gvl2(" + s + ", &bindery_a, RUBY_UBF_IO, NULL);");
    for (const auto& v : busy) code_.line("bindery_rb_busy_leave(" + v + ");");
    code_.line("if (bindery_ran) break;");
    code_.line("rb_thread_check_ints();");
    code_.close();
    for (auto* p : params_) {  // reachable from this frame until the marks are gone
      if (p->type.kind == ir::TypeKind::Handle && p->role == ir::ParamRole::Input) guards_.push_back(rb_var(*p));
    }
    if (returns_value() && fn_.result.kind != ir::ResultKind::Ignore) {
      code_.line(decl(ret_type(), "bindery_ret") + " = bindery_a.bindery_ret;");
    }
  }

  std::vector<std::string> eof_codes() const {
    std::vector<std::string> out = fn_.result.eof;
    if (conv_) out.insert(out.end(), conv_->eof.begin(), conv_->eof.end());
    return out;
  }

  static std::string any_of(const std::vector<std::string>& codes, const std::string& v) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : " || ") + v + " == (" + c + ")";
    return out;
  }

  std::string self_expr() const {
    if (!fn_.result.errors_from.empty()) return fn_.result.errors_from;
    for (auto* p : params_) {
      if (p->role == ir::ParamRole::Self) return p->name;
    }
    for (auto* p : params_) {
      if (p->type.kind == ir::TypeKind::Handle && p->role == ir::ParamRole::Input) return p->name;
    }
    return "NULL";
  }

  std::string expand(const std::string& e) const {
    return replace_all(replace_all(e, "${self}", self_expr()), "${rc}", "bindery_ret");
  }

  // The C condition under which the call failed ("" when its result is not checked).
  std::string failed_condition() const {
    const auto kind = fn_.result.kind;
    if (kind != ir::ResultKind::Status && kind != ir::ResultKind::Count && kind != ir::ResultKind::NullError) return "";
    if (!returns_value()) return "";
    if (kind == ir::ResultKind::NullError) return "bindery_ret == NULL";
    if (kind == ir::ResultKind::Count || (conv_ && conv_->negative_is_error)) return "bindery_ret < 0";
    std::vector<std::string> ok = conv_ ? conv_->ok : std::vector<std::string>{};
    if (ok.empty()) ok.push_back("0");
    ok.insert(ok.end(), fn_.result.also_ok.begin(), fn_.result.also_ok.end());
    if (conv_) ok.insert(ok.end(), conv_->soft.begin(), conv_->soft.end());
    return "!(" + any_of(ok, "bindery_ret") + ")";
  }

  // eof_is_nil: an eof code returns nil (a field-buffer loop has no such code to stop on: it
  // passes false and stops when the library leaves output room).
  void emit_result_check(bool eof_is_nil = true) {
    const std::string failed = failed_condition();
    if (failed.empty()) return;
    const auto kind = fn_.result.kind;
    auto eof = eof_codes();
    if (eof_is_nil && !eof.empty() && kind != ir::ResultKind::NullError) {
      code_.line("if (" + any_of(eof, "bindery_ret") + ") return Qnil;  /* no more: not an error */");
    }
    code_.open("if (RB_UNLIKELY(" + failed + ")) {");
    // errno first: any later call (even an allocation) may overwrite it.
    bool has_errno = conv_ && !conv_->errno_expr.empty();
    if (has_errno) code_.line("int bindery_errno = (int)(" + expand(conv_->errno_expr) + ");");
    std::string code_expr = conv_ && !conv_->code.empty() ? expand(conv_->code) : (kind == ir::ResultKind::NullError ? "" : "bindery_ret");
    code_.line("VALUE bindery_code = " + (code_expr.empty() ? std::string("Qnil") : "LL2NUM((long long)(" + code_expr + "))") + ";");
    std::string msg = conv_ && !conv_->message.empty() ? "bindery_rb_message(" + expand(conv_->message) + ")" : "Qnil";
    code_.line("VALUE bindery_msg = " + msg + ";");
    for (auto* p : params_) {  // outputs the callee set even on failure are still ours to destroy
      if (p->role != ir::ParamRole::Output || !p->valid_on_error || p->type.kind != ir::TypeKind::Handle) continue;
      const ir::Handle* h = ctx_.module.find_handle(p->type.name);
      if (h && !h->destroy.empty()) code_.line("if (" + out_var(*p) + ") " + h->destroy + "(" + out_var(*p) + ");");
    }
    for (const ir::Param* cb : kept_) {  // not accepted: nobody holds the new record
      if (cb->callback->scope == ir::Callback::Scope::Owner) code_.line("if (" + kept_var(*cb) + ") xfree(" + kept_var(*cb) + ");");
    }
    if (std::string st = pinned_storage_to_free(); !st.empty()) code_.line("xfree(" + st + ");  /* pinned storage */");
    // A kept callback that raised during this call is what the caller should see.
    if (keeps_) code_.line("bindery_rb_raise_pending();");
    std::string raise = "bindery_rb_raise_error(";
    if (conv_ && !conv_->kinds.empty()) {
      // Codes with a builtin meaning (std::invalid_argument in a C++ library, SQLITE_NOMEM, …).
      std::string c = code_expr.empty() ? "bindery_ret" : code_expr;
      code_.line("int bindery_kind = BINDERY_RB_KIND_NONE;");
      for (const ir::ErrorKindCode& k : conv_->kinds) {
        code_.line("if ((" + c + ") == (" + k.code + ")) bindery_kind = " + kind_constant(k.kind) + ";");
      }
      raise = "bindery_rb_raise_error_kind(bindery_kind, ";
    }
    code_.line(raise + c_string(fn_.c_name) + ", bindery_msg, bindery_code, " +
               (has_errno ? "INT2NUM(bindery_errno)" : "Qnil") + ");");
    code_.close();
  }

  void emit_after_success() {
    if (is_close_ && !pinned_storage_to_free().empty()) {
      code_.line("xfree(" + pinned_storage_to_free() + ");  /* pinned: the storage is the binding's */");
    }
    for (const ir::Param* cb : kept_) {
      if (cb->callback->scope != ir::Callback::Scope::Owner) continue;
      code_.line("bindery_rb_kept_set_owner(rb_self, &bindery_slot_" + c_ident(cb->name) + ", " + kept_var(*cb) +
                 ");  /* replaces (frees) the one it had */");
    }
    for (auto* p : params_) {
      bool handle = p->role == ir::ParamRole::Input || (p->role == ir::ParamRole::Self && !is_close_);
      if (handle && p->type.kind == ir::TypeKind::Handle && p->lifetime.own == ir::Own::Consumed) {
        // Only now, after success: a `consumed_on_success` handle stays open when the call failed.
        const std::string type = Context::type_var(p->type.name.empty() ? fn_.class_name : p->type.name);
        code_.line("bindery_rb_release(" + rb_var(*p) + ", &" + type + ");  /* consumed" +
                   (p->lifetime.consumed_on_success ? " (the call succeeded)" : "") + " */");
      }
    }
  }

  // The Ruby VALUE a borrowed result keeps alive: the parameter it borrows from.
  std::string owner_of(const ir::Type& type, const ir::Lifetime& lt) const {
    std::string from = lt.from;
    if (lt.own == ir::Own::Owned && type.kind == ir::TypeKind::Handle) {
      from.clear();  // an owned child keeps its parent alive, if the handle has one
      if (const ir::Handle* h = ctx_.module.find_handle(type.name); h && !h->parent.empty()) {
        for (auto* p : params_) {
          if (p->type.kind == ir::TypeKind::Handle && p->type.name == h->parent &&
              (p->role == ir::ParamRole::Self || p->role == ir::ParamRole::Input)) {
            from = p->name;
            break;
          }
        }
      }
    }
    if (from.empty()) return "Qnil";
    if (from.size() > 1 && from[0] == '$') {
      std::size_t i = std::stoul(from.substr(1));
      for (auto* p : params_) {
        if (static_cast<std::size_t>(p->index) == i) return rb_var(*p);
      }
      return "Qnil";
    }
    const ir::Param* p = find(from);
    return p && (p->role == ir::ParamRole::Self || p->role == ir::ParamRole::Input) ? rb_var(*p) : "Qnil";
  }

  void emit_return() {
    std::vector<std::string> values;
    auto add = [&](const OutValue& v) {
      std::string var = "bindery_v" + std::to_string(values.size());
      emit_out_value(ctx_, v, var, code_);
      values.push_back(var);
    };
    const auto kind = fn_.result.kind;
    bool buffer_takes_count = std::any_of(params_.begin(), params_.end(), [](auto* p) {
      return p->role == ir::ParamRole::Buffer && p->written.kind == ir::Written::Kind::Return;
    });
    if (pinned_new_) {
      const std::string h = pinned_new_->type.name;
      code_.line("VALUE bindery_v0 = bindery_rb_wrap(" + Context::class_var(h) + ", &" + Context::type_var(h) + ", " +
                 pinned_new_->name + ", " + Context::free_symbol(h) + ", Qnil, 0);");
      values.push_back("bindery_v0");
    } else if (kind == ir::ResultKind::Bool || kind == ir::ResultKind::BoolOk) {
      std::string test = kind == ir::ResultKind::Bool ? "bindery_ret != 0" : "bindery_ret == 0";
      code_.line("VALUE bindery_v0 = (" + test + ") ? Qtrue : Qfalse;");
      values.push_back("bindery_v0");
    } else if (kind == ir::ResultKind::Status) {
      // Extra success codes (soft, also_ok) are the caller's to tell apart: returned as an Integer
      // when the function has nothing else to return; the plain OK is nil.
      bool report = !fn_.result.also_ok.empty() || (conv_ && !conv_->soft.empty());
      bool outputs = std::any_of(params_.begin(), params_.end(), [&](auto* p) {
        return (p->role == ir::ParamRole::Output && !is_hidden(*p)) || p->role == ir::ParamRole::Buffer;
      });
      if (report && returns_value() && !outputs) {
        std::vector<std::string> ok = conv_ && !conv_->ok.empty() ? conv_->ok : std::vector<std::string>{"0"};
        code_.line("VALUE bindery_v0 = (" + any_of(ok, "bindery_ret") + ") ? Qnil : LL2NUM((long long)bindery_ret);");
        values.push_back("bindery_v0");
      }
    } else if ((kind == ir::ResultKind::Value || kind == ir::ResultKind::NullError ||
                kind == ir::ResultKind::Count) && !buffer_takes_count && returns_value()) {
      OutValue v{&fn_.returns, &fn_.returns_lifetime, "bindery_ret", returns_length(), "Qnil", fn_.c_name};
      v.owner = owner_of(fn_.returns, fn_.returns_lifetime);
      v.view = view_;
      v.known_non_null = kind == ir::ResultKind::NullError;  // the convention already raised on NULL
      add(v);
    }
    for (auto* p : params_) {
      if (p->role == ir::ParamRole::Output && !is_hidden(*p)) {
        const ir::Param* len = output_length(fn_, *p);
        OutValue v{&p->type, &p->lifetime, out_var(*p), len ? out_var(*len) : "", owner_of(p->type, p->lifetime),
                   fn_.c_name};
        add(v);
      } else if (p->role == ir::ParamRole::Buffer) {
        values.push_back(emit_buffer_result(*p));
      }
    }
    // A kept callback that raised during this call: raised now that every result is a Ruby object.
    if (keeps_) code_.line("bindery_rb_raise_pending();");
    if (values.empty()) {
      code_.line(eof_codes().empty() ? "return Qnil;" : "return Qtrue;");
      return;
    }
    if (values.size() == 1) {
      emit_block_form(values[0]);
      code_.line("return " + values[0] + ";");
      return;
    }
    std::string list;
    for (const auto& v : values) list += ", " + v;
    code_.line("return rb_ary_new_from_args(" + std::to_string(values.size()) + list + ");");
  }

  std::string returns_length() const {
    switch (fn_.returns_length.kind) {
      case ir::Length::Kind::Expr:
      case ir::Length::Kind::Call: return "bindery_len";
      case ir::Length::Kind::OutParam: {
        const ir::Param* p = find(fn_.returns_length.value);
        return p ? out_var(*p) : "0";
      }
      default: return "";
    }
  }

  std::string emit_buffer_result(const ir::Param& p) {
    const std::string id = c_ident(p.name);
    std::string n;
    switch (p.written.kind) {
      case ir::Written::Kind::All: n = "bindery_cap_" + id; break;
      case ir::Written::Kind::Return: n = "(long)bindery_ret"; break;
      case ir::Written::Kind::OutParam:
      case ir::Written::Kind::InOut: {
        const ir::Param* w = find(p.written.value);
        n = w ? "(long)" + out_var(*w) : "0";
        break;
      }
      case ir::Written::Kind::Expr: n = "(long)(" + p.written.value + ")"; break;
    }
    code_.line("long bindery_n_" + id + " = " + n + ";");
    // A library that reports more than the capacity would make Ruby read past the buffer.
    code_.line("if (bindery_n_" + id + " < 0 || bindery_n_" + id + " > bindery_cap_" + id + ") bindery_rb_raise_error(" +
               c_string(fn_.c_name) + ", rb_str_new_cstr(\"reported a written length outside the buffer\"), Qnil, Qnil);");
    code_.line("rb_str_set_len(bindery_buf_" + id + ", bindery_n_" + id + ");");
    code_.line("rb_enc_associate(bindery_buf_" + id + ", " +
               (p.type.kind == ir::TypeKind::Str ? "rb_utf8_encoding()" : "rb_ascii8bit_encoding()") + ");");
    return "bindery_buf_" + id;
  }

  // A constructor called with a block yields the object and closes it when the block ends.
  void emit_block_form(const std::string& value) {
    const ir::Type* t = constructed_handle(fn_);
    if (!t) return;
    const ir::Handle* h = ctx_.module.find_handle(t->name);
    if (!h || h->kind != ir::Handle::Kind::Owned) return;
    code_.line("if (rb_block_given_p()) return rb_ensure(rb_yield, " + value + ", " +
               Context::close_symbol(h->name) + ", " + value + ");");
  }

  const Context& ctx_;
  const ir::Function& fn_;
  Code& code_;
  std::string path_;
  std::vector<const ir::Param*> params_;
  std::vector<std::string> hidden_;
  std::vector<std::string> guards_;
  std::vector<std::string> allocv_;
  std::vector<const ir::Param*> allocated_;  // consumed bytes copied with the library's allocator
  std::vector<const ir::Param*> boxed_;      // host values boxed just before the call
  std::vector<std::string> released_after_call_;  // boxes no Release param serves
  std::vector<const ir::Param*> callbacks_;
  std::vector<const ir::Param*> kept_;
  const ir::Param* pinned_new_ = nullptr;  ///< a pinned constructor's Self: storage made here
  bool view_ = false;   ///< the _view twin: borrowed bytes as a read-only <Module>::View over the C memory
  bool keeps_ = false;  ///< the module keeps callbacks: check for a pending exception after C returns
  const ir::ErrorConvention* conv_ = nullptr;
  bool is_close_ = false;
};

}  // namespace

const ir::Type* constructed_handle(const ir::Function& fn) {
  if (fn.role != ir::FunctionRole::Constructor) return nullptr;
  if (fn.returns.kind == ir::TypeKind::Handle) return &fn.returns;
  // A pinned handle's constructor initialises the binding's storage through its Self param.
  if (const ir::Param* self = constructed_self(fn)) return &self->type;
  // A constructor returning a status gives its object through an owned out-parameter (a C++
  // library's C layer: `int shapes_polygon_new(..., shapes_polygon **out)`).
  for (const ir::Param& p : fn.params) {
    if (p.role == ir::ParamRole::Output && p.type.kind == ir::TypeKind::Handle && p.lifetime.own == ir::Own::Owned) {
      return &p.type;
    }
  }
  return nullptr;
}

bool releases_gvl(const ir::Function& fn) {
  // A callback calls back into Ruby, which needs the GVL: such calls keep it.
  return fn.blocking && !has_callbacks(fn);
}

bool offers_views(const std::vector<const ir::Function*>& bound) {
  return std::any_of(bound.begin(), bound.end(), [](const ir::Function* fn) { return offers_view(*fn); });
}

bool offers_view(const ir::Function& fn) {
  if (fn.returns.kind != ir::TypeKind::Bytes || fn.returns_lifetime.own != ir::Own::Borrowed ||
      fn.returns_lifetime.until != ir::Until::Owner || fn.role != ir::FunctionRole::Method) {
    return false;
  }
  if (fn.result.kind != ir::ResultKind::Value && fn.result.kind != ir::ResultKind::NullError) return false;
  // Borrowed from the receiver, which tracks its views (closing it invalidates them).
  for (const ir::Param& p : fn.params) {
    if (p.name == fn.returns_lifetime.from || (fn.returns_lifetime.from == "$" + std::to_string(p.index))) {
      return p.role == ir::ParamRole::Self && p.type.kind == ir::TypeKind::Handle;
    }
  }
  return false;
}

void emit_function(const Context& ctx, const ir::Function& fn, Code& code) {
  emit_trampolines(ctx, fn, code);
  if (releases_gvl(fn)) {
    // The struct and trampoline that carry a GVL-free call.
    std::string s = "bindery_nogvl_" + c_ident(fn.c_name);
    code.open("struct " + s + "_args {");
    std::vector<const ir::Param*> ps;
    for (const auto& p : fn.params) ps.push_back(&p);
    std::sort(ps.begin(), ps.end(), [](auto* a, auto* b) { return a->index < b->index; });
    std::string args;
    for (auto* p : ps) {
      code.line(decl(p->c_type, p->name) + ";");
      args += (args.empty() ? "a->" : ", a->") + p->name;
    }
    bool ret = fn.result.kind != ir::ResultKind::Void && fn.result.kind != ir::ResultKind::Ignore &&
               fn.returns.kind != ir::TypeKind::Void;
    if (ret) code.line(decl(fn.returns.c_type, "bindery_ret") + ";");
    code.close("};");
    code.open("static void *" + s + "(void *data) {");
    code.line("struct " + s + "_args *a = (struct " + s + "_args *)data;");
    // A kept callback the library calls meanwhile takes the GVL back (bindery_rb_kept_call).
    const bool keeps = module_keeps_callbacks(ctx.module);
    if (keeps) code.line("bindery_rb_nogvl = 1;");
    code.line((ret ? "a->bindery_ret = " : "") + fn.c_name + "(" + args + ");");
    if (keeps) code.line("bindery_rb_nogvl = 0;");
    code.line("return a;  /* not NULL: the call ran */");
    code.close();
    code.line();
  }
  FunctionEmitter(ctx, fn, code).emit();
  if (offers_view(fn)) FunctionEmitter(ctx, fn, code, true).emit();
}

void emit_default_close(const Context& ctx, const ir::Handle& h, Code& code) {
  (void)ctx;
  code.line("/* " + h.name + "#close -> " + (h.destroy.empty() ? "(detach)" : h.destroy) + " */");
  code.open("static VALUE " + Context::close_symbol(h.name) + "(VALUE rb_self) {");
  code.line("return bindery_rb_close(rb_self, &" + Context::type_var(h.name) + ");");
  code.close();
  code.line();
}

}  // namespace bindery::backends::ruby
