// The C layer's plan: every C declaration the generated header will hold, each with the C++ it
// calls and the IR it means. Built once from the C++ frontend's CxxApi (plan.cpp); the emitters
// (emit_header, emit_shims, emit_build, emit_config) only spell it out, so they cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "bindery/frontend/cxx/cxx_api.hpp"
#include "bindery/frontend/cxx/cxx_templates.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::backends::c {

/// Status codes every shim that can fail returns; the header spells them <LIB>_OK and so on.
/// Stable values: C callers may store them.
struct StatusCode {
  const char* suffix;
  int value;
  const char* meaning;
};
inline constexpr StatusCode kStatusCodes[] = {
    {"OK", 0, "success: the outputs are written"},
    {"NONE", 1, "success, but the std::optional result was empty: the outputs are not written"},
    {"ERROR", -1, "a C++ exception (std::exception): read <lib>_last_error()"},
    {"ERROR_NO_MEMORY", -2, "std::bad_alloc: memory ran out (in the library or in the shim)"},
    {"ERROR_INVALID_ARGUMENT", -3, "std::invalid_argument (or std::domain_error)"},
    {"ERROR_OUT_OF_RANGE", -4, "std::out_of_range (or std::length_error)"},
    {"ERROR_UNKNOWN", -5, "an exception not derived from std::exception"},
};

struct CParam {
  std::string c_type;      ///< "const char *"
  std::string name;
  std::string annotation;  ///< BINDERY(...) body for bindery's C reader, "" when the default says it
};

struct Shim {
  std::string c_name;
  std::string doc;               ///< from the C++ comment, plus what the C side must know
  std::string c_return;          ///< "int" for status shims
  std::vector<CParam> params;
  std::string annotation;        ///< function-level BINDERY(...) body
  bool status = false;           ///< returns <LIB>_OK / <LIB>_NONE / an error code
  /// The body may throw (the C++ function is not noexcept, or an argument, a copy or `new`
  /// allocates): only then is it wrapped in try/catch. A status shim over a noexcept call (an
  /// optional result) has nothing to catch, and without exception regions GCC's LTO can inline it
  /// into a C caller built without -fexceptions (bench/c/README.md).
  bool can_throw = false;
  std::vector<std::string> body; ///< C++ statements; status shims wrap them in try/catch
  ir::Function ir;               ///< what the C function means, as bindery reads it back
};

struct HandlePlan {
  std::string name;     ///< the class name every host uses: "Circle" (an instance: "StackI32")
  std::string c_name;   ///< "shapes_circle"
  std::string cxx_name; ///< "geo::Circle"
  std::string destroy;  ///< "" when the destructor is not public
  std::string doc;

  /// The C spelling of a pointer to the object ("shapes_circle *", "const shapes_circle *"): for
  /// parameters, results, casts and the IR's Handle::pointer_c_type. The C layer declares every
  /// handle itself as an incomplete struct, never on a pointer typedef, so this is the one place
  /// that spelling is decided.
  std::string pointer(bool is_const = false) const { return (is_const ? "const " : "") + c_name + " *"; }
};

struct RecordPlan {
  std::string c_name;
  std::string cxx_name;
  std::vector<std::pair<std::string, std::string>> fields;  ///< (C type, name)
  std::vector<std::string> field_docs;
  std::vector<bool> field_is_enum;  ///< converted with a cast
  std::vector<std::string> field_cxx_enum;
  std::string doc;
};

struct EnumPlan {
  std::string c_name;
  std::string cxx_name;
  std::vector<std::pair<std::string, std::int64_t>> values;  ///< (C name, value)
  std::vector<std::string> docs;
  std::string doc;
};

struct Plan {
  std::string library;  ///< "shapes"
  std::string prefix;   ///< "shapes_"
  std::string upper;    ///< "SHAPES_"
  std::vector<std::string> cxx_includes;  ///< spellings for #include <…> in the shim source
  std::vector<HandlePlan> handles;
  std::vector<RecordPlan> records;
  std::vector<EnumPlan> enums;
  std::vector<Shim> shims;
  std::vector<frontend::cxx::CxxSkipped> skipped;
  ir::Module module;  ///< the same API as protocol IR (round-trip test, `bindery ir`)
};

/// A function entry of bindery.yaml for a C++ library (docs/adr/c-layer-names.md). `key` is a C++
/// name — "geo::Polygon::add", or with its parameter types when overloaded,
/// "geo::Polygon::add(double, double)" — or the C name the naming scheme gives
/// ("shapes_polygon_add_f64_f64").
struct FunctionEntry {
  std::string key;
  std::string name;  ///< snake_case: the C name becomes <lib>_[<class>_]<name>
  std::string skip;  ///< a reason: not in the C interface
  SourceLocation where;
};

/// What bindery.yaml says about a C++ library beyond its headers.
struct Requests {
  std::vector<frontend::cxx::TemplateRequest> templates;  ///< instances to bind
  std::vector<FunctionEntry> functions;
};

/// Decides the C names and shapes for `api`. `base` carries the library name, headers and build
/// settings from bindery.yaml. What cannot be carried goes to `plan.skipped` with a reason.
Plan make_plan(const frontend::cxx::CxxApi& api, const ir::Module& base, Diagnostics& diags,
               const Requests& requests = {});

/// "int32_t", "double", … for a scalar.
std::string c_scalar(ir::Scalar s);

}  // namespace bindery::backends::c
