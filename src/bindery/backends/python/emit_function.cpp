#include "bindery/backends/python/emit_function.hpp"

#include <algorithm>
#include <map>

#include "bindery/backends/python/emit_callback.hpp"
#include "bindery/backends/python/emit_convert.hpp"
#include "bindery/backends/python/emit_record.hpp"
#include "bindery/backends/python/library_locks.hpp"
#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

CallKind call_kind(const FunctionPlan& plan) {
  if (plan.args.empty()) return CallKind::NoArgs;
  if (plan.args.size() == 1 && !plan.args[0].optional) return CallKind::One;
  return CallKind::FastKeywords;
}

std::string call_flags(CallKind kind) {
  switch (kind) {
    case CallKind::NoArgs: return "METH_NOARGS";
    case CallKind::One: return "METH_O";
    case CallKind::FastKeywords: return "METH_FASTCALL | METH_KEYWORDS";
  }
  return "";
}

std::string host_tag(const ir::Module& module) { return "bindery:python:" + module.library; }

std::string wrapper_name(const ir::Function& fn) { return "bnd_fn_" + c_ident(fn.c_name); }
std::string type_object(const std::string& name) { return "bnd_type_" + c_ident(name); }
std::string enum_object(const std::string& name) { return "bnd_enum_" + c_ident(name); }
std::string record_type_object(const std::string& name) { return "bnd_rtype_" + c_ident(name); }
std::string record_new(const std::string& name) { return "bnd_rec_" + c_ident(name) + "_new"; }
std::string exception_object(const std::string& name) {
  return name.empty() ? "PyExc_OSError" : "bnd_exc_" + c_ident(name);
}

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// Writes one function. Locals are named exactly like the C parameters, so the C expressions the
// IR carries (sizes, capacities, preconditions, error messages) compile as written; everything
// the wrapper adds is prefixed `bnd_`.
class FunctionEmitter {
 public:
  FunctionEmitter(CodeWriter& w, const ir::Module& m, const FunctionPlan& plan)
      : w_(w), m_(m), plan_(plan), fn_(*plan.fn) {}

  void emit() {
    const CallKind kind = call_kind(plan_);
    reads_in_call_ = fn_.blocking || may_wait_for_library_lock();
    signature(kind);
    w_.open("{");
    declare_locals();
    warn_deprecated();
    bind_arguments(kind);
    convert_inputs();
    compute_hidden();
    set_field_buffers();
    check_preconditions();
    call();
    check_result();
    check_copy();
    build_result();
    w_.dedent();
    if (uses_exit_) w_.line("bnd_exit:");
    w_.indent();
    cleanup();
    w_.line("return bnd_result;");
    w_.close();
  }

 private:
  CodeWriter& w_;
  const ir::Module& m_;
  const FunctionPlan& plan_;
  const ir::Function& fn_;
  bool uses_exit_ = false;
  std::map<std::string, std::string> host_object_;  // param name → its PyObject* expression
  // The call may run with the GIL released: what the wrapper reads from the library after it (the
  // error's code and message, a sibling length call) is read in the same GIL-free section, before
  // the GIL is taken back (docs/adr/python-gil-and-library-locks.md).
  bool reads_in_call_ = false;

  bool error_read_in_call() const { return reads_in_call_ && !error_condition().empty(); }
  bool returns_buffer() const {
    return fn_.returns.kind == ir::TypeKind::Str || fn_.returns.kind == ir::TypeKind::Bytes ||
           fn_.returns.kind == ir::TypeKind::Slice;
  }
  bool ret_len_read_in_call() const {
    return reads_in_call_ && returns_buffer() &&
           (fn_.returns_length.kind == ir::Length::Kind::Call ||
            fn_.returns_length.kind == ir::Length::Kind::Expr);
  }
  bool written_read_in_call(const ir::Param& p) const {
    return reads_in_call_ && p.role == ir::ParamRole::Buffer &&
           p.written.kind == ir::Written::Kind::Expr;
  }

  std::string fail() {
    uses_exit_ = true;
    return "goto bnd_exit;";
  }
  std::string py_name() const {
    return fn_.class_name.empty() ? plan_.py_name : fn_.class_name + "." + plan_.py_name;
  }
  std::string what(const std::string& arg) const {
    return c_string(py_name() + "() argument '" + arg + "'");
  }
  std::string local(const ir::Param& p) const { return c_ident(p.name); }
  static bool is_utf16(const ir::Type& t) {
    return t.kind == ir::TypeKind::Str && t.encoding == "utf16";
  }

  void signature(CallKind kind) {
    const std::string name = wrapper_name(fn_);
    w_.line("/* " + fn_.c_name + " */");
    switch (kind) {
      case CallKind::NoArgs:
        w_.line("static PyObject *" + name + "(PyObject *bnd_self, PyObject *bnd_unused)");
        break;
      case CallKind::One:
        w_.line("static PyObject *" + name + "(PyObject *bnd_self, PyObject *bnd_arg)");
        break;
      case CallKind::FastKeywords:
        w_.line("static PyObject *" + name +
                "(PyObject *bnd_self, PyObject *const *bnd_args, Py_ssize_t bnd_nargs,");
        w_.line("        PyObject *bnd_kwnames)");
        break;
    }
  }

  void declare_locals() {
    w_.line("PyObject *bnd_result = NULL;");
    if (!plan_.self) w_.line("(void)bnd_self;");
    if (call_kind(plan_) == CallKind::NoArgs) w_.line("(void)bnd_unused;");
    for (const auto& p : fn_.params) {
      const std::string name = local(p);
      switch (p.role) {
        case ir::ParamRole::Self:
          // Pinned storage is freed on every exit: NULL until allocated.
          w_.line(declare(local_type(p), name) + (plan_.pinned_init ? " = NULL;" : ";"));
          break;
        case ir::ParamRole::Input:
          if (p.type.kind == ir::TypeKind::Bytes || p.type.kind == ir::TypeKind::Slice) {
            w_.line("Py_buffer bnd_buf_" + name + " = {0};");
          }
          if (p.type.kind == ir::TypeKind::Slice) {
            w_.line(std::string(scalar_info(p.type.scalar).fixed) + " *bnd_tmp_" + name +
                    " = NULL;");
            w_.line("Py_ssize_t bnd_n_" + name + " = 0;");
          }
          if (p.type.kind == ir::TypeKind::Str && !p.size.empty()) {
            w_.line("Py_ssize_t bnd_len_" + name + " = 0;");
          }
          if (is_utf16(p.type)) w_.line("PyObject *bnd_u16_" + name + " = NULL;  /* the encoded text */");
          if (kept_by_owner(p)) w_.line("PyObject *bnd_keep_" + name + " = NULL;");
          w_.line(declare(local_type(p), name) +
                  (p.type.kind == ir::TypeKind::Record ? " = {0};" : " = 0;"));
          break;
        case ir::ParamRole::Output:
          w_.line(declare(local_type(p), name) + " = {0};");
          break;
        case ir::ParamRole::Buffer:
          w_.line("PyObject *bnd_out_" + name + " = NULL;");
          w_.line(declare(local_type(p), name) + " = NULL;");
          break;
        case ir::ParamRole::Length:
        case ir::ParamRole::Capacity:
        case ir::ParamRole::Fixed:
          w_.line(declare(local_type(p), name) + " = 0;");
          break;
        case ir::ParamRole::UserData:
        case ir::ParamRole::Release:
        case ir::ParamRole::HostTag:
          w_.line(declare(local_type(p), name) + " = NULL;");
          break;
      }
    }
    declare_field_buffers();
    declare_reads();
  }

  // A handle result the library lends only briefly, copied at once (`returns: {copy: FN}`).
  bool copies_result() const {
    return fn_.returns.kind == ir::TypeKind::Handle && !fn_.returns_lifetime.copy.empty();
  }
  // Input bytes the callee takes over and frees with its own allocator (`alloc: FN`).
  static bool allocated_copy(const ir::Param& p) {
    return p.role == ir::ParamRole::Input && p.type.kind == ir::TypeKind::Bytes &&
           p.lifetime.own == ir::Own::Consumed && !p.lifetime.alloc.empty();
  }
  // A host value the library keeps (it has a Release param): the box's strong reference.
  bool kept_host_value(const ir::Param& p) const {
    if (p.role != ir::ParamRole::Input || p.type.kind != ir::TypeKind::HostValue) return false;
    for (const auto& r : fn_.params) {
      if (r.role == ir::ParamRole::Release && r.length_of == p.name) return true;
    }
    return false;
  }
  bool has_last_steps() const {
    for (const auto& p : fn_.params) {
      if (allocated_copy(p) || kept_host_value(p)) return true;
    }
    return false;
  }

