// bindery.yaml (and in-header BINDERY(...) annotations) as read: what the user wrote, with the
// location of every value so lowering can point back at it. No meaning is decided here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindery/support/diagnostics.hpp"

namespace bindery::config {

/// A value the user may have set, with where it was written.
template <class T>
struct Setting {
  std::optional<T> value;
  SourceLocation where;

  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
  /// Takes `over` when it is set (precedence: the later source wins).
  void merge(const Setting& over) {
    if (over.value) *this = over;
  }
};

struct LengthSpec {
  std::string kind;  ///< expr | out | call | nul
  std::string value;
};

struct WrittenSpec {
  std::string kind;  ///< return | out | inout | expr
  std::string value;
};

struct FieldBuffersSpec {
  std::vector<std::string> in, out;  ///< [pointer field, length field]
};

/// One of a callback's own arguments that is a buffer: `args: {ARG: {length: COUNT_ARG, string: …}}`.
struct CallbackArgSpec {
  std::string arg;     ///< the callback argument's name, or $N (0-based)
  SourceLocation where;
  std::string length;  ///< the argument that holds its length (bytes for text and bytes)
  std::string string;  ///< utf8 | utf16 | bytes ("" = from the C type)
};

struct CallbackSpec {
  std::string scope;  ///< call | notified | owner | forever
  std::string user_data;
  std::string destroy;
  std::vector<std::string> nullable;  ///< the callback's own arguments (names or $N) the library may pass as NULL
  std::vector<CallbackArgSpec> args;  ///< buffer arguments with their lengths
  std::string user_data_from;         ///< C expression over the callback's arguments ($N) giving the user data
};

/// Ownership keys shared by `returns:` and output parameters.
struct TransferSpec {
  Setting<std::string> own, free, from, nullable, string, group;
  Setting<std::string> copy;   ///< returns: a handle result passed at once through this C function
  Setting<std::string> when;   ///< params: `ok` — an `own: full` handle is consumed only on success
  Setting<std::string> alloc;  ///< params: an `own: full` buffer is copied into memory from this allocator
  Setting<bool> host_value;    ///< a `void *` carrying a host value (a box the binding makes)
  Setting<std::vector<std::string>> until;  ///< one of owner/next_call/mutation, or function names
  Setting<LengthSpec> length;
  void merge(const TransferSpec& over);
};

struct ParamSpec {
  SourceLocation where;  ///< of the key that names the parameter
  TransferSpec transfer;  ///< own/free/from/until/nullable(as text)/string
  Setting<std::string> dir, size, capacity, len_of, fixed, default_value, enum_name, flags_name,
      precondition;
  Setting<std::string> release;  ///< on a host_value input: the function-pointer param that releases it
  Setting<bool> host_tag;        ///< a `const char *` the binding fills with its host-value tag
  Setting<std::string> implements;  ///< a `const S *` the binding fills with its table of interface S
  Setting<bool> nullable, optional, valid_on_error;
  Setting<WrittenSpec> written;
  Setting<CallbackSpec> callback;
  Setting<FieldBuffersSpec> field_buffers;
  void merge(const ParamSpec& over);
};

struct ResultSpec {
  std::string name;  ///< a builtin kind (value, void, ignore, bool, bool_ok) or a convention
  std::vector<std::string> also_ok, eof;
  std::string errors_from;
  bool negative_is_error = false;
};

struct FunctionSpec {
  Setting<std::string> role, of, name, doc, skip, deprecated;
  Setting<std::string> signature;  ///< a variant's typed signature (read by the loader, never merged)
  Setting<std::vector<std::string>> names, invalidates;
  Setting<bool> blocking, same_thread;
  Setting<ResultSpec> result;
  TransferSpec returns;
  Setting<std::string> returns_enum, returns_flags;  ///< an integer result typed as an enum / flag set
  std::vector<std::pair<std::string, ParamSpec>> params;  ///< keyed by name or "$N", in order
  void merge(const FunctionSpec& over);
};

/// One of `variants:` of a function: the C function bound under another name with a typed
/// signature (a variadic function's arguments, a `void *` made concrete). The lowering binds it
/// through a shim named `symbol`, declared by `declarator`, that calls `c_name`.
struct VariantSpec {
  std::string c_name;      ///< the C function the shim calls
  std::string name;        ///< the variant's key: its host name unless `name:` says otherwise
  std::string symbol;      ///< the shim's name: `<c_name>__<name>`
  std::string declarator;  ///< `signature:` with the symbol: "int sqlite3_db_config__x(sqlite3 *db, int op)"
  SourceLocation where;    ///< of the variant's key
  /// A helper (`helpers:`): C statements written in bindery.yaml, the body of the shim `symbol`;
  /// `c_name` is then empty (the helper calls whatever its body calls).
  std::string body;
};

/// One method of an interface: `methods: {FIELD: {receiver: ARG, …}}`.
struct InterfaceMethodSpec {
  std::string field;  ///< the struct's function-pointer field
  SourceLocation where;
  std::string name;       ///< host method name ("" = the field's snake_case)
  std::string receiver;   ///< the argument that finds the host object (user data or an object)
  std::string receiver_slot;     ///< receiver: {slot: C expression giving a void ** per-group slot, …}
  std::string receiver_factory;  ///< … factory: C expression giving the box of the host factory
  std::string error_call;        ///< C statement over `message` (and $N) reporting a host error
  std::string makes;      ///< a `C **` argument receiving an object made around the host's result
  std::string result_to;  ///< an out-argument receiving the host's result
  std::string error_out;  ///< a `char **` argument receiving a host error's message
  std::string returns;    ///< status (default) | bool | value
  std::string on_error;   ///< C expression returned when the host raises
  bool releases = false, optional = false;
  std::vector<CallbackArgSpec> args;  ///< buffer arguments with their lengths, as in callbacks
  std::vector<std::string> nullable;  ///< arguments the library may pass as NULL
};

/// An object of an interface the binding allocates: `objects: {C_STRUCT: {name:, error:}}`.
struct ImplementedObjectSpec {
  std::string c_name;
  SourceLocation where;
  std::string name;   ///< CamelCase ("" = from the C name)
  std::string error;  ///< C lvalue over `self` receiving a failed method's message
};

/// `interfaces: {C_STRUCT: {…}}`: a struct of function pointers the host implements.
struct InterfaceSpec {
  std::string c_name;  ///< the struct; with `function:` only a name
  SourceLocation where;
  std::string function;  ///< methods are this function's function-pointer parameters, not a struct's fields
  std::string name;
  std::string ok, error;  ///< status: {ok:, error:}
  SourceLocation status_where;
  std::string message_alloc, message_free;  ///< message: {alloc:, free:}
  SourceLocation message_where;
  std::vector<std::pair<std::string, std::string>> preset;
  std::vector<ImplementedObjectSpec> objects;
  std::vector<InterfaceMethodSpec> methods;
};

struct TypeSpec {
  std::string c_name;
  SourceLocation where;
  Setting<std::string> kind, destroy, parent, name, thread, doc, skip;
  Setting<std::vector<std::string>> init;  ///< pinned: functions that initialise it in place
  Setting<std::vector<std::pair<std::string, std::string>>> fields_preset;
  /// A role of a C type bound as several classes (`roles: {Name: {…, functions: PATTERN}}`): the
  /// functions it claims, besides its own init and destroy (a glob, or a regex between slashes).
  Setting<std::string> functions;
  std::vector<TypeSpec> roles;  ///< each has `name` set to its key
  void merge(const TypeSpec& over);
};

struct ConventionSpec {
  std::string name;
  SourceLocation where;
  std::string type = "int";  ///< int | pointer
  std::vector<std::string> ok, eof, soft;
  bool negative_is_error = false;
  std::string message, code, errno_expr, exception;
  /// kinds: {CODE: invalid_argument|out_of_range|no_memory}: codes each host maps to its builtin error.
  std::vector<std::pair<std::string, std::string>> kinds;
  SourceLocation kinds_where;
};

struct EnumSpec {
  std::string name;
  SourceLocation where;
  std::string from_macros, c_enum, strip, underlying;
  bool flags = false;
};

struct ConstantSpec {
  std::string name;
  std::string expression;
  SourceLocation where;
};

struct RuleSpec {
  std::string pattern;  ///< glob, or a regex when written /…/
  bool is_regex = false;
  SourceLocation where;
  YAML::Node body;      ///< function annotations, parsed per match after capture substitution
};

struct Config {
  std::filesystem::path file;  ///< the bindery.yaml itself
  std::filesystem::path dir;   ///< its directory: paths are relative to it
  std::string library;
  std::vector<std::string> headers;       ///< absolute
  std::vector<std::string> include_dirs;  ///< absolute
  std::vector<std::string> defines;
  std::string std = "c11";
  std::vector<std::string> sources;       ///< absolute
  std::vector<std::string> link;
  std::string prefix_strip;
  std::string cxx_namespace;
  std::vector<std::string> bind_system;
  std::vector<TypeSpec> types;
  std::vector<ConventionSpec> conventions;
  std::vector<EnumSpec> enums;
  std::vector<ConstantSpec> constants;
  std::vector<RuleSpec> rules;
  std::vector<std::pair<std::string, FunctionSpec>> functions;  ///< variants too, keyed by their symbol
  std::vector<VariantSpec> variants;
  std::vector<InterfaceSpec> interfaces;
  std::vector<std::pair<std::string, SourceLocation>> function_keys;  ///< where each was written
};

/// Maps a YAML mark to a source location (a bindery.yaml line, or a header's annotation).
using MarkMapper = std::function<SourceLocation(const YAML::Mark&)>;

/// A mapper that puts every mark at `where` (a BINDERY(...) text: its attribute's location).
MarkMapper at_location(const SourceLocation& where);

/// Loads and checks the shape of bindery.yaml. Problems go to `diags`; a file that cannot be
/// read or parsed at all throws FatalError.
Config load_config(const std::filesystem::path& file, Diagnostics& diags);

/// Parses one function's annotations (a `functions:` entry, a rule body, or a BINDERY(...) text).
FunctionSpec parse_function_spec(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags);
ParamSpec parse_param_spec(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags);
TypeSpec parse_type_spec(const std::string& c_name, const YAML::Node& node, const MarkMapper& where,
                         Diagnostics& diags);

/// Parses a BINDERY(...) annotation text (the body of a YAML flow mapping) into a node.
/// Reports a syntax error at `where` and returns a null node.
/// Reads `interfaces:` into `config.interfaces`.
void read_interfaces(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags, Config& config);

YAML::Node parse_annotation_text(const std::string& text, const SourceLocation& where, Diagnostics& diags);

}  // namespace bindery::config
