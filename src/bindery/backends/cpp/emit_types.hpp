// Emitting the library's value-level declarations: exception classes, constants, enums, records.
#pragma once

#include "bindery/backends/cpp/context.hpp"
#include "bindery/backends/cpp/writer.hpp"

namespace bindery::backends::cpp {

void emit_errors(const Context& ctx, Writer& w);
void emit_constants(const Context& ctx, Writer& w);
void emit_enums(const Context& ctx, Writer& w);
void emit_records(const Context& ctx, Writer& w);

}  // namespace bindery::backends::cpp
