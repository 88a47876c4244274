// Planning one generated C++ function from an ir::Function: its C++ parameters, the statements
// of its body (locals, the C call, the error check, the conversions) and its return type.
//
// The plan is pure data; emit_*.cpp print it as a declaration inside a class and as an inline
// definition after all classes, so every class is complete where the bodies need it.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/cpp/context.hpp"

namespace bindery::backends::cpp {

struct ResultField {
  std::string type;
  std::string name;
  std::string doc;
};

/// One C++ parameter: `type name [[lifetimebound]] = default`.
struct ParamDecl {
  std::string type;
  std::string name;
  std::string default_value;
  bool lifetimebound = false;  ///< a returned view borrows from this argument
  std::string str(bool with_default) const {
    std::string s = type + " " + name;
    if (lifetimebound) s += " BINDERY_LIFETIMEBOUND";
    if (with_default && !default_value.empty()) s += " = " + default_value;
    return s;
  }
};

struct FunctionPlan {
  const ir::Function* function = nullptr;
  std::string name;                 ///< C++ name
  std::vector<ParamDecl> params;
  std::vector<std::string> body;    ///< statements, one per line, without indentation
  std::string return_type = "void";
  /// Several results: a struct named `result_struct` with these fields is the return type.
  std::string result_struct;
  std::vector<ResultField> result_fields;
  bool is_noexcept = false;
  bool is_const = false;         ///< method whose C receiver is `const T *`
  bool borrows_self = false;     ///< returns a view of *this: `&`-qualified, `&&` deleted
  bool is_member = false;        ///< has a receiver
  bool is_static_member = false; ///< constructor or static: a static member of its class
  std::vector<std::string> notes;  ///< extra doc lines (lifetimes of returned views, ...)
  /// Members of the receiver's class that keep a callable of scope `owner` (one per callback
  /// parameter): the class declares them, frees them after its destroy function; a Ref, which
  /// owns nothing, does not get this method.
  std::vector<std::string> owner_slots;
  /// The call consumes the receiver (on success only, or always): the body then calls the class's
  /// private `forget_consumed_c_ptr_()`; a Ref, which owns nothing, does not get this method.
  bool consumes_self = false;
  std::string skip;              ///< non-empty: why this function is not generated
};

/// Plans `f`. `owner` is the class the function is emitted in (nullptr: a namespace function).
FunctionPlan plan_function(const Context& ctx, const ir::Function& f, const ir::Handle* owner);

/// The error check after a call read by convention `conv`; `rc` is the C result expression
/// ("" for a pointer convention), `failed` the failure condition, `self` what `${self}` means.
std::vector<std::string> error_throw(const Context& ctx, const ir::ErrorConvention& conv,
                                     const ir::Function& f, const std::string& failed,
                                     const std::string& rc, const std::string& self);

}  // namespace bindery::backends::cpp
