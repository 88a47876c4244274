// The six benchmark cases bound with pybind11 (a peer in bench.py's table).
#include <pybind11/pybind11.h>

extern "C" {
#include "benchlib.h"
}

namespace py = pybind11;

namespace {
struct Counter {
  benchlib_counter* p = benchlib_counter_new();
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;
  ~Counter() { benchlib_counter_free(p); }
};
}  // namespace

PYBIND11_MODULE(peer_pybind11, m) {
  m.def("noop", &benchlib_noop);
  m.def("double_input", &benchlib_double_input);
  m.def("text_length", [](const char* s) { return benchlib_text_length(s); });
  py::class_<Counter>(m, "Counter")
      .def(py::init<>())
      .def("add", [](Counter& c, int64_t d) { benchlib_counter_add(c.p, d); })
      // Zero copy, but without pinning the owner (pybind11 has no such view): faster than safe.
      .def("data", [](const Counter& c) {
        size_t n = 0;
        const uint8_t* d = benchlib_counter_data(c.p, &n);
        return py::memoryview::from_memory(const_cast<uint8_t*>(d), static_cast<py::ssize_t>(n), true);
      });
}
