// Callbacks: a C trampoline per callback parameter that calls the Python callable carried in the
// hidden user data.
//
// Scope `call`: the callable is the wrapper's own argument, passed as user data with no new
// reference and no allocation. `notified`: the binding adds a reference and the destroy-notify
// drops it. `owner`: the receiver's Python object holds the reference in a slot of its own
// (one per setter): setting again replaces it, None clears it, close()/deallocation drops it
// after the C object is destroyed, and tp_traverse visits it so cycles through it are collected.
// `forever`: the reference is never dropped (the library never says when it is done).
// An exception raised by the callable stays set in the calling thread; later calls of the
// trampoline during the same C call are skipped (returning 0), and the wrapper that made the C
// call raises it once the C function has returned (every wrapper of a module with kept callbacks
// checks). With no wrapper to raise it — a thread Python does not know, or a destroy run by the
// finaliser or the garbage collector — it goes to sys.unraisablehook (docs/adr/python-kept-callbacks.md).
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/layout.hpp"

namespace bindery::backends::python {

/// "" when `cb` can be bound, else why not.
std::string unsupported_callback(const ir::Module& module, const ir::Param& p);

/// Whether the trampoline of `cb` (a callback parameter of `fn`) runs on the caller's GIL — a
/// call-scope callback of a call that keeps the GIL — rather than taking it: such a trampoline
/// refuses a thread the library started, and the wrapper raises the refusal after the call.
bool runs_on_callers_gil(const ir::Function& fn, const ir::Callback& cb);

/// A slice of numbers the library lends to a callback (`const int32_t *window` with its count):
/// the callable gets a list copy.
bool is_scalar_array(const ir::Param& p);

/// "" when argument `a` (one of `params`, a callback's or an interface method's) can be passed to
/// Python, else why not.
std::string unsupported_lent_argument(const ir::Module& module, const std::vector<ir::Param>& params,
                                      const ir::Param& a);

/// Converts argument `a` of a trampoline (the C value `bnd_a<index>`, lent for the call) into a
/// new reference in `dst`; `fail` (a C statement) runs when that fails. Handle arguments made
/// for the call are added to `lent`, closed by emit_close_lent once the callee returned.
void emit_lent_argument(CodeWriter& w, const ir::Module& module, const std::vector<ir::Param>& params,
                        const ir::Param& a, const std::string& dst, const std::string& fail,
                        std::vector<std::string>& lent);

/// The locals holding arrays of handles lent for the call (declared before the first `goto`).
void declare_lent_arrays(CodeWriter& w, const std::vector<const ir::Param*>& args);

/// After the callee returned: every handle lent for the call stops working.
void emit_close_lent(CodeWriter& w, const std::vector<const ir::Param*>& args,
                     const std::vector<std::string>& lent);

/// The C function passed for callback parameter `p` of `fn`.
std::string trampoline_name(const ir::Function& fn, const ir::Param& p);

/// A UTF-8 text input the library keeps past the call (`own: capture`, until the next such call
/// or the receiver's destroy): the receiver's object keeps the `str` (whose UTF-8 buffer the
/// library holds) in a slot, as it keeps an owner-scope callable.
bool captured_text(const ir::Param& p);

/// Kept in a slot of the receiver's object: the callable of an owner-scope callback, or
/// captured text.
bool kept_by_owner(const ir::Param& p);

/// The slot of the receiver's object that keeps the callable of owner-scope callback `p` of
/// `fn` (or captured text, numbered over the functions of `fn`'s class in IR order), -1 when `p`
/// is not one.
int owner_slot(const ir::Module& module, const ir::Function& fn, const ir::Param& p);

/// How many owner-scope callables an object of class `class_name` keeps.
int owner_slots(const ir::Module& module, const std::string& class_name);

/// Whether the C call may run Python code that outlives a call (notified / forever callbacks, or
/// the methods of an interface's host objects): then every wrapper checks for a pending exception
/// after its C call.
bool has_stored_callbacks(const ir::Module& module);

/// The trampolines of every bound function, written before the wrappers.
void emit_trampolines(CodeWriter& w, const ir::Module& module, const ModuleLayout& layout);

/// The `.pyi` spelling of a callback parameter: `Callable[[int], int]`.
std::string callback_stub_type(const ir::Callback& cb);

}  // namespace bindery::backends::python
