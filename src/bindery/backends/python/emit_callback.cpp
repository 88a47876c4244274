#include "bindery/backends/python/emit_callback.hpp"

#include <cctype>

#include "bindery/backends/python/emit_convert.hpp"
#include "bindery/backends/python/emit_function.hpp"
#include "bindery/backends/python/emit_record.hpp"
#include "bindery/backends/python/values.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::python {

namespace {

bool is_user_data(const ir::Param& p) { return p.role == ir::ParamRole::UserData; }

// The length of a buffer argument: the trampoline reads it, the Python callable never sees it.
bool is_hidden_length(const ir::Param& p) {
  return p.role == ir::ParamRole::Length && !p.length_of.empty();
}

// An array of handles the library lends for the callback (SQLite's `sqlite3_value **argv`).
bool is_handle_array(const ir::Param& p) {
  return p.type.kind == ir::TypeKind::Slice && !p.type.name.empty();
}

// An array of NUL-terminated UTF-8 strings the library lends (`const char *const *argv`).
bool is_string_array(const ir::Param& p) {
  return p.type.kind == ir::TypeKind::Slice && p.type.name.empty() && p.type.scalar == ir::Scalar::Char &&
         (p.type.encoding.empty() || p.type.encoding == "utf8");
}

const ir::Param* param_named(const std::vector<ir::Param>& params, const std::string& name) {
  for (const auto& a : params) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string py_type(const ir::Type& t) {
  switch (t.kind) {
    case ir::TypeKind::Scalar: return scalar_info(t.scalar).py_type;
    case ir::TypeKind::Str: return "str";
    case ir::TypeKind::Enum:
    case ir::TypeKind::Record:
    case ir::TypeKind::Handle: return t.name;
    case ir::TypeKind::Bytes: return "bytes";
    case ir::TypeKind::Slice:
      if (!t.name.empty()) return "list[" + t.name + "]";
      if (t.scalar == ir::Scalar::Char) return "list[str]";
      return std::string("list[") + scalar_info(t.scalar).py_type + "]";
    default: return "object";
  }
}

}  // namespace

bool is_scalar_array(const ir::Param& p) {
  return p.type.kind == ir::TypeKind::Slice && p.type.name.empty() && p.type.scalar != ir::Scalar::Char;
}

std::string unsupported_lent_argument(const ir::Module& m, const std::vector<ir::Param>& params,
                                      const ir::Param& a) {
  switch (a.type.kind) {
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Str:
      break;
    case ir::TypeKind::Bytes:
      if (a.size.empty()) return "callback argument '" + a.name + "': bytes without a length";
      break;
    case ir::TypeKind::Handle:
      if (!find_handle(m, a.type.name)) return "callback argument of unknown handle " + a.type.name;
      break;
    case ir::TypeKind::Enum:
      if (!find_enum(m, a.type.name)) return "callback argument of unknown enum " + a.type.name;
      break;
    case ir::TypeKind::Slice:
      if (!is_handle_array(a) && !is_string_array(a) && !is_scalar_array(a)) {
        return "callback argument '" + a.name + "': only arrays of handles, of UTF-8 strings or of "
               "numbers are passed to python callbacks";
      }
      if (is_handle_array(a) && !find_handle(m, a.type.name)) {
        return "callback argument of unknown handle " + a.type.name;
      }
      if (a.size.empty() || !param_named(params, a.size)) {
        return "callback argument '" + a.name + "': an array without its length";
      }
      break;
    case ir::TypeKind::Record:
      if (!find_record(m, a.type.name) || !unsupported_record(m, *find_record(m, a.type.name)).empty()) {
        return "callback argument of unsupported record " + a.type.name;
      }
      break;
    default:
      return "callback argument '" + a.name + "': only scalars, enums, records, handles, "
             "arrays of handles, strings or numbers, text and bytes are passed to python callbacks";
  }
  return {};
}

std::string unsupported_callback(const ir::Module& m, const ir::Param& p) {
  if (!p.callback) return "a callback without its signature";
  const ir::Callback& cb = *p.callback;
  if (cb.user_data.empty()) return "a callback without user data cannot carry a Python callable";
  bool passed_user_data = false;
  for (const auto& a : cb.params) passed_user_data = passed_user_data || is_user_data(a);
  if (!passed_user_data && cb.user_data_from.empty()) {
    return "a callback that is not passed its user data and has no user_data_from";
  }
  if (cb.scope == ir::Callback::Scope::Notified && cb.destroy.empty()) {
    return "a notified callback without its destroy-notify parameter";
  }
  for (const auto& a : cb.params) {
    if (is_user_data(a) || is_hidden_length(a)) continue;
    if (auto why = unsupported_lent_argument(m, cb.params, a); !why.empty()) return why;
  }
  const ir::Type ret = cb.ret ? cb.ret->type : ir::Type{};
  if (ret.kind != ir::TypeKind::Void && ret.kind != ir::TypeKind::Scalar &&
      !(ret.kind == ir::TypeKind::Enum && find_enum(m, ret.name))) {
    return "a python callback returns only scalars and enums to C";
  }
  return {};
}

std::string trampoline_name(const ir::Function& fn, const ir::Param& p) {
  return "bnd_cb_" + c_ident(fn.c_name) + "_" + c_ident(p.name);
}

bool captured_text(const ir::Param& p) {
  return p.role == ir::ParamRole::Input && p.type.kind == ir::TypeKind::Str &&
         (p.type.encoding.empty() || p.type.encoding == "utf8") &&
         p.lifetime.own == ir::Own::Captured;
}

bool kept_by_owner(const ir::Param& p) {
  return (p.callback && p.callback->scope == ir::Callback::Scope::Owner) || captured_text(p);
}

int owner_slot(const ir::Module& m, const ir::Function& fn, const ir::Param& p) {
  int slot = 0;
  for (const auto& f : m.functions) {
    if (f.class_name != fn.class_name) continue;
    for (const auto& q : f.params) {
      if (&f == &fn && &q == &p) return slot;
      if (kept_by_owner(q)) ++slot;
    }
  }
  return -1;
}

int owner_slots(const ir::Module& m, const std::string& class_name) {
  int slots = 0;
  for (const auto& f : m.functions) {
    if (f.class_name != class_name) continue;
    for (const auto& q : f.params) slots += kept_by_owner(q) ? 1 : 0;
  }
  return slots;
}

bool has_stored_callbacks(const ir::Module& m) {
  // A host object implementing an interface is called inside any call of the library (SQLite runs
  // a virtual table's methods inside step()).
  if (!m.interfaces.empty()) return true;
  for (const auto& f : m.functions) {
    for (const auto& p : f.params) {
      if (p.callback && p.callback->scope != ir::Callback::Scope::Call) return true;
    }
  }
  return false;
}

std::string callback_stub_type(const ir::Callback& cb) {
  std::string args;
  for (const auto& a : cb.params) {
    if (is_user_data(a) || is_hidden_length(a)) continue;
    // A nullable argument (text the library may pass as NULL) arrives as None.
    args += (args.empty() ? "" : ", ") + py_type(a.type) + (a.nullable ? " | None" : "");
  }
  const ir::Type ret = cb.ret ? cb.ret->type : ir::Type{};
  return "Callable[[" + args + "], " + (ret.kind == ir::TypeKind::Void ? "object" : py_type(ret)) +
         "]";
}

void emit_lent_argument(CodeWriter& w, const ir::Module& m, const std::vector<ir::Param>& params,
                        const ir::Param& a, const std::string& dst, const std::string& fail,
                        std::vector<std::string>& lent) {
  const std::string v = "bnd_a" + std::to_string(a.index);
  switch (a.type.kind) {
    case ir::TypeKind::Scalar:
      w.line(dst + " = " + scalar_to_py(a.type.scalar, v) + ";");
      break;
    case ir::TypeKind::Enum:
      w.line(dst + " = bnd_enum_from(" + enum_object(a.type.name) + ", (long long)" + v + ");");
      break;
    case ir::TypeKind::Record:
      w.line(dst + " = " + record_new(a.type.name) + "(&" + v + ");");
      break;
    case ir::TypeKind::Handle: {
      // Lent for the callback only: a borrowed object that owns nothing, closed when the
      // callback returns, so a Python reference kept past it raises instead of using the
      // pointer. NULL (a nullable handle) is None.
      const ir::Handle& h = *find_handle(m, a.type.name);
      w.line(dst + " = " + v + " == NULL ? Py_NewRef(Py_None) : bnd_handle_new(&" +
             type_object(h.name) + ", (void *)" + v + ", 0, NULL);");
      lent.push_back(dst);
      break;
    }
    case ir::TypeKind::Slice: {
      const ir::Param* len = param_named(params, a.size);
      const std::string n = "(long long)bnd_a" + std::to_string(len->index);
      if (is_string_array(a)) {  // copied into a list of str the callee may keep
        w.line(dst + " = bnd_cb_strings(" + v + ", " + n + ");");
        break;
      }
      if (is_scalar_array(a)) {  // copied into a list of numbers the callee may keep
        const auto info = scalar_info(a.type.scalar);
        const char kind = a.type.scalar == ir::Scalar::Bool ? 'b'
                          : !info.is_integer                 ? 'f'
                          : info.is_signed                   ? 'i'
                                                             : 'u';
        w.line(dst + " = bnd_cb_scalars((const void *)" + v + ", " + n + ", sizeof(" + info.fixed +
               "), '" + kind + "');");
        break;
      }
      // An array of handles lent for the callback (each closed when it returns, like a lent
      // handle argument); the callable gets a list of them it may keep.
      const ir::Handle& h = *find_handle(m, a.type.name);
      const std::string tuple = "bnd_lent" + std::to_string(a.index);
      w.line(tuple + " = bnd_cb_lent_handles(&" + type_object(h.name) + ", (void *const *)" + v +
             ", " + n + ");");
      w.line("if (" + tuple + " == NULL) " + fail);
      w.line(dst + " = PySequence_List(" + tuple + ");");
      break;
    }
    default:
      if (!a.size.empty()) {
        // A buffer with its length in another argument (not NUL-terminated), valid during the
        // callback only: copied into a str or bytes.
        const ir::Param* len = param_named(params, a.size);
        const std::string n = len ? "(long long)bnd_a" + std::to_string(len->index) : a.size;
        const char* kind = a.type.kind == ir::TypeKind::Bytes ? "BND_CB_BYTES"
                           : a.type.encoding == "utf16"        ? "BND_CB_UTF16"
                                                               : "BND_CB_UTF8";
        w.line(dst + " = bnd_cb_buffer((const void *)" + v + ", " + n + ", " + kind + ");");
      } else {  // NUL-terminated text, borrowed for the call: copied into a str (NULL is None)
        w.line(dst + " = " + v + " == NULL ? Py_NewRef(Py_None) : " +
               (a.type.encoding == "utf16" ? "bnd_from_utf16(" + v + ", -1)"
                                           : "bnd_from_cstr(" + v + ")") + ";");
      }
      break;
  }
  w.line("if (" + dst + " == NULL) " + fail);
}

void declare_lent_arrays(CodeWriter& w, const std::vector<const ir::Param*>& args) {
  // Arrays of lent handles: the objects made for the call, kept apart from the list the callable
  // gets (which it may keep or change) so that every one of them is closed afterwards.
  for (const auto* a : args) {
    if (is_handle_array(*a)) w.line("PyObject *bnd_lent" + std::to_string(a->index) + " = NULL;");
  }
}

void emit_close_lent(CodeWriter& w, const std::vector<const ir::Param*>& args,
                     const std::vector<std::string>& lent) {
  for (const auto& l : lent) {
    w.line("if (" + l + " != NULL && " + l + " != Py_None) ((bnd_handle *)" + l +
           ")->ptr = NULL;  /* lent for the call only */");
  }
  for (const auto* a : args) {
    if (!is_handle_array(*a)) continue;
    const std::string tuple = "bnd_lent" + std::to_string(a->index);
    w.line("bnd_cb_close_lent(" + tuple + ");  /* lent for the call only */");
    w.line("Py_XDECREF(" + tuple + ");");
  }
}

// Called on the wrapper's own thread with the GIL held, unless the call released it or the
// library keeps the callable for later (any thread, any time).
bool runs_on_callers_gil(const ir::Function& fn, const ir::Callback& cb) {
  return cb.scope == ir::Callback::Scope::Call && !fn.blocking;
}

namespace {

// `user_data_from` with each `$N` replaced by the trampoline's N-th argument (bnd_aN).
std::string user_data_expression(const ir::Callback& cb) {
  return substitute_positions(cb.user_data_from, [](size_t n) { return "bnd_a" + std::to_string(n); });
}

void emit_trampoline(CodeWriter& w, const ir::Module& m, const ir::Function& fn,
                     const ir::Param& p) {
  const ir::Callback& cb = *p.callback;
  const ir::Type ret = cb.ret ? cb.ret->type : ir::Type{};
  const bool returns = ret.kind != ir::TypeKind::Void;
  std::string ret_c = returns ? (cb.ret->c_type.empty() ? ret.c_type : cb.ret->c_type) : "void";
  const bool ensure_gil = !runs_on_callers_gil(fn, cb);

  std::string params, user_data;
  std::vector<const ir::Param*> args;
  for (const auto& a : cb.params) {
    if (!params.empty()) params += ", ";
    const std::string name = "bnd_a" + std::to_string(a.index);
    std::string ct = a.c_type.empty() ? a.type.c_type : a.c_type;
    params += declare(ct, name);
    if (is_user_data(a)) user_data = name;
    else if (!is_hidden_length(a)) args.push_back(&a);
  }
  if (params.empty()) params = "void";
  const std::string what = c_string("the result of the callback passed to " + fn.name + "()");
  w.line("/* The C callback for " + fn.c_name + "(" + p.name + "): calls the Python callable in " +
         "its user data. */");
  w.line("static " + ret_c + " " + trampoline_name(fn, p) + "(" + params + ")");
  w.open("{");
  // The library passes the user data, or the binding asks for it (sqlite3_user_data($0)).
  w.line("PyObject *bnd_fn = (PyObject *)" +
         (user_data.empty() ? "(" + user_data_expression(cb) + ")" : user_data) + ";");
  if (returns) w.line(ret_c + " bnd_ret = 0;  /* what C sees after a failure */");
  const std::string n = std::to_string(args.size());
  w.line("PyObject *bnd_argv[" + std::to_string(args.empty() ? 1 : args.size()) + "] = {NULL};");
  w.line("PyObject *bnd_r = NULL;");
  declare_lent_arrays(w, args);
  if (ensure_gil) {
    // A thread Python has never seen gets a temporary thread state: an exception raised there
    // cannot reach any caller, so it is reported as unraisable.
    w.line("int bnd_foreign = PyGILState_GetThisThreadState() == NULL;");
    w.line("PyGILState_STATE bnd_gil = PyGILState_Ensure();");
  }
  // A kept callable may replace itself while it runs (a hook that sets another hook): the
  // trampoline holds its own reference for the duration of the call.
  if (cb.scope != ir::Callback::Scope::Call) w.line("Py_INCREF(bnd_fn);");
  if (!ensure_gil) {
    // Runs on the caller's GIL: a thread the library started has neither (bindery_python.h).
    w.line(std::string("if (bnd_refuse_foreign_callback()) return") + (returns ? " bnd_ret" : "") + ";");
  }
  w.line("if (PyErr_Occurred()) goto bnd_done;  /* an earlier call raised: do not call again */");
  std::vector<std::string> lent;  // handle arguments to close once the callable returned
  for (size_t i = 0; i < args.size(); ++i) {
    emit_lent_argument(w, m, cb.params, *args[i], "bnd_argv[" + std::to_string(i) + "]", "goto bnd_done;",
                       lent);
  }
  w.line("bnd_r = PyObject_Vectorcall(bnd_fn, bnd_argv, " + n + ", NULL);");
  w.line("if (bnd_r == NULL) goto bnd_done;");
  if (returns) {
    emit_number_to_c(w, m, ret, "bnd_r", "bnd_ret", ret_c, what, "goto bnd_done;");
  }
  w.dedent();
  w.line("bnd_done:");
  w.indent();
  w.line("Py_XDECREF(bnd_r);");
  emit_close_lent(w, args, lent);
  w.line("for (int bnd_i = 0; bnd_i < " + n + "; ++bnd_i) Py_XDECREF(bnd_argv[bnd_i]);");
  if (ensure_gil) {
    w.line("if (bnd_foreign && PyErr_Occurred()) PyErr_WriteUnraisable(bnd_fn);");
  }
  if (cb.scope != ir::Callback::Scope::Call) w.line("Py_DECREF(bnd_fn);");
  if (ensure_gil) w.line("PyGILState_Release(bnd_gil);");
  if (returns) w.line("return bnd_ret;");
  w.close();
  w.line();
}

void emit_for(CodeWriter& w, const ir::Module& m, const FunctionPlan& plan) {
  for (const auto& a : plan.args) {
    if (a.param->type.kind == ir::TypeKind::Callback) emit_trampoline(w, m, *plan.fn, *a.param);
  }
}

}  // namespace

void emit_trampolines(CodeWriter& w, const ir::Module& m, const ModuleLayout& layout) {
  for (const auto& f : layout.functions) emit_for(w, m, f);
  for (const auto& c : layout.classes) {
    for (const auto& f : c.methods) emit_for(w, m, f);
    for (const auto& f : c.statics) emit_for(w, m, f);
    for (const auto& f : c.properties) emit_for(w, m, f);
  }
}

}  // namespace bindery::backends::python