  // A deprecated function warns on every call (Python's filters show it once per call site by
  // default); an error-raising filter stops the call before anything is converted.
  void warn_deprecated() {
    if (!fn_.deprecated) return;
    std::string text = py_name() + "() is deprecated";
    if (!fn_.deprecated->empty()) text += ": " + *fn_.deprecated;
    w_.line("if (PyErr_WarnEx(PyExc_DeprecationWarning, " + c_string(text) + ", 1) < 0) " + fail());
  }

  void declare_reads() {
    if (copies_result()) {
      w_.line(fn_.returns.c_type + " bnd_lent = NULL;  /* the library's, until its next call */");
    }
    if (error_read_in_call()) {
      w_.line("int bnd_failed = 0;");
      w_.line("int bnd_err = 0;");
      w_.line("long long bnd_code = 0;");
      w_.line("const char *bnd_msg = NULL;");
      w_.line("char *bnd_msg_copy = NULL;  /* the message, copied before the GIL was taken back */");
    }
    if (ret_len_read_in_call()) w_.line("Py_ssize_t bnd_ret_len = 0;");
    for (const auto& p : fn_.params) {
      if (written_read_in_call(p)) w_.line("Py_ssize_t bnd_written_" + local(p) + " = 0;");
    }
  }

  // Right after the C call, in the section that runs it (GIL-free or not): whether it failed and,
  // if so, its errno, code and message (copied when the GIL is released: once it is back, another
  // thread may overwrite the library's buffer); else the lengths that calls compute.
  void read_after_call(bool gil_released) {
    std::vector<std::string> success;
    if (ret_len_read_in_call()) {
      success.push_back("if (bnd_rc != NULL) bnd_ret_len = (Py_ssize_t)(" + fn_.returns_length.value +
                        ");");
    }
    for (const auto& p : fn_.params) {
      if (written_read_in_call(p)) {
        success.push_back("bnd_written_" + local(p) + " = (Py_ssize_t)(" + p.written.value + ");");
      }
    }
    if (!error_read_in_call()) {
      for (const auto& line : success) w_.line(line);
      return;
    }
    const ir::ErrorConvention* conv = find_convention(m_, fn_.result.convention);
    std::vector<std::string> eof = fn_.result.eof;
    if (conv) eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
    const std::string error = error_condition();
    w_.line("bnd_failed = " + (eof.empty() ? error : "!(" + any_of(eof) + ") && " + error) + ";");
    const ErrorReads reads = error_reads(conv);
    w_.open("if (bnd_failed) {");
    if (reads.err != "0") w_.line("bnd_err = " + reads.err + ";");
    w_.line("bnd_code = " + reads.code + ";");
    if (reads.msg != "NULL") {
      w_.line(gil_released ? "bnd_msg = bnd_msg_copy = bnd_copy_message(" + reads.msg + ");"
                           : "bnd_msg = " + reads.msg + ";");
    }
    w_.close();
    if (!success.empty()) {
      w_.open("else {");
      for (const auto& line : success) w_.line(line);
      w_.close();
    }
  }

  // The receiver's field buffers (zlib's next_in/avail_in, next_out/avail_out), if any.
  const ir::FieldBuffers* field_buffers() const {
    return plan_.self && plan_.self->field_buffers ? &*plan_.self->field_buffers : nullptr;
  }
  bool has_field_input() const {
    const auto* fb = field_buffers();
    return fb && !fb->in_pointer.empty() && !fb->in_length.empty();
  }
  bool has_field_output() const {
    const auto* fb = field_buffers();
    return fb && !fb->out_pointer.empty() && !fb->out_length.empty();
  }
  const ir::Param* pinned_storage() const {
    if (!plan_.pinned_init) return nullptr;
    for (const auto& p : fn_.params) {
      if (p.role == ir::ParamRole::Self) return &p;
    }
    return nullptr;
  }

  // Field-buffer arguments stand for the receiver's fields: keyed apart from the receiver.
  static std::string arg_key(const HostArg& a) {
    return a.field == HostArg::Field::None ? a.param->name : "bnd_field:" + a.py_name;
  }

  void declare_field_buffers() {
    if (has_field_input()) {
      w_.line("Py_buffer bnd_fb_in = {0};  /* the input bytes, exported for the call */");
      w_.line("Py_ssize_t bnd_fb_consumed = 0;");
    }
    if (has_field_output()) {
      w_.line("unsigned long long bnd_fb_capacity = 0;");
      w_.line("PyObject *bnd_fb_out = NULL;  /* the bytes the call writes into */");
      w_.line("Py_ssize_t bnd_fb_produced = 0;");
    }
  }

  // The pinned struct's storage belongs to the binding: zeroed, never moved, preset, then
  // initialised in place by the constructor (freed here unless the new object took it).
  void allocate_pinned() {
    const ir::Param* s = pinned_storage();
    if (!s) return;
    const ir::Handle& h = *find_handle(m_, s->type.name);
    const std::string name = local(*s);
    w_.line(name + " = (" + local_type(*s) + ")PyMem_Calloc(1, sizeof(" + h.c_name + "));");
    w_.line("if (" + name + " == NULL) { PyErr_NoMemory(); " + fail() + " }");
    for (const auto& [field, value] : h.fields_preset) {
      w_.line(name + "->" + field + " = " + value + ";");
    }
  }

  // Points the receiver's fields at the caller's input and at a new bytes object of the asked
  // capacity; a length the field's type cannot hold is an OverflowError, not a truncation.
  void set_field_buffers() {
    const auto* fb = field_buffers();
    if (!fb) return;
    const std::string self = local(*plan_.self);
    // Checked before anything is written: a conversion that ran Python code may have let another
    // thread close the object or start a blocking call on it, whose fields must not change.
    const auto object = host_object_.find(plan_.self->name);
    if (object != host_object_.end()) {
      w_.line("if (bnd_handle_idle(" + object->second + ", (void *)" + self + ", " +
              c_string(py_name() + "()") + ") < 0) " + fail());
    }
    // A failure after some fields were set leaves none pointing at memory about to be released.
    std::string reset;
    auto overflow = [&](const std::string& len, const std::string& what) {
      w_.open("if ((unsigned long long)" + self + "->" + len + " != (unsigned long long)(" + what +
              ")) {");
      w_.line(reset + self + "->" + len + " = 0;");
      w_.line("PyErr_Format(PyExc_OverflowError, \"%s: %llu bytes do not fit in " + len +
              "\", " + c_string(py_name() + "()") + ", (unsigned long long)(" + what + "));");
      w_.line(fail());
      w_.close();
    };
    if (has_field_input()) {
      w_.line(self + "->" + fb->in_pointer + " = (void *)bnd_fb_in.buf;");
      w_.line(self + "->" + fb->in_length + " = bnd_fb_in.len;");
      reset = self + "->" + fb->in_pointer + " = NULL; ";
      overflow(fb->in_length, "bnd_fb_in.len");
      reset += self + "->" + fb->in_length + " = 0; ";
    }
    if (has_field_output()) {
      w_.open("if (bnd_fb_capacity > (unsigned long long)PY_SSIZE_T_MAX) {");
      if (!reset.empty()) w_.line(reset.substr(0, reset.size() - 1));
      w_.line("PyErr_SetString(PyExc_OverflowError, " + c_string(py_name() + "(): capacity too large") +
              ");");
      w_.line(fail());
      w_.close();
      w_.line(self + "->" + fb->out_length + " = bnd_fb_capacity;");
      overflow(fb->out_length, "bnd_fb_capacity");  // before allocating what cannot be used
      w_.line("bnd_fb_out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)bnd_fb_capacity);");
      w_.line("if (bnd_fb_out == NULL) { " + reset + self + "->" + fb->out_length + " = 0; " +
              fail() + " }");
      w_.line(self + "->" + fb->out_pointer + " = (void *)PyBytes_AS_STRING(bnd_fb_out);");
    }
  }

