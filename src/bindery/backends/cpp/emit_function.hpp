// Printing planned functions: declarations inside a class, inline definitions after all classes,
// and the small result structs of functions with several results.
#pragma once

#include <string>

#include "bindery/backends/cpp/function_plan.hpp"
#include "bindery/backends/cpp/writer.hpp"

namespace bindery::backends::cpp {

/// The doc comment of a generated function: the C doc, lifetime notes, the C function it calls.
void emit_function_doc(const FunctionPlan& plan, Writer& w);

/// A member declaration; a borrowing member also gets its deleted `&&` overload.
void emit_member_declaration(const FunctionPlan& plan, Writer& w);

/// The inline definition: `cls` is the class for members ("" for namespace functions, which are
/// declared and defined at once, with their doc comment).
void emit_definition(const FunctionPlan& plan, const std::string& cls, Writer& w);

void emit_result_struct(const FunctionPlan& plan, Writer& w);

}  // namespace bindery::backends::cpp
