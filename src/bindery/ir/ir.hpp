// The protocol IR: what a C (or C++) API *means*, with every pointer classified.
//
// Lowering (lower.cpp) builds it from the frontend's raw declarations and the bindery.yaml
// annotations; check.cpp validates it; every backend reads only this. Field names match the JSON
// written by `bindery ir` (docs/ir.md), so the struct and the JSON document are one contract.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindery/support/source_location.hpp"

namespace bindery::ir {

inline constexpr int kVersion = 1;

/// Fixed-width scalars. `Char` is a text unit (C `char`), never arithmetic.
enum class Scalar { Bool, Char, I8, I16, I32, I64, U8, U16, U32, U64, F32, F64 };

enum class TypeKind {
  Void,
  Scalar,    ///< `scalar`
  Str,       ///< UTF-8 text (`string` says the encoding)
  Bytes,     ///< raw bytes: (pointer, length)
  Slice,     ///< contiguous scalars: (pointer, length) of `scalar`
  Handle,    ///< an opaque object: `name` is a Handle
  Record,    ///< a struct by value: `name` is a Record
  Enum,      ///< `name` is an Enum (flags or not)
  Callback,  ///< a function pointer: the Param's `callback` describes it
  HostValue, ///< a `void *` carrying a value of the host language through the library (a box the
             ///< binding makes; the library hands it back or releases it through a `Release` param)
};

struct Type {
  TypeKind kind = TypeKind::Void;
  Scalar scalar = Scalar::I32;  ///< for Scalar, and the element of Slice
  std::string name;             ///< Handle / Record / Enum: the IR declaration's name
  std::string c_type;           ///< C spelling for casts in generated code, e.g. "const char *"
  std::string encoding;         ///< Str: "utf8" (default) | "locale" | "utf16" | "wide"
};

/// Who owns a value that crosses the boundary.
enum class Own {
  None,      ///< plain value (scalars, records, enums)
  Borrowed,  ///< input: read during the call only; output: valid while `from` lives (see `until`)
  Owned,     ///< output: the receiver frees it (Handle: its class's destroy; else `free`)
  Static,    ///< output: valid for the process lifetime
  Consumed,  ///< input Handle: the callee takes it over; the host object is emptied
  Captured,  ///< input kept by the callee after the call (`capture_until`)
};

/// How long a borrowed output stays valid.
enum class Until {
  Owner,     ///< while the `from` object lives
  NextCall,  ///< until the next call on `from` (hosts copy at once)
  Mutation,  ///< until a mutating call on `from` (hosts copy at once)
  Calls,     ///< until one of `until_calls` is called on `from` (hosts copy at once)
};

/// What a NULL pointer result means.
enum class NullMeaning {
  Never,   ///< never NULL (a NULL is a library bug; generated code checks in debug builds)
  Absent,  ///< optional: std::optional / None / nil / null
  Empty,   ///< an empty string/span
  Error,   ///< failure: handled by the function's result convention
};

/// Ownership and lifetime of a result (the return value or an out-parameter).
struct Lifetime {
  Own own = Own::None;
  std::string free;                      ///< Owned non-handle results: the function that frees it
  std::string from;                      ///< Borrowed: the param name it borrows from ("" = none)
  Until until = Until::Owner;
  std::vector<std::string> until_calls;  ///< Until::Calls
  std::string group;                     ///< borrow group, invalidated by functions' `invalidates`
  NullMeaning null = NullMeaning::Never;
  /// Owned handle result: the library lends the C result only briefly, so the binding passes it at
  /// once through this C function (SQLite's `sqlite3_value_dup`) and owns what that returns.
  std::string copy;
  /// Consumed input Bytes: the callee frees the buffer with its own allocator, on success and on
  /// failure; the binding copies the host's bytes into memory from this C function (`void *FN(size)`,
  /// called with at least 1) and passes that copy.
  std::string alloc;
  /// Consumed input Handle: the callee frees it only when the call succeeds (the function's
  /// convention says OK); on failure the host object stays open and usable (SQLite's `sqlite3_close`).
  bool consumed_on_success = false;
};

/// The length of a returned buffer or string.
struct Length {
  enum class Kind {
    None,      ///< not a buffer
    Nul,       ///< NUL-terminated
    Expr,      ///< a C expression over the params (`value`)
    OutParam,  ///< written to the out-parameter named `value` (hidden from hosts)
    Call,      ///< a sibling call made after the pointer call (`value` is the C expression)
  };
  Kind kind = Kind::None;
  std::string value;
};

/// How a caller-allocated output buffer reports what was written.
struct Written {
  enum class Kind {
    All,       ///< the whole capacity is filled
    Return,    ///< the function returns the count
    OutParam,  ///< an out-parameter (`value`) receives the count
    InOut,     ///< an in/out parameter (`value`): capacity in, count out
    Expr,      ///< a C expression evaluated after the call
  };
  Kind kind = Kind::All;
  std::string value;
};

struct Param;

/// Buffers passed through fields of a pinned struct instead of parameters (zlib's z_stream:
/// next_in/avail_in, next_out/avail_out). The host passes input bytes and an output capacity;
/// the binding sets the fields, calls, and reports how much was consumed and produced.
struct FieldBuffers {
  std::string in_pointer, in_length;    ///< field names ("" when there is no input buffer)
  std::string out_pointer, out_length;  ///< field names ("" when there is no output buffer)
};

/// A callback parameter: a function pointer with its user data and scope.
struct Callback {
  enum class Scope {
    Call,      ///< used only during the call
    Notified,  ///< until the library calls the destroy-notify param
    Owner,     ///< until replaced or the handle is destroyed
    Forever,   ///< never released
  };
  Scope scope = Scope::Call;
  std::string user_data;        ///< the C function's param that carries user data ("" = none)
  std::string destroy;          ///< Notified: the param that receives the destroy notifier
  std::string typedef_name;     ///< the function-pointer typedef, when it has one
  int user_data_index = -1;     ///< position of the user-data argument in the callback's own params
  std::vector<Param> params;    ///< the callback's parameters (user data has role UserData)
  std::shared_ptr<Param> ret;   ///< the callback's return (type Void when none)
  /// When the library does not pass the user data as an argument: the C expression that gets it
  /// back from the callback's arguments, `$N` standing for the N-th (from 0) — SQLite's
  /// `sqlite3_user_data($0)`. `user_data_index` is then -1.
  std::string user_data_from;
};

/// What a C parameter becomes.
enum class ParamRole {
  Input,     ///< a value the host passes
  Self,      ///< the receiver of a method (a Handle)
  Output,    ///< a result written through a pointer; the host gets it as a return value
  Buffer,    ///< caller-allocated output buffer: `capacity`, `written`
  Length,    ///< hidden: the length of `length_of` (an input buffer or text; "return" for the
             ///< returned buffer). When `c_type` is a pointer, it is an out count: pass a local's address.
  Capacity,  ///< hidden: the capacity of the Buffer `length_of` (a pointer `c_type`: in/out count)
  UserData,  ///< hidden: the user data (or destroy notifier) of callback `length_of`
  Fixed,     ///< hidden: always `fixed`
  Release,   ///< hidden: the binding's `void (*)(void *)` that releases the HostValue `length_of`;
             ///< the library calls it exactly once, when done with the value (even on failure)
  HostTag,   ///< hidden: a `const char *` naming this binding's host-value boxes; each backend passes
             ///< its own static string, unique per target and library ("bindery:python:sqlite3")
};

struct Param {
  std::string name;  ///< never empty: unnamed C params get `names:` or "argN"
  int index = 0;     ///< 0-based position in the C signature
  std::string c_type;
  ParamRole role = ParamRole::Input;
  Type type;          ///< for Output/Buffer: the type of the produced value (pointer removed)
  Lifetime lifetime;  ///< Input: Borrowed/Consumed/Captured; Output: Owned/Borrowed/Static/None
  bool nullable = false;   ///< Input: may be absent; Output: the caller may pass NULL to skip it
  bool inout = false;      ///< Output: also read (the host passes an initial value)
  bool by_pointer = false; ///< Input Record passed as `const T *` (the binding passes an address)
  bool valid_on_error = false;  ///< owned Output set even on failure (must still be destroyed)
  std::string size;        ///< Input buffer/text: length expression (usually a Length param's name)
  std::string capacity;    ///< Buffer: capacity expression over the inputs
  Written written;         ///< Buffer: how many elements were written
  std::string length_of;   ///< Length/Capacity/UserData: the param it serves
  std::string fixed;       ///< Fixed: the C expression passed
  std::string default_value;  ///< Input: C expression used when the host omits it
  std::string precondition;   ///< C expression checked before the call
  std::optional<Callback> callback;  ///< type Callback
  std::optional<FieldBuffers> field_buffers;  ///< Self of a pinned handle: buffers in its fields
  std::string doc;
  SourceLocation location;
};

/// How the function's C return value is read.
enum class ResultKind {
  Value,     ///< the return value is the result (possibly a classified pointer)
  Void,      ///< nothing returned
  Ignore,    ///< returned but meaningless (discarded)
  Bool,      ///< nonzero = true
  BoolOk,    ///< 0 = true, anything else = false (a verdict, not an error)
  Status,    ///< a status code read by `convention`; not returned to the host
  Count,     ///< a count (>= 0) or an error (< 0) read by `convention`: the count is returned
  NullError, ///< a pointer that is NULL on error, read by `convention`
};

struct Result {
  ResultKind kind = ResultKind::Value;
  std::string convention;             ///< ErrorConvention name for Status/Count/NullError
  std::vector<std::string> also_ok;   ///< extra success codes (returned to the host as a status)
  std::vector<std::string> eof;       ///< codes meaning "no more": optional/false, not an error
  std::string errors_from;            ///< replaces ${self} in the convention's expressions
};

/// What an error code means to every host, beyond "the library failed": hosts raise their builtin
/// error of that kind (Python ValueError / IndexError / MemoryError, Ruby ArgumentError / IndexError /
/// NoMemoryError, JavaScript RangeError / …) instead of the library's generic error class.
enum class ErrorKind { InvalidArgument, OutOfRange, NoMemory };

/// "invalid_argument", "out_of_range", "no_memory": the spelling of bindery.yaml and the IR's JSON.
constexpr std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument: return "invalid_argument";
    case ErrorKind::OutOfRange: return "out_of_range";
    case ErrorKind::NoMemory: return "no_memory";
  }
  return "";
}

