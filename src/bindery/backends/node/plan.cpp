#include "bindery/backends/node/plan.hpp"

#include <algorithm>
#include <set>

#include "bindery/backends/node/names.hpp"

namespace bindery::backends::node {

bool is_optional(const ir::Param& p) {
  return p.role != ir::ParamRole::Buffer && (!p.default_value.empty() || p.nullable);
}

bool hidden_in_callback(const ir::Callback& cb, const ir::Param& q) {
  if (q.role == ir::ParamRole::UserData) return true;
  if (q.role != ir::ParamRole::Length || q.length_of.empty()) return false;
  return std::any_of(cb.params.begin(), cb.params.end(), [&](const ir::Param& o) { return o.name == q.length_of; });
}

std::string host_name(const ir::Function& f, const ir::Param& p) {
  if (p.role != ir::ParamRole::Buffer) return js_local(p.name);
  for (const auto& q : f.params)
    if (q.role == ir::ParamRole::Capacity && q.length_of == p.name) return js_local(q.name);
  return "capacity";
}

const ClassPlan* ModulePlan::find_class(const std::string& name) const {
  for (const auto& c : classes)
    if (c.handle->name == name) return &c;
  return nullptr;
}

std::vector<const ir::Param*> host_arguments(const ir::InterfaceMethod& m) {
  std::vector<const ir::Param*> args;
  for (size_t i = 0; i < m.params.size(); i++) {
    int k = static_cast<int>(i);
    if (k == m.receiver || k == m.makes || k == m.result_to || k == m.error_out) continue;
    if (m.params[i].role == ir::ParamRole::Input) args.push_back(&m.params[i]);
  }
  return args;
}

const ir::ImplementedObject* find_object(const ir::Interface& i, const std::string& c_name) {
  for (const auto& o : i.objects)
    if (o.c_name == c_name) return &o;
  return nullptr;
}

std::string receiver_name(const ir::Interface& i, const ir::InterfaceMethod& m) {
  const ir::ImplementedObject* o = m.receiver_object.empty() ? nullptr : find_object(i, m.receiver_object);
  return o ? o->name : i.name;
}

const ir::Interface* implemented_by(const ir::Module& m, const ir::Function& f) {
  for (const auto& p : f.params)
    if (const ir::Interface* i = m.interface_passed_by(p)) return i;
  return nullptr;
}

namespace {

// A callback argument the trampoline converts: scalars, enums, text, records, lent handles, and
// bytes/slices with a length (copied).
bool callback_argument_supported(const ir::Param& q) {
  if (q.role == ir::ParamRole::UserData || q.role == ir::ParamRole::Length) return true;
  switch (q.type.kind) {
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Enum:
    case ir::TypeKind::Str:
    case ir::TypeKind::Record:
    case ir::TypeKind::Handle: return true;
    case ir::TypeKind::Bytes: return !q.size.empty();
    case ir::TypeKind::Slice: return !q.size.empty() && q.type.scalar != ir::Scalar::Bool;
    default: return false;
  }
}

// Why an interface cannot be bound by this backend today ("" = it can): every method's trampoline
// must find its object and convert its arguments and result.
std::string unsupported_interface(const ir::Interface& i) {
  for (const auto& m : i.methods) {
    auto at = [&](int k) { return k >= 0 && static_cast<size_t>(k) < m.params.size(); };
    if (!m.receiver_slot.empty()) {  // a per-group object, made by the registered factory
      if (m.receiver_factory.empty()) return "method '" + m.field + "': a slot without a factory";
    } else if (!at(m.receiver)) {
      return "method '" + m.field + "' without a receiver";
    } else if (m.params[m.receiver].type.kind != ir::TypeKind::HostValue && !find_object(i, m.receiver_object)) {
      return "method '" + m.field + "': a receiver of this type";
    }
    for (const auto* q : host_arguments(m))
      if (!callback_argument_supported(*q)) return "method '" + m.field + "': arguments of this type";
    if (m.makes >= 0 && (!at(m.makes) || !find_object(i, m.makes_object)))
      return "method '" + m.field + "': a made object the interface does not declare";
    if (m.result_to >= 0 && (!at(m.result_to) || (m.params[m.result_to].type.kind != ir::TypeKind::Scalar &&
                                                  m.params[m.result_to].type.kind != ir::TypeKind::Enum)))
      return "method '" + m.field + "': results of this type";
    if (m.error_out >= 0 && !at(m.error_out)) return "method '" + m.field + "': no such error argument";
    if (m.returns == ir::InterfaceMethod::Returns::Value &&
        (!m.ret || (m.ret->type.kind != ir::TypeKind::Scalar && m.ret->type.kind != ir::TypeKind::Enum)))
      return "method '" + m.field + "': return values of this type";
  }
  return "";
}

// The receiver of a method, when the lowering marked one.
const ir::Param* self_of(const ir::Function& f) {
  for (const auto& p : f.params)
    if (p.role == ir::ParamRole::Self) return &p;
  return nullptr;
}

// Why a function cannot be bound by this backend today ("" = it can).
std::string unsupported(const ir::Module& m, const ir::Function& f) {
  if (const ir::Interface* i = implemented_by(m, f))
    if (auto why = unsupported_interface(*i); !why.empty()) return "interfaces with " + why;
  for (const auto& p : f.params) {
    if (p.type.kind == ir::TypeKind::Callback) {
      if (!p.callback) return "callbacks without a signature";
      for (const auto& q : p.callback->params)
        if (!callback_argument_supported(q)) return "callback parameters of this type";
      if (p.callback->ret && p.callback->ret->type.kind != ir::TypeKind::Void &&
          p.callback->ret->type.kind != ir::TypeKind::Scalar && p.callback->ret->type.kind != ir::TypeKind::Enum)
        return "callback results of this type";
      if (p.callback->user_data.empty()) return "callbacks without user data";
    }
    if (p.role == ir::ParamRole::Input && p.lifetime.own == ir::Own::Captured && p.type.kind != ir::TypeKind::HostValue &&
        !(p.type.kind == ir::TypeKind::Str && self_of(f)))
      return "inputs captured beyond the call (other than text kept by the receiver)";
    if (p.role == ir::ParamRole::Buffer && p.type.kind != ir::TypeKind::Bytes && p.type.kind != ir::TypeKind::Str)
      return "output buffers of this type";
    if (p.role == ir::ParamRole::Output && p.type.kind == ir::TypeKind::Callback) return "callback out-parameters";
    if (p.role == ir::ParamRole::Output && !p.lifetime.copy.empty()) return "copied out-parameters";
    if (p.role == ir::ParamRole::Input && !p.lifetime.alloc.empty() && p.type.kind != ir::TypeKind::Bytes)
      return "non-byte inputs copied into the library's allocator";
    if (p.type.kind == ir::TypeKind::Slice && p.type.scalar == ir::Scalar::Bool) return "bool slices";
  }
  if (f.returns.kind == ir::TypeKind::Slice && f.returns.scalar == ir::Scalar::Bool) return "bool slices";
  if (f.returns.kind == ir::TypeKind::Callback) return "callback results";
  return "";
}

bool crosses_handles(const FnPlan& p) {
  for (const auto* in : p.inputs)
    if (in->type.kind == ir::TypeKind::Handle) return true;
  for (const auto& r : p.results) {
    const ir::Type& t = r.param ? r.param->type : p.fn->returns;
    if (t.kind == ir::TypeKind::Handle) return true;
    const ir::Lifetime& l = r.param ? r.param->lifetime : p.fn->returns_lifetime;
    if ((t.kind == ir::TypeKind::Bytes || t.kind == ir::TypeKind::Slice) && l.own == ir::Own::Borrowed) return true;
  }
  return false;
}

FnPlan plan_function(const ir::Function& f) {
  FnPlan p;
  p.fn = &f;
  p.js_name = camel(f.name);
  p.native_name = f.c_name;
  for (const auto& param : f.params) {
    switch (param.role) {
      case ir::ParamRole::Self:
        p.self = &param;
        break;
      case ir::ParamRole::Input:
        p.inputs.push_back(&param);
        break;
      case ir::ParamRole::Output:
        if (param.inout) p.inputs.push_back(&param);  // the host passes the initial value
        p.results.push_back({camel(param.name), &param});
        break;
      case ir::ParamRole::Buffer:  // the host passes its capacity and gets the bytes written back
        p.inputs.push_back(&param);
        p.results.push_back({camel(param.name), &param});
        if (param.written.kind == ir::Written::Kind::Return) p.count_returned = true;
        break;
      default:
        break;
    }
  }
  // A method whose receiver the lowering did not mark: the first handle of the class is self.
  if (!p.self && (f.role == ir::FunctionRole::Method || f.role == ir::FunctionRole::Getter ||
                  f.role == ir::FunctionRole::Destructor)) {
    for (auto it = p.inputs.begin(); it != p.inputs.end(); ++it) {
      if ((*it)->type.kind == ir::TypeKind::Handle && (*it)->type.name == f.class_name) {
        p.self = *it;
        p.inputs.erase(it);
        break;
      }
    }
  }
  p.is_static = f.role == ir::FunctionRole::Constructor || f.role == ir::FunctionRole::Static;
  if (f.role == ir::FunctionRole::Constructor && p.self) {  // a pinned type's init: no receiver yet
    p.pinned_self = p.self;
    p.self = nullptr;
  }
  if (p.self && p.self->field_buffers) p.field_buffers = &*p.self->field_buffers;
  p.required = p.inputs.size();
  while (p.required > 0 && is_optional(*p.inputs[p.required - 1])) --p.required;
  switch (f.result.kind) {
    case ir::ResultKind::Void:
    case ir::ResultKind::Ignore:
    case ir::ResultKind::Status:
      p.returns_value = false;
      break;
    default:
      p.returns_value = f.returns.kind != ir::TypeKind::Void && !p.count_returned;
  }
  if (p.returns_value && !p.pinned_self) p.results.insert(p.results.begin(), {"result", nullptr});
  p.needs_js_wrapper = crosses_handles(p);
  // No …Async for a param whose handling needs the JS thread around the C call: a callback (JS
  // runs in it), bytes for the callee's allocator (copied right before the call: a job would hold
  // them in memory the library frees, and a cancelled job would leak them), captured text (kept by
  // the receiver's slot), a host value (boxed and unboxed with napi calls).
  auto needs_js_thread = [](const ir::Param& q) {
    return q.type.kind == ir::TypeKind::Callback || !q.lifetime.alloc.empty() ||
           q.lifetime.own == ir::Own::Captured || q.type.kind == ir::TypeKind::HostValue;
  };
  p.has_async = f.blocking && !f.same_thread && f.returns.kind != ir::TypeKind::HostValue &&
                std::none_of(f.params.begin(), f.params.end(), needs_js_thread);
  size_t handles = p.self ? 1 : 0;
  for (const auto* in : p.inputs) handles += in->type.kind == ir::TypeKind::Handle;
  if (handles > 8) p.has_async = false;  // bn_job keeps at most BN_JOB_MAX_IDS handles busy
  return p;
}

}  // namespace

ModulePlan make_plan(const ir::Module& m, Diagnostics& diags) {
  ModulePlan plan;
  plan.module = &m;
  plan.error_class = pascal(m.library) + "Error";
  std::set<std::string> unbound;
  for (const auto& u : m.unbound) unbound.insert(u.c_name);

  for (const auto& h : m.handles) {
    ClassPlan c;
    c.handle = &h;
    c.id = static_cast<int>(plan.classes.size()) + 1;
    plan.classes.push_back(c);
  }
  for (const auto& i : m.interfaces) {
    if (auto why = unsupported_interface(i); !why.empty()) {
      diags.warning(i.location, "node: interface '" + i.name + "' is not bound yet (" + why + ")",
                    "the node backend does not support " + why + " yet");
      continue;
    }
    plan.interfaces.push_back(&i);
  }
  // Interface methods run JavaScript during calls of the library (SQLite's step reaches a virtual
  // table's filter), on the JS thread only: a call on the pool refuses them (bn_pool_job).
  plan.any_callbacks = !plan.interfaces.empty();
  // A library that keeps callbacks (hooks, subscriptions) or calls interface methods may call
  // JavaScript from any call.
  bool keeps_callbacks = !plan.interfaces.empty() || std::any_of(m.functions.begin(), m.functions.end(), [&](const ir::Function& f) {
    return !unbound.count(f.c_name) && std::any_of(f.params.begin(), f.params.end(), [](const ir::Param& q) {
             return q.callback && q.callback->scope != ir::Callback::Scope::Call;
           });
  });
  for (const auto& f : m.functions) {
    if (unbound.count(f.c_name)) continue;
    if (auto why = unsupported(m, f); !why.empty()) {
      diags.warning(f.location, "node: '" + f.c_name + "' is not bound yet (" + why + ")",
                    "the node backend does not support " + why + " yet");
      continue;
    }
    FnPlan p = plan_function(f);
    plan.any_callbacks = plan.any_callbacks || std::any_of(f.params.begin(), f.params.end(), [](const ir::Param& q) {
                           return q.type.kind == ir::TypeKind::Callback;
                         });
    p.may_call_js = keeps_callbacks || std::any_of(f.params.begin(), f.params.end(), [](const ir::Param& q) {
                      return q.type.kind == ir::TypeKind::Callback;
                    });
    ClassPlan* cls = nullptr;
    for (auto& c : plan.classes)
      if (!f.class_name.empty() && c.handle->name == f.class_name) cls = &c;
    if (!cls || f.role == ir::FunctionRole::Free) {
      p.what = p.js_name;
      // A function without host arguments gets a JS function too: index.js checks the arity there
      // (free once the JIT inlines it), so the native function reads no arguments at all.
      if (p.inputs.empty()) p.needs_js_wrapper = true;
      p.js_checks_arity = p.needs_js_wrapper;
      plan.functions.push_back(std::move(p));
      continue;
    }
    p.js_checks_arity = true;
    p.what = cls->handle->name + "." + p.js_name;
    switch (f.role) {
      case ir::FunctionRole::Destructor:
        break;  // close() releases through the class's destroy function
      case ir::FunctionRole::Constructor:
        cls->constructors.push_back(std::move(p));
        break;
      case ir::FunctionRole::Static:
        cls->statics.push_back(std::move(p));
        break;
      default:
        if (!p.self) {
          cls->statics.push_back(std::move(p));
        } else {
          cls->methods.push_back(std::move(p));
        }
    }
  }
  return plan;
}

}  // namespace bindery::backends::node
