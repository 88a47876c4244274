#include "bindery/backends/ruby/context.hpp"

#include <algorithm>

namespace bindery::backends::ruby {

bool Context::is_bound(const ir::Function& fn) const {
  return std::none_of(module.unbound.begin(), module.unbound.end(),
                      [&](const ir::Unbound& u) { return u.c_name == fn.c_name; });
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
