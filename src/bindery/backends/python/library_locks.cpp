#include "bindery/backends/python/library_locks.hpp"

#include "bindery/backends/python/plan.hpp"

namespace bindery::backends::python {

bool under_library_lock(const ir::Module& module, const std::string& name) {
  const ir::Handle* h = find_handle(module, name);
  for (int depth = 0; h != nullptr && depth < 16; ++depth) {  // (a cycle of parents is an IR bug)
    if (h->thread == "serialized") return true;
    h = h->parent.empty() ? nullptr : find_handle(module, h->parent);
  }
  return false;
}

void emit_waiting_without_gil(CodeWriter& w, const std::vector<std::string>& statements) {
  w.open("if (bnd_blocking_inflight == 0) {");
  for (const auto& s : statements) w.line(s);
  w.close();
  // A GIL-free call on another thread may hold the lock and wait for the GIL in a callback.
  w.open("else {");
  w.line("bnd_blocking_inflight++;");
  w.line("Py_BEGIN_ALLOW_THREADS");
  for (const auto& s : statements) w.line(s);
  w.line("Py_END_ALLOW_THREADS");
  w.line("bnd_blocking_inflight--;");
  w.close();
}

}  // namespace bindery::backends::python
