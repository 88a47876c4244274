// Small readers of C++ declarations that libclang 14 has no direct call for: noexcept(true), `= delete`,
// [[clang::lifetimebound]] on a parameter or on `this`, and a default argument as written. Shared by
// the frontend's walk over the headers and by the template patterns (cxx_templates.cpp).
#pragma once

#include <clang-c/Index.h>

#include <string>
#include <vector>

namespace bindery::frontend::cxx {

/// noexcept / noexcept(true) / throw(): a shim over it needs no try/catch. noexcept(expr) other than
/// the literal `true` counts as "may throw", which is always safe.
bool is_noexcept(CXTranslationUnit tu, CXCursor function);

/// `= delete` at the end of the declaration.
bool is_deleted(CXTranslationUnit tu, CXCursor function);

/// [[clang::lifetimebound]] on a parameter: a returned view borrows from it.
bool is_lifetimebound_param(CXTranslationUnit tu, CXCursor param);

/// [[clang::lifetimebound]] after the parameter list of a method: a returned view borrows from `this`.
bool is_lifetimebound_this(CXTranslationUnit tu, CXCursor method);

/// A parameter's default argument as written ("1.5", "Color::Red", "-1"); "" when it has none.
std::string default_argument(CXTranslationUnit tu, CXCursor param);

}  // namespace bindery::frontend::cxx