  // After the call: how much was consumed and produced; the fields no longer point at memory
  // the binding is about to release (unconsumed input is the caller's to pass again).
  void read_field_buffers() {
    const auto* fb = field_buffers();
    if (!fb) return;
    const std::string self = local(*plan_.self);
    if (has_field_input()) {
      w_.line("bnd_fb_consumed = bnd_fb_in.len - (Py_ssize_t)" + self + "->" + fb->in_length + ";");
      w_.line(self + "->" + fb->in_pointer + " = NULL;");
      w_.line(self + "->" + fb->in_length + " = 0;");
    }
    if (has_field_output()) {
      w_.line("bnd_fb_produced = (Py_ssize_t)bnd_fb_capacity - (Py_ssize_t)" + self + "->" +
              fb->out_length + ";");
      w_.line(self + "->" + fb->out_pointer + " = NULL;");
      w_.line(self + "->" + fb->out_length + " = 0;");
    }
  }

  void bind_arguments(CallKind kind) {
    if (kind == CallKind::One) {
      host_object_[arg_key(plan_.args[0])] = "bnd_arg";
      return;
    }
    if (kind == CallKind::NoArgs) return;
    const size_t n = plan_.args.size();
    size_t required = 0;
    std::string names;
    for (const auto& a : plan_.args) {
      if (!a.optional) ++required;
      names += (names.empty() ? "" : ", ") + c_string(py_ident(a.py_name));
    }
    const std::string count = std::to_string(n);
    w_.line("static const char *const bnd_names[] = {" + names + "};");
    w_.line("PyObject *const *bnd_argv = bnd_args;");
    w_.line("PyObject *bnd_parsed[" + count + "];");
    w_.open("if (bnd_kwnames != NULL || bnd_nargs != " + count + ") {");
    w_.line("if (bnd_parse_args(" + c_string(py_name()) + ", bnd_args, bnd_nargs, bnd_kwnames, "
            "bnd_names, " + count + ", " + std::to_string(required) + ", bnd_parsed) < 0) " +
            fail());
    w_.line("bnd_argv = bnd_parsed;");
    w_.close();
    for (size_t i = 0; i < n; ++i) {
      host_object_[arg_key(plan_.args[i])] = "bnd_argv[" + std::to_string(i) + "]";
    }
  }

  // Python → C for one scalar value held in `src`, stored into `dst` of C type `ctype`.
  void convert_scalar(ir::Scalar s, const std::string& src, const std::string& dst,
                      const std::string& ctype, const std::string& msg) {
    emit_scalar_to_c(w_, s, src, dst, ctype, msg, fail());
  }

  void convert_enum(const ir::Enum& e, const std::string& src, const std::string& dst,
                    const std::string& ctype, const std::string& msg) {
    emit_enum_to_c(w_, e, src, dst, ctype, msg, fail());
  }

  // A slice of scalars: a buffer whose items have exactly the element's size and kind is used in
  // place; a list or tuple is converted element by element (each range-checked) into a temporary.
  void convert_slice(const ir::Param& p, const std::string& src, const std::string& msg) {
    const std::string dst = local(p);
    const auto info = scalar_info(p.type.scalar);
    const char kind = !info.is_integer ? 'f' : info.is_signed ? 'i' : 'u';
    const std::string elem = info.fixed;
    w_.open("{");
    w_.line(std::string("int bnd_is_buffer = bnd_get_slice(") + src + ", &bnd_buf_" + dst +
            ", sizeof(" + elem + "), '" + kind + "', " + msg + ");");
    w_.line("if (bnd_is_buffer < 0) " + fail());
    w_.open("if (bnd_is_buffer) {");
    w_.line(dst + " = (" + local_type(p) + ")bnd_buf_" + dst + ".buf;");
    w_.line("bnd_n_" + dst + " = bnd_buf_" + dst + ".len / (Py_ssize_t)sizeof(" + elem + ");");
    w_.close();
    w_.open("else {");
    w_.line("bnd_n_" + dst + " = PyList_Check(" + src + ") ? PyList_GET_SIZE(" + src +
            ") : PyTuple_GET_SIZE(" + src + ");");
    w_.line("bnd_tmp_" + dst + " = (" + elem + " *)PyMem_Malloc(sizeof(" + elem + ") * (size_t)(bnd_n_" +
            dst + " + 1));");
    w_.line("if (bnd_tmp_" + dst + " == NULL) { PyErr_NoMemory(); " + fail() + " }");
    w_.open("for (Py_ssize_t bnd_i = 0; bnd_i < bnd_n_" + dst + "; ++bnd_i) {");
    // An element's __index__ may run Python code that shrinks the list: re-check the bound.
    w_.open("if (bnd_i >= PySequence_Fast_GET_SIZE(" + src + ")) {");
    w_.line("PyErr_Format(PyExc_RuntimeError, \"%s: the sequence changed size during the call\", " +
            msg + ");");
    w_.line(fail());
    w_.close();
    w_.line("PyObject *bnd_item = PySequence_Fast_GET_ITEM(" + src + ", bnd_i);");
    convert_scalar(p.type.scalar, "bnd_item", "bnd_tmp_" + dst + "[bnd_i]", elem, msg);
    w_.close();
    w_.line(dst + " = (" + local_type(p) + ")bnd_tmp_" + dst + ";");
    w_.close();
    w_.close();
  }

  void convert_input(const ir::Param& p, const std::string& src, const std::string& msg) {
    const std::string dst = local(p);
    const std::string ctype = local_type(p);
    switch (p.type.kind) {
      case ir::TypeKind::Scalar:
        convert_scalar(p.type.scalar, src, dst, ctype, msg);
        break;
      case ir::TypeKind::Enum:
        convert_enum(*find_enum(m_, p.type.name), src, dst, ctype, msg);
        break;
      case ir::TypeKind::Str:
        if (is_utf16(p.type)) {
          const std::string len = p.size.empty() ? "NULL" : "&bnd_len_" + dst;
          w_.line("{ const char *bnd_s; if (bnd_to_utf16(" + src + ", &bnd_u16_" + dst + ", &bnd_s, " +
                  len + ", " + (p.size.empty() ? "1" : "0") + ", " + msg + ") < 0) " + fail() + " " +
                  dst + " = (" + ctype + ")bnd_s; }");
        } else if (p.size.empty()) {
          if (captured_text(p)) {  // the receiver's object keeps the str for the library
            w_.line("if (bnd_handle_can_keep(bnd_self, " + msg + ") < 0) " + fail());
          }
          w_.line("{ const char *bnd_s; if (bnd_to_cstr(" + src + ", &bnd_s, " + msg + ") < 0) " +
                  fail() + " " + dst + " = (" + ctype + ")bnd_s; }");
        } else {
          w_.line("{ const char *bnd_s; if (bnd_to_text(" + src + ", &bnd_s, &bnd_len_" + dst +
                  ", " + msg + ") < 0) " + fail() + " " + dst + " = (" + ctype + ")bnd_s; }");
        }
        break;
      case ir::TypeKind::Bytes:
        w_.line("if (bnd_get_bytes(" + src + ", &bnd_buf_" + dst + ", " + msg + ") < 0) " +
                fail());
        w_.line(dst + " = (" + ctype + ")bnd_buf_" + dst + ".buf;");
        break;
      case ir::TypeKind::Slice:
        convert_slice(p, src, msg);
        break;
      case ir::TypeKind::Callback: {
        // Any callable; it travels as the hidden user data (see emit_callback.hpp).
        const ir::Callback& cb = *p.callback;
        if (kept_by_owner(p)) {
          w_.line("if (bnd_handle_can_keep(bnd_self, " + msg + ") < 0) " + fail());
        }
        w_.open("if (!PyCallable_Check(" + src + ")) {");
        w_.line("PyErr_Format(PyExc_TypeError, \"%s: expected a callable, got %.100s\", " + msg +
                ", Py_TYPE(" + src + ")->tp_name);");
        w_.line(fail());
        w_.close();
        w_.line(dst + " = " + trampoline_name(fn_, p) + ";");
        if (const ir::Param* ud = find_param(fn_, cb.user_data)) {
          w_.line(local(*ud) + " = (" + local_type(*ud) + ")" + src + ";");
        }
        if (const ir::Param* d = find_param(fn_, cb.destroy);
            d && cb.scope == ir::Callback::Scope::Notified) {
          w_.line(local(*d) + " = (" + local_type(*d) + ")bnd_callback_release;");
        }
        break;
      }
      case ir::TypeKind::Record: {
        const ir::Record& r = *find_record(m_, p.type.name);
        w_.line("{ " + r.c_name + " *bnd_p = " + record_arg(r.name) + "(" + src + ", " + msg +
                "); if (bnd_p == NULL) " + fail() + " " + dst + " = *bnd_p; }");
        break;
      }
      case ir::TypeKind::Handle: {
        w_.line(dst + " = (" + ctype + ")bnd_handle_arg(" + src + ", &" +
                type_object(p.type.name) + ", " + msg + ");");
        w_.line("if (" + dst + " == NULL) " + fail());
        if (p.lifetime.own == ir::Own::Consumed) {
          w_.line("if (bnd_handle_consume_check(" + src + ", " + msg + ") < 0) " + fail());
        }
        break;
      }
      case ir::TypeKind::HostValue:
        // Any object but None (absent is never a value); the object itself is the box.
        w_.open("if (" + src + " == Py_None) {");
        w_.line("PyErr_Format(PyExc_TypeError, \"%s: expected a value, got None\", " + msg + ");");
        w_.line(fail());
        w_.close();
        w_.line(dst + " = (" + ctype + ")" + src + ";");
        break;
      default:
        break;  // rejected by the plan
    }
  }

