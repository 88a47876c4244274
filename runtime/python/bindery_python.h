/* bindery_python.h — the support code every bindery-generated CPython extension includes.
 *
 * Header-only and `static`: `bindery generate --target python` copies this file next to the
 * generated module, so the output builds offline with nothing but CPython's headers, and two
 * bindery modules loaded in one process never share (or clash over) runtime state.
 *
 * Everything here is on the per-call path of some binding, so each helper has a fast path for the
 * exact built-in type (int, str, bytes) and falls back to the general protocol only when needed.
 * No helper allocates for scalars or borrowed text. */
#ifndef BINDERY_PYTHON_H
#define BINDERY_PYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* C expressions in the IR (fixed values, defaults) are shared with the C++ target and may say
 * nullptr; C before C23 spells it NULL. */
#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L) && \
    !defined(nullptr)
#define nullptr ((void *)0)
#endif

/* A size the caller asked for is negative: checked through a function so that an unsigned size
 * type does not make the comparison a "always false" warning in the generated code. */
static inline int bnd_is_negative(long long v) { return v < 0; }

/* ------------------------------------------------------------------------------------------ */
/* Integers: range-checked, never truncated (an out-of-range value is an OverflowError).        */

static inline int bnd_overflow(PyObject *o, const char *what, const char *ctype) {
  PyErr_Format(PyExc_OverflowError, "%s: %R does not fit in %s", what, o, ctype);
  return -1;
}

/* Signed conversion checked against [lo, hi]. Accepts int and anything with __index__ (that is
 * PyLong_AsLongLong's contract since 3.10); floats and str are a TypeError. */
static inline int bnd_to_signed(PyObject *o, int64_t lo, int64_t hi, int64_t *out,
                                const char *what, const char *ctype) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) return bnd_overflow(o, what, ctype);
  if (v == -1 && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Format(PyExc_TypeError, "%s: expected int, got %.100s", what, Py_TYPE(o)->tp_name);
    }
    return -1;
  }
  if (v < lo || v > hi) return bnd_overflow(o, what, ctype);
  *out = (int64_t)v;
  return 0;
}

static inline int bnd_to_unsigned(PyObject *o, uint64_t hi, uint64_t *out, const char *what,
                                  const char *ctype) {
  PyObject *index = NULL;
  if (!PyLong_Check(o)) {
    index = PyNumber_Index(o);  /* __index__ objects (numpy ints, IntEnum subclasses are ints) */
    if (index == NULL) {
      PyErr_Format(PyExc_TypeError, "%s: expected int, got %.100s", what, Py_TYPE(o)->tp_name);
      return -1;
    }
    o = index;
  }
  unsigned long long v = PyLong_AsUnsignedLongLong(o);
  if (v == (unsigned long long)-1 && PyErr_Occurred()) {
    PyErr_Clear();
    bnd_overflow(o, what, ctype);
    Py_XDECREF(index);
    return -1;
  }
  Py_XDECREF(index);
  if (v > hi) return bnd_overflow(o, what, ctype);
  *out = (uint64_t)v;
  return 0;
}

/* bool is strict: only True and False. 1, "yes" or None are a TypeError, because a silently
 * truthy argument hides bugs at the boundary. */
static inline int bnd_to_bool(PyObject *o, int *out, const char *what) {
  if (o == Py_True) { *out = 1; return 0; }
  if (o == Py_False) { *out = 0; return 0; }
  PyErr_Format(PyExc_TypeError, "%s: expected bool, got %.100s", what, Py_TYPE(o)->tp_name);
  return -1;
}

static inline int bnd_to_double(PyObject *o, double *out, const char *what) {
  if (PyFloat_CheckExact(o)) { *out = PyFloat_AS_DOUBLE(o); return 0; }
  if (PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s: expected float, got %.100s", what, Py_TYPE(o)->tp_name);
    return -1;
  }
  double v = PyFloat_AsDouble(o);  /* int, __float__, __index__ */
  if (v == -1.0 && PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_TypeError)) {
      PyErr_Format(PyExc_TypeError, "%s: expected float, got %.100s", what, Py_TYPE(o)->tp_name);
    }
    return -1;
  }
  *out = v;
  return 0;
}

/* float (C) is range-checked like the integers: a finite double beyond FLT_MAX is an error,
 * not an infinity. Rounding to the nearest float is the expected behaviour, not a truncation. */
static inline int bnd_to_float(PyObject *o, float *out, const char *what) {
  double v;
  if (bnd_to_double(o, &v, what) < 0) return -1;
  if (isfinite(v) && (v > FLT_MAX || v < -FLT_MAX)) return bnd_overflow(o, what, "float");
  *out = (float)v;
  return 0;
}

/* A C `char` is one text unit: a str of length 1 in the ASCII range, or a bytes of length 1. */
static inline int bnd_to_char(PyObject *o, char *out, const char *what) {
  if (PyUnicode_Check(o) && PyUnicode_GET_LENGTH(o) == 1) {
    Py_UCS4 c = PyUnicode_READ_CHAR(o, 0);
    if (c < 128) { *out = (char)c; return 0; }
  } else if (PyBytes_Check(o) && PyBytes_GET_SIZE(o) == 1) {
    *out = PyBytes_AS_STRING(o)[0];
    return 0;
  }
  PyErr_Format(PyExc_TypeError, "%s: expected a one-character ASCII str, got %R", what, o);
  return -1;
}

static inline PyObject *bnd_from_char(char c) {
  return PyUnicode_FromStringAndSize(&c, 1);  /* non-ASCII bytes decode as UTF-8 errors */
}

/* ------------------------------------------------------------------------------------------ */
/* Text: str in as UTF-8 without copying (CPython caches the UTF-8 form; ASCII str *is* it).     */

/* Whether n bytes hold a zero byte: 16 at a time with SSE2 (every x86-64 has it), then 8 at a
 * time (a word has a zero byte iff (w - 0x01..01) & ~w & 0x80..80 is non-zero), then bytes. A
 * 16-character str costs a few instructions where strlen cost a library call. */
static inline int bnd_has_nul(const char *s, Py_ssize_t n) {
  Py_ssize_t i = 0;
#ifdef __SSE2__
  const __m128i zero = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    __m128i chunk = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, zero)) != 0) return 1;
  }
