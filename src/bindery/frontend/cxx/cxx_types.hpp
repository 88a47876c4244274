// Sorts a libclang type into a CxxType: scalars by width, the standard vocabulary types the C
// layer understands (string, string_view, span, vector, optional, unique_ptr) by their template
// name in namespace std, and library classes and enums by qualified name.
#pragma once

#include <clang-c/Index.h>

#include <string>

#include "bindery/frontend/cxx/cxx_api.hpp"

namespace bindery::frontend::cxx {

CxxType classify_type(CXType type);

/// "geo::shapes::Circle" for a declaration nested in namespaces and classes; inline namespaces
/// (std::__cxx11) are left out so the name is the one users write.
std::string qualified_name(CXCursor decl);

}  // namespace bindery::frontend::cxx
