// Interfaces in the Ruby backend (emit_interfaces.cpp): structs of function pointers that Ruby
// objects implement, each a static table of trampolines the registering functions pass.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

/// Whether the backend can implement every method of `iface`; otherwise `why` says what is missing
/// (its table is then not emitted, and no function that passes it is bound).
bool interface_supported(const Context& ctx, const ir::Interface& iface, std::string& why);
/// The interface `fn` registers (one of its params passes the table), or nullptr.
const ir::Interface* registered_interface(const Context& ctx, const ir::Function& fn);
/// The trampolines and the static table of every supported interface that a bound function passes
/// (before any method wrapper).
void emit_interfaces(const Context& ctx, const std::vector<const ir::Function*>& bound, Code& code);

}  // namespace bindery::backends::ruby
