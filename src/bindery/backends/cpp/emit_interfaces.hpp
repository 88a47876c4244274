// Interfaces the application implements (ir::Interface, SQLite's sqlite3_module): the abstract
// classes it derives from, and per interface the trampolines and the static table of function
// pointers the library calls (docs/adr/cpp-interfaces.md).
//
// One abstract class for the registration's object (Interface::name, e.g. `Source`) and one per
// object the library asks for (ImplementedObject::name: `Table`, `Cursor`): a required method is
// pure virtual, an optional one does nothing unless overridden. A method that makes an object
// returns std::unique_ptr<Object>; the binding owns it from then on and deletes it when the library
// releases the object. An exception never crosses the library's frames: the trampoline catches it,
// hands the library its failure status and message, and parks it for the wrapper that made the C
// call (the kept callbacks' mechanism).
#pragma once

#include <string>

#include "bindery/backends/cpp/context.hpp"
#include "bindery/backends/cpp/writer.hpp"

namespace bindery::backends::cpp {

/// `class Source;` … for every interface class (the registering functions take them).
void emit_interface_forward_declarations(const Context& ctx, Writer& w);

/// The interface classes (after the handle classes, whose types the methods take, are complete).
void emit_interface_classes(const Context& ctx, Writer& w);

/// Each interface's trampolines and its table `Interface::table` (before any wrapper: the
/// registration passes `&table`).
void emit_interface_tables(const Context& ctx, Writer& w);

/// Why the interface cannot be generated ("" when it can); its registering functions are then not
/// generated either.
std::string interface_failure(const Context& ctx, const ir::Interface& iface);

/// The C++ class of the interface's registered object (`Source`).
std::string interface_class(const ir::Interface& iface);

}  // namespace bindery::backends::cpp
