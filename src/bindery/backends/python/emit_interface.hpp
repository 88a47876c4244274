// Interfaces: structs of function pointers the host implements (SQLite's sqlite3_module), or a
// function's function-pointer parameters (SQLite's create_window_function).
//
// Each interface becomes one static table of trampolines, defined before the wrappers (the
// function that registers it passes `&table`, a Fixed param). A trampoline takes the GIL, finds
// the host object — the registration's box (the Python object itself) or the box inside an
// object the binding allocated (`struct { C base; void *box; }`, the lowering's shims) — and
// calls its method by name: any object with the methods will do (duck typing; the stub declares
// typing.Protocol classes). Arguments are converted like a callback's (handles lent for the call,
// lists of str for string arrays). A raised exception stays pending, exactly like a kept
// callback's: the library gets `on_error` and the message (through the error out-argument or the
// receiver object's error field), and the wrapper whose C call ran the method raises it once C
// returns. Methods run while an exception is already pending are skipped, except those that
// release their object, which must run (docs/adr/python-interfaces.md).
//
// A function's parameters have no table: each trampoline is defined under the IR's name, the one
// the registering function passes. Their receiver may be a per-group slot (an aggregate's
// context): on a group's first call the trampoline calls the registered factory and boxes the
// object it returns in the slot; the releasing method (final) empties the slot after its call.
#pragma once

#include <string>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/layout.hpp"
#include "bindery/ir/ir.hpp"

namespace bindery::backends::python {

/// "" when every method of `iface` can be called in Python, else why not.
std::string unsupported_interface(const ir::Module& module, const ir::Interface& iface);

/// The interface a function registers (one of its params passes its table), nullptr when none.
const ir::Interface* registered_interface(const ir::Module& module, const ir::Function& fn);

/// The Python name of the protocol class for an interface or one of its objects (`Source`,
/// `Table`), with `Protocol` appended when the module already has a class of that name.
std::string protocol_name(const ir::Module& module, const std::string& name);

/// The stub type of the host value registering `iface`: its protocol, or a factory of it
/// (`Callable[[], Aggregate]`) when its methods find their object in a per-group slot.
std::string registration_type(const ir::Module& module, const ir::Interface& iface);

/// The method names of the interfaces emitted, interned once (`static PyObject *`), declared at
/// file scope.
void declare_interface_names(CodeWriter& w, const ir::Module& module, const ModuleLayout& layout);

/// In PyInit, before the module object exists: interns the method names (returns NULL on failure).
void init_interface_names(CodeWriter& w, const ir::Module& module, const ModuleLayout& layout);

/// The trampolines and the static table of every interface a bound function registers.
void emit_interfaces(CodeWriter& w, const ir::Module& module, const ModuleLayout& layout);

/// typing.Protocol classes for the host objects (valid both in the package and in its stub).
/// Optional methods are documented, not declared: an object without them still conforms.
void emit_protocols(CodeWriter& w, const ir::Module& module);

}  // namespace bindery::backends::python
