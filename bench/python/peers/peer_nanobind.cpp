// The six benchmark cases bound with nanobind (a peer in bench.py's table).
#include <nanobind/nanobind.h>

extern "C" {
#include "benchlib.h"
}

namespace nb = nanobind;

namespace {
struct Counter {
  benchlib_counter* p = benchlib_counter_new();
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;
  ~Counter() { benchlib_counter_free(p); }
};
}  // namespace

NB_MODULE(peer_nanobind, m) {
  m.def("noop", &benchlib_noop);
  m.def("double_input", &benchlib_double_input);
  m.def("text_length", [](const char* s) { return benchlib_text_length(s); });
  nb::class_<Counter>(m, "Counter")
      .def(nb::init<>())
      .def("add", [](Counter& c, int64_t d) { benchlib_counter_add(c.p, d); })
      // A read-only memoryview of the borrowed bytes; like pybind11, it does not pin the owner.
      .def("data", [](const Counter& c) {
        size_t n = 0;
        const uint8_t* d = benchlib_counter_data(c.p, &n);
        return nb::steal(PyMemoryView_FromMemory((char*)d, (Py_ssize_t)n, PyBUF_READ));
      });
}
