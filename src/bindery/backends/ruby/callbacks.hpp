// Callbacks in the Ruby backend (emit_callback.cpp): which ones it binds, the
// trampolines it writes, and the names the method body uses for them.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

/// An input callback of scope `call` (the ones this backend binds).
bool is_call_callback(const ir::Param& p);
/// An input callback the library keeps after the call (scopes notified, owner, forever).
bool is_kept_callback(const ir::Param& p);
/// Whether the module binds any kept callback or implements an interface (its extension then
/// carries the registry and the pending-exception check after every C call).
bool module_keeps_callbacks(const ir::Module& m);
/// Whether any bound-or-not function passes or returns a host value (TypeKind::HostValue): the
/// extension then needs the registry its boxes live in.
bool module_has_host_values(const ir::Module& m);
/// The method's local bindery_rb_kept record for kept callback `p` (its user data).
std::string kept_var(const ir::Param& p);
/// Whether the function has any callback parameter (bound or not).
bool has_callbacks(const ir::Function& fn);
/// The callback a Ruby block may stand for: the last host parameter, when it is a callback.
const ir::Param* block_param(const ir::Function& fn, const std::vector<const ir::Param*>& host);
/// Whether the backend can bind this callback parameter; otherwise `why` says what is missing.
bool callback_supported(const Context& ctx, const ir::Param& p, std::string& why);
/// A callback argument that is an array of handles the library lends for the call (a Slice naming
/// a handle, SQLite's `sqlite3_value **argv`): the callable gets an Array of borrowed objects.
bool is_handle_array(const Context& ctx, const ir::Param& p);
/// An array of NUL-terminated strings with its count (`const char *const *argv` + `argc`: a Slice
/// of Char with an `encoding`): the callable gets an Array of Strings.
bool is_string_array(const ir::Param& p);
/// Whether a trampoline can give Ruby C argument `p` of a callback (or interface method) `cb`.
bool host_argument_supported(const Context& ctx, const ir::Callback& cb, const ir::Param& p);
/// What a trampoline's protected body passes to Ruby for the C arguments `args` (read from its call
/// struct `c`): the argument expressions, and the handles lent for the call (closed after it).
struct HostArguments {
  std::vector<std::string> argv;  ///< one VALUE expression per Ruby argument
  std::vector<std::string> lent;  ///< the lent handles' VALUEs (argv names them as `lent[i]`)
  bool arrays = false;            ///< arrays of lent handles: every lent object is in the local Array `lent`
};
/// Emits the conversions of `args` (user data and buffer lengths skipped) into `code`.
HostArguments emit_host_arguments(const Context& ctx, const ir::Callback& cb, const std::vector<const ir::Param*>& args,
                                  Code& code);
/// Emits `VALUE r = …;`: `recv.call(args…)` (`method` empty) or the public method `method` of `recv`,
/// closing the lent handles when it returns or raises.
void emit_host_call(Code& code, const HostArguments& args, const std::string& recv, const std::string& method);
/// The method's local bindery_rb_cb frame for callback `p` (its user data points to it).
std::string frame_var(const ir::Param& p);
/// The generated C function passed as the function pointer.
std::string trampoline_symbol(const ir::Function& fn, const ir::Param& p);
/// The trampolines (and their protected bodies) of every bound callback of `fn`.
void emit_trampolines(const Context& ctx, const ir::Function& fn, Code& code);

}  // namespace bindery::backends::ruby