struct ErrorKindCode {
  std::string code;  ///< C expression (macro or enum constant) compared with the code
  ErrorKind kind;
};

/// A named error convention (`results:`).
struct ErrorConvention {
  std::string name;
  enum class On { Status, Pointer } on = On::Status;
  std::vector<std::string> ok;     ///< C expressions (macro names) meaning success
  std::vector<std::string> eof;    ///< "no more" outcomes
  std::vector<std::string> soft;   ///< non-fatal outcomes returned as a status
  bool negative_is_error = false;  ///< any negative value is an error
  std::string message;             ///< C expression read immediately on failure (${self}, ${rc})
  std::string code;                ///< C expression for the code reported (default: ${rc})
  std::string errno_expr;          ///< C expression for a system error number
  std::string exception;           ///< C++ exception class name (backends derive host names)
  SourceLocation location;
  std::vector<ErrorKindCode> kinds;  ///< codes with a host-builtin meaning (compared with `code`)
};

enum class FunctionRole { Free, Constructor, Destructor, Method, Static, Getter };

struct Function {
  std::string c_name;
  std::string name;        ///< host-facing snake_case name (prefix stripped; class prefix too)
  FunctionRole role = FunctionRole::Free;
  std::string class_name;  ///< Handle this belongs to (Constructor/Destructor/Method/Static/Getter)
  std::vector<Param> params;
  Type returns;            ///< the C return type, classified (Void when none)
  Lifetime returns_lifetime;
  Length returns_length;
  Result result;
  std::vector<std::string> invalidates;  ///< borrow groups this call ends
  bool nodiscard = false;
  bool blocking = false;   ///< hosts release their global lock around the call
  std::optional<std::string> deprecated;  ///< reason, when deprecated
  std::string doc;
  SourceLocation location;
  /// Blocking, but must run on the calling thread (it takes a lock owned by that thread, e.g.
  /// sqlite3_mutex_enter): hosts may release their own lock around it, never move it to another
  /// thread (no Node `…Async`).
  bool same_thread = false;
  /// A variant (`variants:`): `c_name` is its shim in Module::shims, which calls this C function.
  std::string variant_of;
  /// A helper (`helpers:`): `c_name` is its shim in Module::shims, whose body the user wrote in
  /// bindery.yaml. Not one of the library's functions (coverage leaves it out).
  bool helper = false;
};

