#include "bindery/backends/python/emit_module.hpp"

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/emit_callback.hpp"
#include "bindery/backends/python/emit_function.hpp"
#include "bindery/backends/python/emit_interface.hpp"
#include "bindery/backends/python/emit_record.hpp"
#include "bindery/backends/python/library_locks.hpp"
#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

std::string docstring(const FunctionPlan& plan, bool method, bool is_static) {
  std::string sig;
  bool exact = true;  // C defaults have no Python spelling: then no text signature at all
  for (const auto& a : plan.args) {
    if (!sig.empty()) sig += ", ";
    sig += py_ident(a.py_name);
    if (a.optional) {
      if (a.param->nullable && a.param->default_value.empty()) sig += "=None";
      else exact = false;
    }
  }
  // Static methods get no receiver at all: inspect shows exactly what the caller passes.
  std::string receiver = is_static ? "" : method ? "$self" : "$module";
  if (!receiver.empty() && !sig.empty()) receiver += ", ";
  std::string text;
  if (exact) text = plan.py_name + "(" + receiver + sig + ")\n--\n\n";
  text += plan.fn->doc.empty() ? "Calls " + plan.fn->c_name + "()." : plan.fn->doc;
  return text;
}

namespace {

void method_entry(CodeWriter& w, const FunctionPlan& plan, bool method, const char* extra) {
  const bool is_static = std::string(extra).find("METH_STATIC") != std::string::npos;
  w.line("{" + c_string(py_ident(plan.py_name)) + ", (PyCFunction)(void (*)(void))" +
         wrapper_name(*plan.fn) + ", " + call_flags(call_kind(plan)) + extra + ",");
  w.line(" " + c_string(docstring(plan, method, is_static)) + "},");
}

// Getters are emitted as METH_NOARGS wrappers; the property calls them.
void emit_property_getters(CodeWriter& w, const ClassLayout& c) {
  for (const auto& f : c.properties) {
    w.line("static PyObject *bnd_" + c_ident(c.handle->name) + "_get_" + c_ident(f.fn->name) +
           "(PyObject *self, void *closure)");
    w.open("{");
    w.line("(void)closure;");
    w.line("return " + wrapper_name(*f.fn) + "(self, NULL);");
    w.close();
    w.line();
  }
}

void emit_class(CodeWriter& w, const ir::Module& m, const ModuleLayout& layout,
                const ClassLayout& c) {
  const ir::Handle& h = *c.handle;
  const std::string id = c_ident(h.name);
  const std::string type = type_object(h.name);
  const std::string ptr = h.pointer_c_type;  // "foo *", or a pointer typedef itself
  w.line("/* ---- class " + h.name + " (" + h.c_name + ") ---- */");
  w.line();
  for (const auto& f : c.methods) { emit_function(w, m, f); w.line(); }
  for (const auto& f : c.properties) { emit_function(w, m, f); w.line(); }
  for (const auto& f : c.statics) { emit_function(w, m, f); w.line(); }
  emit_property_getters(w, c);

  const bool destroys = h.kind == ir::Handle::Kind::Owned && !h.destroy.empty();
  // Objects that keep callables take part in cyclic GC (a hook referring to its own connection).
  const int slots = owner_slots(m, h.name);
  // A destroy function may call back into Python: run from the finaliser or the collector, an
  // exception it raises has nobody to reach (sys.unraisablehook), and one in flight is kept.
  const bool calls_back = has_stored_callbacks(m);
  // A destroy that takes a lock of the library (a statement's finalize takes its connection's
  // mutex) waits for it without the GIL while another thread's GIL-free call may hold it
  // (docs/adr/python-gil-and-library-locks.md).
  const bool locked = under_library_lock(m, h.name);
  auto destroy_call = [&](const std::string& p) {
    const std::string call = h.destroy + "((" + ptr + ")" + p + ");";
    if (locked) emit_waiting_without_gil(w, {call});
    else w.line(call);
  };
  // A pinned struct's storage is the binding's: freed after the destroy function ended it.
  auto destroy = [&](const std::string& p) {
    if (!calls_back) {
      destroy_call(p);
      if (h.pinned) w.line("PyMem_Free(" + p + ");");
      return;
    }
    w.line("bnd_saved_error bnd_saved = bnd_error_save();");
    destroy_call(p);
    if (h.pinned) w.line("PyMem_Free(" + p + ");");
    w.line("bnd_error_restore(bnd_saved, (PyObject *)Py_TYPE(self));");
  };
  w.line("static void bnd_" + id + "_dealloc(PyObject *self)");
  w.open("{");
  w.line("bnd_handle *h = (bnd_handle *)self;");
  if (slots > 0) w.line("PyObject_GC_UnTrack(self);");
  if (destroys) {
    w.open("if (h->owned && h->ptr != NULL) {");
    destroy("h->ptr");
    w.close();
  }
  if (slots > 0) w.line("bnd_handle_drop_kept(h);  /* after the destroy: nothing calls them now */");
  w.line("bnd_handle_release_owner(h);");
  w.line(slots > 0 ? "PyObject_GC_Del(self);" : "PyObject_Free(self);");
  w.close();
  w.line();

  if (slots > 0) {
    // The collector found this object in unreachable garbage: the C object is destroyed (so
    // nothing calls the kept callables any more) and they are released, breaking the cycle. With
    // dependents or views alive it cannot be destroyed, and nothing is cleared.
    w.line("static int bnd_" + id + "_clear(PyObject *self)");
    w.open("{");
    w.line("bnd_handle *h = (bnd_handle *)self;");
    w.line("if (h->ptr != NULL && (h->children > 0 || h->exports > 0)) return 0;");
    if (destroys) {
      w.open("if (h->owned && h->ptr != NULL) {");
      w.line("void *ptr = h->ptr;");
      w.line("h->ptr = NULL;");
      destroy("ptr");
      w.close();
    }
    w.line("bnd_handle_drop_kept(h);");
    w.line("return 0;");
    w.close();
    w.line();
  }

  w.line("static PyObject *bnd_" + id + "_close(PyObject *self, PyObject *unused)");
  w.open("{");
  w.line("bnd_handle *h = (bnd_handle *)self;");
  w.line("(void)unused;");
  w.line("if (!bnd_handle_can_close(h)) return NULL;");
  w.line("void *ptr = h->ptr;");
  w.line("h->ptr = NULL;  /* closed first: a destroy function that calls back sees it closed */");
  if (destroys && h.pinned) {
    w.open("if (h->owned && ptr != NULL) {");
    destroy_call("ptr");
    w.line("PyMem_Free(ptr);");
    w.close();
  } else if (destroys && locked) {
    w.open("if (h->owned && ptr != NULL) {");
    destroy_call("ptr");
    w.close();
  } else if (destroys) {
    w.line("if (h->owned && ptr != NULL) " + h.destroy + "((" + ptr + ")ptr);");
  } else {
    w.line("(void)ptr;");
  }
  if (slots > 0) w.line("bnd_handle_drop_kept(h);");
  w.line("bnd_handle_release_owner(h);");
  // A callback the destroy ran (a rollback hook) raised: close() is the call that reports it.
  if (calls_back) w.line("if (PyErr_Occurred()) return NULL;");
  w.line("Py_RETURN_NONE;");
  w.close();
  w.line();

  w.line("static PyObject *bnd_" + id +
         "_exit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)");
  w.open("{");
  w.line("(void)args;");
  w.line("(void)nargs;");
  w.line("return bnd_" + id + "_close(self, NULL);");
  w.close();
  w.line();

  if (c.call) {
    // `Class(...)`: the type's own vectorcall slot runs the constructor with no tuple or dict.
    const FunctionPlan& ctor = *c.call;
    w.line("static PyObject *bnd_" + id +
           "_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf, PyObject *kwnames)");
    w.open("{");
    w.line("Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);");
    const std::string fn = wrapper_name(*ctor.fn);
    switch (call_kind(ctor)) {
      case CallKind::NoArgs:
        w.line("(void)args;");
        w.line("if (bnd_no_kwargs(" + c_string(h.name) + ", kwnames) < 0) return NULL;");
        w.open("if (nargs != 0) {");
        w.line("PyErr_Format(PyExc_TypeError, \"" + h.name +
               "() takes no arguments (%zd given)\", nargs);");
        w.line("return NULL;");
        w.close();
        w.line("return " + fn + "(type, NULL);");
        break;
      case CallKind::One:
        w.line("if (bnd_no_kwargs(" + c_string(h.name) + ", kwnames) < 0) return NULL;");
        w.open("if (nargs != 1) {");
        w.line("PyErr_Format(PyExc_TypeError, \"" + h.name +
               "() takes exactly one argument (%zd given)\", nargs);");
        w.line("return NULL;");
        w.close();
        w.line("return " + fn + "(type, args[0]);");
        break;
      case CallKind::FastKeywords:
        w.line("return " + fn + "(type, args, nargs, kwnames);");
        break;
    }
    w.close();
    w.line();
  }

  w.line("static PyMethodDef bnd_" + id + "_methods[] = {");
  w.indent();
  for (const auto& f : c.methods) method_entry(w, f, true, "");
  for (const auto& f : c.statics) method_entry(w, f, false, " | METH_STATIC");
  w.line("{\"close\", bnd_" + id + "_close, METH_NOARGS,");
  w.line(" " + c_string("close($self)\n--\n\nReleases the " + h.c_name + " now (" +
                        (destroys ? h.destroy : std::string("borrowed: nothing to free")) +
                        "); any later use raises ValueError. Idempotent.") + "},");
  w.line("{\"__enter__\", bnd_handle_enter, METH_NOARGS, NULL},");
  w.line("{\"__exit__\", (PyCFunction)(void (*)(void))bnd_" + id + "_exit, METH_FASTCALL, NULL},");
  w.line("{NULL, NULL, 0, NULL},");
  w.dedent();
  w.line("};");
  w.line();

  w.line("static PyGetSetDef bnd_" + id + "_getset[] = {");
  w.indent();
  w.line("{\"closed\", bnd_handle_closed, NULL, \"True once close() ran (or a call took the object "
         "over).\", NULL},");
  w.line("{\"blocking_calls\", bnd_handle_blocking_calls, NULL, \"Blocking calls (GIL released) using the object now; "
         "close() refuses while any run.\", NULL},");
  for (const auto& f : c.properties) {
    w.line("{" + c_string(py_ident(f.fn->name)) + ", (getter)bnd_" + id + "_get_" +
           c_ident(f.fn->name) + ", NULL, " +
           c_string(f.fn->doc.empty() ? "Calls " + f.fn->c_name + "()." : f.fn->doc) + ", NULL},");
  }
  w.line("{NULL, NULL, NULL, NULL, NULL},");
  w.dedent();
  w.line("};");
  w.line();

  w.line("static PyTypeObject " + type + " = {");
  w.indent();
  w.line("PyVarObject_HEAD_INIT(NULL, 0)");
  w.line(".tp_name = " + c_string(layout.package + "." + h.name) + ",");
  if (slots > 0) {
    w.line(".tp_basicsize = sizeof(bnd_handle) + " + std::to_string(slots) +
           " * sizeof(PyObject *),  /* kept callables */");
  } else {
    w.line(".tp_basicsize = sizeof(bnd_handle),");
  }
  w.line(".tp_dealloc = bnd_" + id + "_dealloc,");
  w.line(".tp_as_buffer = &bnd_handle_as_buffer,  /* releases the views it lends; not a buffer */");
  if (slots > 0) {
    w.line(".tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,");
    w.line(".tp_traverse = bnd_handle_traverse,");
    w.line(".tp_clear = bnd_" + id + "_clear,");
  } else {
    w.line(".tp_flags = Py_TPFLAGS_DEFAULT,");
  }
  w.line(".tp_doc = " +
         c_string(h.doc.empty() ? "A " + h.c_name + " object; close() or `with` releases it."
                                : h.doc) + ",");
  w.line(".tp_methods = bnd_" + id + "_methods,");
  w.line(".tp_getset = bnd_" + id + "_getset,");
  if (c.call) w.line(".tp_vectorcall = bnd_" + id + "_vectorcall,");
  w.dedent();
  w.line("};");
  w.line();
}

void emit_init(CodeWriter& w, const ir::Module& m, const ModuleLayout& layout) {
  w.line("static PyMethodDef bnd_module_methods[] = {");
  w.indent();
  for (const auto& f : layout.functions) method_entry(w, f, false, "");
  w.line("{NULL, NULL, 0, NULL},");
  w.dedent();
  w.line("};");
  w.line();
  w.line("static struct PyModuleDef bnd_module = {");
  w.indent();
  w.line("PyModuleDef_HEAD_INIT,");
  w.line(".m_name = " + c_string(layout.package + "." + layout.extension) + ",");
  w.line(".m_doc = " + c_string("Bindings of the C library " + m.library + ", generated by bindery.") +
         ",");
  w.line(".m_size = -1,");
  w.line(".m_methods = bnd_module_methods,");
  w.dedent();
  w.line("};");
  w.line();

  w.line("PyMODINIT_FUNC PyInit_" + layout.extension + "(void)");
  w.open("{");
  w.line("if (bnd_runtime_init() < 0) return NULL;");
  init_interface_names(w, m, layout);
  for (const auto& c : layout.classes) {
    w.line("if (PyType_Ready(&" + type_object(c.handle->name) + ") < 0) return NULL;");
  }
  for (const auto& r : m.records) {
    if (unsupported_record(m, r).empty()) {
      w.line("if (PyType_Ready(&" + record_type_object(r.name) + ") < 0) return NULL;");
    }
  }
  w.line("PyObject *m = PyModule_Create(&bnd_module);");
  w.line("if (m == NULL) return NULL;");
  for (const auto& c : layout.classes) {
    w.line("if (PyModule_AddObjectRef(m, " + c_string(c.handle->name) + ", (PyObject *)&" +
           type_object(c.handle->name) + ") < 0) goto fail;");
  }
  for (const auto& r : m.records) {
    if (!unsupported_record(m, r).empty()) continue;
    w.line("if (PyModule_AddObjectRef(m, " + c_string(r.name) + ", (PyObject *)&" +
           record_type_object(r.name) + ") < 0) goto fail;");
  }
  for (const auto& e : layout.errors) {
    const std::string obj = exception_object(e);
    w.line(obj + " = PyErr_NewExceptionWithDoc(" + c_string(layout.package + "." + e) + ",");
    w.line("    " + c_string("Raised when a " + m.library +
                             " call fails: .code is the library's code, .message its message.") +
           ", PyExc_RuntimeError, NULL);");
    w.line("if (" + obj + " == NULL || PyModule_AddObjectRef(m, " + c_string(e) + ", " + obj +
           ") < 0) goto fail;");
  }
  for (const auto& k : layout.kind_errors) {
    const std::string obj = exception_object(k.name);
    w.open("{");
    w.line("PyObject *bases = PyTuple_Pack(2, " + exception_object(k.base) + ", PyExc_" + k.builtin +
           ");");
    w.line("if (bases == NULL) goto fail;");
    w.line(obj + " = PyErr_NewExceptionWithDoc(" + c_string(layout.package + "." + k.name) + ",");
    w.line("    " + c_string("A " + k.base + " that is also a " + k.builtin + ".") +
           ", bases, NULL);");
    w.line("Py_DECREF(bases);");
    w.line("if (" + obj + " == NULL || PyModule_AddObjectRef(m, " + c_string(k.name) + ", " + obj +
           ") < 0) goto fail;");
    w.close();
  }
  for (const auto& e : m.enums) {
    const std::string id = c_ident(e.name);
    w.open("{");
    std::string names, values;
    for (const auto& v : e.values) {
      names += (names.empty() ? "" : ", ") + c_string(py_ident(v.name));
      values += (values.empty() ? "" : ", ") + std::to_string(v.value) + "LL";
    }
    if (e.values.empty()) {
      names = "NULL";
      values = "0";
    }
    w.line("static const char *const names[] = {" + names + "};");
    w.line("static const long long values[] = {" + values + "};");
    w.line(enum_object(e.name) + " = bnd_make_enum(m, " + c_string(e.name) + ", " +
           (e.flags ? "\"IntFlag\"" : "\"IntEnum\"") + ", names, values, " +
           std::to_string(e.values.size()) + ");");
    w.line("if (" + enum_object(e.name) + " == NULL || PyModule_AddObjectRef(m, " +
           c_string(e.name) + ", " + enum_object(e.name) + ") < 0) goto fail;");
    w.close();
  }
  for (const auto& k : m.constants) {
    std::string value;
    switch (k.kind) {
      case ir::Constant::Kind::Int:
        value = "PyLong_FromLongLong(" + std::to_string(k.int_value) + "LL)";
        break;
      case ir::Constant::Kind::Float: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", k.float_value);
        value = std::string("PyFloat_FromDouble(") + buf + ")";
        break;
      }
      case ir::Constant::Kind::String:
        value = "PyUnicode_FromString(" + c_string(k.string_value) + ")";
        break;
    }
    w.line("if (bnd_module_add(m, " + c_string(py_ident(k.name)) + ", " + value +
           ") < 0) goto fail;");
  }
  w.line("return m;");
  w.dedent();
  w.line("fail:");
  w.indent();
  w.line("Py_DECREF(m);");
  w.line("return NULL;");
  w.close();
}

}  // namespace