  void convert_inputs() {
    allocate_pinned();
    if (plan_.self) {
      const std::string name = local(*plan_.self);
      w_.line(name + " = (" + local_type(*plan_.self) + ")bnd_handle_ptr(bnd_self, " +
              c_string(py_name() + "()") + ");");
      w_.line("if (" + name + " == NULL) " + fail());
      host_object_[plan_.self->name] = "bnd_self";
      if (plan_.self->lifetime.own == ir::Own::Consumed) {
        w_.line("if (bnd_handle_consume_check(bnd_self, " + c_string(py_name() + "()") + ") < 0) " +
                fail());
      }
    }
    for (const auto& a : plan_.args) {
      const ir::Param& p = *a.param;
      const std::string src = host_object_[arg_key(a)];
      const std::string msg = what(py_ident(a.py_name));
      if (a.field == HostArg::Field::Input) {
        w_.line("if (bnd_get_bytes(" + src + ", &bnd_fb_in, " + msg + ") < 0) " + fail());
        continue;
      }
      if (a.field == HostArg::Field::OutputCapacity) {
        convert_scalar(ir::Scalar::U64, src, "bnd_fb_capacity", "unsigned long long", msg);
        continue;
      }
      if (a.optional) {
        if (p.nullable && p.default_value.empty()) {
          w_.open("if (" + src + " != NULL && " + src + " != Py_None) {");
        } else {
          w_.line("if (" + src + " == NULL) " + local(p) + " = (" + local_type(p) + ")(" +
                  (p.default_value.empty() ? "0" : p.default_value) + ");");
          w_.open(p.nullable ? "else if (" + src + " != Py_None) {" : "else {");
        }
        convert_input(p, src, msg);
        w_.close();
      } else if (p.nullable) {
        w_.open("if (" + src + " != Py_None) {");
        convert_input(p, src, msg);
        w_.close();
      } else if (p.role == ir::ParamRole::Output && p.type.kind == ir::TypeKind::Record) {
        convert_input(p, src, msg);  // an in/out record: the caller's value is copied in
      } else if (p.role == ir::ParamRole::Capacity || p.role == ir::ParamRole::Output) {
        // Capacities and in/out initial values are plain scalars the caller passes.
        convert_scalar(p.type.kind == ir::TypeKind::Scalar ? p.type.scalar : ir::Scalar::U64, src,
                       local(p), local_type(p), msg);
      } else {
        convert_input(p, src, msg);
      }
    }
  }

  // Lengths of inputs, fixed values, and caller-allocated output buffers.
  void compute_hidden() {
    for (const auto& p : fn_.params) {
      const std::string name = local(p);
      const std::string ctype = local_type(p);
      if (p.role == ir::ParamRole::Length) {
        const ir::Param* of = find_param(fn_, p.length_of);
        if (!of || of->role != ir::ParamRole::Input) continue;  // a count the callee writes
        const std::string o = local(*of);
        if (of->type.kind == ir::TypeKind::Str) {
          w_.line(name + " = (" + ctype + ")bnd_len_" + o + ";");
        } else if (of->type.kind == ir::TypeKind::Slice) {
          w_.line(name + " = (" + ctype + ")bnd_n_" + o + ";");
        } else {
          w_.line(name + " = (" + ctype + ")bnd_buf_" + o + ".len;");
        }
      } else if (p.role == ir::ParamRole::Fixed) {
        w_.line(name + " = (" + ctype + ")(" + p.fixed + ");");
      } else if (p.role == ir::ParamRole::Release) {
        w_.line(name + " = (" + ctype + ")bnd_host_value_release;");
      } else if (p.role == ir::ParamRole::HostTag) {
        w_.line(name + " = (" + ctype + ")" + c_string(host_tag(m_)) + ";");
      }
    }
    for (const auto& p : fn_.params) {
      if (p.role != ir::ParamRole::Buffer) continue;
      const std::string name = local(p);
      const std::string cap = p.capacity.empty() ? "0" : p.capacity;
      w_.open("if (bnd_is_negative((long long)(" + cap + "))) {");
      w_.line("PyErr_Format(PyExc_ValueError, \"%s: negative size\", " + what(name) + ");");
      w_.line(fail());
      w_.close();
      w_.line("bnd_out_" + name + " = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(" + cap +
              "));");
      w_.line("if (bnd_out_" + name + " == NULL) " + fail());
      w_.line(name + " = (" + local_type(p) + ")PyBytes_AS_STRING(bnd_out_" + name + ");");
      if (p.written.kind == ir::Written::Kind::InOut) {
        if (const ir::Param* io = find_param(fn_, p.written.value)) {
          w_.line(local(*io) + " = (" + local_type(*io) + ")(" + cap + ");");
        }
      }
    }
  }

  void check_preconditions() {
    for (const auto& p : fn_.params) {
      if (p.precondition.empty()) continue;
      w_.open("if (!(" + p.precondition + ")) {");
      w_.line("PyErr_SetString(PyExc_ValueError, " +
              c_string(py_name() + "(): precondition failed: " + p.precondition) + ");");
      w_.line(fail());
      w_.close();
    }
  }

  bool returns_something() const { return fn_.returns.kind != ir::TypeKind::Void; }

  // What the library takes over, done last: nothing may fail between it and the call (the
  // library releases it, the binding cannot). Copies of consumed input bytes in memory from the
  // library's allocator (`undo`: the statements that unmark what was marked before, when one
  // cannot be allocated), then the strong reference of each host value's box.
  void allocate_copies(const std::vector<std::string>& undo) {
    for (const auto& p : fn_.params) {
      if (!allocated_copy(p)) continue;
      const std::string name = local(p);
      const std::string buf = "bnd_buf_" + name;
      w_.line(name + " = (" + local_type(p) + ")" + p.lifetime.alloc + "((size_t)(" + buf +
              ".len > 0 ? " + buf + ".len : 1));");
      w_.open("if (" + name + " == NULL) {");
      for (const auto& line : undo) w_.line(line);
      w_.line("PyErr_NoMemory();");
      w_.line(fail());
      w_.close();
      w_.line("if (" + buf + ".len > 0) memcpy((void *)" + name + ", " + buf + ".buf, (size_t)" + buf +
              ".len);");
    }
    for (const auto& p : fn_.params) {
      if (!kept_host_value(p)) continue;
      w_.line("if (" + local(p) + " != NULL) Py_INCREF((PyObject *)" + local(p) +
              ");  /* released by the library, through bnd_host_value_release */");
    }
  }