/// An opaque object behind a pointer, with a destroy function.
struct Handle {
  std::string name;    ///< class name (CamelCase), e.g. "Tarball"
  std::string c_name;  ///< C type name as written in the header, e.g. "tarball_t"
  std::string destroy; ///< the C function that releases it ("" only for opaque_borrowed)
  std::string parent;  ///< Handle name instances must not outlive ("" = none)
  enum class Kind { Owned, OpaqueBorrowed } kind = Kind::Owned;
  std::string thread = "affine";  ///< "free" | "affine" | "serialized"
  std::string doc;
  SourceLocation location;
  /// Pinned: the binding allocates the C struct itself (zeroed, never moved), sets
  /// `fields_preset`, then a Constructor initialises it in place through its Self param; after
  /// `destroy` the binding frees the storage. Constructors of a pinned handle return a status,
  /// not the handle.
  bool pinned = false;
  std::vector<std::pair<std::string, std::string>> fields_preset;  ///< field → C expression
  /// The C spelling of a pointer to the object, for stored pointers, casts and destroy calls:
  /// "sqlite3 *", or the typedef itself when the handle is declared on a pointer typedef
  /// (`typedef const char *sqlite3_filename;` → "sqlite3_filename"). Such a handle's pointee may be
  /// `const char`: it is still an opaque handle, never text (hosts hand back the very pointer).
  std::string pointer_c_type;
};

