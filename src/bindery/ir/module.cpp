#include <algorithm>

#include "bindery/ir/ir.hpp"

namespace bindery::ir {

namespace {
template <class List, class Pred>
auto find_in(const List& list, Pred pred) -> decltype(&*list.begin()) {
  auto it = std::find_if(list.begin(), list.end(), pred);
  return it == list.end() ? nullptr : &*it;
}
}  // namespace

const Handle* Module::find_handle(const std::string& n) const {
  return find_in(handles, [&](const Handle& h) { return h.name == n; });
}
const Record* Module::find_record(const std::string& n) const {
  return find_in(records, [&](const Record& r) { return r.name == n; });
}
const Enum* Module::find_enum(const std::string& n) const {
  return find_in(enums, [&](const Enum& e) { return e.name == n; });
}
const ErrorConvention* Module::find_convention(const std::string& n) const {
  return find_in(conventions, [&](const ErrorConvention& c) { return c.name == n; });
}
const Function* Module::find_function(const std::string& c) const {
  return find_in(functions, [&](const Function& f) { return f.c_name == c; });
}

const Interface* Module::interface_passed_by(const Param& p) const {
  if (p.role != ParamRole::Fixed) return nullptr;
  return find_in(interfaces, [&](const Interface& i) {
    if (!i.table.empty() && p.fixed == "&" + i.table) return true;
    return std::any_of(i.methods.begin(), i.methods.end(),
                       [&](const InterfaceMethod& m) { return !m.trampoline.empty() && p.fixed == m.trampoline; });
  });
}

bool Module::is_interface_symbol(const std::string& id) const {
  return std::any_of(interfaces.begin(), interfaces.end(), [&](const Interface& i) {
    return (!i.table.empty() && i.table == id) ||
           std::any_of(i.methods.begin(), i.methods.end(), [&](const InterfaceMethod& m) { return m.trampoline == id; });
  });
}

}  // namespace bindery::ir
