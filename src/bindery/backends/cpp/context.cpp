#include "bindery/backends/cpp/context.hpp"

#include <algorithm>

namespace bindery::backends::cpp {

namespace {
template <class T, class Pred>
const T* find_in(const std::vector<T>& items, Pred pred) {
  auto it = std::find_if(items.begin(), items.end(), pred);
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const ir::Handle* Context::handle(const std::string& name) const {
  return find_in(module.handles, [&](const ir::Handle& h) { return h.name == name; });
}
const ir::Record* Context::record(const std::string& name) const {
  return find_in(module.records, [&](const ir::Record& r) { return r.name == name; });
}
const ir::Enum* Context::enumeration(const std::string& name) const {
  return find_in(module.enums, [&](const ir::Enum& e) { return e.name == name; });
}
const ir::ErrorConvention* Context::convention(const std::string& name) const {
  return find_in(module.conventions, [&](const ir::ErrorConvention& c) { return c.name == name; });
}
const ir::Handle* Context::handle_destroyed_by(const std::string& c_name) const {
  return find_in(module.handles, [&](const ir::Handle& h) { return !h.destroy.empty() && h.destroy == c_name; });
}
const ir::Function* Context::function(const std::string& c_name) const {
  return find_in(module.functions, [&](const ir::Function& f) { return f.c_name == c_name; });
}

void Context::find_refs() {
  auto note = [&](const ir::Type& t, const ir::Lifetime& lt) {
    if (t.kind != ir::TypeKind::Handle || (lt.own != ir::Own::Borrowed && lt.own != ir::Own::Static)) return;
    const ir::Handle* h = handle(t.name);
    if (h != nullptr && h->kind == ir::Handle::Kind::Owned) refs.insert(h->name);
  };
  // A handle the library lends to a callback (alone, or an array of them: SQLite's argv of
  // sqlite3_value) is seen through a Ref too: the callback must never destroy it.
  auto note_lent = [&](const ir::Type& t) {
    const bool lent = t.kind == ir::TypeKind::Handle || (t.kind == ir::TypeKind::Slice && !t.name.empty());
    const ir::Handle* h = lent ? handle(t.name) : nullptr;
    if (h != nullptr && h->kind == ir::Handle::Kind::Owned) refs.insert(h->name);
  };
  for (const auto& f : module.functions) {
    note(f.returns, f.returns_lifetime);
    for (const auto& p : f.params) {
      if (p.role == ir::ParamRole::Output) note(p.type, p.lifetime);
      if (p.callback)
        for (const auto& a : p.callback->params) note_lent(a.type);
    }
  }
}

void Context::find_function_names() {
  // What the classes themselves define, and what every wrapper body names.
  for (const char* own : {"create", "close", "adopt", "release", "is_open", "c_ptr", "c_ptr_or_throw", "replace_c_ptr"})
    cxx_function_names.insert(own);
  for (const auto& f : module.functions) {
    std::string name = f.name.empty() ? f.c_name : f.name;
    cxx_function_names.insert(name);
    while (!name.empty() && name.back() == '_') name.pop_back();  // constructors drop it
    cxx_function_names.insert(name);
    cxx_function_names.insert(name + "_");  // names the classes reserve get one
  }
}

std::string Context::ref_type(const ir::Handle& h) const {
  return h.kind == ir::Handle::Kind::Owned ? h.name + "Ref" : h.name;
}

std::string Context::exception_class(const ir::ErrorConvention& conv) const {
  std::string name = conv.exception;
  if (name.empty()) return "Error";
  if (name == "std::system_error") return name;
  // "tarball::Error" or "Error" -> the library's class; "tarball::IoError" -> a subclass.
  std::string prefix = module.cxx_namespace + "::";
  if (name.starts_with(prefix)) name = name.substr(prefix.size());
  if (name.find("::") != std::string::npos || name.empty()) return "Error";
  return name;
}

bool Context::has_kept_callbacks() const {
  // An interface's methods run from inside later C calls too, and park their exceptions the same way.
  if (!module.interfaces.empty()) return true;
  for (const auto& f : module.functions)
    for (const auto& p : f.params)
      if (p.callback && p.callback->scope != ir::Callback::Scope::Call) return true;
  return false;
}

bool Context::uses_error_kind(ir::ErrorKind kind) const {
  for (const auto& conv : module.conventions)
    for (const auto& k : conv.kinds)
      if (k.kind == kind) return true;
  return false;
}

std::vector<std::string> Context::extra_exception_classes() const {
  std::vector<std::string> out;
  for (const auto& conv : module.conventions) {
    std::string cls = exception_class(conv);
    if (cls == "Error" || cls == "std::system_error") continue;
    if (std::find(out.begin(), out.end(), cls) == out.end()) out.push_back(cls);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bindery::backends::cpp
