// Turning a C result (return value or out-parameter) into a Ruby VALUE, with its ownership rules:
// owned text/bytes are copied then freed, borrowed ones copied, handles wrapped with their owner.
#pragma once

#include <string>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

struct OutValue {
  const ir::Type* type = nullptr;
  const ir::Lifetime* lifetime = nullptr;
  std::string c_expr;      ///< the C value (an lvalue: records are passed by address)
  std::string length;      ///< C expression of the buffer length ("" = NUL-terminated)
  std::string owner;       ///< Ruby VALUE the result borrows from or must not outlive ("Qnil")
  std::string function;    ///< C function name, for error messages
  bool known_non_null = false;  ///< NULL was already handled (a NullError convention)
  bool view = false;            ///< bytes as a <Module>::View over the C memory (owner tracks it)
};

/// Emits statements that set a new local `VALUE <var>` from `v`.
void emit_out_value(const Context& ctx, const OutValue& v, const std::string& var, Code& code);

/// True for the IR types that are pointers in C (NULL is possible).
bool is_pointer_kind(const ir::Type& type);

/// "int32_t", "double", "bool", "char": the C type of a scalar.
std::string c_scalar(ir::Scalar s);

/// `c_type` with one level of pointer removed ("size_t *" -> "size_t").
std::string strip_pointer(std::string c_type);

}  // namespace bindery::backends::ruby
