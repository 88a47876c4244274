// Classifying one function: its role, each parameter, its result.
#pragma once

#include <string>
#include <vector>

#include "bindery/config/config.hpp"
#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/lowering_context.hpp"

namespace bindery::ir {

/// Lowers `decl` with its merged annotations (params keyed "$N") into `ctx.module.functions`, or
/// records it in `ctx.module.unbound` with the reason.
void lower_function(LoweringContext& ctx, const frontend::FunctionDecl& decl,
                    const config::FunctionSpec& spec, const std::vector<std::string>& names);

}  // namespace bindery::ir
