#include "bindery/ir/json.hpp"

#include "bindery/ir/scalars.hpp"

namespace bindery::ir {

using nlohmann::ordered_json;

namespace {

const char* name_of(TypeKind k) {
  switch (k) {
    case TypeKind::Void: return "void";
    case TypeKind::Scalar: return "scalar";
    case TypeKind::Str: return "str";
    case TypeKind::Bytes: return "bytes";
    case TypeKind::Slice: return "slice";
    case TypeKind::Handle: return "handle";
    case TypeKind::Record: return "record";
    case TypeKind::Enum: return "enum";
    case TypeKind::Callback: return "callback";
    case TypeKind::HostValue: return "host_value";
  }
  return "?";
}

const char* name_of(Own o) {
  switch (o) {
    case Own::None: return "none";
    case Own::Borrowed: return "borrowed";
    case Own::Owned: return "owned";
    case Own::Static: return "static";
    case Own::Consumed: return "consumed";
    case Own::Captured: return "captured";
  }
  return "?";
}

const char* name_of(Until u) {
  switch (u) {
    case Until::Owner: return "owner";
    case Until::NextCall: return "next_call";
    case Until::Mutation: return "mutation";
    case Until::Calls: return "calls";
  }
  return "?";
}

const char* name_of(NullMeaning n) {
  switch (n) {
    case NullMeaning::Never: return "never";
    case NullMeaning::Absent: return "absent";
    case NullMeaning::Empty: return "empty";
    case NullMeaning::Error: return "error";
  }
  return "?";
}

const char* name_of(Length::Kind k) {
  switch (k) {
    case Length::Kind::None: return "none";
    case Length::Kind::Nul: return "nul";
    case Length::Kind::Expr: return "expr";
    case Length::Kind::OutParam: return "out_param";
    case Length::Kind::Call: return "call";
  }
  return "?";
}

const char* name_of(Written::Kind k) {
  switch (k) {
    case Written::Kind::All: return "all";
    case Written::Kind::Return: return "return";
    case Written::Kind::OutParam: return "out_param";
    case Written::Kind::InOut: return "inout";
    case Written::Kind::Expr: return "expr";
  }
  return "?";
}

const char* name_of(ParamRole r) {
  switch (r) {
    case ParamRole::Input: return "input";
    case ParamRole::Self: return "self";
    case ParamRole::Output: return "output";
    case ParamRole::Buffer: return "buffer";
    case ParamRole::Length: return "length";
    case ParamRole::Capacity: return "capacity";
    case ParamRole::UserData: return "user_data";
    case ParamRole::Fixed: return "fixed";
    case ParamRole::Release: return "release";
    case ParamRole::HostTag: return "host_tag";
  }
  return "?";
}

const char* name_of(ResultKind k) {
  switch (k) {
    case ResultKind::Value: return "value";
    case ResultKind::Void: return "void";
    case ResultKind::Ignore: return "ignore";
    case ResultKind::Bool: return "bool";
    case ResultKind::BoolOk: return "bool_ok";
    case ResultKind::Status: return "status";
    case ResultKind::Count: return "count";
    case ResultKind::NullError: return "null_error";
  }
  return "?";
}

const char* name_of(FunctionRole r) {
  switch (r) {
    case FunctionRole::Free: return "free";
    case FunctionRole::Constructor: return "constructor";
    case FunctionRole::Destructor: return "destructor";
    case FunctionRole::Method: return "method";
    case FunctionRole::Static: return "static";
    case FunctionRole::Getter: return "getter";
  }
  return "?";
}

const char* name_of(Callback::Scope s) {
  switch (s) {
    case Callback::Scope::Call: return "call";
    case Callback::Scope::Notified: return "notified";
    case Callback::Scope::Owner: return "owner";
    case Callback::Scope::Forever: return "forever";
  }
  return "?";
}

void put(ordered_json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put(ordered_json& j, const char* key, bool value) {
  if (value) j[key] = true;
}
void put(ordered_json& j, const char* key, const std::vector<std::string>& value) {
  if (!value.empty()) j[key] = value;
}

ordered_json location(const SourceLocation& l) {
  if (!l.known()) return nullptr;
  return l.str();
}

ordered_json type_json(const Type& t) {
  ordered_json j;
  j["kind"] = name_of(t.kind);
  bool handle_slice = t.kind == TypeKind::Slice && !t.name.empty();  // an array of handles: `name` is the element
  if (t.kind == TypeKind::Scalar || (t.kind == TypeKind::Slice && !handle_slice) || t.kind == TypeKind::Enum)
    j["scalar"] = scalar_name(t.scalar);
  put(j, "name", t.name);
  put(j, "encoding", t.encoding);
  put(j, "c_type", t.c_type);
  return j;
}

ordered_json lifetime_json(const Lifetime& l) {
  ordered_json j;
  j["own"] = name_of(l.own);
  put(j, "free", l.free);
  put(j, "from", l.from);
  if (l.own == Own::Borrowed) j["until"] = name_of(l.until);
  put(j, "until_calls", l.until_calls);
  put(j, "group", l.group);
  if (l.null != NullMeaning::Never) j["null"] = name_of(l.null);
  put(j, "copy", l.copy);
  put(j, "alloc", l.alloc);
  put(j, "consumed_on_success", l.consumed_on_success);
  return j;
}

ordered_json param_json(const Param& p);

ordered_json callback_json(const Callback& c) {
  ordered_json j;
  j["scope"] = name_of(c.scope);
  put(j, "user_data", c.user_data);
  put(j, "destroy", c.destroy);
  put(j, "typedef_name", c.typedef_name);
  if (c.user_data_index >= 0) j["user_data_index"] = c.user_data_index;
  put(j, "user_data_from", c.user_data_from);
  j["params"] = ordered_json::array();
  for (const auto& p : c.params) j["params"].push_back(param_json(p));
  if (c.ret) j["returns"] = type_json(c.ret->type);
  return j;
}

ordered_json param_json(const Param& p) {
  ordered_json j;
  j["name"] = p.name;
  j["index"] = p.index;
  j["role"] = name_of(p.role);
  j["type"] = type_json(p.type);
  j["c_type"] = p.c_type;
  if (p.lifetime.own != Own::None) j["lifetime"] = lifetime_json(p.lifetime);
  put(j, "nullable", p.nullable);
  put(j, "inout", p.inout);
  put(j, "by_pointer", p.by_pointer);
  put(j, "valid_on_error", p.valid_on_error);
  put(j, "size", p.size);
  put(j, "capacity", p.capacity);
  if (p.role == ParamRole::Buffer) {
    j["written"] = {{"kind", name_of(p.written.kind)}};
    put(j["written"], "value", p.written.value);
  }
  put(j, "length_of", p.length_of);
  put(j, "fixed", p.fixed);
  put(j, "default", p.default_value);
  put(j, "precondition", p.precondition);
  if (p.callback) j["callback"] = callback_json(*p.callback);
  if (p.field_buffers) {
    ordered_json fb;
    put(fb, "in_pointer", p.field_buffers->in_pointer);
    put(fb, "in_length", p.field_buffers->in_length);
    put(fb, "out_pointer", p.field_buffers->out_pointer);
    put(fb, "out_length", p.field_buffers->out_length);
    j["field_buffers"] = fb;
  }
  put(j, "doc", p.doc);
  return j;
}

ordered_json function_json(const Function& f) {
  ordered_json j;
  j["c_name"] = f.c_name;
  j["name"] = f.name;
  j["role"] = name_of(f.role);
  put(j, "class", f.class_name);
  j["params"] = ordered_json::array();
  for (const auto& p : f.params) j["params"].push_back(param_json(p));
  j["returns"] = type_json(f.returns);
  if (f.returns_lifetime.own != Own::None) j["returns_lifetime"] = lifetime_json(f.returns_lifetime);
  if (f.returns_length.kind != Length::Kind::None) {
    j["returns_length"] = {{"kind", name_of(f.returns_length.kind)}};
    put(j["returns_length"], "value", f.returns_length.value);
  }
  ordered_json result;
  result["kind"] = name_of(f.result.kind);
  put(result, "convention", f.result.convention);
  put(result, "also_ok", f.result.also_ok);
  put(result, "eof", f.result.eof);
  put(result, "errors_from", f.result.errors_from);
  j["result"] = result;
  put(j, "invalidates", f.invalidates);
  put(j, "nodiscard", f.nodiscard);
  put(j, "blocking", f.blocking);
  put(j, "same_thread", f.same_thread);
  put(j, "variant_of", f.variant_of);
  put(j, "helper", f.helper);
  if (f.deprecated) j["deprecated"] = *f.deprecated;
  put(j, "doc", f.doc);
  j["location"] = location(f.location);
  return j;
}

const char* name_of(InterfaceMethod::Returns r) {
  switch (r) {
    case InterfaceMethod::Returns::Status: return "status";
    case InterfaceMethod::Returns::Bool: return "bool";
    case InterfaceMethod::Returns::Value: return "value";
  }
  return "?";
}

void put_index(ordered_json& j, const char* key, int index) {
  if (index >= 0) j[key] = index;
}

ordered_json interface_json(const Interface& i) {
  ordered_json j;
  put(j, "c_name", i.c_name);
  put(j, "function", i.function);
  j["name"] = i.name;
  j["key"] = i.key;
  put(j, "table", i.table);
  for (const auto& [field, value] : i.preset) j["preset"][field] = value;
  put(j, "ok", i.ok);
  put(j, "error", i.error);
  put(j, "message_alloc", i.message_alloc);
  put(j, "message_free", i.message_free);
  for (const auto& o : i.objects) {
    ordered_json e;
    e["c_name"] = o.c_name;
    e["name"] = o.name;
    put(e, "error", o.error);
    e["shim_prefix"] = o.shim_prefix;
    put(e, "doc", o.doc);
    j["objects"].push_back(e);
  }
  j["methods"] = ordered_json::array();
  for (const auto& m : i.methods) {
    ordered_json e;
    e["field"] = m.field;
    e["name"] = m.name;
    e["params"] = ordered_json::array();
    for (const auto& p : m.params) e["params"].push_back(param_json(p));
    e["ret"] = type_json(m.ret->type);
    e["trampoline"] = m.trampoline;
    put_index(e, "receiver", m.receiver);
    put(e, "receiver_object", m.receiver_object);
    put(e, "receiver_slot", m.receiver_slot);
    put(e, "receiver_factory", m.receiver_factory);
    put_index(e, "makes", m.makes);
    put(e, "makes_object", m.makes_object);
    put_index(e, "result_to", m.result_to);
    put_index(e, "error_out", m.error_out);
    put(e, "error_call", m.error_call);
    put(e, "releases", m.releases);
    put(e, "optional", m.optional);
    e["returns"] = name_of(m.returns);
    put(e, "on_error", m.on_error);
    put(e, "doc", m.doc);
    e["location"] = location(m.location);
    j["methods"].push_back(e);
  }
  put(j, "doc", i.doc);
  j["location"] = location(i.location);
  return j;
}

}  // namespace

ordered_json to_json(const Module& m) {
  ordered_json j;
  j["ir_version"] = kVersion;
  j["library"] = m.library;
  j["cxx_namespace"] = m.cxx_namespace;
  put(j, "prefix_strip", m.prefix_strip);
  j["headers"] = ordered_json::array();
  for (const auto& h : m.headers) j["headers"].push_back({{"include", h.include}});
  put(j, "link", m.link);
  put(j, "defines", m.defines);

  j["handles"] = ordered_json::array();
  for (const auto& h : m.handles) {
    ordered_json e;
    e["name"] = h.name;
    e["c_name"] = h.c_name;
    e["pointer_c_type"] = h.pointer_c_type;
    e["kind"] = h.kind == Handle::Kind::Owned ? "owned" : "opaque_borrowed";
    put(e, "destroy", h.destroy);
    put(e, "parent", h.parent);
    e["thread"] = h.thread;
    put(e, "pinned", h.pinned);
    if (!h.fields_preset.empty()) {
      ordered_json preset;
      for (const auto& [field, value] : h.fields_preset) preset[field] = value;
      e["fields_preset"] = preset;
    }
    put(e, "doc", h.doc);
    e["location"] = location(h.location);
    j["handles"].push_back(e);
  }
  j["records"] = ordered_json::array();
  for (const auto& r : m.records) {
    ordered_json e;
    e["name"] = r.name;
    e["c_name"] = r.c_name;
    e["fields"] = ordered_json::array();
    for (const auto& f : r.fields) {
      ordered_json field = {{"name", f.name}, {"type", type_json(f.type)}};
      put(field, "doc", f.doc);
      e["fields"].push_back(field);
    }
    put(e, "doc", r.doc);
    e["location"] = location(r.location);
    j["records"].push_back(e);
  }
  j["enums"] = ordered_json::array();
  for (const auto& en : m.enums) {
    ordered_json e;
    e["name"] = en.name;
    put(e, "c_name", en.c_name);
    e["underlying"] = scalar_name(en.underlying);
    put(e, "flags", en.flags);
    e["values"] = ordered_json::array();
    for (const auto& v : en.values) {
      ordered_json value = {{"name", v.name}, {"c_name", v.c_name}, {"value", v.value}};
      put(value, "doc", v.doc);
      e["values"].push_back(value);
    }
    put(e, "doc", en.doc);
    j["enums"].push_back(e);
  }
  j["constants"] = ordered_json::array();
  for (const auto& c : m.constants) {
    ordered_json e = {{"name", c.name}, {"c_name", c.c_name}};
    switch (c.kind) {
      case Constant::Kind::Int: e["kind"] = "int"; e["value"] = c.int_value; break;
      case Constant::Kind::Float: e["kind"] = "float"; e["value"] = c.float_value; break;
      case Constant::Kind::String: e["kind"] = "string"; e["value"] = c.string_value; break;
    }
    j["constants"].push_back(e);
  }
  j["conventions"] = ordered_json::array();
  for (const auto& c : m.conventions) {
    ordered_json e;
    e["name"] = c.name;
    e["on"] = c.on == ErrorConvention::On::Status ? "status" : "pointer";
    put(e, "ok", c.ok);
    put(e, "eof", c.eof);
    put(e, "soft", c.soft);
    put(e, "negative_is_error", c.negative_is_error);
    put(e, "message", c.message);
    put(e, "code", c.code);
    put(e, "errno", c.errno_expr);
    put(e, "exception", c.exception);
    for (const auto& k : c.kinds) e["kinds"].push_back({{"code", k.code}, {"kind", error_kind_name(k.kind)}});
    j["conventions"].push_back(e);
  }
  j["functions"] = ordered_json::array();
  for (const auto& f : m.functions) j["functions"].push_back(function_json(f));
  put(j, "shims", m.shims);
  if (!m.interfaces.empty())
    for (const auto& i : m.interfaces) j["interfaces"].push_back(interface_json(i));
  j["unbound"] = ordered_json::array();
  for (const auto& u : m.unbound) {
    ordered_json e;
    e["c_name"] = u.c_name;
    e["kind"] = u.kind == Unbound::Kind::Skipped ? "skipped" : "needs_annotation";
    e["reason"] = u.reason;
    put(e, "suggestion", u.suggestion);
    e["location"] = location(u.location);
    if (u.variadic) e["variadic"] = true;
    if (u.deprecated) e["deprecated"] = true;
    j["unbound"].push_back(e);
  }
  return j;
}

}  // namespace bindery::ir
