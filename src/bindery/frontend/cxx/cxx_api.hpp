// What the C++ frontend reads out of C++ headers: the public API as declared, with every type
// already sorted into the few shapes a C layer can carry (issue 4). No C names are decided here:
// that is the C backend's plan (backends/c/plan.*), so this stays a faithful picture of the headers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bindery/ir/ir.hpp"
#include "bindery/support/source_location.hpp"

namespace bindery::frontend::cxx {

/// A C++ type, reduced to what decides its C mapping.
struct CxxType {
  enum class Kind {
    Void,
    Scalar,      ///< bool, char, fixed-width integers, float, double (`scalar`)
    Enum,        ///< a library enum (`name`)
    Class,       ///< a library class or struct (`name`): by value, reference or pointer
    UniquePtr,   ///< std::unique_ptr<Class> (`element`)
    String,      ///< std::string
    StringView,  ///< std::string_view
    CString,     ///< const char *
    Span,        ///< std::span<T> of scalars (`element`)
    Vector,      ///< std::vector<T> of scalars (`element`)
    Optional,    ///< std::optional<T> (`element`)
    Unsupported, ///< anything else; `spelling` says what
  };
  Kind kind = Kind::Unsupported;
  ir::Scalar scalar = ir::Scalar::I32;  ///< Scalar
  std::string name;                     ///< Enum / Class: the fully qualified name ("geo::Circle")
  bool is_const = false;                ///< the referred-to object (or span element) is const
  bool is_reference = false;            ///< `T&` / `const T&`
  bool is_pointer = false;              ///< `T *`
  std::shared_ptr<CxxType> element;     ///< UniquePtr / Span / Vector / Optional
  std::string spelling;                 ///< as written, for messages and casts
};

struct CxxParam {
  std::string name;           ///< "argN" when unnamed
  CxxType type;
  std::string default_value;  ///< the default argument's tokens, "" when none
  bool lifetimebound = false; ///< [[clang::lifetimebound]]: a returned view borrows from it
  SourceLocation location;
};

struct CxxFunction {
  enum class Kind { Free, Constructor, Method, Static };
  Kind kind = Kind::Free;
  std::string name;            ///< as declared ("area"; the class name for constructors)
  std::string qualified_name;  ///< "geo::area", "geo::Circle::area"
  std::string class_name;      ///< qualified class for members ("" for free functions)
  std::vector<CxxParam> params;
  CxxType returns;
  bool is_const = false;          ///< const member function
  bool is_noexcept = false;       ///< noexcept / throw(): the shim needs no try/catch
  bool returns_lifetimebound = false;  ///< `... &[[clang::lifetimebound]]` on the method itself
  bool is_overloaded = false;     ///< another function of the same scope shares the name
  std::string bound_as;           ///< a function template instance: the name bindery.yaml gives it
  std::string doc;
  SourceLocation location;
};

struct CxxField {
  std::string name;
  CxxType type;
  std::string doc;
};

struct CxxClass {
  std::string name;            ///< "Circle" (an instance: the name bindery.yaml gives it, "StackI32")
  std::string qualified_name;  ///< "geo::Circle" (an instance: "geo::Stack<int>", canonical)
  bool aggregate = false;      ///< public fields only, no constructors: a C struct by value
  bool abstract = false;
  bool public_destructor = true;
  bool copyable = false;       ///< a copy constructor C can call (cxx_copyable.hpp): C gets `_clone`
  std::string instance_of;     ///< a class template instance: as bindery.yaml spells it ("geo::Stack<int32_t>")
  std::vector<CxxField> fields;  ///< public data members (aggregates)
  std::string doc;
  SourceLocation location;
};

struct CxxEnum {
  std::string name;
  std::string qualified_name;
  bool scoped = false;
  ir::Scalar underlying = ir::Scalar::I32;
  std::vector<std::pair<std::string, std::int64_t>> values;
  std::vector<std::string> value_docs;
  std::string doc;
  SourceLocation location;
};

/// A declaration the C layer cannot carry, and why (reported by `bindery check`).
struct CxxSkipped {
  std::string qualified_name;
  std::string reason;
  SourceLocation location;
};

/// Everything read from one set of C++ headers, in declaration order.
struct CxxApi {
  std::vector<CxxClass> classes;
  std::vector<CxxEnum> enums;
  std::vector<CxxFunction> functions;  ///< free functions and members, classes' in class order
  std::vector<CxxSkipped> skipped;

  const CxxClass* find_class(const std::string& qualified) const;
  const CxxEnum* find_enum(const std::string& qualified) const;
};

}  // namespace bindery::frontend::cxx