  void call() {
    std::string args;
    for (const auto& p : fn_.params) {
      if (!args.empty()) args += ", ";
      args += (by_address(p) ? "&" : "") + local(p);
    }
    std::string call = fn_.c_name + "(" + args + ")";
    if (copies_result()) {
      // Lent until the library's next call: copied in the same statement, before anything else.
      call = "(bnd_lent = " + call + ") != NULL ? " + fn_.returns_lifetime.copy + "(bnd_lent) : NULL";
    }
    // A callable the library keeps past the call holds a reference of its own (released by the
    // destroy-notify, or never for `forever`).
    for (const auto& a : plan_.args) {
      const ir::Param& p = *a.param;
      if ((p.type.kind != ir::TypeKind::Callback || p.callback->scope == ir::Callback::Scope::Call) &&
          !captured_text(p)) {
        continue;
      }
      const std::string src = host_object_[p.name];
      if (kept_by_owner(p)) {
        w_.line("if (" + src + " != NULL && " + src + " != Py_None) bnd_keep_" + local(p) +
                " = Py_NewRef(" + src + ");");
      } else {
        w_.line("if (" + src + " != NULL && " + src + " != Py_None) Py_INCREF(" + src + ");");
      }
    }
    std::string rc_type = fn_.returns.c_type;
    if (rc_type.empty()) rc_type = "long long";
    // A call that may run Python keeps the handles it uses marked meanwhile (no callback closes
    // them under it); a GIL-free call marks them busy instead.
    const auto marks = may_run_python() ? busy_handles() : std::vector<BusyHandle>{};
    auto enter_call = [&] {
      for (const auto& b : marks) {
        const std::string enter = "bnd_handle_call_enter(" + b.object + ");";
        w_.line(b.guard.empty() ? enter : "if (" + b.guard + ") " + enter);
      }
    };
    auto leave_call = [&] {
      for (auto it = marks.rbegin(); it != marks.rend(); ++it) {
        const std::string leave = "bnd_handle_call_leave(" + it->object + ");";
        w_.line(it->guard.empty() ? leave : "if (" + it->guard + ") " + leave);
      }
    };
    if (fn_.blocking) {
      if (returns_something()) w_.line(rc_type + " bnd_rc;");
      call_without_gil(call);
    } else if (may_wait_for_library_lock()) {
      // A blocking call on another thread may hold this object's lock (a serialized SQLite
      // connection's mutex) and wait for the GIL in a callback: waiting for that lock while
      // holding the GIL would deadlock (docs/adr/python-gil-and-library-locks.md). Only then is
      // the GIL released; otherwise the call costs one load and branch more.
      if (returns_something()) w_.line(rc_type + " bnd_rc;");
      allocate_copies({});
      w_.open("if (bnd_blocking_inflight == 0) {");
      enter_call();
      w_.line((returns_something() ? "bnd_rc = " : "") + call + ";");
      read_after_call(false);
      leave_call();
      w_.close();
      w_.open("else {");
      call_without_gil(call);
      w_.close();
    } else if (!marks.empty() || has_last_steps()) {
      if (returns_something()) w_.line(rc_type + " bnd_rc;");
      allocate_copies({});
      enter_call();
      w_.line((returns_something() ? "bnd_rc = " : "") + call + ";");
      leave_call();
    } else if (returns_something()) {
      w_.line(rc_type + " bnd_rc = " + call + ";");
    } else {
      w_.line(call + ";");
    }
    read_field_buffers();
    empty_consumed();
    // A setter that succeeded replaced what the library calls: the receiver's slot follows it
    // (the old callable is released, None leaves the slot empty). A failed one changed nothing.
    for (const auto& a : plan_.args) {
      if (!kept_by_owner(*a.param)) continue;
      const std::string keep = "bnd_keep_" + local(*a.param);
      const std::string err = error_condition();
      w_.open(err.empty() ? "{" : "if (!(" + err + ")) {");
      w_.line("bnd_handle_keep(bnd_self, " + std::to_string(owner_slot(m_, fn_, *a.param)) + ", " +
              keep + ");");
      w_.line(keep + " = NULL;");
      w_.close();
    }
    // A call-scope callback refused on a thread the library started is an error of this call.
    if (has_callback_on_callers_gil()) w_.line("bnd_check_refused_callback();");
    // An exception raised inside a callback during the call propagates now that C has returned.
    if (may_run_python()) {
      // What the call handed over is released first: the exception replaces the results.
      if (!has_owned_results()) {
        w_.line("if (PyErr_Occurred()) " + fail());
      } else {
        w_.open("if (PyErr_Occurred()) {");
        discard_owned_results();
        w_.line(fail());
        w_.close();
      }
    }
  }

  // The callee owns consumed handles now: the host objects are emptied — whatever it returned,
  // or only when it succeeded (`consumed_on_success`: on failure the object stays open). Done
  // first: an exception a callback raised during the call does not give the handle back.
  void empty_consumed() {
    for (const auto& p : fn_.params) {
      if ((p.role != ir::ParamRole::Input && p.role != ir::ParamRole::Self) ||
          p.type.kind != ir::TypeKind::Handle || p.lifetime.own != ir::Own::Consumed ||
          !host_object_.count(p.name)) {
        continue;
      }
      const std::string src = host_object_[p.name];
      std::string stmt = "bnd_handle_consumed(" + src + ");";
      if (p.nullable) stmt = "if (" + src + " != NULL && " + src + " != Py_None) " + stmt;
      const std::string err = error_condition();
      if (p.lifetime.consumed_on_success && !err.empty()) {
        stmt = "if (!(" + (error_read_in_call() ? std::string("bnd_failed") : err) + ")) " + stmt;
      }
      w_.line(stmt);
    }
  }

  // A callback whose trampoline refuses a thread the library started (emit_callback.cpp).
  bool has_callback_on_callers_gil() const {
    return std::any_of(fn_.params.begin(), fn_.params.end(), [&](const ir::Param& p) {
      return p.type.kind == ir::TypeKind::Callback && runs_on_callers_gil(fn_, *p.callback);
    });
  }

  // Whether the C call may run Python code: a callback argument, or any call of a library that
  // keeps callbacks (a hook may run inside any of them).
  bool may_run_python() const {
    bool calls_back = has_stored_callbacks(m_);
    for (const auto& p : fn_.params) calls_back = calls_back || p.type.kind == ir::TypeKind::Callback;
    return calls_back;
  }

  // The C call with the GIL released: the handles it uses marked busy, and counted in
  // bnd_blocking_inflight (another thread may wait for the GIL inside it).
  void call_without_gil(const std::string& call) {
    const auto busy = busy_handles();
    mark_busy(busy);
    if (fn_.blocking) {  // (a call that only may wait allocated its copies before its branches)
      std::vector<std::string> undo;
      for (auto it = busy.rbegin(); it != busy.rend(); ++it) undo.push_back(it->leave + ";");
      allocate_copies(undo);
    }
    w_.line("bnd_blocking_inflight++;");
    w_.line("Py_BEGIN_ALLOW_THREADS");
    w_.line((returns_something() ? "bnd_rc = " : "") + call + ";");
    read_after_call(true);
    w_.line("Py_END_ALLOW_THREADS");
    w_.line("bnd_blocking_inflight--;");
    for (auto it = busy.rbegin(); it != busy.rend(); ++it) w_.line(it->leave + ";");
  }

  // Whether the call may wait for a lock a blocking call holds: it uses an object of a
  // `serialized` class, or one whose parent chain has one (a statement takes its connection's
  // mutex). A call-scoped callback runs Python on the caller's GIL, so such a call keeps it.
  bool may_wait_for_library_lock() const {
    bool uses = false;
    for (const auto& p : fn_.params) {
      if (p.type.kind == ir::TypeKind::Callback &&
          p.callback->scope == ir::Callback::Scope::Call) {
        return false;
      }
      if ((p.role == ir::ParamRole::Self || p.role == ir::ParamRole::Input) &&
          p.type.kind == ir::TypeKind::Handle && under_library_lock(m_, p.type.name)) {
        uses = true;
      }
    }
    return uses;
  }

  // A handle a blocking call uses while the GIL is released: marked busy around the C call
  // (docs/adr/python-busy-handles.md), so no other thread closes it (or, when `affine`, calls it).
  struct BusyHandle {
    std::string object;  // its PyObject* expression
    std::string guard;   // "" or the condition under which it is marked (present, not repeated)
    std::string enter;   // the bnd_handle_busy_enter(...) call
    std::string leave;   // the statement that unmarks it
  };

  std::vector<BusyHandle> busy_handles() {
    std::vector<BusyHandle> out;
    auto add = [&](const ir::Param& p, const std::string& object) {
      const ir::Handle* h = find_handle(m_, p.type.name);
      if (!h || object.empty()) return;
      const std::string affine = h->thread == "free" || h->thread == "serialized" ? "0" : "1";
      const std::string ptr = "(void *)" + local(p);
      std::vector<std::string> conditions;
      if (p.nullable) conditions.push_back(local(p) + " != NULL");
      // The same object twice (both arguments one stream) is one use: marked once.
      for (const auto& prior : out) conditions.push_back(object + " != " + prior.object);
      std::string guard;
      for (const auto& c : conditions) guard += (guard.empty() ? "" : " && ") + c;
      BusyHandle b{object, guard,
                   "bnd_handle_busy_enter(" + object + ", " + ptr + ", " + affine + ", " +
                       c_string(py_name() + "()") + ")",
                   "bnd_handle_busy_leave(" + object + ", " + ptr + ", " + affine + ")"};
      if (!guard.empty()) b.leave = "if (" + guard + ") " + b.leave;
      out.push_back(b);
    };
    if (plan_.self && host_object_.count(plan_.self->name)) {
      add(*plan_.self, host_object_[plan_.self->name]);
    }
    for (const auto& a : plan_.args) {
      const ir::Param& p = *a.param;
      if (a.field != HostArg::Field::None || p.role != ir::ParamRole::Input ||
          p.type.kind != ir::TypeKind::Handle) {
        continue;
      }
      add(p, host_object_[arg_key(a)]);
    }
    return out;
  }

