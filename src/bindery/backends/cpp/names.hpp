// Spelling IR names and types as C++: keywords, case conversion, scalar types.
#pragma once

#include <string>
#include <string_view>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::cpp {

/// `name` unchanged, or with a trailing `_` when it is a C++ keyword or would clash with a
/// standard macro (so `delete`, `new`, `errno` stay usable as parameter and method names).
std::string safe_identifier(std::string_view name);

/// "read_only" / "READ_ONLY" / "readOnly" -> "ReadOnly"; a leading digit gets a `V` prefix.
std::string camel_case(std::string_view name);

/// The C++ spelling of a scalar: `bool`, `char`, `std::int32_t`, `double`, ...
std::string scalar_type(ir::Scalar s);

/// Drops one trailing `*` (and surrounding spaces) from a C type: "size_t *" -> "size_t".
std::string pointee_type(std::string_view c_type);

/// Removes every `const` qualifier from a C type spelling: "const char *" -> "char *".
std::string without_const(std::string_view c_type);

/// The C spelling of a pointer to handle `h`'s object, for stored pointers, casts and destroy calls:
/// "sqlite3*", or the pointer typedef a handle is declared on ("sqlite3_filename"), which is used
/// as it is (its pointee may be `const char`, yet it is an opaque handle, never text).
std::string handle_pointer(const ir::Handle& h);

/// A C++ string literal holding `text` (escaped).
std::string string_literal(std::string_view text);

/// Replaces whole identifiers in a C expression: each `*from` (a dereference) by `deref_to`, each
/// other `from` by `to`. Used to point annotation expressions at the wrapper's locals.
std::string replace_identifier(std::string_view expr, std::string_view from, std::string_view to,
                               std::string_view deref_to);

}  // namespace bindery::backends::cpp
