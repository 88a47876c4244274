// The GIL against a library's own lock (docs/adr/python-gil-and-library-locks.md): which library
// calls may wait for a lock that a GIL-free call on another thread holds while it waits for the
// GIL, and the code that makes such a call wait without the GIL.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/ir/ir.hpp"

namespace bindery::backends::python {

/// Whether the library guards objects of handle class `name` with its own lock: the class is
/// `serialized`, or one in its `parent` chain is (a statement takes its connection's mutex, also
/// in its destroy function).
bool under_library_lock(const ir::Module& module, const std::string& name);

/// Writes `statements` (library calls that may wait for such a lock) to run with the GIL held
/// while no GIL-free call of this module is in flight (one load and branch), and otherwise with
/// the GIL released, counted in `bnd_blocking_inflight` like any GIL-free call (a callback they
/// run takes the GIL itself). The statements must not touch Python objects.
void emit_waiting_without_gil(CodeWriter& w, const std::vector<std::string>& statements);

}  // namespace bindery::backends::python