  // Marks each busy in turn; a failure unmarks the ones before it and leaves the wrapper.
  void mark_busy(const std::vector<BusyHandle>& busy) {
    for (std::size_t i = 0; i < busy.size(); ++i) {
      const BusyHandle& b = busy[i];
      std::string cond = b.enter + " < 0";
      if (!b.guard.empty()) cond = b.guard + " && " + cond;
      if (i == 0) {
        w_.line("if (" + cond + ") " + fail());
        continue;
      }
      w_.open("if (" + cond + ") {");
      for (std::size_t j = i; j-- > 0;) w_.line(busy[j].leave + ";");
      w_.line(fail());
      w_.close();
    }
  }

  // What the C call gave the caller (owned handles, owned text or buffers): the value's C
  // expression and the statement that frees it, for when the wrapper raises instead of returning it.
  struct OwnedResult {
    std::string value;
    const ir::Handle* handle = nullptr;  // freed by its destroy, else by `free`
    std::string free;
  };

  std::vector<OwnedResult> owned_results() const {
    std::vector<OwnedResult> out;
    auto add = [&](const ir::Type& t, const ir::Lifetime& lt, const std::string& value) {
      if (lt.own != ir::Own::Owned) return;
      if (t.kind == ir::TypeKind::Handle) {
        const ir::Handle* h = find_handle(m_, t.name);
        if (h && !h->destroy.empty() && !h->pinned) out.push_back({value, h, ""});
      } else if (!lt.free.empty()) {
        out.push_back({value, nullptr, lt.free});
      }
    };
    if (returns_something() && fn_.result.kind != ir::ResultKind::Status &&
        fn_.result.kind != ir::ResultKind::Count) {
      add(fn_.returns, fn_.returns_lifetime, "bnd_rc");
    }
    for (const auto& p : fn_.params) {
      if (p.role == ir::ParamRole::Output) add(p.type, p.lifetime, local(p));
    }
    return out;
  }
  bool has_owned_results() const { return !owned_results().empty(); }

  void discard_owned_results() {
    for (const auto& r : owned_results()) {
      if (r.handle) {
        emit_destroy(*r.handle, r.value, r.value + " != NULL");
      } else {
        w_.line("if (" + r.value + " != NULL) " + r.free + "((void *)" + r.value + ");");
      }
    }
  }

  // `if (condition) destroy(value);` — for a handle the library guards with its own lock (a
  // statement's destroy takes its connection's mutex), waiting for that lock without the GIL while
  // another thread's GIL-free call may hold it (docs/adr/python-gil-and-library-locks.md).
  void emit_destroy(const ir::Handle& h, const std::string& value, const std::string& condition) {
    const std::string call = h.destroy + "(" + value + ");";
    if (!under_library_lock(m_, h.name)) {
      w_.line("if (" + condition + ") " + call);
      return;
    }
    w_.open("if (" + condition + ") {");
    emit_waiting_without_gil(w_, {call});
    w_.close();
  }

  std::string self_expr() const {
    if (!fn_.result.errors_from.empty()) return fn_.result.errors_from;
    if (const ir::Param* s = pinned_storage()) return local(*s);  // the struct being initialised
    return plan_.self ? local(*plan_.self) : "NULL";
  }

  // The C expressions that read a failure: errno, the code reported, the message.
  struct ErrorReads {
    std::string err, code, msg;
  };

  ErrorReads error_reads(const ir::ErrorConvention* conv) const {
    auto expand = [&](std::string e) {
      e = replace_all(std::move(e), "${self}", self_expr());
      e = replace_all(std::move(e), "${rc}", "bnd_rc");
      // The expressions speak of the C parameters; an out-parameter's local is the value it
      // points to, so `*ppDb` (an errors_from on a constructor) reads the local itself.
      for (const auto& p : fn_.params) {
        if (p.role == ir::ParamRole::Output) e = replace_all(std::move(e), "*" + p.name, local(p));
      }
      return e;
    };
    const bool pointer = fn_.result.kind == ir::ResultKind::NullError;
    const bool has_errno = conv && !conv->errno_expr.empty();
    ErrorReads r;
    r.err = has_errno ? "(int)(" + expand(conv->errno_expr) + ")" : "0";
    const std::string code = conv && !conv->code.empty() ? expand(conv->code)
                             : pointer                    ? "bnd_err"
                                                          : "bnd_rc";
    r.code = "(long long)(" + code + ")";
    r.msg = conv && !conv->message.empty() ? "(const char *)(" + expand(conv->message) + ")" : "NULL";
    return r;
  }

  void raise_error(const ir::ErrorConvention* conv) {
    const bool has_errno = conv && !conv->errno_expr.empty();
    if (!error_read_in_call()) {
      // errno first: reading the message may call into the library and clobber it.
      const ErrorReads reads = error_reads(conv);
      w_.line("int bnd_err = " + reads.err + ";");
      w_.line("long long bnd_code = " + reads.code + ";");
      w_.line("const char *bnd_msg = " + reads.msg + ";");
    }
    const std::string exc = host_exception(m_, conv);
    if (exc.empty()) {
      // OSError(errno, strerror) picks the subclass itself (FileNotFoundError for ENOENT, …).
      w_.line("(void)bnd_code;");
      w_.line("(void)bnd_msg;");
      w_.line("bnd_raise_errno(bnd_err, " + c_string(py_name()) + ");");
    } else {
      // Codes with a builtin meaning raise the subclass that is also ValueError, IndexError, …
      std::string type = exception_object(exc);
      for (auto it = conv->kinds.rbegin(); conv && it != conv->kinds.rend(); ++it) {
        type = "bnd_code == (long long)(" + it->code + ") ? " +
               exception_object(kind_error(m_, exc, it->kind).name) + " : " + type;
      }
      w_.line("bnd_raise(" + type + ", " + c_string(py_name()) +
              ", bnd_code, bnd_msg, " + (has_errno ? "1" : "0") + ", bnd_err);");
    }
    // An owned out handle set even on failure (`valid_on_error`: sqlite3_open_v2's *ppDb) is the
    // caller's to destroy — after the message, which may be read from it, was used.
    for (const auto& p : fn_.params) {
      if (p.role != ir::ParamRole::Output || !p.valid_on_error || p.type.kind != ir::TypeKind::Handle ||
          p.lifetime.own != ir::Own::Owned) {
        continue;
      }
      const ir::Handle* h = find_handle(m_, p.type.name);
      if (h && !h->destroy.empty() && !h->pinned) emit_destroy(*h, local(p), local(p) + " != NULL");
    }
    w_.line(fail());
  }

  std::string any_of(const std::vector<std::string>& values) const {
    std::string cond;
    for (const auto& v : values) cond += (cond.empty() ? "" : " || ") + ("bnd_rc == " + v);
    return cond;
  }

  // The C condition under which the result convention reports a failure ("" when it cannot).
  std::string error_condition() const {
    const auto& r = fn_.result;
    const ir::ErrorConvention* conv = find_convention(m_, r.convention);
    if (r.kind != ir::ResultKind::Status && r.kind != ir::ResultKind::Count &&
        r.kind != ir::ResultKind::NullError) {
      return {};
    }
    std::string error;
    if (r.kind == ir::ResultKind::NullError) {
      error = "bnd_rc == NULL";
    } else if (r.kind == ir::ResultKind::Count) {
      error = "bnd_rc < 0";
    } else {
      std::vector<std::string> ok;
      if (conv) {
        ok = conv->ok;
        ok.insert(ok.end(), conv->soft.begin(), conv->soft.end());
      }
      ok.insert(ok.end(), r.also_ok.begin(), r.also_ok.end());
      if (!ok.empty()) error = "!(" + any_of(ok) + ")";
      else if (conv && conv->negative_is_error) error = "bnd_rc < 0";
      else error = "bnd_rc != 0";
    }
    return error;
  }