#endif
  const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if ((w - ones) & ~w & highs) return 1;
  }
  for (; i < n; ++i) {
    if (s[i] == 0) return 1;
  }
  return 0;
}

/* For `const char *` without a size: embedded NUL would silently cut the text, so it is refused.
 * A compact ASCII str (the common case) is its own NUL-terminated UTF-8, read in place with no
 * call into CPython; any other str goes through its cached UTF-8 form. */
static inline int bnd_to_cstr(PyObject *o, const char **out, const char *what) {
  Py_ssize_t n;
  const char *s;
  if (!PyUnicode_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s: expected str, got %.100s", what, Py_TYPE(o)->tp_name);
    return -1;
  }
  if (PyUnicode_IS_COMPACT_ASCII(o)) {
    s = (const char *)PyUnicode_DATA(o);
    n = PyUnicode_GET_LENGTH(o);
  } else {
    s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == NULL) return -1;
  }
  if (bnd_has_nul(s, n)) {
    PyErr_Format(PyExc_ValueError, "%s: embedded null character", what);
    return -1;
  }
  *out = s;
  return 0;
}

/* Text with an explicit length: NUL is an ordinary character. */
static inline int bnd_to_text(PyObject *o, const char **out, Py_ssize_t *len, const char *what) {
  if (!PyUnicode_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s: expected str, got %.100s", what, Py_TYPE(o)->tp_name);
    return -1;
  }
  *out = PyUnicode_AsUTF8AndSize(o, len);
  return *out == NULL ? -1 : 0;
}

/* Text out is always copied into a new str; invalid UTF-8 is a UnicodeDecodeError, never a crash. */
static inline PyObject *bnd_from_text(const char *s, Py_ssize_t n) {
  return PyUnicode_DecodeUTF8(s, n, NULL);
}

static inline PyObject *bnd_from_cstr(const char *s) {
  return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), NULL);
}

/* UTF-16 text (`encoding: utf16`, SQLite's *16 functions): native-endian code units; every
 * length is in bytes. In: a str encoded strictly (a lone surrogate is a UnicodeEncodeError),
 * held by `*holder` for the call and always followed by a two-byte zero, so it also serves as
 * NUL-terminated text (then an embedded NUL is refused, as for UTF-8). */
#if PY_BIG_ENDIAN
#define BND_UTF16_NATIVE "utf-16-be"
#else
#define BND_UTF16_NATIVE "utf-16-le"
#endif

static inline int bnd_to_utf16(PyObject *o, PyObject **holder, const char **out,
                               Py_ssize_t *nbytes, int nul_terminated, const char *what) {
  if (!PyUnicode_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s: expected str, got %.100s", what, Py_TYPE(o)->tp_name);
    return -1;
  }
  if (nul_terminated && PyUnicode_FindChar(o, 0, 0, PyUnicode_GET_LENGTH(o), 1) >= 0) {
    PyErr_Format(PyExc_ValueError, "%s: embedded null character", what);
    return -1;
  }
  PyObject *b = PyUnicode_AsEncodedString(o, BND_UTF16_NATIVE, "strict");
  if (b == NULL) return -1;
  Py_ssize_t n = PyBytes_GET_SIZE(b);
  if (_PyBytes_Resize(&b, n + 2) < 0) return -1;
  PyBytes_AS_STRING(b)[n] = 0;
  PyBytes_AS_STRING(b)[n + 1] = 0;
  *holder = b;
  *out = PyBytes_AS_STRING(b);
  if (nbytes != NULL) *nbytes = n;
  return 0;
}

/* UTF-16 out, copied into a str: `nbytes` < 0 means it ends at a two-byte zero. Invalid UTF-16
 * (a lone surrogate) is a UnicodeDecodeError, never a crash. */
static inline PyObject *bnd_from_utf16(const void *s, Py_ssize_t nbytes) {
  if (nbytes < 0) {
    const uint16_t *u = (const uint16_t *)s;
    Py_ssize_t units = 0;
    while (u[units] != 0) ++units;
    nbytes = units * 2;
  }
  int order = PY_BIG_ENDIAN ? 1 : -1;
  return PyUnicode_DecodeUTF16((const char *)s, nbytes, "strict", &order);
}

/* ------------------------------------------------------------------------------------------ */
/* Bytes in: any C-contiguous buffer (bytes, bytearray, memoryview, array), borrowed for the call. */

static inline int bnd_get_bytes(PyObject *o, Py_buffer *b, const char *what) {
  if (PyBytes_CheckExact(o)) {  /* fast path: no export to release */
    b->buf = PyBytes_AS_STRING(o);
    b->len = PyBytes_GET_SIZE(o);
    b->obj = NULL;
    return 0;
  }
  if (PyUnicode_Check(o) || !PyObject_CheckBuffer(o)) {
    PyErr_Format(PyExc_TypeError, "%s: expected a bytes-like object, got %.100s", what,
                 Py_TYPE(o)->tp_name);
    return -1;
  }
  if (PyObject_GetBuffer(o, b, PyBUF_SIMPLE) < 0) {  /* PyBUF_SIMPLE demands contiguity */
    b->obj = NULL;
    return -1;
  }
  return 0;
}

/* Slices of scalars: 1 with `b` filled when `o` is a buffer of exactly this element (size and
 * kind: 'i' signed, 'u' unsigned, 'f' floating point), 0 when `o` is a list or tuple to convert
 * item by item, -1 (TypeError) otherwise. bytes are not int32s: the element type must match. */
