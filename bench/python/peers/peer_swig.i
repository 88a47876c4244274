/* SWIG peer of the Python benchmark: the same six cases as bindery's module (built with
 * `swig -python -builtin`, SWIG's fastest mode: static types, no Python shadow classes). */
%module peer_swig
%{
#include "benchlib.h"
/* SWIG names its %extend helpers <struct>_<method>: a struct spelled Counter keeps them apart from
 * the library's benchlib_counter_* functions. */
#define Counter benchlib_counter
%}
%include <stdint.i>

%rename(noop) benchlib_noop;
%rename(double_input) benchlib_double_input;
%rename(text_length) benchlib_text_length;
void benchlib_noop(void);
int benchlib_double_input(int input);
size_t benchlib_text_length(const char *s);

/* The opaque counter as a class: SWIG needs a (here empty) struct to extend. */
struct Counter {};
%extend Counter {
  Counter() { return benchlib_counter_new(); }
  ~Counter() { benchlib_counter_free($self); }
  void add(int64_t delta) { benchlib_counter_add($self, delta); }
  /* The 1 KiB payload as a read-only memoryview (zero copy; like Cython's, it does not keep the
   * counter alive). */
  PyObject *data() {
    size_t n = 0;
    const uint8_t *p = benchlib_counter_data($self, &n);
    return PyMemoryView_FromMemory((char *)p, (Py_ssize_t)n, PyBUF_READ);
  }
}
