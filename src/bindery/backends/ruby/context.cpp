#include "bindery/backends/ruby/context.hpp"

#include <algorithm>

#include "bindery/backends/ruby/emit.hpp"

namespace bindery::backends::ruby {

bool Context::is_bound(const ir::Function& fn) const {
  return std::none_of(module.unbound.begin(), module.unbound.end(),
                      [&](const ir::Unbound& u) { return u.c_name == fn.c_name; });
}

bool Context::is_plain(std::string_view name) const {
  const ir::Handle* h = module.find_handle(std::string(name));
  if (!h || h->kind != ir::Handle::Kind::Owned || h->destroy.empty() || h->pinned || !h->parent.empty()) {
    return false;
  }
  if (used_without_gvl(name)) return false;  // its busy counter lives in the bindery_rb_handle
  // With interfaces any call may run Ruby methods, which may close the objects the call uses: every
  // call marks them busy (close then raises instead of freeing them under the library).
  if (!module.interfaces.empty()) return false;
  for (const ir::Handle& other : module.handles) {
    if (other.parent == h->name) return false;  // children hold a reference on its C object
  }
  // Every place an instance comes out of C must own it: a borrowed view needs an owner slot.
  auto owned_here = [&](const ir::Type& t, const ir::Lifetime& lt) {
    return t.kind != ir::TypeKind::Handle || t.name != h->name || lt.own == ir::Own::Owned;
  };
  for (const ir::Function& fn : module.functions) {
    if (!owned_here(fn.returns, fn.returns_lifetime)) return false;
    if (fn.class_name == h->name) {  // the object keeps callbacks of scope owner: it needs their slots
      for (const ir::Param& p : fn.params) {
        if (p.role == ir::ParamRole::Input && p.callback && p.callback->scope == ir::Callback::Scope::Owner) return false;
      }
    }
    for (const ir::Param& p : fn.params) {
      if (p.role == ir::ParamRole::Output && !owned_here(p.type, p.lifetime)) return false;
      if (p.callback) {
        for (const ir::Param& cp : p.callback->params) {
          // Lent to a callback, alone or in an array (sqlite3_value **): the view must be closable.
          bool lent = cp.type.kind == ir::TypeKind::Handle || cp.type.kind == ir::TypeKind::Slice;
          if (lent && cp.type.name == h->name) return false;
        }
      }
    }
  }
  for (const ir::Interface& iface : module.interfaces) {  // lent to a Ruby object's method: closable
    for (const ir::InterfaceMethod& m : iface.methods) {
      for (const ir::Param& p : m.params) {
        bool lent = p.type.kind == ir::TypeKind::Handle || p.type.kind == ir::TypeKind::Slice;
        if (lent && p.type.name == h->name) return false;
      }
    }
  }
  return true;
}

bool Context::used_without_gvl(std::string_view name) const {
  for (const ir::Function& fn : module.functions) {
    if (!releases_gvl(fn) || !is_bound(fn)) continue;
    for (const ir::Param& p : fn.params) {
      if (p.type.kind == ir::TypeKind::Handle && p.type.name == name &&
          (p.role == ir::ParamRole::Self || p.role == ir::ParamRole::Input)) {
        return true;
      }
    }
  }
  return false;
}

bool Context::checks_busy(std::string_view name) const {
  const ir::Handle* h = module.find_handle(std::string(name));
  return h && h->thread == "affine" && used_without_gvl(name);
}

std::string Context::ruby_path(const ir::Function& fn) const {
  switch (fn.role) {
    case ir::FunctionRole::Free: return ruby_module + "." + method_name(fn);
    case ir::FunctionRole::Constructor:
    case ir::FunctionRole::Static: return ruby_class(fn.class_name) + "." + method_name(fn);
    case ir::FunctionRole::Destructor: return ruby_class(fn.class_name) + "#close";
    default: return ruby_class(fn.class_name) + "#" + method_name(fn);
  }
}

}  // namespace bindery::backends::ruby
