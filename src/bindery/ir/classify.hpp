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

/// Whether `type` is the struct `record` (one of its typedef or tag names).
bool names_record(const frontend::CType& type, const frontend::RecordDecl& record);

/// A callback's (or an interface method's) argument without `args:`: a handle or text lent for the
/// call, else a value (type Void when it has no host mapping).
void classify_lent_argument(const LoweringContext& ctx, const frontend::CType& type, const std::string& function, Param& p);

/// Whether an argument of this type can carry another argument's element count (an integer: not a
/// bool, a text unit or a float).
bool counts_elements(const Type& type);

/// Ties a callback's (or an interface method's) buffer argument to the argument holding its length,
/// which hosts then never see.
void tie_length(Param& buffer, Param& count);

/// Why buffer_argument_type could not map an argument (kind None when it could).
struct BufferArgumentProblem {
  enum class Kind { None, Error, NoMapping } kind = Kind::None;
  std::string message;
};

/// The type of a callback's (or an interface method's) argument named in `args:`: text (UTF-8 or
/// UTF-16), bytes, a slice of scalars, or an array of handles or strings with a length — valid
/// during the call only (hosts copy it).
Type buffer_argument_type(const LoweringContext& ctx, const frontend::CType& type, const config::CallbackArgSpec& spec,
                          const std::string& function, BufferArgumentProblem& problem);

/// Lowers `decl` with its merged annotations (params keyed "$N") into `ctx.module.functions`, or
/// records it in `ctx.module.unbound` with the reason.
void lower_function(LoweringContext& ctx, const frontend::FunctionDecl& decl,
                    const config::FunctionSpec& spec, const std::vector<std::string>& names);

}  // namespace bindery::ir