static inline int bnd_get_slice(PyObject *o, Py_buffer *b, size_t itemsize, char kind,
                                const char *what) {
  if (PyList_Check(o) || PyTuple_Check(o)) return 0;
  if (PyObject_CheckBuffer(o) && !PyUnicode_Check(o)) {
    if (PyObject_GetBuffer(o, b, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
      b->obj = NULL;
      return -1;
    }
    const char *f = b->format ? b->format : "B";
    if (*f == '@' || *f == '=' || *f == '<' || *f == '!') ++f;  /* native order on x86/ARM LE */
    int ok = (size_t)b->itemsize == itemsize && f[0] != '\0' && f[1] == '\0' &&
             ((kind == 'i' && strchr("bhilqn", f[0])) || (kind == 'u' && strchr("BHILQN", f[0])) ||
              (kind == 'f' && strchr("fd", f[0])));
    if (ok) return 1;
    PyErr_Format(PyExc_TypeError, "%s: a buffer of format '%s' does not hold %zu-byte %s", what,
                 b->format ? b->format : "B", itemsize,
                 kind == 'f' ? "floats" : kind == 'i' ? "signed integers" : "unsigned integers");
    PyBuffer_Release(b);
    b->obj = NULL;
    return -1;
  }
  PyErr_Format(PyExc_TypeError, "%s: expected a list, tuple or typed buffer, got %.100s", what,
               Py_TYPE(o)->tp_name);
  return -1;
}

static inline void bnd_release_bytes(Py_buffer *b) {
  if (b->obj != NULL) PyBuffer_Release(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Handles: one object layout for every class; `ptr` is NULL once closed or consumed.           */

typedef struct {
  PyObject_HEAD
  void *ptr;            /* the C object; NULL after close() or after a call consumed it */
  PyObject *owner;      /* a borrowed handle's owner (or an owned child's parent): kept alive */
  Py_ssize_t exports;   /* zero-copy views into this object's memory that are still alive */
  Py_ssize_t children;  /* owned handles that must not outlive this one (they keep it alive) */
  char owned;           /* destroy `ptr` when closed or collected */
  Py_ssize_t busy;      /* blocking calls running on it with the GIL released (see busy_enter) */
  Py_ssize_t in_call;   /* calls running on it that may call back into Python (see call_enter) */
  Py_ssize_t nkept;     /* slots in `kept` (the class's callbacks of scope `owner`) */
  PyObject *kept[];     /* callables the C object calls later: one per setter, NULL when none */
} bnd_handle;

/* The use-after-close check on every call: a closed handle (or one whose owner was closed, which
 * freed the memory a borrowed handle points into) raises instead of touching freed memory. */
static inline void bnd_raise_busy(PyObject *o, const char *what) {
  PyErr_Format(PyExc_RuntimeError,
               "%s: %.100s object is in use by a blocking call that has not returned (on another "
               "thread, or the call that ran this callback)", what, Py_TYPE(o)->tp_name);
}

static inline void *bnd_handle_ptr(PyObject *o, const char *what) {
  bnd_handle *h = (bnd_handle *)o;
  if (h->ptr == NULL) {
    if (h->busy > 0) bnd_raise_busy(o, what);  /* an affine handle lent to a blocking call */
    else PyErr_Format(PyExc_ValueError, "%s: %.100s object is closed", what, Py_TYPE(o)->tp_name);
    return NULL;
  }
  if (!h->owned && h->owner != NULL && ((bnd_handle *)h->owner)->ptr == NULL) {
    if (((bnd_handle *)h->owner)->busy > 0) bnd_raise_busy(h->owner, what);
    else PyErr_Format(PyExc_ValueError, "%s: the owner of this %.100s object is closed", what,
                      Py_TYPE(o)->tp_name);
    return NULL;
  }
  return h->ptr;
}

/* Busy handles (docs/adr/python-busy-handles.md). A blocking call releases the GIL around its C
 * call; every handle it uses is marked busy first and unmarked once the GIL is back:
 * - busy_enter takes a reference (no deallocation meanwhile) and counts the call in `busy`, so
 *   close(), a consuming call and the collector leave the C object alone;
 * - an `affine` handle is also *lent*: its `ptr` is parked in the call's local and the object's
 *   own `ptr` is NULL until busy_leave, so any other call on it fails in bnd_handle_ptr's slow
 *   path with the busy error. The cost stays on the blocking call: non-blocking calls run the
 *   same null check as before. `free`/`serialized` handles keep their `ptr` (the library
 *   serialises concurrent calls itself).
 * `ptr` is what the call converted earlier: if the object no longer holds it, a conversion that
 * ran Python code (another thread, an __index__) closed or lent it meanwhile, and the call stops
 * before the GIL is released. */
static inline int bnd_handle_busy_enter(PyObject *o, void *ptr, int affine, const char *what) {
  bnd_handle *h = (bnd_handle *)o;
  if (h->ptr != ptr || ptr == NULL) {
    if (h->busy > 0) bnd_raise_busy(o, what);
    else PyErr_Format(PyExc_ValueError, "%s: %.100s object is closed", what, Py_TYPE(o)->tp_name);
    return -1;
  }
  Py_INCREF(o);
  h->busy++;
  if (affine) h->ptr = NULL;
  return 0;
}

static inline void bnd_handle_busy_leave(PyObject *o, void *ptr, int affine) {
  bnd_handle *h = (bnd_handle *)o;
  if (--h->busy == 0 && affine) h->ptr = ptr;
  Py_DECREF(o);
}

/* A call that may run Python code (a callback argument; in a library that keeps callbacks, every
 * call) while it holds the GIL marks the handles it uses for its duration: a callback that closes
 * one of them (a registered function closing its registry), or gives it to a consuming call, is
 * refused instead of freeing the C object under the running call. A reference of its own keeps
 * the object from deallocation meanwhile. (A GIL-free call marks them busy instead.) */
static inline void bnd_handle_call_enter(PyObject *o) {
  Py_INCREF(o);
  ((bnd_handle *)o)->in_call++;
}

static inline void bnd_handle_call_leave(PyObject *o) {
  ((bnd_handle *)o)->in_call--;
  Py_DECREF(o);
}

/* Calls running with the GIL released in this module right now (changed with the GIL held). While
 * one runs, a call on a `serialized` object releases the GIL too: the running call may hold the
 * library's lock and wait for the GIL in a callback (docs/adr/python-gil-and-library-locks.md). */
static Py_ssize_t bnd_blocking_inflight = 0;

/* A call-scope callback reached on a thread that does not hold the GIL: one the library started
 * while the caller, holding the GIL, waits in the C call. No Python can run there (the thread has
 * no thread state, and taking the GIL would wait for the caller forever): the trampoline returns
 * its zero value and sets this flag, which the outer call turns into RuntimeError once C returns.
 * The flag is the module's, not the call's: when a callback that does run on the calling thread lets
 * the interpreter switch to another Python thread, and that thread's call of the same kind returns
 * first, the RuntimeError goes to that call (the refused one returns its result). Telling the calls
 * apart would need the refusal traced to its call (the callable's user data); no test library has
 * two such calls at once. */
static int bnd_foreign_callback_refused = 0;

static inline int bnd_refuse_foreign_callback(void) {
  if (PyGILState_Check()) return 0;
  __atomic_store_n(&bnd_foreign_callback_refused, 1, __ATOMIC_RELAXED);
  return 1;
}

static void bnd_raise_refused_callback(void) {
  if (__atomic_exchange_n(&bnd_foreign_callback_refused, 0, __ATOMIC_RELAXED) && !PyErr_Occurred()) {
    PyErr_SetString(PyExc_RuntimeError,
                    "a callback was called on a thread the library started, while the caller held the GIL: it was not called");
  }
}

static inline void bnd_check_refused_callback(void) {
  if (__atomic_load_n(&bnd_foreign_callback_refused, __ATOMIC_RELAXED)) bnd_raise_refused_callback();
}

/* Before a call writes into the C object (field buffers: zlib's next_in/avail_in): the object
 * still holds the pointer the call converted and no blocking call uses it. A conversion that ran
 * Python code may have let another thread close it or start a GIL-free call on it meanwhile. */
static inline int bnd_handle_idle(PyObject *o, void *ptr, const char *what) {
  bnd_handle *h = (bnd_handle *)o;
  if (h->ptr == ptr && ptr != NULL && h->busy == 0) return 0;
  if (h->busy > 0) bnd_raise_busy(o, what);
  else PyErr_Format(PyExc_ValueError, "%s: %.100s object is closed", what, Py_TYPE(o)->tp_name);
  return -1;
}

static inline void *bnd_handle_arg(PyObject *o, PyTypeObject *type, const char *what) {
  if (!PyObject_TypeCheck(o, type)) {
    PyErr_Format(PyExc_TypeError, "%s: expected %.100s, got %.100s", what, type->tp_name,
                 Py_TYPE(o)->tp_name);
    return NULL;
  }
  return bnd_handle_ptr(o, what);
}

/* A new Python object for a C handle. `owner` (may be NULL) is kept alive by the new object.
 * A class that keeps callables (scope `owner`) has slots for them after the struct, and takes
 * part in cyclic GC: a hook that refers to its own connection is a cycle the collector frees. */
static inline PyObject *bnd_handle_new(PyTypeObject *type, void *ptr, int owned, PyObject *owner) {
  const int gc = PyType_IS_GC(type);
  bnd_handle *h = gc ? PyObject_GC_New(bnd_handle, type) : PyObject_New(bnd_handle, type);
  if (h == NULL) return NULL;
  h->nkept = (type->tp_basicsize - (Py_ssize_t)sizeof(bnd_handle)) / (Py_ssize_t)sizeof(PyObject *);
  for (Py_ssize_t i = 0; i < h->nkept; ++i) h->kept[i] = NULL;
  h->ptr = ptr;
  Py_XINCREF(owner);
  h->owner = owner;
  h->exports = 0;
  h->children = 0;
  h->owned = (char)owned;
  h->busy = 0;
  h->in_call = 0;
  /* An owned child of `owner` (a statement of its database): the owner refuses to close first. */
  if (owned && owner != NULL) ((bnd_handle *)owner)->children++;
  if (gc) PyObject_GC_Track(h);
  return (PyObject *)h;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks of scope `owner`: the C object keeps the callable until it is replaced, cleared or   */
/* the object is destroyed; the Python object holds the reference in one slot per setter.        */

/* Only the object that owns the C handle lives as long as it: a borrowed one (a statement's
 * database) may die first, and the library would call a freed callable. */
static inline int bnd_handle_can_keep(PyObject *self, const char *what) {
  if (((bnd_handle *)self)->owned) return 0;
  PyErr_Format(PyExc_ValueError,
               "%s: this %.100s is borrowed; set the callback on the object that owns it", what,
               Py_TYPE(self)->tp_name);
  return -1;
}

/* After a successful setter: `callable` (a new reference, or NULL when cleared) replaces the
 * slot's callable, which the library no longer calls. Released last: its __del__ may run code. */
static inline void bnd_handle_keep(PyObject *self, Py_ssize_t slot, PyObject *callable) {
  bnd_handle *h = (bnd_handle *)self;
  PyObject *old = h->kept[slot];
  h->kept[slot] = callable;
  Py_XDECREF(old);
}

/* Once the C object is destroyed nothing calls the kept callables: they are released. */
static inline void bnd_handle_drop_kept(bnd_handle *h) {
  for (Py_ssize_t i = 0; i < h->nkept; ++i) Py_CLEAR(h->kept[i]);
}

static inline int bnd_handle_traverse(PyObject *self, visitproc visit, void *arg) {
  bnd_handle *h = (bnd_handle *)self;
  Py_VISIT(h->owner);
  for (Py_ssize_t i = 0; i < h->nkept; ++i) Py_VISIT(h->kept[i]);
  return 0;
}

/* A destroy function may call back into Python (SQLite's rollback hook runs in sqlite3_close).
 * Run from a finaliser or the collector, no caller can receive an exception such a callback
 * raises: it goes to sys.unraisablehook, and any exception being propagated is kept intact. */
typedef struct { PyObject *type, *value, *traceback; } bnd_saved_error;

static inline bnd_saved_error bnd_error_save(void) {
  bnd_saved_error e;
  PyErr_Fetch(&e.type, &e.value, &e.traceback);
  return e;
}

static inline void bnd_error_restore(bnd_saved_error e, PyObject *where) {
  if (PyErr_Occurred()) PyErr_WriteUnraisable(where);
  PyErr_Restore(e.type, e.value, e.traceback);
}

/* Closing while a call uses the object, or with live views into it, would free memory still in
 * use: refuse, close nothing. */
static inline int bnd_handle_can_close(bnd_handle *h) {
  if (h->busy > 0) {
    PyErr_Format(PyExc_RuntimeError,
                 "cannot close %.100s: it is in use by a blocking call that has not returned (on "
                 "another thread, or the call that ran this callback)", Py_TYPE(h)->tp_name);
    return 0;
  }
  if (h->in_call > 0) {
    PyErr_Format(PyExc_RuntimeError,
                 "cannot close %.100s: it is in use by a running call (the call that ran this "
                 "callback has not returned; close it after that call)", Py_TYPE(h)->tp_name);
    return 0;
  }
  if (h->children > 0 && h->ptr != NULL) {
    PyErr_Format(PyExc_ValueError,
                 "cannot close %.100s: %zd object(s) that depend on it are still alive "
                 "(close them first)", Py_TYPE(h)->tp_name, h->children);
    return 0;
  }
  if (h->exports > 0) {
    PyErr_Format(PyExc_BufferError,
                 "cannot close %.100s: %zd memoryview(s) into it are still alive "
                 "(release them first)", Py_TYPE(h)->tp_name, h->exports);
    return 0;
  }
  return 1;
}

/* Detaches the C pointer for a call that takes ownership of it (a `consumed` parameter). */
static inline int bnd_handle_consume_check(PyObject *o, const char *what) {
  bnd_handle *h = (bnd_handle *)o;
  if (!h->owned) {
    PyErr_Format(PyExc_ValueError, "%s: a borrowed %.100s cannot be given away", what,
                 Py_TYPE(o)->tp_name);
    return -1;
  }
  return bnd_handle_can_close(h) ? 0 : -1;
}

/* Releases what a handle holds besides its C object: its owner, and the owner's child count. */
static inline void bnd_handle_release_owner(bnd_handle *h) {
  if (h->owner != NULL && h->owned) ((bnd_handle *)h->owner)->children--;
  Py_CLEAR(h->owner);
}

/* After a call that consumed the handle (the callee freed it or took it over): the object is
 * emptied, as close() leaves it, without destroying anything. */
static inline void bnd_handle_consumed(PyObject *o) {
  bnd_handle *h = (bnd_handle *)o;
  h->ptr = NULL;
  bnd_handle_release_owner(h);
}

static inline PyObject *bnd_handle_enter(PyObject *self, PyObject *unused) {
  (void)unused;
  if (bnd_handle_ptr(self, "__enter__") == NULL) return NULL;
  Py_INCREF(self);
  return self;
}

/* How many blocking calls are using the object right now (in other threads, GIL released). */
static inline PyObject *bnd_handle_blocking_calls(PyObject *self, void *unused) {
  (void)unused;
  return PyLong_FromSsize_t(((bnd_handle *)self)->busy);
}

static inline PyObject *bnd_handle_closed(PyObject *self, void *unused) {
  (void)unused;
  bnd_handle *h = (bnd_handle *)self;
  return PyBool_FromLong(h->ptr == NULL && h->busy == 0);  /* a lent handle is open */
}

/* ------------------------------------------------------------------------------------------ */
/* Zero-copy views: a borrowed buffer exported through the buffer protocol, pinning its owner.   */
/*                                                                                              */
/* The view is the memoryview CPython makes of raw memory (PyMemoryView_FromMemory: a managed    */
/* buffer and the memoryview, two allocations) whose base object is then made the owner: the    */
/* managed buffer's master buffer holds a reference to it, and releasing that buffer (the last   */
/* memoryview on it released or collected) calls the owner type's bf_releasebuffer, which counts  */
/* the export down. Handle types have bf_releasebuffer but no bf_getbuffer, so they are not      */
/* buffers themselves (memoryview(handle) stays a TypeError). docs/adr/python-borrowed-views.md   */
/* says why (a separate exporter object was a third allocation: 1.24x Cython's instructions).     */
/* The managed buffer's layout is CPython's (not the limited API): other builds use the exporter. */

static void bnd_handle_releasebuffer(PyObject *self, Py_buffer *view) {
  (void)view;
  ((bnd_handle *)self)->exports--;
}

static PyBufferProcs bnd_handle_as_buffer = {NULL, bnd_handle_releasebuffer};

#if !defined(Py_LIMITED_API) && !defined(BND_FORCE_VIEW_EXPORTER) && \
    PY_VERSION_HEX >= 0x03080000 && PY_VERSION_HEX < 0x030E0000
#define BND_VIEW_ADOPTS_OWNER 1
#endif

#ifndef BND_VIEW_ADOPTS_OWNER
typedef struct {
  PyObject_HEAD
  bnd_handle *owner;  /* strong reference; owner->exports counts this view */
  const void *buf;
  Py_ssize_t len;
} bnd_view;

static int bnd_view_getbuffer(PyObject *self, Py_buffer *view, int flags) {
  bnd_view *v = (bnd_view *)self;
  return PyBuffer_FillInfo(view, self, (void *)v->buf, v->len, 1, flags);
}

static void bnd_view_dealloc(PyObject *self) {
  bnd_view *v = (bnd_view *)self;
  v->owner->exports--;
  Py_DECREF(v->owner);
  PyObject_Free(self);
}

static PyBufferProcs bnd_view_as_buffer = {bnd_view_getbuffer, NULL};

static PyTypeObject bnd_view_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bindery.BorrowedBuffer",
    .tp_basicsize = sizeof(bnd_view),
    .tp_dealloc = bnd_view_dealloc,
    .tp_as_buffer = &bnd_view_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Memory borrowed from a bindery object; it keeps that object open.",
};
#endif

/* A read-only memoryview of (buf, len) that keeps `owner` alive and open while it exists. */
static inline PyObject *bnd_view_new(PyObject *owner, const void *buf, Py_ssize_t len) {
#ifdef BND_VIEW_ADOPTS_OWNER
  PyObject *mv = PyMemoryView_FromMemory((char *)buf, len, PyBUF_READ);
  if (mv == NULL) return NULL;
  /* Nothing else holds the new managed buffer yet: its master buffer adopts the owner. */
  Py_INCREF(owner);
  ((PyMemoryViewObject *)mv)->mbuf->master.obj = owner;
  PyMemoryView_GET_BUFFER(mv)->obj = owner;  /* memoryview.obj: the object viewed */
  ((bnd_handle *)owner)->exports++;
  return mv;
#else
  bnd_view *v = PyObject_New(bnd_view, &bnd_view_type);
  if (v == NULL) return NULL;
  Py_INCREF(owner);
  v->owner = (bnd_handle *)owner;
  v->owner->exports++;
  v->buf = buf;
  v->len = len;
  PyObject *mv = PyMemoryView_FromObject((PyObject *)v);
  Py_DECREF(v);  /* the memoryview holds it now (or it is freed on failure) */
  return mv;
#endif
}

/* A typed view of `n` items of `format` (struct syntax: 'i', 'd', …): the byte view, cast. */
static inline PyObject *bnd_view_new_typed(PyObject *owner, const void *buf, Py_ssize_t n,
                                           Py_ssize_t itemsize, const char *format) {
  PyObject *bytes = bnd_view_new(owner, buf, n * itemsize);
  if (bytes == NULL) return NULL;
  PyObject *typed = PyObject_CallMethod(bytes, "cast", "s", format);
  Py_DECREF(bytes);
  return typed;
}

/* ------------------------------------------------------------------------------------------ */
/* Callback buffer arguments: text or bytes whose length another argument holds (not             */
/* NUL-terminated), valid during the callback only, so always copied. NULL with length 0 is the   */
/* empty value; a negative length, or NULL with a length, is an error rather than a wild read.    */

enum { BND_CB_UTF8, BND_CB_UTF16, BND_CB_BYTES };

static inline PyObject *bnd_cb_buffer(const void *p, long long n, int kind) {
  if (n < 0 || (p == NULL && n != 0) || (kind == BND_CB_UTF16 && n % 2 != 0)) {
    PyErr_Format(PyExc_ValueError, "a callback argument came with an invalid length (%lld%s)", n,
                 p == NULL ? ", NULL pointer" : "");
    return NULL;
  }
  if (p == NULL) p = "";
  switch (kind) {
    case BND_CB_BYTES: return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)n);
    case BND_CB_UTF16: return bnd_from_utf16(p, (Py_ssize_t)n);
    default: return bnd_from_text((const char *)p, (Py_ssize_t)n);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Callback arrays of handles the library lends for the call (SQLite's sqlite3_value **argv): a   */
/* tuple of borrowed objects (NULL items are None) the trampoline closes when the callback        */
/* returns; the callable gets a list copy, so what it does to its list cannot hide one.           */

/* A callback array argument's length (`n` items of `size` bytes at `items`) before it is read:
 * negative, too large for a list, or NULL with items is a ValueError rather than a wild read. */
static inline int bnd_cb_array_length_ok(const void *items, long long n, size_t size) {
  if (n >= 0 && (unsigned long long)n <= (unsigned long long)PY_SSIZE_T_MAX / size && (items != NULL || n == 0)) {
    return 1;
  }
  PyErr_Format(PyExc_ValueError, "a callback array argument came with an invalid length (%lld%s)", n,
               items == NULL ? ", NULL pointer" : "");
  return 0;
}

static inline PyObject *bnd_cb_lent_handles(PyTypeObject *type, void *const *items, long long n) {
  if (!bnd_cb_array_length_ok(items, n, sizeof *items)) return NULL;
  PyObject *lent = PyTuple_New((Py_ssize_t)n);
  for (Py_ssize_t i = 0; lent != NULL && i < (Py_ssize_t)n; ++i) {
    PyObject *o = items[i] == NULL ? Py_NewRef(Py_None) : bnd_handle_new(type, items[i], 0, NULL);
    if (o == NULL) Py_CLEAR(lent);
    else PyTuple_SET_ITEM(lent, i, o);
  }
  return lent;
}

/* After the callback: every lent object stops working (a kept one raises instead of reading the
 * memory the library frees). NULL (the array was never made) does nothing. */
static inline void bnd_cb_close_lent(PyObject *lent) {
  if (lent == NULL) return;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(lent); ++i) {
    PyObject *o = PyTuple_GET_ITEM(lent, i);
    if (o != Py_None) ((bnd_handle *)o)->ptr = NULL;
  }
}

/* An array of NUL-terminated strings the library lends for the call (`const char *const *argv`
 * with `argc`, sqlite3_module's xCreate arguments): a list of str the callee may keep. A NULL item
 * is None. */
static inline PyObject *bnd_cb_strings(const char *const *items, long long n) {
  if (!bnd_cb_array_length_ok(items, n, sizeof *items)) return NULL;
  PyObject *list = PyList_New((Py_ssize_t)n);
  for (Py_ssize_t i = 0; list != NULL && i < (Py_ssize_t)n; ++i) {
    PyObject *o = items[i] == NULL ? Py_NewRef(Py_None) : bnd_from_cstr(items[i]);
    if (o == NULL) Py_CLEAR(list);
    else PyList_SET_ITEM(list, i, o);
  }
  return list;
}

/* Callback slices of scalars (`const int32_t *window` with its count), valid during the callback
 * only: copied into a list of numbers the callable may keep. `size` is the element's size and
 * `kind` its kind: 'i' signed, 'u' unsigned, 'f' floating point, 'b' bool. One function for every
 * element type: the per-element switch costs nothing next to the Python call it feeds. */
static inline uint64_t bnd_cb_unsigned(const unsigned char *at, size_t size) {
  switch (size) {
    case 1: { uint8_t v; memcpy(&v, at, 1); return v; }
    case 2: { uint16_t v; memcpy(&v, at, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, at, 4); return v; }
    default: { uint64_t v; memcpy(&v, at, 8); return v; }
  }
}

static inline int64_t bnd_cb_signed(const unsigned char *at, size_t size) {
  switch (size) {
    case 1: { int8_t v; memcpy(&v, at, 1); return v; }
    case 2: { int16_t v; memcpy(&v, at, 2); return v; }
    case 4: { int32_t v; memcpy(&v, at, 4); return v; }
    default: { int64_t v; memcpy(&v, at, 8); return v; }
  }
}

static inline PyObject *bnd_cb_scalar(const unsigned char *at, size_t size, char kind) {
  switch (kind) {
    case 'f':
      if (size == sizeof(float)) { float v; memcpy(&v, at, sizeof v); return PyFloat_FromDouble(v); }
      { double v; memcpy(&v, at, sizeof v); return PyFloat_FromDouble(v); }
    case 'b': return PyBool_FromLong(bnd_cb_unsigned(at, size) != 0);
    case 'u': return PyLong_FromUnsignedLongLong(bnd_cb_unsigned(at, size));
    default: return PyLong_FromLongLong(bnd_cb_signed(at, size));
  }
}

static inline PyObject *bnd_cb_scalars(const void *items, long long n, size_t size, char kind) {
  if (!bnd_cb_array_length_ok(items, n, size)) return NULL;
  PyObject *list = PyList_New((Py_ssize_t)n);
  const unsigned char *at = (const unsigned char *)items;
  for (Py_ssize_t i = 0; list != NULL && i < (Py_ssize_t)n; ++i, at += size) {
    PyObject *o = bnd_cb_scalar(at, size, kind);
    if (o == NULL) Py_CLEAR(list);
    else PyList_SET_ITEM(list, i, o);
  }
  return list;
}

/* ------------------------------------------------------------------------------------------ */
/* Interfaces (structs of function pointers the host implements): the message a library gets    */
/* when a host method raised. The exception itself stays pending, for the outer call to raise.   */

/* str() of the pending exception, as UTF-8 in `*message` (never NULL: the exception's type name
 * when str() fails or is empty), owned by the returned object (NULL: *message is static). */
static inline PyObject *bnd_error_text(const char **message) {
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyObject *text = value != NULL ? PyObject_Str(value) : NULL;
  *message = text != NULL ? PyUnicode_AsUTF8(text) : NULL;
  if (*message == NULL || (*message)[0] == '\0') {
    PyErr_Clear();
    Py_CLEAR(text);
    *message = type != NULL && PyType_Check(type) ? ((PyTypeObject *)type)->tp_name : "a Python exception";
  }
  if (value != NULL && traceback != NULL) PyException_SetTraceback(value, traceback);
  PyErr_Restore(type, value, traceback);
  return text;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks: the destroy-notify of a callable the library kept (it holds one reference).        */

static inline void bnd_callback_release(void *callable) {
  if (!Py_IsInitialized()) return;  /* at exit, after finalisation: nothing left to release */
  PyGILState_STATE gil = PyGILState_Ensure();
  Py_DECREF((PyObject *)callable);
  PyGILState_Release(gil);
}

/* ------------------------------------------------------------------------------------------ */
/* Records: classes whose storage is the C struct; repr and == read the attributes (tp_getset). */

static inline int bnd_record_no_delete(PyObject *self, const char *field) {
  PyErr_Format(PyExc_AttributeError, "cannot delete %.100s.%s: a record always has every field",
               Py_TYPE(self)->tp_name, field);
  return -1;
}

/* "Point(x=1, y=2)": the attributes in field order, each by its repr. */
static inline PyObject *bnd_record_repr(PyObject *self) {
  PyTypeObject *t = Py_TYPE(self);
  const char *dot = strrchr(t->tp_name, '.');
  PyObject *out = PyUnicode_FromFormat("%s(", dot ? dot + 1 : t->tp_name);
  for (PyGetSetDef *g = t->tp_getset; out != NULL && g != NULL && g->name != NULL; ++g) {
    PyObject *v = g->get(self, g->closure);
    PyObject *part = v == NULL ? NULL
                     : PyUnicode_FromFormat("%s%s=%R", g == t->tp_getset ? "" : ", ", g->name, v);
    Py_XDECREF(v);
    if (part == NULL) Py_CLEAR(out);
    else PyUnicode_AppendAndDel(&out, part);
  }
  if (out != NULL) PyUnicode_AppendAndDel(&out, PyUnicode_FromString(")"));
  return out;
}

/* Records of one type are equal when every field is (== on the values, not on the bytes: padding
 * and -0.0 are not differences). Other types: NotImplemented. */
static inline PyObject *bnd_record_richcompare(PyObject *a, PyObject *b, int op) {
  if ((op != Py_EQ && op != Py_NE) || Py_TYPE(a) != Py_TYPE(b)) Py_RETURN_NOTIMPLEMENTED;
  int equal = 1;
  for (PyGetSetDef *g = Py_TYPE(a)->tp_getset; equal == 1 && g != NULL && g->name != NULL; ++g) {
    PyObject *x = g->get(a, g->closure);
    PyObject *y = x == NULL ? NULL : g->get(b, g->closure);
    equal = y == NULL ? -1 : PyObject_RichCompareBool(x, y, Py_EQ);
    Py_XDECREF(x);
    Py_XDECREF(y);
  }
  if (equal < 0) return NULL;
  return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

/* ------------------------------------------------------------------------------------------ */
/* Host values: a Python object carried through the library as `void *`. The box is the object   */
/* itself, with a strong reference of its own the library gives back through the release function */
/* (exactly once, also when the call fails; maybe from a finaliser, or a thread without the GIL). */

/* Each module's tag names its boxes ("bindery:python:<library>"): the library hands a tagged
 * pointer back only to a caller asking with the same string, so no other binding's box, nor a
 * pointer the library made itself, is ever taken for a Python object. */
static inline void bnd_host_value_release(void *box) {
  if (box == NULL || !Py_IsInitialized()) return;  /* at exit, after finalisation: nothing to do */
  PyGILState_STATE gil = PyGILState_Ensure();
  Py_DECREF((PyObject *)box);
  PyGILState_Release(gil);
}

/* A box the library hands back: a new reference to its object, or None for NULL (absent). */
static inline PyObject *bnd_host_value_get(void *box) {
  return Py_NewRef(box != NULL ? (PyObject *)box : Py_None);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors: one exception class per library, with `.code` (and `.errno` when the library has one). */

/* Raises `type(message)` with attributes; `message` NULL falls back to a generic text. */
static inline void bnd_raise(PyObject *type, const char *function, long long code,
                             const char *message, int has_errno, int err) {
  PyObject *msg;
  if (message != NULL && message[0] != '\0') {
    msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
  } else if (has_errno && err != 0) {
    msg = PyUnicode_FromFormat("%s: %s", function, strerror(err));
  } else {
    msg = PyUnicode_FromFormat("%s failed (code %lld)", function, code);
  }
  if (msg == NULL) return;
  PyObject *exc = PyObject_CallOneArg(type, msg);
  Py_DECREF(msg);
  if (exc == NULL) return;
  PyObject *c = PyLong_FromLongLong(code);
  PyObject *e = has_errno ? PyLong_FromLong(err) : Py_NewRef(Py_None);
  PyObject *text = PyObject_Str(exc);
  int failed = c == NULL || e == NULL || text == NULL ||
               PyObject_SetAttrString(exc, "code", c) < 0 ||
               PyObject_SetAttrString(exc, "errno", e) < 0 ||
               PyObject_SetAttrString(exc, "message", text) < 0;
  Py_XDECREF(c);
  Py_XDECREF(e);
  Py_XDECREF(text);
  if (failed) {
    Py_DECREF(exc);
    return;
  }
  PyErr_SetObject(type, exc);
  Py_DECREF(exc);
}

/* A library's error message copied while the GIL is released, in the same section as the failed
 * call (docs/adr/python-gil-and-library-locks.md): once the GIL is back, another thread may use the
 * object and overwrite the library's buffer. PyMem_RawMalloc needs no GIL; NULL (no message, or
 * no memory) falls back to bnd_raise's generic text. Freed with PyMem_RawFree. */
static inline char *bnd_copy_message(const char *message) {
  if (message == NULL) return NULL;
  const size_t n = strlen(message) + 1;
  char *copy = (char *)PyMem_RawMalloc(n);
  if (copy != NULL) memcpy(copy, message, n);
  return copy;
}

/* The errno convention: OSError(errno, strerror(errno)), which Python maps to its subclass. */
static inline void bnd_raise_errno(int err, const char *function) {
  if (err == 0) {
    PyErr_Format(PyExc_OSError, "%s failed", function);
    return;
  }
  errno = err;
  PyErr_SetFromErrno(PyExc_OSError);
}

/* A NULL that the IR says never happens: a library bug, reported instead of dereferenced. */
static inline PyObject *bnd_unexpected_null(const char *function) {
  PyErr_Format(PyExc_SystemError, "%s returned NULL where the binding expects a value", function);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Arguments: METH_FASTCALL | METH_KEYWORDS parsing without format strings.                      */

/* Fills `out[0..nparams)` from positional args and keyword names; missing ones stay NULL.
 * `nrequired` leading parameters must be given. Only called when the fast path (exactly the
 * positional arguments, no keywords) does not apply. */
static inline int bnd_parse_args(const char *function, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames, const char *const *names, Py_ssize_t nparams,
                          Py_ssize_t nrequired, PyObject **out) {
  if (nargs > nparams) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %zd argument%s (%zd given)", function,
                 nparams, nparams == 1 ? "" : "s", nargs);
    return -1;
  }
  for (Py_ssize_t i = 0; i < nparams; ++i) out[i] = i < nargs ? args[i] : NULL;
  Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject *key = PyTuple_GET_ITEM(kwnames, k);
    Py_ssize_t i = 0;
    for (; i < nparams; ++i) {
      if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0) break;
    }
    if (i == nparams) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", function, key);
      return -1;
    }
    if (out[i] != NULL) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", function,
                   names[i]);
      return -1;
    }
    out[i] = args[nargs + k];
  }
  for (Py_ssize_t i = 0; i < nrequired; ++i) {
    if (out[i] == NULL) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", function,
                   names[i], i + 1);
      return -1;
    }
  }
  return 0;
}

