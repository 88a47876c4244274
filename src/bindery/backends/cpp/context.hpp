// What every emit step of the cpp backend shares: the module, the diagnostics sink, and lookups
// into the IR (kept here so the backend reads only ir.hpp's data, not its out-of-line helpers).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::backends::cpp {

struct Context {
  const ir::Module& module;
  Diagnostics& diags;
  /// Owned handles that some function hands out borrowed: they get a non-owning `<Name>Ref`
  /// class, and parameters of that type accept either the owner or a Ref.
  std::set<std::string> refs;
  /// Every name a generated function or method may take (each function's host name, `create`):
  /// a C function of one of these names is called as `::name` so the wrapper does not find itself.
  std::set<std::string> cxx_function_names;

  /// Fills `refs` from the functions' borrowed results and the handles lent to callbacks.
  void find_refs();
  /// Fills `cxx_function_names`.
  void find_function_names();
  /// The C++ type of a borrowed reference to handle `h` (`FooRef`, or the class itself for an
  /// opaque_borrowed handle, which is non-owning already).
  std::string ref_type(const ir::Handle& h) const;

  const ir::Handle* handle(const std::string& name) const;
  const ir::Record* record(const std::string& name) const;
  const ir::Enum* enumeration(const std::string& name) const;
  const ir::ErrorConvention* convention(const std::string& name) const;
  /// The handle whose `destroy` is `c_name`, if any.
  const ir::Handle* handle_destroyed_by(const std::string& c_name) const;
  /// The Function entry for a C name, if bound.
  const ir::Function* function(const std::string& c_name) const;

  /// The C++ exception class a convention throws, as spelled inside the library's namespace:
  /// "Error" (the library's own), or a class derived from it, or "std::system_error".
  std::string exception_class(const ir::ErrorConvention& conv) const;
  /// Names of extra exception classes (derived from Error) the conventions ask for.
  std::vector<std::string> extra_exception_classes() const;
  /// Whether some function takes a callback the library keeps after the call (scope notified,
  /// owner or forever): then every wrapper checks for an exception such a callback left behind.
  bool has_kept_callbacks() const;
  /// Whether some convention maps a code to `kind` (then the header declares its exception class).
  bool uses_error_kind(ir::ErrorKind kind) const;
};

}  // namespace bindery::backends::cpp
