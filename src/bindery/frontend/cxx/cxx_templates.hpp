// Templates are bound only through explicit instantiations that bindery.yaml names
// (docs/adr/c-layer-templates.md):
//
//   types:     {"geo::Stack<int32_t>": {name: StackI32}}    # a class template instance → a class
//   functions: {"geo::twice<int32_t>": {name: twice_i32}}   # a function template instance
//
// libclang shows the members of a template only in its pattern, with dependent types (`T`), and
// never walks the members of an instantiation. So the frontend reads the pattern (phase 1), then
// parses the headers again with a generated "probe" (phase 2): per instance, a namespace where each
// template parameter is an alias of its argument and each member is redeclared as a plain function
// with the pattern's own type spellings. Those functions have concrete types that the ordinary
// classifier reads; the member's name, constness, noexcept, docs and defaults come from the pattern.
#pragma once

#include <clang-c/Index.h>

#include <string>
#include <vector>

#include "bindery/frontend/cxx/cxx_api.hpp"
#include "bindery/support/source_location.hpp"

namespace bindery::frontend::cxx {

/// An instantiation named in bindery.yaml.
struct TemplateRequest {
  std::string spelling;  ///< as written: "geo::Stack<int32_t>" (or "Stack<int32_t>")
  std::string name;      ///< the name it is bound as: "StackI32" (class) / "twice_i32" (function)
  bool is_class = true;  ///< from `types:` (true) or `functions:` (false)
  SourceLocation where;  ///< the bindery.yaml key
};

/// "geo::Stack<int32_t, 4>" → name "geo::Stack", args {"int32_t", "4"}. False when `spelling` has no
/// template argument list (an ordinary type or function name).
bool split_template_id(const std::string& spelling, std::string& name, std::vector<std::string>& args);

/// One member of a template's pattern, with its types still spelled in terms of the parameters.
struct PatternMember {
  CxxFunction::Kind kind = CxxFunction::Kind::Method;
  std::string name;
  bool is_const = false, is_noexcept = false, returns_lifetimebound = false;
  std::string return_type;          ///< "std::optional<T>"; "void" for constructors
  std::vector<CxxParam> params;     ///< names, defaults, lifetimebound; `type.spelling` is the pattern's
  std::string doc;
  SourceLocation location;
};

/// What phase 1 reads from a requested template.
struct TemplatePattern {
  TemplateRequest request;
  std::string qualified;                ///< "geo::Stack"
  std::vector<std::string> namespaces;  ///< enclosing namespaces, outermost first
  std::vector<std::pair<std::string, std::string>> params;  ///< (template parameter, argument)
  std::vector<std::string> member_types;  ///< public member type aliases (`using value_type = T;`)
  std::vector<PatternMember> members;     ///< class: public members; function: the function itself
  bool public_destructor = true, abstract = false;
  std::string doc;
  SourceLocation location;
  std::string problem;                  ///< why it cannot be instantiated ("" = it can)
};

/// Reads the pattern of `templ` (a ClassTemplate or FunctionTemplate cursor) for `request`.
TemplatePattern read_pattern(CXTranslationUnit tu, CXCursor templ, const TemplateRequest& request,
                             const std::string& qualified);

/// The C++ text appended to the headers for phase 2 (see the top of this file).
std::string probe_source(const std::vector<TemplatePattern>& patterns);

/// The probe's names: namespace `bindery_instance_<i>`, alias `bindery_self`, `bindery_member_<k>`.
inline constexpr const char* kInstanceNamespace = "bindery_instance_";
inline constexpr const char* kSelfAlias = "bindery_self";
inline constexpr const char* kMemberFunction = "bindery_member_";

}  // namespace bindery::frontend::cxx
