// What every emit function of the Ruby backend shares: the module, the diagnostics sink, and the
// names of the generated C symbols for each IR declaration (so two emitters never disagree).
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "bindery/backends/ruby/code.hpp"
#include "bindery/backends/ruby/names.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::backends::ruby {

struct Context {
  const ir::Module& module;
  Diagnostics& diags;
  std::string ruby_module;  ///< e.g. "DoubleInput"
  std::filesystem::path out_dir;  ///< the gem directory being written (absolute)
  /// Sources and include dirs copied into the gem: absolute path -> path from ext/<library>/.
  std::map<std::string, std::string> vendored = {};

  // Generated C symbols. Prefix `bindery_` keeps them apart from the library's own names.
  static std::string class_var(std::string_view decl) { return "bindery_c_" + c_ident(decl); }
  static std::string type_var(std::string_view handle) { return "bindery_t_" + c_ident(handle); }
  static std::string record_in(std::string_view rec) { return "bindery_to_" + c_ident(rec); }
  static std::string record_out(std::string_view rec) { return "bindery_from_" + c_ident(rec); }
  static std::string enum_in(std::string_view e) { return "bindery_enum_" + c_ident(e); }
  static std::string fn_symbol(const ir::Function& fn) { return "bindery_fn_" + c_ident(fn.c_name); }
  static std::string close_symbol(std::string_view handle) { return "bindery_close_" + c_ident(handle); }
  static std::string free_symbol(std::string_view handle) { return "bindery_destroy_" + c_ident(handle); }

  /// The C type of a handle's pointer, e.g. "tarball_t *".
  std::string handle_ptr_type(const ir::Handle& h) const { return h.c_name + " *"; }
  /// A "plain" class: owned, destroyable, with no parent, no children and never handed out
  /// borrowed. Its TypedData holds the C pointer itself (no second allocation per object); every
  /// other class holds a bindery_rb_handle (runtime/ruby/bindery_ruby.h).
  bool is_plain(std::string_view handle) const;
  /// Whether some call that runs without the GVL uses an instance (self or argument): the class
  /// then carries a busy counter, so it is never plain (runtime/ruby/bindery_ruby.h).
  bool used_without_gvl(std::string_view handle) const;
  /// An `affine` class some GVL-free call uses: every call checks it is not busy (BusyError).
  bool checks_busy(std::string_view handle) const;
  /// True when the function is bound (not listed in `unbound`).
  bool is_bound(const ir::Function& fn) const;
  /// Where a function lives in Ruby, for messages: "Tarball#file_data", "Tarball.open", "Mod.f".
  std::string ruby_path(const ir::Function& fn) const;
  /// The Ruby class name of a handle or record: "Tarball" (nested in the module).
  std::string ruby_class(std::string_view decl) const { return constant_name(decl); }
};

}  // namespace bindery::backends::ruby
