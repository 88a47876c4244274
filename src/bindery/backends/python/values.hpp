// Spelling of single values in the generated C: scalar ranges, local types, conversions.
#pragma once

#include <string>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::python {

struct ScalarInfo {
  const char* fixed;   ///< fixed-width C type, e.g. "int32_t"
  bool is_signed;
  bool is_integer;
  const char* min;     ///< C expressions of the range (integers only)
  const char* max;
  const char* py_type; ///< "int", "bool", "float", "str"
};

ScalarInfo scalar_info(ir::Scalar s);

/// The struct-module format of one scalar ('i', 'd', …), for typed memoryviews.
const char* struct_format(ir::Scalar s);

/// Whether the C function receives `&local` (out-parameters, written counts, in/out capacities).
bool by_address(const ir::Param& p);

/// The C type of a local holding a value of parameter `p` (the pointee for out-parameters).
std::string local_type(const ir::Param& p);

/// A C declaration of `name` with type `ctype`: "int x", and "void (*fn)(void *)" for a
/// function-pointer type spelled without a typedef.
std::string declare(const std::string& ctype, const std::string& name);

/// `T *` → `T` (one level, keeping const on the pointee): the type an out-parameter points to.
std::string strip_pointer(const std::string& c_type);

/// A C identifier from any host name (C keywords get a trailing underscore).
std::string c_ident(const std::string& name);

/// A Python identifier for a host name (Python keywords get a trailing underscore).
std::string py_ident(const std::string& name);

/// "tar_ball" / "tarball" → "TarBall" / "Tarball".
std::string camel(const std::string& name);

/// A C string literal for arbitrary text (docstrings, messages).
std::string c_string(const std::string& text);

}  // namespace bindery::backends::python
