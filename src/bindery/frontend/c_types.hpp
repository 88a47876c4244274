// Converting libclang types and attributes into the frontend's plain C model.
#pragma once

#include <clang-c/Index.h>

#include "bindery/frontend/declarations.hpp"

namespace bindery::frontend {

/// Converts a libclang type, following typedefs (recorded in `names`) and attributes
/// (`_Nullable`/`_Nonnull`).
CType convert_type(CXType type);

/// Names the parameters of a function (pointer) type from the declaration that spelled it (a
/// typedef, or a parameter declared as `int (*cb)(void *ctx, int n)`); clang's types keep no names.
void name_function_params(CType& type, CXCursor declaring);

/// Reads the attributes attached to a declaration cursor (function, parameter, typedef, record).
Attributes read_attributes(CXTranslationUnit tu, CXCursor decl);

}  // namespace bindery::frontend