struct Field {
  std::string name;
  Type type;
  std::string doc;
};

/// A struct passed by value.
struct Record {
  std::string name;    ///< CamelCase
  std::string c_name;  ///< spelling in C, e.g. "struct point" or "point_t"
  std::vector<Field> fields;
  std::string doc;
  SourceLocation location;
};

struct EnumValue {
  std::string name;    ///< host-facing, prefix removed, e.g. "READ_ONLY"
  std::string c_name;  ///< e.g. "SQLITE_OPEN_READONLY"
  std::int64_t value = 0;
  std::string doc;
};

struct Enum {
  std::string name;    ///< CamelCase
  std::string c_name;  ///< C enum type, or "" when built from a macro family
  Scalar underlying = Scalar::I32;
  bool flags = false;
  std::vector<EnumValue> values;
  std::string doc;
  SourceLocation location;
};

/// An object of an Interface that the binding allocates for the host: `struct { C base; void *box; }`
/// (zeroed; the library owns the base's fields), whose box holds the host object a method returned.
/// The lowering writes its helpers into Module::shims (names from `shim_prefix`):
///   int  PREFIX_make(void *box, C **out)  — allocates the object around `box`; 0 when out of memory
///   void *PREFIX_box(C *self)             — the box of an object
///   void *PREFIX_free(C *self)            — frees the object, returns its box
///   void PREFIX_set_error(C *self, const char *message) — stores a host error's message (when `error` is set)
struct ImplementedObject {
  std::string c_name;       ///< the base struct, e.g. "sqlite3_vtab"
  std::string name;         ///< CamelCase, for documentation and host messages, e.g. "Table"
  std::string error;        ///< C lvalue over `self` receiving a failed method's message ("" = none)
  std::string shim_prefix;  ///< "bindery_impl_sqlite3_vtab"
  std::string doc;
};

