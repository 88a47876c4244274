// What the frontend reads out of the headers: C declarations as written, before any protocol
// meaning is attached (that is lowering's job). Kept close to C so lowering can explain itself.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "bindery/support/source_location.hpp"

namespace bindery::frontend {

struct FunctionSignature;

/// A C type, one level at a time (pointers and arrays point to their element).
struct CType {
  enum class Kind {
    Void, Bool, Char, Int, Float, Double, LongDouble,
    Pointer, Array, Record, Enum, Function, Unsupported,
  };
  Kind kind = Kind::Unsupported;
  std::string spelling;        ///< as clang prints it, e.g. "const char *", "tarball_t *"
  bool is_const = false;       ///< const-qualified at this level
  int bits = 0;                ///< Int: width; Char: 8
  bool is_signed = false;      ///< Int (and Char: whether plain char is signed here)
  bool is_plain_char = false;  ///< `char` (a text unit), as opposed to signed/unsigned char
  std::shared_ptr<CType> element;  ///< Pointer: pointee; Array: element
  std::int64_t array_size = -1;    ///< Array: N for `T[N]`, -1 when unsized
  /// Names this type is known by, outermost first: typedef names ("tarball_t"), then the tag
  /// ("struct tarball" and "tarball"). Lowering matches `types:` keys against them.
  std::vector<std::string> names;
  enum class Nullability { Unspecified, Nullable, NonNull } nullability = Nullability::Unspecified;
  std::shared_ptr<FunctionSignature> function;  ///< Function
};

struct Attributes {
  std::vector<std::pair<std::string, SourceLocation>> annotations;  ///< "bindery:" stripped
  bool warn_unused_result = false;
  bool returns_nonnull = false;
  std::vector<int> nonnull;       ///< 1-based param indices; empty + `nonnull_all` = all
  bool nonnull_all = false;
  struct Access {
    std::string mode;             ///< read_only | write_only | read_write | none
    int ref_index = 0;            ///< 1-based
    int size_index = 0;           ///< 1-based, 0 = none
  };
  std::vector<Access> access;
  std::optional<std::string> deprecated;  ///< message ("" when none)
};

struct ParamDecl {
  std::string name;  ///< "" when unnamed
  CType type;
  Attributes attributes;
  SourceLocation location;
};

struct FunctionSignature {
  CType result;
  std::vector<ParamDecl> params;
  bool variadic = false;
};

struct FunctionDecl {
  std::string name;
  FunctionSignature signature;
  Attributes attributes;
  std::string doc;
  SourceLocation location;
  bool from_system_header = false;
  std::string variant_of;  ///< a variant's shim (ParseOptions::variants): the C function it calls
};

struct FieldDecl {
  std::string name;
  CType type;
  std::string doc;
};

struct RecordDecl {
  std::string tag;          ///< "point" (empty for anonymous)
  std::string spelling;     ///< "struct point" or the typedef name for anonymous structs
  std::vector<std::string> names;  ///< every name it is known by (typedefs, "struct tag", "tag")
  bool complete = false;
  bool is_union = false;
  std::vector<FieldDecl> fields;
  Attributes attributes;
  std::string doc;
  SourceLocation location;
};

struct EnumConstantDecl {
  std::string name;
  std::int64_t value = 0;
  std::string doc;
};

struct EnumDecl {
  std::string tag;
  std::string spelling;            ///< "enum color" or the typedef name
  std::vector<std::string> names;
  bool is_unsigned = false;
  int bits = 32;
  std::vector<EnumConstantDecl> constants;
  std::string doc;
  SourceLocation location;
};

struct TypedefDecl {
  std::string name;
  CType underlying;
  Attributes attributes;
  std::string doc;
  SourceLocation location;
};

struct MacroConstant {
  std::string name;
  enum class Kind { Int, Float, String } kind = Kind::Int;
  std::int64_t int_value = 0;
  bool is_unsigned = false;
  double float_value = 0;
  std::string string_value;
  SourceLocation location;
};

/// Everything the frontend read from one configured set of headers.
struct TranslationUnit {
  std::vector<FunctionDecl> functions;
  std::vector<RecordDecl> records;
  std::vector<EnumDecl> enums;
  std::vector<TypedefDecl> typedefs;
  std::vector<MacroConstant> macros;  ///< object-like macros that evaluate to a constant
  /// Every identifier declared anywhere in the translation unit, system headers included
  /// (macros, functions, typedefs, enum constants): what a C expression in bindery.yaml may use.
  std::set<std::string> identifiers;

  const FunctionDecl* find_function(const std::string& name) const;
  const RecordDecl* find_record(const std::string& any_name) const;
  const EnumDecl* find_enum(const std::string& any_name) const;
  const MacroConstant* find_macro(const std::string& name) const;
  /// Whether `name` is a macro, an enum constant, a function or a typedef (for expression checks).
  bool declares(const std::string& name) const;
};

struct ParseOptions {
  std::vector<std::string> headers;       ///< absolute paths, parsed in this order
  std::vector<std::string> include_dirs;  ///< absolute
  std::vector<std::string> defines;
  std::string std = "c11";
  std::vector<std::string> bind_system;   ///< system declarations to keep anyway
  std::string annotate_include_dir;       ///< where bindery/annotate.h lives
  /// Extra named constants (`constants:`), evaluated like macros and added to `macros`.
  std::vector<std::tuple<std::string, std::string, SourceLocation>> constant_expressions;
  /// Prototypes of `variants:` shims, parsed after the headers as if the library declared them.
  struct Variant {
    std::string symbol;      ///< the shim's name
    std::string declarator;  ///< "RETURN_TYPE symbol(PARAMETERS)"
    std::string variant_of;  ///< the C function the shim calls
    SourceLocation where;    ///< the variant in bindery.yaml: every diagnostic about it points here
  };
  std::vector<Variant> variants;
};

}  // namespace bindery::frontend