  void check_result() {
    const auto& r = fn_.result;
    const ir::ErrorConvention* conv = find_convention(m_, r.convention);
    const std::string error = error_condition();
    if (error.empty()) return;
    std::vector<std::string> eof = r.eof;
    if (conv) eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
    if (!eof.empty()) {
      w_.open("if (" + any_of(eof) + ") {");
      w_.line("bnd_result = Py_NewRef(Py_None);");
      w_.line(fail());
      w_.close();
    }
    w_.open("if (" + (error_read_in_call() ? std::string("bnd_failed") : error) + ") {");
    raise_error(conv);
    w_.close();
  }

  // The library lent a handle and its copy function returned NULL: it ran out of memory.
  void check_copy() {
    if (!copies_result()) return;
    w_.line("if (bnd_rc == NULL && bnd_lent != NULL) { PyErr_NoMemory(); " + fail() + " }");
  }

  // The PyObject* expression for the object a borrowed result comes from.
  std::string owner_object(const std::string& from) {
    auto it = host_object_.find(from);
    return it == host_object_.end() ? "" : it->second;
  }

  // An owned handle whose class has a parent keeps the parent object alive.
  std::string parent_object(const ir::Handle& h) {
    if (h.parent.empty()) return "NULL";
    for (const auto& p : fn_.params) {
      if ((p.role == ir::ParamRole::Self || p.role == ir::ParamRole::Input) &&
          p.type.kind == ir::TypeKind::Handle && p.type.name == h.parent) {
        auto o = owner_object(p.name);
        if (!o.empty()) return o;
      }
    }
    return "NULL";
  }

  std::string length_expr(const ir::Length& len, const std::string& value) {
    switch (len.kind) {
      case ir::Length::Kind::Expr:
      case ir::Length::Kind::Call:
        return "(Py_ssize_t)(" + len.value + ")";
      case ir::Length::Kind::OutParam:
        return "(Py_ssize_t)" + c_ident(len.value);
      case ir::Length::Kind::Nul:
      case ir::Length::Kind::None:
        return "(Py_ssize_t)strlen((const char *)" + value + ")";
    }
    return "0";
  }

  bool is_view(const ir::Lifetime& lt) {
    return lt.own == ir::Own::Borrowed && lt.until == ir::Until::Owner &&
           !owner_object(lt.from).empty();
  }

  // C → Python for `value` (of IR type `t`, lifetime `lt`, length `len`) into `dst`.
  void convert_output(const ir::Type& t, const ir::Lifetime& lt, const ir::Length& len,
                      const std::string& value, const std::string& dst) {
    if (t.kind == ir::TypeKind::HostValue) {
      // A box this binding made (the tag, or the library's contract, says so); NULL is absent.
      w_.line(dst + " = bnd_host_value_get((void *)" + value + ");");
      return;
    }
    const bool pointer = t.kind == ir::TypeKind::Str || t.kind == ir::TypeKind::Bytes ||
                         t.kind == ir::TypeKind::Handle || t.kind == ir::TypeKind::Slice;
    bool opened = false;
    if (pointer && lt.null != ir::NullMeaning::Error) {
      w_.open("if (" + value + " == NULL) {");
      switch (lt.null) {
        case ir::NullMeaning::Absent:
          w_.line(dst + " = Py_NewRef(Py_None);");
          break;
        case ir::NullMeaning::Empty:
          if (t.kind == ir::TypeKind::Str) {
            w_.line(dst + " = PyUnicode_FromStringAndSize(NULL, 0);");
          } else if (is_view(lt)) {
            w_.line(dst + " = bnd_view_new(" + owner_object(lt.from) + ", \"\", 0);");
          } else {
            w_.line(dst + " = PyBytes_FromStringAndSize(NULL, 0);");
          }
          break;
        default:
          w_.line(dst + " = bnd_unexpected_null(" + c_string(fn_.c_name) + ");");
          break;
      }
      w_.close();
      w_.open("else {");
      opened = true;
    }
    switch (t.kind) {
      case ir::TypeKind::Scalar:
        w_.line(dst + " = " + scalar_to_py(t.scalar, value) + ";");
        break;
      case ir::TypeKind::Record:
        w_.line(dst + " = " + record_new(t.name) + "(&" + value + ");");
        break;
      case ir::TypeKind::Enum:
        w_.line(dst + " = bnd_enum_from(" + enum_object(t.name) + ", (long long)" + value + ");");
        break;
      case ir::TypeKind::Str:
        if (is_utf16(t)) {
          const bool nul = len.kind == ir::Length::Kind::None || len.kind == ir::Length::Kind::Nul;
          w_.line(dst + " = bnd_from_utf16((const void *)" + value + ", " +
                  (nul ? std::string("-1") : length_expr(len, value)) + ");");
        } else if (len.kind == ir::Length::Kind::None || len.kind == ir::Length::Kind::Nul) {
          w_.line(dst + " = bnd_from_cstr((const char *)" + value + ");");
        } else {
          w_.line(dst + " = bnd_from_text((const char *)" + value + ", " + length_expr(len, value) +
                  ");");
        }
        break;
      case ir::TypeKind::Slice: {
        // Scalars: a typed memoryview pinning the owner when the borrow lasts as long as it,
        // else a list of copies (a borrow until the next call cannot outlive the wrapper).
        const std::string n = length_expr(len, value);
        const std::string elem = scalar_info(t.scalar).fixed;
        // Bytes-sized elements are bytes to every host (a copy, unless a view of the owner).
        const bool octets = t.scalar == ir::Scalar::U8 || t.scalar == ir::Scalar::I8;
        if (octets && !is_view(lt) && lt.own != ir::Own::Static) {
          w_.line(dst + " = PyBytes_FromStringAndSize((const char *)" + value + ", " + n + ");");
          break;
        }
        if (is_view(lt) || lt.own == ir::Own::Static) {
          const std::string owner = is_view(lt) ? owner_object(lt.from) : "NULL";
          w_.line(dst + " = bnd_view_new_typed(" + owner + ", " + value + ", " + n + ", sizeof(" +
                  elem + "), \"" + struct_format(t.scalar) + "\");");
          break;
        }
        w_.open("{");
        w_.line("Py_ssize_t bnd_n = " + n + ";");
        w_.line("PyObject *bnd_list = PyList_New(bnd_n);");
        w_.open("for (Py_ssize_t bnd_i = 0; bnd_list != NULL && bnd_i < bnd_n; ++bnd_i) {");
        w_.line("PyObject *bnd_item = " +
                scalar_to_py(t.scalar, "((const " + elem + " *)" + value + ")[bnd_i]") + ";");
        w_.line("if (bnd_item == NULL) Py_CLEAR(bnd_list);");
        w_.line("else PyList_SET_ITEM(bnd_list, bnd_i, bnd_item);");
        w_.close();
        w_.line(dst + " = bnd_list;");
        w_.close();
        break;
      }
      case ir::TypeKind::Bytes: {
        const std::string n = length_expr(len, value);
        const std::string owner = owner_object(lt.from);
        if (is_view(lt)) {
          // Zero copy: a memoryview that keeps the owner open while it lives.
          w_.line(dst + " = bnd_view_new(" + owner + ", " + value + ", " + n + ");");
        } else if (lt.own == ir::Own::Static) {
          w_.line(dst + " = PyMemoryView_FromMemory((char *)" + value + ", " + n +
                  ", PyBUF_READ);");
        } else {
          w_.line(dst + " = PyBytes_FromStringAndSize((const char *)" + value + ", " + n + ");");
        }
        break;
      }
      case ir::TypeKind::Handle: {
        const ir::Handle* h = find_handle(m_, t.name);
        if (lt.own == ir::Own::Owned) {
          w_.line(dst + " = bnd_handle_new(&" + type_object(t.name) + ", (void *)" + value +
                  ", 1, " + parent_object(*h) + ");");
          // Never leak the C object, even when the Python one cannot be allocated.
          emit_destroy(*h, value, dst + " == NULL");
        } else {
          std::string owner = owner_object(lt.from);
          if (owner.empty()) owner = "NULL";
          w_.line(dst + " = bnd_handle_new(&" + type_object(t.name) + ", (void *)" + value +
                  ", 0, " + owner + ");");
        }
        break;
      }
      default:
        w_.line(dst + " = Py_NewRef(Py_None);");
        break;
    }
    if (opened) w_.close();
    // Owned text and bytes were copied: free the C memory whatever the conversion did.
    if (lt.own == ir::Own::Owned && !lt.free.empty() && t.kind != ir::TypeKind::Handle) {
      w_.line("if (" + value + " != NULL) " + lt.free + "((void *)" + value + ");");
    }
  }

