// Emitting a handle class: a move-only RAII owner (kind handle) or a copyable non-owning
// wrapper (kind opaque_borrowed), with its members declared inside and defined after all classes.
#pragma once

#include <vector>

#include "bindery/backends/cpp/function_plan.hpp"
#include "bindery/backends/cpp/writer.hpp"

namespace bindery::backends::cpp {

struct ClassPlan {
  const ir::Handle* handle = nullptr;
  std::vector<FunctionPlan> members;   ///< constructors, statics and methods, in IR order
  const ir::Function* destroy = nullptr;  ///< the destroy function's IR entry, when bound
};

void emit_class_declaration(const Context& ctx, const ClassPlan& cls, Writer& w);
void emit_class_definitions(const Context& ctx, const ClassPlan& cls, Writer& w);

/// The non-owning `<Name>Ref` of an owned handle (only for handles in `ctx.refs`): the same
/// methods, no destructor; an owner converts to it implicitly (an rvalue owner does not).
void emit_ref_declaration(const Context& ctx, const ClassPlan& cls, Writer& w);
void emit_ref_definitions(const Context& ctx, const ClassPlan& cls, Writer& w);

}  // namespace bindery::backends::cpp
