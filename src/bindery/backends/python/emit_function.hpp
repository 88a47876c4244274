// One C wrapper function per bound IR function: argument parsing, conversion, the direct call,
// the error convention, and the conversion of results.
#pragma once

#include <string>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/plan.hpp"

namespace bindery::backends::python {

/// CPython calling convention chosen for a wrapper: the cheapest one its signature allows.
enum class CallKind { NoArgs, One, FastKeywords };

CallKind call_kind(const FunctionPlan& plan);
/// "METH_NOARGS", "METH_O" or "METH_FASTCALL | METH_KEYWORDS".
std::string call_flags(CallKind kind);
/// The static string naming this module's host-value boxes: "bindery:python:<library>".
std::string host_tag(const ir::Module& module);
/// The C name of the wrapper for `fn`.
std::string wrapper_name(const ir::Function& fn);
/// "Tarball" for a handle's C type object → "bnd_type_Tarball".
std::string type_object(const std::string& handle_name);
std::string enum_object(const std::string& enum_name);
/// "Point" → "bnd_rtype_Point", the type object of a record class.
std::string record_type_object(const std::string& record_name);
/// "Point" → "bnd_rec_Point_new": `PyObject *(const <C struct> *)`, a new record object (a copy).
std::string record_new(const std::string& record_name);
/// "Error" → "bnd_exc_Error"; "" (OSError) → "PyExc_OSError".
std::string exception_object(const std::string& exception_name);

/// Writes `static PyObject *<wrapper>(…) { … }`.
void emit_function(CodeWriter& w, const ir::Module& module, const FunctionPlan& plan);

}  // namespace bindery::backends::python