static inline int bnd_no_kwargs(const char *function, PyObject *kwnames) {
  if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
    PyErr_Format(PyExc_TypeError, "%s() takes no keyword arguments", function);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Enums: created once at import with the `enum` module; values converted back through them.    */

static PyObject *bnd_enum_base;  /* enum.Enum, looked up once at import */

static inline PyObject *bnd_make_enum(PyObject *module, const char *name, const char *base,
                               const char *const *names, const long long *values, Py_ssize_t n) {
  PyObject *enum_mod = PyImport_ImportModule("enum");
  if (enum_mod == NULL) return NULL;
  if (bnd_enum_base == NULL) {
    bnd_enum_base = PyObject_GetAttrString(enum_mod, "Enum");
    if (bnd_enum_base == NULL) {
      Py_DECREF(enum_mod);
      return NULL;
    }
  }
  PyObject *members = PyList_New(n);
  PyObject *cls = NULL;
  if (members == NULL) goto done;
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject *pair = Py_BuildValue("(sL)", names[i], values[i]);
    if (pair == NULL) goto done;
    PyList_SET_ITEM(members, i, pair);
  }
  PyObject *modname = PyModule_GetNameObject(module);
  if (modname == NULL) goto done;
  PyObject *kwargs = Py_BuildValue("{sO}", "module", modname);
  Py_DECREF(modname);
  if (kwargs == NULL) goto done;
  PyObject *base_cls = PyObject_GetAttrString(enum_mod, base);
  if (base_cls != NULL) {
    PyObject *args = Py_BuildValue("(sO)", name, members);
    if (args != NULL) cls = PyObject_Call(base_cls, args, kwargs);
    Py_XDECREF(args);
    Py_DECREF(base_cls);
  }
  Py_DECREF(kwargs);
done:
  Py_XDECREF(members);
  Py_DECREF(enum_mod);
  return cls;
}

