// Classifying one function: its role, each parameter, its result.
#pragma once

#include <string>
#include <vector>

#include "bindery/config/config.hpp"
#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/lowering_context.hpp"

namespace bindery::ir {

/// Resolves a parameter key (a name, or $N) against the parameter names; -1 when it matches nothing.
int param_index(const std::string& key, const std::vector<std::string>& names);

/// Lowers `decl` with its merged annotations (params keyed "$N") into `ctx.module.functions`, or
/// records it in `ctx.module.unbound` with the reason.
void lower_function(LoweringContext& ctx, const frontend::FunctionDecl& decl,
                    const config::FunctionSpec& spec, const std::vector<std::string>& names);

}  // namespace bindery::ir
