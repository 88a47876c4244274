// Conversions of single values between Python objects and C, shared by every emitter that
// converts (function wrappers, record attributes, callback trampolines), so a value crosses the
// boundary the same way wherever it appears.
#pragma once

#include <string>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/ir/ir.hpp"

namespace bindery::backends::python {

/// Python → C: writes the checked conversion of `src` (a PyObject *) into `dst` (of C type
/// `ctype`); on failure the exception is set and `fail` (a C statement) runs. `msg` is the C
/// string expression naming the value in error messages.
void emit_scalar_to_c(CodeWriter& w, ir::Scalar s, const std::string& src, const std::string& dst,
                      const std::string& ctype, const std::string& msg, const std::string& fail);

/// Python → C for an enum or flag set: a member of another enum is a TypeError, a value that is
/// no member (or has foreign bits) a ValueError.
void emit_enum_to_c(CodeWriter& w, const ir::Enum& e, const std::string& src,
                    const std::string& dst, const std::string& ctype, const std::string& msg,
                    const std::string& fail);

/// Python → C for a number or an enum, whichever `t` is (a callback's or an interface method's
/// result): emit_enum_to_c for an enum of the module, emit_scalar_to_c otherwise.
void emit_number_to_c(CodeWriter& w, const ir::Module& m, const ir::Type& t, const std::string& src,
                      const std::string& dst, const std::string& ctype, const std::string& msg,
                      const std::string& fail);

/// C → Python: the expression making a new reference from scalar `value` (NULL on failure).
std::string scalar_to_py(ir::Scalar s, const std::string& value);

}  // namespace bindery::backends::python