/* Enum arguments: ints and members of `cls` pass; a member of another enum is a TypeError. */
static inline int bnd_enum_check(PyObject *o, PyObject *cls, const char *what) {
  if (PyLong_CheckExact(o) || Py_TYPE(o) == (PyTypeObject *)cls) return 0;
  if (bnd_enum_base != NULL && PyObject_TypeCheck(o, (PyTypeObject *)bnd_enum_base) &&
      !PyObject_TypeCheck(o, (PyTypeObject *)cls)) {
    PyErr_Format(PyExc_TypeError, "%s: expected %s, got %.100s", what,
                 ((PyTypeObject *)cls)->tp_name, Py_TYPE(o)->tp_name);
    return -1;
  }
  return 0;
}

/* An enum value from C: the member when it is one, the plain int otherwise (a library may return
 * values newer than its header), so reading never fails on an unknown value. */
static inline PyObject *bnd_enum_from(PyObject *cls, long long v) {
  PyObject *i = PyLong_FromLongLong(v);
  if (i == NULL) return NULL;
  PyObject *m = PyObject_CallOneArg(cls, i);
  if (m == NULL && PyErr_ExceptionMatches(PyExc_ValueError)) {
    PyErr_Clear();
    return i;
  }
  Py_DECREF(i);
  return m;
}

/* ------------------------------------------------------------------------------------------ */

/* PyModule_AddObjectRef that also consumes `value` (PyModule_Add is 3.13+). */
static inline int bnd_module_add(PyObject *m, const char *name, PyObject *value) {
  if (value == NULL) return -1;
  int rc = PyModule_AddObjectRef(m, name, value);
  Py_DECREF(value);
  return rc;
}

static inline int bnd_runtime_init(void) {
  (void)bnd_handle_as_buffer;  /* used by every handle type; a module may have none */
  (void)bnd_blocking_inflight;  /* used by blocking calls; a module may have none */
  (void)bnd_refuse_foreign_callback;  /* used by call-scope callbacks; a module may have none */
  (void)bnd_check_refused_callback;
#ifdef BND_VIEW_ADOPTS_OWNER
  return 0;
#else
  return PyType_Ready(&bnd_view_type);
#endif
}

#endif /* BINDERY_PYTHON_H */
