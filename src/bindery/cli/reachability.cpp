#include "bindery/cli/reachability.hpp"

#include <set>

namespace bindery::cli {

namespace {

/// The handles a host must already hold to call `f` (a constructor's own storage excluded).
std::set<std::string> handles_needed(const ir::Function& f) {
  std::set<std::string> needed;
  for (const auto& p : f.params) {
    bool takes_handle = (p.role == ir::ParamRole::Self || p.role == ir::ParamRole::Input) && p.type.kind == ir::TypeKind::Handle;
    bool own_storage = f.role == ir::FunctionRole::Constructor && p.role == ir::ParamRole::Self;
    if (takes_handle && !own_storage && !p.nullable) needed.insert(p.type.name);
  }
  return needed;
}

void add_lent_handles(const std::vector<ir::Param>& args, std::set<std::string>& given) {
  for (const auto& arg : args)
    if (arg.type.kind == ir::TypeKind::Handle || (arg.type.kind == ir::TypeKind::Slice && !arg.type.name.empty()))
      given.insert(arg.type.name);  // a handle, or an array of them (`sqlite3_value **argv`)
}

/// The handles calling `f` can hand to a host: results, and what its callbacks and the methods of
/// the interfaces it registers (`implements:`) are lent.
std::set<std::string> handles_given(const ir::Module& module, const ir::Function& f) {
  std::set<std::string> given;
  if (f.role == ir::FunctionRole::Constructor && !f.class_name.empty()) given.insert(f.class_name);
  if (f.returns.kind == ir::TypeKind::Handle) given.insert(f.returns.name);
  for (const auto& p : f.params) {
    if (p.role == ir::ParamRole::Output && p.type.kind == ir::TypeKind::Handle) given.insert(p.type.name);
    if (p.callback) add_lent_handles(p.callback->params, given);
    if (const ir::Interface* interface = module.interface_passed_by(p))
      for (const auto& method : interface->methods) add_lent_handles(method.params, given);
  }
  return given;
}

}  // namespace

std::map<std::string, std::string> unreachable_functions(const ir::Module& module) {
  std::set<std::string> held;  // handles some reachable function gives out
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& f : module.functions) {
      bool callable = true;
      for (const auto& h : handles_needed(f)) callable = callable && held.count(h);
      if (!callable) continue;
      for (const auto& h : handles_given(module, f)) grew = held.insert(h).second || grew;
    }
  }
  std::map<std::string, std::string> unreachable;
  for (const auto& f : module.functions)
    for (const auto& h : handles_needed(f))
      if (!held.count(h)) {
        unreachable[f.c_name] = h;
        break;
      }
  return unreachable;
}

}  // namespace bindery::cli
