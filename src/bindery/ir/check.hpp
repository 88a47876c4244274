// Validation of a lowered module: the invariants every backend relies on, in one place.
#pragma once

#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::ir {

/// Reports every broken invariant: a borrow without a live handle source, an owned handle type
/// without destroy, an expression naming something that does not exist, an invalidated borrow
/// group nobody declares.
void check_module(const Module& module, const frontend::TranslationUnit& tu, Diagnostics& diags);

}  // namespace bindery::ir
