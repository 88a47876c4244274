#include "bindery/backends/python/plan.hpp"

#include <algorithm>
#include <cctype>

#include "bindery/backends/python/emit_callback.hpp"
#include "bindery/backends/python/emit_interface.hpp"
#include "bindery/backends/python/emit_record.hpp"

namespace bindery::backends::python {

const ir::Param* find_param(const ir::Function& fn, const std::string& name) {
  for (const auto& p : fn.params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// Local lookups instead of ir::Module's members: the backend depends on the IR's data only.
const ir::Handle* find_handle(const ir::Module& m, const std::string& name) {
  for (const auto& h : m.handles) {
    if (h.name == name) return &h;
  }
  return nullptr;
}
const ir::Record* find_record(const ir::Module& m, const std::string& name) {
  for (const auto& r : m.records) {
    if (r.name == name) return &r;
  }
  return nullptr;
}
const ir::Enum* find_enum(const ir::Module& m, const std::string& name) {
  for (const auto& e : m.enums) {
    if (e.name == name) return &e;
  }
  return nullptr;
}
const ir::ErrorConvention* find_convention(const ir::Module& m, const std::string& name) {
  for (const auto& c : m.conventions) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> hidden_outputs(const ir::Function& fn) {
  std::vector<std::string> hidden;
  if (fn.returns_length.kind == ir::Length::Kind::OutParam) hidden.push_back(fn.returns_length.value);
  for (const auto& p : fn.params) {
    if (p.role == ir::ParamRole::Buffer && (p.written.kind == ir::Written::Kind::OutParam ||
                                            p.written.kind == ir::Written::Kind::InOut)) {
      hidden.push_back(p.written.value);
    }
  }
  return hidden;
}

namespace {

bool is_hidden(const std::vector<std::string>& hidden, const std::string& name) {
  return std::find(hidden.begin(), hidden.end(), name) != hidden.end();
}

// Why a value of this type cannot cross yet ("" when it can).
std::string unsupported_type(const ir::Module& m, const ir::Type& t, bool input) {
  switch (t.kind) {
    case ir::TypeKind::Void:
    case ir::TypeKind::Scalar:
    case ir::TypeKind::Str:
    case ir::TypeKind::Bytes:
      return {};
    case ir::TypeKind::Handle:
      return find_handle(m, t.name) ? "" : "unknown handle type '" + t.name + "'";
    case ir::TypeKind::Enum:
      return find_enum(m, t.name) ? "" : "unknown enum '" + t.name + "'";
    case ir::TypeKind::Record:
      if (const ir::Record* r = find_record(m, t.name)) return unsupported_record(m, *r);
      return "unknown record '" + t.name + "'";
    case ir::TypeKind::Slice:
      return {};
    case ir::TypeKind::Callback:
      return input ? std::string{} : "a callback cannot be a result";
    case ir::TypeKind::HostValue:
      return {};  // the Python object itself travels as the box (a strong reference)
  }
  return "unknown type";
}

}  // namespace

std::string host_exception(const ir::Module& m, const ir::ErrorConvention* conv) {
  if (conv && (conv->exception == "std::system_error" ||
               (conv->exception.empty() && !conv->errno_expr.empty()))) {
    return "";
  }
  if (conv && !conv->exception.empty()) {
    auto pos = conv->exception.rfind("::");
    return pos == std::string::npos ? conv->exception : conv->exception.substr(pos + 2);
  }
  std::string lib;
  bool up = true;
  for (char c : m.library) {
    if (c == '_') { up = true; continue; }
    lib += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return lib + "Error";
}

FunctionPlan plan_function(const ir::Module& m, const ir::Function& fn) {
  FunctionPlan plan;
  plan.fn = &fn;
  plan.py_name = fn.name;
  while (plan.py_name.size() > 1 && plan.py_name.back() == '_') plan.py_name.pop_back();
  const auto hidden = hidden_outputs(fn);
  auto reject = [&](std::string why) {
    if (plan.unsupported.empty()) plan.unsupported = std::move(why);
  };

  for (const auto& p : fn.params) {
    switch (p.role) {
      case ir::ParamRole::Self: {
        const ir::Handle* h = find_handle(m, p.type.name);
        if (h && h->pinned && fn.role == ir::FunctionRole::Constructor) {
          plan.pinned_init = true;  // the storage being initialised, not a receiver
          break;
        }
        plan.self = &p;
        if (p.field_buffers) {
          const auto& fb = *p.field_buffers;
          if (!fb.in_pointer.empty() && !fb.in_length.empty()) {
            plan.args.push_back({&p, "input", false, false, HostArg::Field::Input});
          }
          if (!fb.out_pointer.empty() && !fb.out_length.empty()) {
            plan.args.push_back({&p, "capacity", false, false, HostArg::Field::OutputCapacity});
          }
        }
        break;
      }
      case ir::ParamRole::Input: {
        if (auto why = unsupported_type(m, p.type, true); !why.empty()) reject(p.name + ": " + why);
        if (p.type.kind == ir::TypeKind::Callback) {
          if (auto why = unsupported_callback(m, p); !why.empty()) reject(p.name + ": " + why);
        }
        if (p.lifetime.own == ir::Own::Captured && p.type.kind != ir::TypeKind::HostValue &&
            !(captured_text(p) && p.size.empty())) {
          reject(p.name + ": inputs captured beyond the call are not bound to python yet");
        }
        plan.args.push_back({&p, p.name, !p.default_value.empty() || p.nullable, false, {}});
        break;
      }
      case ir::ParamRole::Output:
        if (auto why = unsupported_type(m, p.type, false); !why.empty()) reject(p.name + ": " + why);
        if (is_hidden(hidden, p.name)) break;
        if (p.inout) plan.args.push_back({&p, p.name, false, false, {}});
        plan.results.push_back({HostResult::Kind::Output, &p});
        break;
      case ir::ParamRole::Buffer:
        if (p.type.kind != ir::TypeKind::Bytes && p.type.kind != ir::TypeKind::Str) {
          reject(p.name + ": only byte and text output buffers are bound to python yet");
        }
        plan.results.push_back({HostResult::Kind::Output, &p});
        break;
      case ir::ParamRole::Capacity:
        // The caller chooses how much to receive: `read(n)`.
        plan.args.push_back({&p, p.name, !p.default_value.empty(), true, {}});
        break;
      case ir::ParamRole::Fixed:
        if (const ir::Interface* iface = m.interface_passed_by(p)) {
          if (auto why = unsupported_interface(m, *iface); !why.empty()) reject(p.name + ": " + why);
        }
        break;
      case ir::ParamRole::Length:
      case ir::ParamRole::UserData:
      case ir::ParamRole::Release:
      case ir::ParamRole::HostTag:
        break;
    }
  }

  // A callable kept by its owner lives in a slot of the receiver's object: there must be one,
  // and it must be the object that destroys the C handle (the slot dies with it).
  for (const auto& a : plan.args) {
    const ir::Param& p = *a.param;
    if ((!p.callback || p.callback->scope != ir::Callback::Scope::Owner) && !captured_text(p)) continue;
    const ir::Handle* h = plan.self ? find_handle(m, plan.self->type.name) : nullptr;
    if (!h || h->kind != ir::Handle::Kind::Owned || h->destroy.empty() ||
        h->name != fn.class_name) {
      reject(p.name + ": a callback of scope owner (or captured text) needs a method of an owned class to keep it");
    }
  }

  // Python has no "optional before required": an optional argument followed by a required one
  // becomes required (keywords still work for it).
  bool later_required = false;
  for (auto it = plan.args.rbegin(); it != plan.args.rend(); ++it) {
    if (!it->optional) later_required = true;
    else if (later_required) it->optional = false;
  }

  // A return value that only counts what a buffer received is read by the wrapper, not returned.
  bool return_is_count = false;
  for (const auto& p : fn.params) {
    if (p.role == ir::ParamRole::Buffer && p.written.kind == ir::Written::Kind::Return) {
      return_is_count = true;
    }
  }

  const auto& r = fn.result;
  switch (r.kind) {
    case ir::ResultKind::Value:
      if (fn.returns.kind != ir::TypeKind::Void && !return_is_count) {
        if (auto why = unsupported_type(m, fn.returns, false); !why.empty()) reject("result: " + why);
        plan.results.insert(plan.results.begin(), {HostResult::Kind::Return, nullptr});
      }
      break;
    case ir::ResultKind::Bool:
    case ir::ResultKind::BoolOk:
    case ir::ResultKind::Count:
    case ir::ResultKind::NullError:
      if (r.kind == ir::ResultKind::Count && return_is_count) break;
      if (r.kind == ir::ResultKind::NullError) {
        if (auto why = unsupported_type(m, fn.returns, false); !why.empty()) reject("result: " + why);
      }
      plan.results.insert(plan.results.begin(), {HostResult::Kind::Return, nullptr});
      break;
    case ir::ResultKind::Status: {
      const auto* conv = find_convention(m, r.convention);
      if (!conv) reject("unknown result convention '" + r.convention + "'");
      if (plan.pinned_init) break;  // the new object is the result
      if (plan.self && plan.self->field_buffers) {
        // Streaming through field buffers: the status (None, or Z_STREAM_END…), how much input
        // was consumed, what was produced — the caller's loop needs all three.
        plan.results.insert(plan.results.begin(), {HostResult::Kind::Status, nullptr});
        break;
      }
      // Soft and extra success codes are information the caller needs: a function with no other
      // result returns them (and None for plain success); with results, they are not returned.
      if ((!r.also_ok.empty() || (conv && !conv->soft.empty())) && plan.results.empty()) {
        plan.results.insert(plan.results.begin(), {HostResult::Kind::Status, nullptr});
      }
      break;
    }
    case ir::ResultKind::Void:
    case ir::ResultKind::Ignore:
      break;
  }
  if (plan.self && plan.self->field_buffers) {
    const auto& fb = *plan.self->field_buffers;
    if (!fb.in_pointer.empty()) plan.results.push_back({HostResult::Kind::Consumed, nullptr});
    if (!fb.out_pointer.empty()) plan.results.push_back({HostResult::Kind::Produced, nullptr});
  }
  if (plan.pinned_init && !plan.results.empty()) {
    reject("a constructor of a pinned class returns a status, not other results");
  }
  if ((r.kind == ir::ResultKind::Count || r.kind == ir::ResultKind::NullError) &&
      !find_convention(m, r.convention) && !r.convention.empty()) {
    reject("unknown result convention '" + r.convention + "'");
  }
  return plan;
}

}  // namespace bindery::backends::python
