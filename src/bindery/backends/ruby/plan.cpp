// Which parameters a Ruby caller sees, the method's arity, and what this backend cannot bind yet.
#include <algorithm>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/emit.hpp"
#include "bindery/backends/ruby/interfaces.hpp"

namespace bindery::backends::ruby {

bool capacity_from_host(const ir::Function& fn, const ir::Param& p) {
  if (p.role != ir::ParamRole::Capacity) return false;
  return std::any_of(fn.params.begin(), fn.params.end(), [&](const ir::Param& b) {
    return b.role == ir::ParamRole::Buffer && b.name == p.length_of && b.capacity == p.name;
  });
}

const ir::Param* output_length(const ir::Function& fn, const ir::Param& p) {
  bool buffer = p.type.kind == ir::TypeKind::Str || p.type.kind == ir::TypeKind::Bytes || p.type.kind == ir::TypeKind::Slice;
  if (p.role != ir::ParamRole::Output || !buffer || p.size.empty()) return nullptr;
  // The IR pairs them: the output's `size` names the hidden Length param (a pointer) that receives
  // its element count.
  for (const ir::Param& q : fn.params) {
    if (q.name == p.size && q.role == ir::ParamRole::Length) return &q;
  }
  return nullptr;
}

std::vector<std::string> hidden_outputs(const ir::Function& fn) {
  std::vector<std::string> out;
  for (const ir::Param& p : fn.params) {
    if (const ir::Param* len = output_length(fn, p)) out.push_back(len->name);
  }
  if (fn.returns_length.kind == ir::Length::Kind::OutParam) out.push_back(fn.returns_length.value);
  for (const ir::Param& p : fn.params) {
    if (p.role != ir::ParamRole::Buffer) continue;
    if (p.written.kind == ir::Written::Kind::OutParam || p.written.kind == ir::Written::Kind::InOut) {
      out.push_back(p.written.value);
    }
  }
  return out;
}

const ir::Param* field_buffers_self(const ir::Function& fn) {
  for (const ir::Param& p : fn.params) {
    if (p.role == ir::ParamRole::Self && p.field_buffers) return &p;
  }
  return nullptr;
}

const ir::Param& field_input_param() {
  // Not in the C signature: the bytes the binding points the struct's input fields at.
  static const ir::Param input = [] {
    ir::Param p;
    p.name = "input";
    p.index = -1;
    p.c_type = "const char *";
    p.type.kind = ir::TypeKind::Bytes;
    p.type.c_type = "const char *";
    p.lifetime.own = ir::Own::Borrowed;
    return p;
  }();
  return input;
}

const ir::Param* constructed_self(const ir::Function& fn) {
  if (fn.role != ir::FunctionRole::Constructor) return nullptr;
  for (const ir::Param& p : fn.params) {
    if (p.role == ir::ParamRole::Self) return &p;
  }
  return nullptr;
}

std::vector<const ir::Param*> host_params(const ir::Function& fn) {
  std::vector<const ir::Param*> out;
  const std::vector<std::string> hidden_names = hidden_outputs(fn);
  for (const ir::Param& p : fn.params) {
    if (p.role == ir::ParamRole::Self && p.field_buffers && !p.field_buffers->in_pointer.empty()) {
      out.push_back(&field_input_param());
      continue;
    }
    bool hidden = std::find(hidden_names.begin(), hidden_names.end(), p.name) != hidden_names.end();
    bool visible = p.role == ir::ParamRole::Input ||
                   (p.role == ir::ParamRole::Output && p.inout && !hidden) || capacity_from_host(fn, p);
    if (visible) out.push_back(&p);
  }
  return out;
}

int required_params(const ir::Function& fn) {
  auto params = host_params(fn);
  int required = static_cast<int>(params.size());
  if (block_param(fn, params)) --required;  // a block may stand for the last argument
  // Only a trailing run of defaulted parameters can be omitted (positional arguments).
  while (required > 0 && !params[static_cast<std::size_t>(required - 1)]->default_value.empty()) --required;
  return required;
}

int method_arity(const ir::Function& fn) {
  auto host = host_params(fn);
  int total = static_cast<int>(host.size());
  // Ruby's fixed-arity calls go up to 15 arguments; beyond that, with defaults, or when a block may
  // replace the last argument, use argc/argv.
  if (required_params(fn) != total || total > 15) return -1;
  return total;
}

bool supported(const Context& ctx, const ir::Function& fn, std::string& why) {
  if (const ir::Handle* h = ctx.module.find_handle(fn.class_name); h && h->pinned) {
    // The binding owns the storage: a constructor initialises it through its Self param; other
    // functions take an existing object as Self. Anything handing out a pinned object otherwise
    // (a copy into fresh storage) is not expressible here.
    bool self = std::any_of(fn.params.begin(), fn.params.end(), [](const ir::Param& p) { return p.role == ir::ParamRole::Self; });
    if (!self) {
      why = "a function of pinned type " + h->name + " without the object as its receiver";
      return false;
    }
    if (const ir::Param* fb = field_buffers_self(fn); fb && fb->field_buffers->out_pointer.empty()) {
      why = "field buffers without an output buffer (the ruby backend returns what the call produced)";
      return false;
    }
  }
  for (const ir::Param& p : fn.params) {
    if (p.type.kind == ir::TypeKind::Callback || p.callback) {
      if (!p.callback || p.role != ir::ParamRole::Input) {
        why = "callback parameter '" + p.name + "' without its callback description";
        return false;
      }
      if (!callback_supported(ctx, p, why)) return false;
      if (p.callback->scope == ir::Callback::Scope::Owner &&
          std::none_of(fn.params.begin(), fn.params.end(), [](const ir::Param& q) { return q.role == ir::ParamRole::Self; })) {
        why = "callback parameter '" + p.name + "' of scope owner on a function without a receiver to own it";
        return false;
      }
    }
    if (const ir::Interface* iface = ctx.module.interface_passed_by(p); iface && !interface_supported(ctx, *iface, why)) {
      why = "implements interface " + iface->c_name + ", which the ruby backend cannot: " + why;
      return false;
    }
    if (p.role == ir::ParamRole::UserData) {
      auto served = std::find_if(fn.params.begin(), fn.params.end(),
                                 [&](const ir::Param& q) { return q.name == p.length_of && q.callback; });
      if (served == fn.params.end()) {
        why = "user-data parameter '" + p.name + "' that serves no callback";
        return false;
      }
    }
    if (p.role == ir::ParamRole::Output && p.inout && p.type.kind != ir::TypeKind::Scalar &&
        p.type.kind != ir::TypeKind::Enum && p.type.kind != ir::TypeKind::Record) {
      why = "in/out parameter '" + p.name + "' of a non-scalar type";
      return false;
    }
    if ((p.type.kind == ir::TypeKind::Handle) && !ctx.module.find_handle(p.type.name)) {
      why = "parameter '" + p.name + "' names unknown handle '" + p.type.name + "'";
      return false;
    }
  }
  for (const ir::Param& p : fn.params) {
    if (p.role == ir::ParamRole::Release) {
      auto served = std::find_if(fn.params.begin(), fn.params.end(), [&](const ir::Param& q) {
        return q.name == p.length_of && q.type.kind == ir::TypeKind::HostValue && q.role == ir::ParamRole::Input;
      });
      if (served == fn.params.end()) {
        why = "release parameter '" + p.name + "' that serves no host-value input";
        return false;
      }
    }
    if (p.type.kind == ir::TypeKind::HostValue && p.role == ir::ParamRole::Output && p.inout) {
      why = "in/out host-value parameter '" + p.name + "'";
      return false;
    }
  }
  if (fn.returns.kind == ir::TypeKind::Callback) {
    why = "returns a function pointer";
    return false;
  }
  if ((fn.role == ir::FunctionRole::Method || fn.role == ir::FunctionRole::Getter ||
       fn.role == ir::FunctionRole::Destructor) &&
      std::none_of(fn.params.begin(), fn.params.end(),
                   [](const ir::Param& p) { return p.role == ir::ParamRole::Self; })) {
    why = "a method without a self parameter";
    return false;
  }
  return true;
}

const ir::Function* close_function(const Context& ctx, const ir::Handle& h) {
  for (const ir::Function& fn : ctx.module.functions) {
    if (fn.role != ir::FunctionRole::Destructor || fn.class_name != h.name || !ctx.is_bound(fn)) continue;
    // Only a destructor that takes nothing but the object can be `close` (no arguments).
    if (host_params(fn).empty()) return &fn;
  }
  return nullptr;
}

}  // namespace bindery::backends::ruby