/// One function-pointer field of an Interface: the binding's trampoline for it calls the method
/// `name` of the host object found through `receiver`.
struct InterfaceMethod {
  std::string field;  ///< the struct field, e.g. "xConnect"
  std::string name;   ///< the host method's name (snake_case), e.g. "connect"
  /// The C arguments, classified like a callback's: Input arguments are passed to the host method
  /// in order (text, handles lent for the call, arrays with their Length, scalars); every other
  /// argument is hidden and named by one of the indices below.
  std::vector<Param> params;
  std::shared_ptr<Param> ret;  ///< the C return (type Void when none)
  /// The argument that finds the host object: a HostValue box (the registration's user data,
  /// TypeKind::HostValue) or an ImplementedObject pointer (TypeKind::Void, `implemented` set).
  int receiver = -1;
  std::string receiver_object;  ///< the ImplementedObject's c_name when the receiver is one
  /// Instead of `receiver` (then -1): a per-group slot (SQLite's aggregate context). C expressions
  /// over the arguments ($N, from 0): `receiver_slot` gives a `void **` (NULL: out of memory, the
  /// call fails); when `*slot` is NULL the trampoline calls the host value in the box
  /// `receiver_factory` gives (with no arguments), boxes the object it returns into `*slot`, and
  /// calls the method on it. With `releases`, `*slot` is emptied and its box released after the call.
  std::string receiver_slot;
  std::string receiver_factory;
  /// `C **` out-argument: the host method returns a host object (never the host's null), and the
  /// binding allocates `makes_object` around its box and stores the pointer here.
  int makes = -1;
  std::string makes_object;
  int result_to = -1;    ///< out-argument receiving the host method's result (its pointee type: `params[i].type`)
  int error_out = -1;    ///< `char **` receiving a host error's message (allocated with `message_alloc`)
  /// A C statement reporting a host error to the library, over `message` (a `const char *`) and the
  /// arguments ($N): `sqlite3_result_error($0, message, -1)`. Runs before `on_error` is returned.
  std::string error_call;
  /// The trampoline's C name. Backends must define it under this name when the interface is a
  /// function's parameters (each `implements:` parameter is `fixed` to it); any name otherwise.
  std::string trampoline;
  /// After the call, the receiver object is freed and its box released. Its host error's message
  /// goes to `error_out`/`error_call` only, never to the receiver's `error` (it would be freed with
  /// the object, or leak: no library reads a released object's field).
  bool releases = false;
  bool optional = false; ///< a host object without the method: the call succeeds and does nothing
  /// What the C return is: the interface's status (ok / error), the host result's truth (1 / 0),
  /// or the host result converted to the return type.
  enum class Returns { Status, Bool, Value } returns = Returns::Status;
  std::string on_error;  ///< C expression returned when the host method raises
  std::string doc;
  SourceLocation location;
};

/// A struct of function pointers the host implements (SQLite's `sqlite3_module`). Each binding
/// defines one static table of this type named `table`, filled with `preset` fields and one
/// trampoline per method, before the functions that take it (`implements:`, a Fixed param whose
/// expression is `&table`). A host exception inside a method is kept like a kept callback's and
/// raised from the outer call once the C function returns; the library meanwhile sees `on_error`
/// and the message where the method says (`error_out`, or the receiver object's `error`).
struct Interface {
  std::string c_name;  ///< the struct, e.g. "sqlite3_module" ("" when `function` is set)
  /// When set, the methods are this C function's function-pointer parameters (SQLite's
  /// create_window_function: xStep, xFinal, …), not a struct's fields: there is no table, each
  /// `implements:` parameter is `fixed` to its method's `trampoline`, `field` is the parameter's name.
  std::string function;
  std::string name;    ///< CamelCase, for documentation
  std::string key;     ///< its key under `interfaces:` (what `implements:` names)
  std::string table;   ///< "bindery_interface_sqlite3_module" ("" when `function` is set)
  std::vector<std::pair<std::string, std::string>> preset;  ///< field → C expression
  std::string ok;      ///< the status a method returns on success
  std::string error;   ///< … when the host raised (default `on_error`)
  std::string message_alloc;  ///< C expression over `message` (a `const char *`) giving an allocated copy
  std::string message_free;   ///< the C function freeing such a copy
  std::vector<ImplementedObject> objects;
  std::vector<InterfaceMethod> methods;  ///< in field order
  std::string doc;
  SourceLocation location;
};

