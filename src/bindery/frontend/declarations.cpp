#include "bindery/frontend/declarations.hpp"

#include <algorithm>

namespace bindery::frontend {

namespace {
template <class List, class Pred>
auto find_in(const List& list, Pred pred) -> decltype(&*list.begin()) {
  auto it = std::find_if(list.begin(), list.end(), pred);
  return it == list.end() ? nullptr : &*it;
}

bool has_name(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

const FunctionDecl* TranslationUnit::find_function(const std::string& name) const {
  return find_in(functions, [&](const FunctionDecl& f) { return f.name == name; });
}

const RecordDecl* TranslationUnit::find_record(const std::string& any_name) const {
  return find_in(records, [&](const RecordDecl& r) { return has_name(r.names, any_name); });
}

const EnumDecl* TranslationUnit::find_enum(const std::string& any_name) const {
  return find_in(enums, [&](const EnumDecl& e) { return has_name(e.names, any_name); });
}

const MacroConstant* TranslationUnit::find_macro(const std::string& name) const {
  return find_in(macros, [&](const MacroConstant& m) { return m.name == name; });
}

bool TranslationUnit::declares(const std::string& name) const {
  if (identifiers.count(name) || find_macro(name) || find_function(name)) return true;
  for (const auto& e : enums)
    for (const auto& c : e.constants)
      if (c.name == name) return true;
  return std::any_of(typedefs.begin(), typedefs.end(), [&](const TypedefDecl& t) { return t.name == name; });
}

}  // namespace bindery::frontend
