// What the node backend binds, decided once from the IR and read by every emitter (native C,
// index.js, index.d.ts), so the three files cannot disagree about a name, an argument or a result.
#pragma once

#include <string>
#include <vector>

#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::backends::node {

/// One value the host receives from a call: the C return value or an out-parameter.
struct ResultSlot {
  std::string js_name;          ///< key when several results come back as an object
  const ir::Param* param = nullptr;  ///< null: the C return value
};

struct FnPlan {
  const ir::Function* fn = nullptr;
  std::string js_name;      ///< camelCase name as the host sees it
  std::string native_name;  ///< property of the native addon object (the C name)
  std::string what;         ///< "Class.method" / "function" for error messages
  const ir::Param* self = nullptr;
  std::vector<const ir::Param*> inputs;  ///< host arguments, in order (self excluded)
  size_t required = 0;                   ///< inputs before the first trailing optional one
  std::vector<ResultSlot> results;       ///< what comes back (empty: undefined)
  bool returns_value = false;            ///< the C return value is one of `results`
  bool is_static = false;                ///< a class's constructor/static: no self
  bool needs_js_wrapper = false;         ///< handles or views cross: JS must (un)wrap
  bool count_returned = false;           ///< the C return value is a Buffer's written count
  /// `blocking: true`: also bound as `<js_name>Async`, run on the libuv pool, returning a Promise
  /// (not when a callback must run on the JS thread during the call).
  bool has_async = false;
  /// A constructor of a pinned handle: the binding allocates the C struct (zeroed, fields preset),
  /// the init function fills it through this param, and the new handle is the result.
  const ir::Param* pinned_self = nullptr;
  /// The receiver's buffers pass through its fields (zlib's next_in/avail_in…): the host passes
  /// `input` bytes and an output `capacity` after the receiver and gets {status, consumed, output}.
  const ir::FieldBuffers* field_buffers = nullptr;
  /// The call may run JavaScript (a callback argument, or a hook kept by the library): its handles
  /// are marked in a call meanwhile, so a callback cannot close what the C function is using.
  bool may_call_js = false;
  /// index.js calls the native function from a JS function that checked the arity already (class
  /// members, wrapped free functions): the native side does not check it again.
  bool js_checks_arity = false;
  /// Host arguments the field buffers add (input bytes, output capacity).
  size_t field_buffer_args() const {
    return field_buffers ? (field_buffers->in_pointer.empty() ? 0 : 1) + (field_buffers->out_pointer.empty() ? 0 : 1)
                         : 0;
  }
};

struct ClassPlan {
  const ir::Handle* handle = nullptr;
  int id = 0;  ///< 1-based class number shared by C and JS
  std::vector<FnPlan> constructors;
  std::vector<FnPlan> statics;
  std::vector<FnPlan> methods;
};

struct ModulePlan {
  const ir::Module* module = nullptr;
  std::string error_class;  ///< e.g. "TextError"
  std::vector<ClassPlan> classes;
  std::vector<FnPlan> functions;  ///< module-level functions
  /// Some bound function takes a callback: JavaScript may run while a C call uses a handle, so a
  /// consumed handle argument is checked not to be in such a call.
  bool any_callbacks = false;
  /// Interfaces bound (every method's arguments and result convertible): a static table each, whose
  /// trampolines call methods of JS objects. JavaScript may then run during any call of the module.
  std::vector<const ir::Interface*> interfaces;
  const ClassPlan* find_class(const std::string& name) const;
};

/// Builds the plan. What the backend cannot bind yet is reported as a warning and left out (the
/// function is absent from the host API, never bound half-way).
ModulePlan make_plan(const ir::Module& module, Diagnostics& diags);

/// Optional argument: the host may omit or pass undefined.
bool is_optional(const ir::Param& p);

/// A callback argument the JS function does not see: the user data, and a Length that says how long
/// another of the callback's arguments (text or bytes) is.
bool hidden_in_callback(const ir::Callback& cb, const ir::Param& q);

/// The arguments an interface method's JS method receives, in order: the Inputs but the receiver
/// and the out-arguments (`makes`, `result_to`, `error_out`); Lengths are hidden.
std::vector<const ir::Param*> host_arguments(const ir::InterfaceMethod& m);

/// The object of interface `i` whose C type is `c_name` (an InterfaceMethod's receiver_object or
/// makes_object), or null.
const ir::ImplementedObject* find_object(const ir::Interface& i, const std::string& c_name);

/// The JS-facing name of the object a method is called on: the interface's own name (the registered
/// object) or the ImplementedObject's ("Table", "Cursor").
std::string receiver_name(const ir::Interface& i, const ir::InterfaceMethod& m);

/// The interface whose static table a function passes (its Fixed param is `&<table>`), or null.
const ir::Interface* implemented_by(const ir::Module& m, const ir::Function& f);

/// The host's name for an argument: a Buffer is passed as its capacity, named after that param.
std::string host_name(const ir::Function& f, const ir::Param& p);

}  // namespace bindery::backends::node
