#include "bindery/backends/python/emit_record.hpp"

#include "bindery/backends/python/emit_convert.hpp"
#include "bindery/backends/python/emit_function.hpp"
#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

std::string record_arg(const std::string& name) { return "bnd_rec_" + c_ident(name) + "_arg"; }

std::string unsupported_record(const ir::Module& m, const ir::Record& r) {
  for (const auto& f : r.fields) {
    switch (f.type.kind) {
      case ir::TypeKind::Scalar:
        break;
      case ir::TypeKind::Enum:
        if (!find_enum(m, f.type.name)) return "field " + f.name + ": unknown enum " + f.type.name;
        break;
      case ir::TypeKind::Record: {
        const ir::Record* inner = find_record(m, f.type.name);
        if (!inner) return "field " + f.name + ": unknown record " + f.type.name;
        if (auto why = unsupported_record(m, *inner); !why.empty()) return why;
        break;
      }
      default:
        return "field " + f.name + ": only scalars, enums and records are record fields in python";
    }
  }
  return {};
}

namespace {

std::string rec(const ir::Record& r) { return "bnd_rec_" + c_ident(r.name); }

void emit_helpers(CodeWriter& w, const ir::Record& r) {
  const std::string s = rec(r);
  const std::string ct = r.c_name;
  const std::string type = record_type_object(r.name);
  w.line("/* ---- record " + r.name + " (" + ct + ") ---- */");
  w.line();
  w.line("typedef struct {");
  w.indent();
  w.line("PyObject_HEAD");
  w.line(ct + " *ptr;  /* &value, or a field inside `base` (a nested record) */");
  w.line("PyObject *base;  /* the record this one is a field of, kept alive; NULL when own */");
  w.line(ct + " value;");
  w.dedent();
  w.line("} " + s + ";");
  w.line();
  w.line("/* A new " + r.name + " holding a copy of *v. */");
  w.line("static inline PyObject *" + s + "_new(const " + ct + " *v)");
  w.open("{");
  w.line(s + " *r = PyObject_New(" + s + ", &" + type + ");");
  w.line("if (r == NULL) return NULL;");
  w.line("r->value = *v;");
  w.line("r->ptr = &r->value;");
  w.line("r->base = NULL;");
  w.line("return (PyObject *)r;");
  w.close();
  w.line();
  w.line("/* A " + r.name + " that is the field *p of `base`: reads and writes go to base's storage. */");
  w.line("static inline PyObject *" + s + "_field(PyObject *base, " + ct + " *p)");
  w.open("{");
  w.line(s + " *r = PyObject_New(" + s + ", &" + type + ");");
  w.line("if (r == NULL) return NULL;");
  w.line("r->ptr = p;");
  w.line("r->base = Py_NewRef(base);");
  w.line("return (PyObject *)r;");
  w.close();
  w.line();
  w.line("/* The struct inside a " + r.name + " argument (a TypeError for anything else). */");
  w.line("static inline " + ct + " *" + s + "_arg(PyObject *o, const char *what)");
  w.open("{");
  w.open("if (!PyObject_TypeCheck(o, &" + type + ")) {");
  w.line("PyErr_Format(PyExc_TypeError, \"%s: expected " + r.name + ", got %.100s\", what, "
         "Py_TYPE(o)->tp_name);");
  w.line("return NULL;");
  w.close();
  w.line("return ((" + s + " *)o)->ptr;");
  w.close();
  w.line();
}

// Python → C for one field value `src` into `dst`; `fail` runs with the exception set.
void field_to_c(CodeWriter& w, const ir::Module& m, const ir::Field& f, const std::string& src,
                const std::string& dst, const std::string& msg, const std::string& fail) {
  const std::string ctype = f.type.c_type.empty() ? "long long" : f.type.c_type;
  switch (f.type.kind) {
    case ir::TypeKind::Scalar:
      emit_scalar_to_c(w, f.type.scalar, src, dst, ctype, msg, fail);
      break;
    case ir::TypeKind::Enum:
      emit_enum_to_c(w, *find_enum(m, f.type.name), src, dst, ctype, msg, fail);
      break;
    case ir::TypeKind::Record: {
      const ir::Record& inner = *find_record(m, f.type.name);
      w.line("{ " + inner.c_name + " *bnd_p = " + record_arg(inner.name) + "(" + src + ", " + msg +
             "); if (bnd_p == NULL) " + fail + " " + dst + " = *bnd_p; }");
      break;
    }
    default:
      break;
  }
}

void emit_type(CodeWriter& w, const ir::Module& m, const ModuleLayout& layout,
               const ir::Record& r) {
  const std::string s = rec(r);
  const std::string type = record_type_object(r.name);
  for (const auto& f : r.fields) {
    const std::string fid = c_ident(f.name);
    const std::string value = "((" + s + " *)self)->ptr->" + f.name;
    w.line("static PyObject *" + s + "_get_" + fid + "(PyObject *self, void *closure)");
    w.open("{");
    w.line("(void)closure;");
    switch (f.type.kind) {
      case ir::TypeKind::Scalar:
        w.line("return " + scalar_to_py(f.type.scalar, value) + ";");
        break;
      case ir::TypeKind::Enum:
        w.line("return bnd_enum_from(" + enum_object(f.type.name) + ", (long long)" + value + ");");
        break;
      default:  // a record: a view into this one's storage
        w.line("return bnd_rec_" + c_ident(f.type.name) + "_field(self, &" + value + ");");
        break;
    }
    w.close();
    w.line();
    w.line("static int " + s + "_set_" + fid + "(PyObject *self, PyObject *value, void *closure)");
    w.open("{");
    w.line("(void)closure;");
    w.line("if (value == NULL) return bnd_record_no_delete(self, " + c_string(f.name) + ");");
    field_to_c(w, m, f, "value", value, c_string(r.name + "." + f.name), "return -1;");
    w.line("return 0;");
    w.close();
    w.line();
  }

  // Record(field, …): every field required, by position or keyword.
  const size_t n = r.fields.size();
  const std::string count = std::to_string(n);
  w.line("static PyObject *" + s + "_vectorcall(PyObject *type, PyObject *const *args, "
         "size_t nargsf, PyObject *kwnames)");
  w.open("{");
  std::string names;
  for (const auto& f : r.fields) names += (names.empty() ? "" : ", ") + c_string(py_ident(f.name));
  if (n > 0) w.line("static const char *const bnd_names[] = {" + names + "};");
  w.line("Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);");
  w.line("PyObject *const *bnd_argv = args;");
  w.line("PyObject *bnd_parsed[" + std::to_string(n ? n : 1) + "];");
  w.line(r.c_name + " bnd_value;");
  w.line("(void)type;");
  w.line("memset(&bnd_value, 0, sizeof bnd_value);  /* padding too: C sees deterministic bytes */");
  w.open("if (kwnames != NULL || nargs != " + count + ") {");
  w.line("if (bnd_parse_args(" + c_string(r.name) + ", args, nargs, kwnames, " +
         (n ? "bnd_names" : "NULL") + ", " + count + ", " + count + ", bnd_parsed) < 0) return NULL;");
  w.line("bnd_argv = bnd_parsed;");
  w.close();
  if (n == 0) w.line("(void)bnd_argv;");
  for (size_t i = 0; i < n; ++i) {
    const auto& f = r.fields[i];
    field_to_c(w, m, f, "bnd_argv[" + std::to_string(i) + "]", "bnd_value." + f.name,
               c_string(r.name + "() argument '" + py_ident(f.name) + "'"), "return NULL;");
  }
  w.line("return " + s + "_new(&bnd_value);");
  w.close();
  w.line();

  w.line("static void " + s + "_dealloc(PyObject *self)");
  w.open("{");
  w.line("Py_XDECREF(((" + s + " *)self)->base);");
  w.line("PyObject_Free(self);");
  w.close();
  w.line();
  w.line("/* copy.copy() and copy.deepcopy(): an independent record with the same values. */");
  w.line("static PyObject *" + s + "_copy(PyObject *self, PyObject *unused)");
  w.open("{");
  w.line("(void)unused;");
  w.line("return " + s + "_new(((" + s + " *)self)->ptr);");
  w.close();
  w.line();
  w.line("static PyMethodDef " + s + "_methods[] = {");
  w.indent();
  w.line("{\"__copy__\", " + s + "_copy, METH_NOARGS, NULL},");
  w.line("{\"__deepcopy__\", " + s + "_copy, METH_O, NULL},");
  w.line("{NULL, NULL, 0, NULL},");
  w.dedent();
  w.line("};");
  w.line();
  w.line("static PyGetSetDef " + s + "_getset[] = {");
  w.indent();
  for (const auto& f : r.fields) {
    const std::string fid = c_ident(f.name);
    w.line("{" + c_string(py_ident(f.name)) + ", " + s + "_get_" + fid + ", " + s + "_set_" + fid +
           ", " + (f.doc.empty() ? "NULL" : c_string(f.doc)) + ", NULL},");
  }
  w.line("{NULL, NULL, NULL, NULL, NULL},");
  w.dedent();
  w.line("};");
  w.line();
  w.line("static PyTypeObject " + type + " = {");
  w.indent();
  w.line("PyVarObject_HEAD_INIT(NULL, 0)");
  w.line(".tp_name = " + c_string(layout.package + "." + r.name) + ",");
  w.line(".tp_basicsize = sizeof(" + s + "),");
  w.line(".tp_dealloc = " + s + "_dealloc,");
  w.line(".tp_repr = bnd_record_repr,");
  w.line(".tp_hash = PyObject_HashNotImplemented,  /* mutable: equal, not hashable */");
  w.line(".tp_flags = Py_TPFLAGS_DEFAULT,");
  w.line(".tp_doc = " + c_string(r.doc.empty() ? "The C struct " + r.c_name + ", by value." : r.doc) +
         ",");
  w.line(".tp_richcompare = bnd_record_richcompare,");
  w.line(".tp_methods = " + s + "_methods,");
  w.line(".tp_getset = " + s + "_getset,");
  w.line(".tp_vectorcall = " + s + "_vectorcall,");
  w.dedent();
  w.line("};");
  w.line();
}

}  // namespace

void emit_record_helpers(CodeWriter& w, const ir::Module& m) {
  for (const auto& r : m.records) {
    if (unsupported_record(m, r).empty()) emit_helpers(w, r);
  }
}

void emit_record_types(CodeWriter& w, const ir::Module& m, const ModuleLayout& layout) {
  for (const auto& r : m.records) {
    if (unsupported_record(m, r).empty()) emit_type(w, m, layout, r);
  }
}

}  // namespace bindery::backends::python