std::string emit_module_source(const ir::Module& m, const ModuleLayout& layout) {
  CodeWriter w;
  w.line("/* Generated by bindery from the C library '" + m.library + "'. Do not edit.");
  w.line(" *");
  w.line(" * CPython extension " + layout.package + "." + layout.extension +
         ": each wrapper converts its arguments");
  w.line(" * (range-checked), calls the C function directly and converts the results. */");
  w.line("#include \"bindery_python.h\"");
  w.line();
  for (const auto& d : m.defines) {
    const auto eq = d.find('=');
    w.line("#define " + (eq == std::string::npos ? d : d.substr(0, eq) + " " + d.substr(eq + 1)));
  }
  for (const auto& h : m.headers) w.line("#include <" + h.include + ">");
  w.line();
  if (!m.shims.empty()) {
    // The typed shims of `variants:` (one C function bound with several signatures), verbatim.
    w.line("/* Variants: typed shims over the library's functions (generated by the lowering). */");
    for (const auto& shim : m.shims) {
      w.raw(shim);
      if (!shim.empty() && shim.back() != '\n') w.raw("\n");
    }
    w.line();
  }
  for (const auto& e : layout.errors) {
    w.line("static PyObject *" + exception_object(e) + ";  /* " + layout.package + "." + e + " */");
  }
  for (const auto& k : layout.kind_errors) {
    w.line("static PyObject *" + exception_object(k.name) + ";  /* " + layout.package + "." +
           k.name + " */");
  }
  for (const auto& e : m.enums) {
    w.line("static PyObject *" + enum_object(e.name) + ";  /* " + layout.package + "." + e.name +
           " */");
  }
  for (const auto& c : layout.classes) {
    w.line("static PyTypeObject " + type_object(c.handle->name) + ";");
  }
  for (const auto& r : m.records) {
    if (unsupported_record(m, r).empty()) {
      w.line("static PyTypeObject " + record_type_object(r.name) + ";");
    }
  }
  declare_interface_names(w, m, layout);
  w.line();
  emit_record_helpers(w, m);
  emit_record_types(w, m, layout);
  emit_trampolines(w, m, layout);
  emit_interfaces(w, m, layout);  // before the wrappers: they pass the interfaces' tables
  for (const auto& f : layout.functions) {
    emit_function(w, m, f);
    w.line();
  }
  for (const auto& c : layout.classes) emit_class(w, m, layout, c);
  if (!layout.skipped.empty()) {
    w.line("/* Not bound by the python backend:");
    for (const auto& s : layout.skipped) w.line(" *   " + s.fn->c_name + ": " + s.unsupported);
    w.line(" */");
    w.line();
  }
  emit_init(w, m, layout);
  return w.str();
}

}  // namespace bindery::backends::python