/// A `#define` (or `constants:`) value.
struct Constant {
  std::string name;
  std::string c_name;
  enum class Kind { Int, Float, String } kind = Kind::Int;
  std::int64_t int_value = 0;
  double float_value = 0;
  std::string string_value;
};

/// Something in the headers that is not bound to any host, and why.
struct Unbound {
  std::string c_name;
  enum class Kind {
    Skipped,          ///< deliberately not bound (`skip:` or an unsupported construct)
    NeedsAnnotation,  ///< a pointer nothing classifies; `suggestion` would settle it
  } kind = Kind::Skipped;
  std::string reason;
  std::string suggestion;  ///< a bindery.yaml snippet
  SourceLocation location;
  /// Excluded from the coverage figure's denominator (the foundation issue counts "non-deprecated,
  /// non-variadic functions"): variadic or taking a va_list, or deprecated.
  bool variadic = false;
  bool deprecated = false;
};

/// The header a generated binding includes.
struct Header {
  std::string path;     ///< absolute path
  std::string include;  ///< spelling for #include <…>, relative to an include dir
};

struct Module {
  std::string library;       ///< e.g. "sqlite3"
  std::string cxx_namespace; ///< e.g. "sqlite"
  std::string prefix_strip;
  std::vector<Header> headers;
  std::vector<std::string> include_dirs;  ///< absolute
  std::vector<std::string> defines;
  std::vector<std::string> sources;       ///< absolute: C sources of the library (fixtures, examples)
  std::vector<std::string> link;          ///< system libraries to link, e.g. "sqlite3"
  std::vector<Handle> handles;
  std::vector<Record> records;
  std::vector<Enum> enums;
  std::vector<Constant> constants;
  std::vector<ErrorConvention> conventions;
  std::vector<Function> functions;
  std::vector<Unbound> unbound;
  /// The C++ standard of the library's .cpp sources ("c++20"), set when a C++ library is bound to a host
  /// through its C layer (docs/hosts-over-cxx.md): backends compile the .cpp sources with it and link the
  /// C++ runtime. Empty for a C library.
  std::string cxx_std;
  /// C definitions (`static inline` functions, typedefs) the lowering writes for `variants:` (each
  /// variant is a Function whose `c_name` is one of these shims, calling the C function with the
  /// variant's typed signature), `helpers:` and `interfaces:`. Backends emit them verbatim after the
  /// library's #includes.
  std::vector<std::string> shims;
  /// Structs of function pointers the host implements (`interfaces:`).
  std::vector<Interface> interfaces;

  const Handle* find_handle(const std::string& name) const;
  const Record* find_record(const std::string& name) const;
  const Enum* find_enum(const std::string& name) const;
  const ErrorConvention* find_convention(const std::string& name) const;
  const Function* find_function(const std::string& c_name) const;
  /// The interface a `Fixed` parameter passes to the library (`implements:`): its expression is the
  /// interface's table's address, or one of its trampolines. nullptr for any other parameter.
  const Interface* interface_passed_by(const Param& param) const;
  /// Whether `identifier` is a symbol every binding defines for an interface (a table or a trampoline).
  bool is_interface_symbol(const std::string& identifier) const;
};

}  // namespace bindery::ir
