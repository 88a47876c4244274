/* floor.c — the benchmark's floor: the six cases bound by hand with the CPython C API, the way an
 * expert would write them (METH_NOARGS/METH_O, a static type with a vectorcall constructor, a
 * buffer-exporting view for the borrowed payload). No range checks beyond CPython's own, no
 * use-after-close checks beyond a NULL test: the generated binding must come within 1.10x of it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "benchlib.h"

static PyObject *floor_noop(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  benchlib_noop();
  Py_RETURN_NONE;
}

static PyObject *floor_double_input(PyObject *self, PyObject *arg) {
  (void)self;
  long v = PyLong_AsLong(arg);
  if (v == -1 && PyErr_Occurred()) return NULL;
  if (v < INT_MIN || v > INT_MAX) {
    PyErr_SetString(PyExc_OverflowError, "out of range for int");
    return NULL;
  }
  return PyLong_FromLong(benchlib_double_input((int)v));
}

static PyObject *floor_text_length(PyObject *self, PyObject *arg) {
  (void)self;
  if (!PyUnicode_Check(arg)) {
    PyErr_SetString(PyExc_TypeError, "expected str");
    return NULL;
  }
  const char *s = PyUnicode_AsUTF8(arg);
  if (s == NULL) return NULL;
  return PyLong_FromSize_t(benchlib_text_length(s));
}

typedef struct {
  PyObject_HEAD
  benchlib_counter *c;
  Py_ssize_t exports;
} Counter;

static PyTypeObject CounterType;

static PyObject *counter_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                                    PyObject *kwnames) {
  (void)type;
  (void)args;
  if (PyVectorcall_NARGS(nargsf) != 0 || kwnames != NULL) {
    PyErr_SetString(PyExc_TypeError, "Counter() takes no arguments");
    return NULL;
  }
  Counter *self = PyObject_New(Counter, &CounterType);
  if (self == NULL) return NULL;
  self->c = benchlib_counter_new();
  self->exports = 0;
  if (self->c == NULL) {
    Py_DECREF(self);
    return PyErr_NoMemory();
  }
  return (PyObject *)self;
}

static void counter_dealloc(PyObject *o) {
  Counter *self = (Counter *)o;
  if (self->c) benchlib_counter_free(self->c);
  PyObject_Free(o);
}

static PyObject *counter_add(PyObject *o, PyObject *arg) {
  Counter *self = (Counter *)o;
  if (self->c == NULL) {
    PyErr_SetString(PyExc_ValueError, "closed");
    return NULL;
  }
  long long v = PyLong_AsLongLong(arg);
  if (v == -1 && PyErr_Occurred()) return NULL;
  benchlib_counter_add(self->c, v);
  Py_RETURN_NONE;
}

static PyObject *counter_get(PyObject *o, PyObject *unused) {
  (void)unused;
  Counter *self = (Counter *)o;
  if (self->c == NULL) {
    PyErr_SetString(PyExc_ValueError, "closed");
    return NULL;
  }
  return PyLong_FromLongLong(benchlib_counter_get(self->c));
}

static PyObject *counter_close(PyObject *o, PyObject *unused) {
  (void)unused;
  Counter *self = (Counter *)o;
  if (self->exports) {
    PyErr_SetString(PyExc_BufferError, "views alive");
    return NULL;
  }
  if (self->c) benchlib_counter_free(self->c);
  self->c = NULL;
  Py_RETURN_NONE;
}

/* The payload view: exports the counter's memory and keeps the counter alive. */
typedef struct {
  PyObject_HEAD
  Counter *owner;
  const void *buf;
  Py_ssize_t len;
} View;

static int view_getbuffer(PyObject *o, Py_buffer *view, int flags) {
  View *v = (View *)o;
  return PyBuffer_FillInfo(view, o, (void *)v->buf, v->len, 1, flags);
}

static void view_dealloc(PyObject *o) {
  View *v = (View *)o;
  v->owner->exports--;
  Py_DECREF(v->owner);
  PyObject_Free(o);
}

static PyBufferProcs view_as_buffer = {view_getbuffer, NULL};
static PyTypeObject ViewType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "benchfloor.View",
    .tp_basicsize = sizeof(View),
    .tp_dealloc = view_dealloc,
    .tp_as_buffer = &view_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *counter_data(PyObject *o, PyObject *unused) {
  (void)unused;
  Counter *self = (Counter *)o;
  if (self->c == NULL) {
    PyErr_SetString(PyExc_ValueError, "closed");
    return NULL;
  }
  size_t len;
  const uint8_t *p = benchlib_counter_data(self->c, &len);
  View *v = PyObject_New(View, &ViewType);
  if (v == NULL) return NULL;
  Py_INCREF(self);
  v->owner = self;
  self->exports++;
  v->buf = p;
  v->len = (Py_ssize_t)len;
  PyObject *mv = PyMemoryView_FromObject((PyObject *)v);
  Py_DECREF(v);
  return mv;
}

static PyMethodDef counter_methods[] = {
    {"add", counter_add, METH_O, NULL},
    {"get", counter_get, METH_NOARGS, NULL},
    {"data", counter_data, METH_NOARGS, NULL},
    {"close", counter_close, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "benchfloor.Counter",
    .tp_basicsize = sizeof(Counter),
    .tp_dealloc = counter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = counter_methods,
    .tp_vectorcall = counter_vectorcall,
};

static PyMethodDef module_methods[] = {
    {"noop", floor_noop, METH_NOARGS, NULL},
    {"double_input", floor_double_input, METH_O, NULL},
    {"text_length", floor_text_length, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "benchfloor", .m_size = -1,
                                    .m_methods = module_methods};

PyMODINIT_FUNC PyInit_benchfloor(void) {
  if (PyType_Ready(&CounterType) < 0 || PyType_Ready(&ViewType) < 0) return NULL;
  PyObject *m = PyModule_Create(&module);
  if (m == NULL) return NULL;
  if (PyModule_AddObjectRef(m, "Counter", (PyObject *)&CounterType) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
