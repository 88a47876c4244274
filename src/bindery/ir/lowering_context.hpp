// Shared state of one lowering run: the inputs, the declarations lowered so far and lookups by
// C name. Split out so declarations (types, enums, records) and functions lower in their own files.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "bindery/config/config.hpp"
#include "bindery/config/rule_matching.hpp"
#include "bindery/frontend/declarations.hpp"
#include "bindery/ir/ir.hpp"

namespace bindery::ir {

struct LoweringContext {
  const config::Config& config;
  const frontend::TranslationUnit& tu;
  Diagnostics& diags;
  Module& module;

  std::map<std::string, std::string> handle_by_c_name;  ///< every C name of a handle → IR name
  /// Handles declared on a pointer typedef (`typedef const char *sqlite3_filename;`): the typedef
  /// name → IR name. Kept apart from handle_by_c_name because the typedef names the pointer, not
  /// the pointee: `sqlite3_filename *` is an output of one, not a handle.
  std::map<std::string, std::string> handle_by_pointer_typedef;
  std::map<std::string, std::string> enum_by_c_name;    ///< every C name of an enum → IR name
  std::map<std::string, std::string> record_by_c_name;  ///< every C name of a record → IR name
  std::map<std::string, std::string> unbindable_records;  ///< C name → why it has no mapping
  std::map<std::string, std::string> destroy_of;        ///< destroy function → handle IR name
  std::map<std::string, std::string> init_of;           ///< pinned init function → handle IR name

  /// One of several handles a C type is bound as (`roles:`), and the functions it claims.
  struct Role {
    std::string handle;                        ///< IR name
    config::RuleMatcher functions;             ///< the role's `functions:` pattern
    std::vector<std::string> own_functions;    ///< its init and destroy, claimed whatever the pattern
    bool claims(const std::string& function) const;
  };
  std::map<std::string, std::vector<Role>> roles_by_c_name;  ///< every C name of a type with roles

  /// The IR handle a pointee type names (any of its typedef/tag names), if it is one. A type with
  /// roles is the handle of the role that claims `function`.
  std::optional<std::string> handle_for(const frontend::CType& type, const std::string& function = {}) const;
  /// The IR handle a pointer type points to: a pointer typedef declared as a handle, or else the
  /// handle of its pointee.
  std::optional<std::string> handle_of_pointer(const frontend::CType& pointer, const std::string& function = {}) const;
  /// The handle one C type name (`of:` in bindery.yaml) declares, pointer typedefs included.
  std::optional<std::string> handle_named(const std::string& c_name, const std::string& function) const;
  /// The handle names of a C type bound in several roles (empty otherwise).
  std::vector<std::string> roles_of(const frontend::CType& type) const;
  std::optional<std::string> enum_for(const frontend::CType& type) const;
  std::optional<std::string> record_for(const frontend::CType& type) const;
  /// Host-facing names: the library prefix stripped.
  std::string stripped(const std::string& c_name) const;
  /// A location relative to the config directory when inside it (stable golden output).
  SourceLocation relative(const SourceLocation& where) const;
};

/// Lowers `types:` handles, enums (C and macro families), records and constants.
void lower_declarations(LoweringContext& ctx);
/// Lowers `interfaces:` (before the functions: `implements:` parameters name them).
void lower_interfaces(LoweringContext& ctx);
/// Drops the interfaces no bound function registers (a skipped registration leaves nothing for
/// backends to define).
void drop_unused_interfaces(Module& module);
/// The C helpers of the interfaces left (Module::shims, before the functions' own).
void add_interface_shims(Module& module);
/// Lowers every function of the library (and reports rules/entries that matched nothing).
void lower_functions(LoweringContext& ctx);

}  // namespace bindery::ir