  std::string written_expr(const ir::Param& p) {
    if (written_read_in_call(p)) return "bnd_written_" + local(p);  // read in the call
    switch (p.written.kind) {
      case ir::Written::Kind::All: return "PyBytes_GET_SIZE(bnd_out_" + local(p) + ")";
      case ir::Written::Kind::Return: return "(Py_ssize_t)bnd_rc";
      case ir::Written::Kind::OutParam:
      case ir::Written::Kind::InOut: return "(Py_ssize_t)" + c_ident(p.written.value);
      case ir::Written::Kind::Expr: return "(Py_ssize_t)(" + p.written.value + ")";
    }
    return "0";
  }

  void convert_buffer(const ir::Param& p, const std::string& dst) {
    const std::string buf = "bnd_out_" + local(p);
    w_.open("{");
    w_.line("Py_ssize_t bnd_n = " + written_expr(p) + ";");
    w_.line("if (bnd_n < 0 || bnd_n > PyBytes_GET_SIZE(" + buf + ")) bnd_n = PyBytes_GET_SIZE(" +
            buf + ");");
    if (p.type.kind == ir::TypeKind::Str) {
      // Text written into a buffer ends at its NUL, if the library wrote one.
      w_.line(dst + " = bnd_from_text(PyBytes_AS_STRING(" + buf + "), (Py_ssize_t)strnlen(" +
              "PyBytes_AS_STRING(" + buf + "), (size_t)bnd_n));");
    } else {
      w_.open("if (bnd_n != PyBytes_GET_SIZE(" + buf + ") && _PyBytes_Resize(&" + buf +
              ", bnd_n) < 0) {");
      w_.line(dst + " = NULL;");
      w_.close();
      w_.line("else { " + dst + " = " + buf + "; " + buf + " = NULL; }");
    }
    w_.close();
  }

  void build_one(const HostResult& r, const std::string& dst) {
    const auto& res = fn_.result;
    switch (r.kind) {
      case HostResult::Kind::Status: {
        // Plain success is None; a soft or extra success code is returned as its int.
        const ir::ErrorConvention* conv = find_convention(m_, res.convention);
        std::vector<std::string> ok = conv ? conv->ok : std::vector<std::string>{};
        const std::string cond = ok.empty() ? "bnd_rc == 0" : any_of(ok);
        w_.line(dst + " = (" + cond + ") ? Py_NewRef(Py_None) : PyLong_FromLongLong((long long)bnd_rc);");
        return;
      }
      case HostResult::Kind::Return:
        if (res.kind == ir::ResultKind::Bool) {
          w_.line(dst + " = PyBool_FromLong(bnd_rc != 0);");
        } else if (res.kind == ir::ResultKind::BoolOk) {
          w_.line(dst + " = PyBool_FromLong(bnd_rc == 0);");
        } else if (res.kind == ir::ResultKind::Count) {
          w_.line(dst + " = PyLong_FromLongLong((long long)bnd_rc);");
        } else {
          ir::Length len = fn_.returns_length;
          if (ret_len_read_in_call()) len = {ir::Length::Kind::Expr, "bnd_ret_len"};  // read in the call
          convert_output(fn_.returns, fn_.returns_lifetime, len, "bnd_rc", dst);
        }
        return;
      case HostResult::Kind::Consumed:
        w_.line(dst + " = PyLong_FromSsize_t(bnd_fb_consumed);");
        return;
      case HostResult::Kind::Produced:
        w_.open("if (bnd_fb_produced < 0 || bnd_fb_produced > PyBytes_GET_SIZE(bnd_fb_out)) {");
        w_.line("bnd_fb_produced = PyBytes_GET_SIZE(bnd_fb_out);  /* a library bug: never beyond */");
        w_.close();
        w_.open("if (bnd_fb_produced != PyBytes_GET_SIZE(bnd_fb_out) && "
                "_PyBytes_Resize(&bnd_fb_out, bnd_fb_produced) < 0) {");
        w_.line(dst + " = NULL;");
        w_.close();
        w_.line("else { " + dst + " = bnd_fb_out; bnd_fb_out = NULL; }");
        return;
      case HostResult::Kind::Output: {
        const ir::Param& p = *r.param;
        if (p.role == ir::ParamRole::Buffer) {
          convert_buffer(p, dst);
        } else {
          ir::Length len;
          if (!p.size.empty()) {
            // Output lengths: a hidden Length param the callee wrote through its address holds
            // the element count (bytes for text); the value is exactly that long.
            len.kind = ir::Length::Kind::OutParam;
            len.value = p.size;
          } else if (p.type.kind == ir::TypeKind::Str || p.type.kind == ir::TypeKind::Bytes) {
            len.kind = ir::Length::Kind::Nul;  // NUL-terminated text
          }
          convert_output(p.type, p.lifetime, len, local(p), dst);
        }
        return;
      }
    }
  }

  void build_result() {
    const auto& results = plan_.results;
    if (const ir::Param* s = pinned_storage()) {
      // The initialised struct becomes the new object, which frees it after its destroy.
      const ir::Handle& h = *find_handle(m_, s->type.name);
      const std::string name = local(*s);
      w_.line("bnd_result = bnd_handle_new(&" + type_object(h.name) + ", (void *)" + name +
              ", 1, NULL);");
      w_.line("if (bnd_result == NULL) " + h.destroy + "(" + name + ");");
      w_.line("else " + name + " = NULL;");
      return;
    }
    if (results.empty()) {
      w_.line("bnd_result = Py_NewRef(Py_None);");
      return;
    }
    if (results.size() == 1) {
      build_one(results[0], "bnd_result");
      return;
    }
    const std::string n = std::to_string(results.size());
    w_.open("{");
    w_.line("PyObject *bnd_items[" + n + "] = {NULL};");
    for (size_t i = 0; i < results.size(); ++i) {
      build_one(results[i], "bnd_items[" + std::to_string(i) + "]");
    }
    w_.line("int bnd_ok = 1;");
    w_.line("for (int i = 0; i < " + n + "; ++i) bnd_ok = bnd_ok && bnd_items[i] != NULL;");
    w_.line("if (bnd_ok) bnd_result = PyTuple_Pack(" + n + (std::string(", bnd_items[0]")) +
            [&] {
              std::string s;
              for (size_t i = 1; i < results.size(); ++i) s += ", bnd_items[" + std::to_string(i) + "]";
              return s;
            }() + ");");
    w_.line("for (int i = 0; i < " + n + "; ++i) Py_XDECREF(bnd_items[i]);");
    w_.close();
  }

  void cleanup() {
    if (error_read_in_call()) w_.line("PyMem_RawFree(bnd_msg_copy);");
    if (const ir::Param* s = pinned_storage()) w_.line("PyMem_Free(" + local(*s) + ");");
    if (has_field_input()) w_.line("bnd_release_bytes(&bnd_fb_in);");
    if (has_field_output()) w_.line("Py_XDECREF(bnd_fb_out);");
    for (const auto& p : fn_.params) {
      const std::string name = local(p);
      if (p.role == ir::ParamRole::Input &&
          (p.type.kind == ir::TypeKind::Bytes || p.type.kind == ir::TypeKind::Slice)) {
        w_.line("bnd_release_bytes(&bnd_buf_" + name + ");");
        if (p.type.kind == ir::TypeKind::Slice) w_.line("PyMem_Free(bnd_tmp_" + name + ");");
      } else if (p.role == ir::ParamRole::Buffer) {
        w_.line("Py_XDECREF(bnd_out_" + name + ");");
      } else if (p.role == ir::ParamRole::Input && is_utf16(p.type)) {
        w_.line("Py_XDECREF(bnd_u16_" + name + ");");
      } else if (kept_by_owner(p)) {
        w_.line("Py_XDECREF(bnd_keep_" + name + ");  /* set only if not kept (the setter failed) */");
      }
    }
  }
};

}  // namespace

void emit_function(CodeWriter& w, const ir::Module& module, const FunctionPlan& plan) {
  FunctionEmitter(w, module, plan).emit();
}

}  // namespace bindery::backends::python
