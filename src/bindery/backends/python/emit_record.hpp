// Records (structs by value) as Python classes: the C struct is the object's storage, each field
// an attribute whose setter range-checks (so a bad value fails where it is assigned), and
// a nested record's attribute is a view into the enclosing storage (`r.origin.x = 1` changes r,
// as it reads). Passing a record to C copies the struct; a record C returns is a new object.
#pragma once

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/layout.hpp"

namespace bindery::backends::python {

/// The struct layout and helpers of every record (`bnd_rec_<R>_new`, `_field`, `_arg`): written
/// before the wrappers, which use them.
void emit_record_helpers(CodeWriter& w, const ir::Module& module);

/// Attributes, constructor, copy and the type object of every record.
void emit_record_types(CodeWriter& w, const ir::Module& module, const ModuleLayout& layout);

/// "Point" → "bnd_rec_Point_arg": `<C struct> *(PyObject *, const char *what)`, the struct inside
/// a record argument, or NULL with a TypeError.
std::string record_arg(const std::string& record_name);

/// Whether every field of `r` can be an attribute ("" when it can, else why not).
std::string unsupported_record(const ir::Module& module, const ir::Record& r);

}  // namespace bindery::backends::python
