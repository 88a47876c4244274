// Function, parameter and type annotations: one parser for bindery.yaml entries, rule bodies and
// in-header BINDERY(...) texts.
#include <fmt/format.h>

#include "bindery/config/config.hpp"
#include "bindery/config/yaml_reading.hpp"

namespace bindery::config {

namespace {

const std::initializer_list<std::string_view> kReturnKeys = {
    "own", "free", "from", "until", "nullable", "length", "string", "group", "enum", "flags", "copy", "host_value"};

const std::initializer_list<std::string_view> kParamKeys = {
    "dir", "nullable", "optional", "own", "free", "from", "until", "size", "capacity", "written",
    "len_of", "string", "fixed", "default", "enum", "flags", "callback", "valid_on_error",
    "precondition", "length", "group", "field_buffers", "when", "alloc", "host_value", "release", "host_tag",
    "implements"};

const std::initializer_list<std::string_view> kFunctionKeys = {
    "role", "of", "name", "names", "result", "returns", "params", "invalidates", "blocking", "same_thread",
    "deprecated", "skip", "doc", "variants", "signature"};

const std::initializer_list<std::string_view> kTypeKeys = {
    "kind", "destroy", "parent", "name", "cxx_name", "thread", "doc", "skip", "init", "fields_preset", "roles"};

const std::initializer_list<std::string_view> kRoleKeys = {
    "kind", "destroy", "parent", "thread", "doc", "init", "fields_preset", "functions"};

/// A value written either as a scalar (`keyword`, or else a C expression) or as a one-key map
/// `{kind: value}` with `kind` among `map_kinds` — the shape of `length:` and `written:`.
/// Returns {kind, value}; kind "expr" for a plain expression.
template <class Spec>
Setting<Spec> read_kind_and_value(const Reader& r, const YAML::Node& map, const char* key, const char* keyword,
                                  std::initializer_list<std::string_view> map_kinds, const char* hint) {
  Setting<Spec> s;
  const YAML::Node node = map[key];
  if (!node) return s;
  s.where = r.at(node);
  if (node.IsScalar()) {
    std::string text = node.Scalar();
    s.value = text == keyword ? Spec{keyword, ""} : Spec{"expr", text};
  } else if (r.check_keys(node, map_kinds, key) && node.size() == 1) {
    std::string kind = node.begin()->first.Scalar();
    s.value = Spec{kind, r.scalar(node.begin()->second, fmt::format("{}.{}", key, kind))};
  } else {
    r.diags.error(s.where, fmt::format("{} takes one of: {}", key, hint));
  }
  return s;
}

Setting<LengthSpec> read_length(const Reader& r, const YAML::Node& map) {
  return read_kind_and_value<LengthSpec>(r, map, "length", "nul", {"out", "call", "expr"},
                                         "an expression, nul, {out: P}, {call: EXPR}");
}

TransferSpec read_transfer(const Reader& r, const YAML::Node& map) {
  TransferSpec t;
  t.own = r.string(map, "own");
  t.free = r.string(map, "free");
  t.from = r.string(map, "from");
  t.until = r.list(map, "until");
  t.string = r.string(map, "string");
  t.group = r.string(map, "group");
  t.length = read_length(r, map);
  t.copy = r.string(map, "copy");
  t.when = r.string(map, "when");
  t.alloc = r.string(map, "alloc");
  t.host_value = r.boolean(map, "host_value");
  return t;
}

Setting<WrittenSpec> read_written(const Reader& r, const YAML::Node& map) {
  return read_kind_and_value<WrittenSpec>(r, map, "written", "return", {"out", "inout"},
                                          "return, an expression, {out: P}, {inout: P}");
}

}  // namespace

std::vector<CallbackArgSpec> read_buffer_args(const Reader& r, const YAML::Node& args) {
  std::vector<CallbackArgSpec> out;
  if (!args.IsMap()) {
    r.diags.error(r.at(args), "args: a map of argument (name or $N) to {length: ARG, string: …}");
    return out;
  }
  for (const auto& entry : args) {
    CallbackArgSpec arg;
    arg.arg = entry.first.Scalar();
    arg.where = r.at(entry.first);
    if (!r.check_keys(entry.second, {"length", "string"}, "callback argument")) continue;
    arg.length = r.string(entry.second, "length").value.value_or("");
    arg.string = r.string(entry.second, "string").value.value_or("");
    out.push_back(std::move(arg));
  }
  return out;
}

namespace {

Setting<CallbackSpec> read_callback(const Reader& r, const YAML::Node& map) {
  Setting<CallbackSpec> s;
  const YAML::Node node = map["callback"];
  if (!node) return s;
  s.where = r.at(node);
  if (!r.check_keys(node, {"scope", "user_data", "destroy", "nullable", "args", "user_data_from"}, "callback")) return s;
  CallbackSpec cb;
  cb.scope = r.string(node, "scope").value.value_or("");
  cb.user_data = r.string(node, "user_data").value.value_or("");
  cb.destroy = r.string(node, "destroy").value.value_or("");
  cb.nullable = r.list(node, "nullable").value.value_or(std::vector<std::string>{});
  cb.user_data_from = r.string(node, "user_data_from").value.value_or("");
  if (const YAML::Node args = node["args"]) cb.args = read_buffer_args(r, args);
  if (cb.scope.empty())
    r.diags.error(s.where, "callback needs a scope", "scope: call | notified | owner | forever");
  s.value = cb;
  return s;
}

Setting<FieldBuffersSpec> read_field_buffers(const Reader& r, const YAML::Node& map) {
  Setting<FieldBuffersSpec> s;
  const YAML::Node node = map["field_buffers"];
  if (!node) return s;
  s.where = r.at(node);
  if (!r.check_keys(node, {"in", "out"}, "field_buffers")) return s;
  FieldBuffersSpec spec;
  spec.in = r.list(node, "in").value.value_or(std::vector<std::string>{});
  spec.out = r.list(node, "out").value.value_or(std::vector<std::string>{});
  for (const auto* pair : {&spec.in, &spec.out})
    if (!pair->empty() && pair->size() != 2)
      r.diags.error(s.where, "field_buffers: in/out take [pointer field, length field]");
  s.value = spec;
  return s;
}

// `nullable:` is a bool on inputs and a NULL meaning (absent/empty/error/false) on outputs; the
// parameter keeps both readings and lowering picks by direction.
void read_param_nullable(const Reader& r, const YAML::Node& map, ParamSpec& p) {
  const YAML::Node node = map["nullable"];
  if (!node) return;
  std::string text = r.scalar(node, "'nullable'");
  SourceLocation where = r.at(node);
  if (text == "true" || text == "yes") p.nullable = {true, where};
  else if (text == "false" || text == "no") p.nullable = {false, where};
  else p.transfer.nullable = {text, where};
}

}  // namespace

ParamSpec parse_param_spec(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags) {
  Reader r{where, diags};
  ParamSpec p;
  p.where = r.at(node);
  if (!r.check_keys(node, kParamKeys, "a parameter's annotations")) return p;
  p.transfer = read_transfer(r, node);
  p.dir = r.string(node, "dir");
  p.size = r.string(node, "size");
  p.capacity = r.string(node, "capacity");
  p.len_of = r.string(node, "len_of");
  p.fixed = r.c_expression(node, "fixed");
  p.default_value = r.c_expression(node, "default");
  p.enum_name = r.string(node, "enum");
  p.flags_name = r.string(node, "flags");
  p.precondition = r.string(node, "precondition");
  p.optional = r.boolean(node, "optional");
  p.valid_on_error = r.boolean(node, "valid_on_error");
  read_param_nullable(r, node, p);
  p.written = read_written(r, node);
  p.callback = read_callback(r, node);
  p.field_buffers = read_field_buffers(r, node);
  p.release = r.string(node, "release");
  p.host_tag = r.boolean(node, "host_tag");
  p.implements = r.string(node, "implements");
  return p;
}

namespace {

Setting<ResultSpec> read_result(const Reader& r, const YAML::Node& map) {
  Setting<ResultSpec> s;
  const YAML::Node node = map["result"];
  if (!node) return s;
  s.where = r.at(node);
  ResultSpec result;
  if (node.IsScalar()) {
    result.name = node.Scalar();
  } else if (r.check_keys(node, {"convention", "kind", "also_ok", "eof", "errors_from", "negative_is_error"},
                          "result")) {
    auto convention = r.string(node, "convention");
    auto kind = r.string(node, "kind");
    if (convention && kind)
      r.diags.error(s.where, "result has both 'convention' and 'kind'", "keep one of them");
    result.name = convention ? *convention : kind ? *kind : "";
    if (result.name.empty()) r.diags.error(s.where, "result needs a 'convention' (or a 'kind')");
    result.also_ok = r.list(node, "also_ok").value.value_or(std::vector<std::string>{});
    result.eof = r.list(node, "eof").value.value_or(std::vector<std::string>{});
    result.errors_from = r.string(node, "errors_from").value.value_or("");
    result.negative_is_error = r.boolean(node, "negative_is_error").value.value_or(false);
  }
  s.value = result;
  return s;
}

}  // namespace

FunctionSpec parse_function_spec(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags) {
  Reader r{where, diags};
  FunctionSpec f;
  if (node.IsNull()) return f;
  if (!r.check_keys(node, kFunctionKeys, "a function's annotations")) return f;
  f.role = r.string(node, "role");
  f.of = r.string(node, "of");
  f.name = r.string(node, "name");
  f.doc = r.string(node, "doc");
  f.skip = r.string(node, "skip");
  f.deprecated = r.string(node, "deprecated");
  f.signature = r.string(node, "signature");
  f.names = r.list(node, "names");
  f.invalidates = r.list(node, "invalidates");
  f.blocking = r.boolean(node, "blocking");
  f.same_thread = r.boolean(node, "same_thread");
  f.result = read_result(r, node);
  if (const YAML::Node returns = node["returns"]) {
    if (r.check_keys(returns, kReturnKeys, "returns")) {
      f.returns = read_transfer(r, returns);
      f.returns.nullable = r.string(returns, "nullable");
      f.returns_enum = r.string(returns, "enum");
      f.returns_flags = r.string(returns, "flags");
    }
  }
  if (const YAML::Node params = node["params"]) {
    if (!params.IsMap())
      diags.error(r.at(params), "params must map parameter names (or $0, $1, …) to annotations");
    else
      for (const auto& entry : params)
        f.params.emplace_back(entry.first.Scalar(), parse_param_spec(entry.second, where, diags));
  }
  return f;
}

namespace {

/// The keys a type and a role share (their keys were checked by the caller).
void read_type_fields(const Reader& r, const YAML::Node& node, TypeSpec& t) {
  t.kind = r.string(node, "kind");
  t.destroy = r.string(node, "destroy");
  t.parent = r.string(node, "parent");
  t.thread = r.string(node, "thread");
  t.doc = r.string(node, "doc");
  t.init = r.list(node, "init");
  if (const YAML::Node preset = node["fields_preset"]) {
    t.fields_preset.where = r.at(preset);
    if (!preset.IsMap()) {
      r.diags.error(t.fields_preset.where, "fields_preset maps struct fields to C expressions");
    } else {
      std::vector<std::pair<std::string, std::string>> fields;
      for (const auto& entry : preset) fields.emplace_back(entry.first.Scalar(), r.scalar(entry.second, "a preset value"));
      t.fields_preset.value = fields;
    }
  }
}

/// `roles:` of a type: one TypeSpec per role, named by its key.
std::vector<TypeSpec> parse_roles(const Reader& r, const std::string& c_name, const YAML::Node& roles) {
  std::vector<TypeSpec> specs;
  if (!roles.IsMap() || roles.size() < 2) {
    r.diags.error(r.at(roles), fmt::format("roles of '{}' map two or more class names to their annotations", c_name),
                  "roles: {Deflater: {kind: pinned, …, functions: \"deflate*\"}, Inflater: {…}}");
    return specs;
  }
  for (const auto& entry : roles) {
    TypeSpec role;
    role.c_name = c_name;
    role.where = r.at(entry.first);
    role.name = {entry.first.Scalar(), role.where};
    std::string what = fmt::format("role '{}' of '{}'", entry.first.Scalar(), c_name);
    if (!entry.second.IsMap()) {
      r.diags.error(role.where, what + " must be a map");
      continue;
    }
    if (!r.check_keys(entry.second, kRoleKeys, what)) continue;
    read_type_fields(r, entry.second, role);
    role.functions = r.string(entry.second, "functions");
    if (!role.functions)
      r.diags.error(role.where, what + " claims no functions",
                    "add functions: PATTERN (a glob, or a regex between slashes) for the functions taking this role");
    specs.push_back(std::move(role));
  }
  return specs;
}

}  // namespace

TypeSpec parse_type_spec(const std::string& c_name, const YAML::Node& node, const MarkMapper& where,
                         Diagnostics& diags) {
  Reader r{where, diags};
  TypeSpec t;
  t.c_name = c_name;
  t.where = r.at(node);
  if (!r.check_keys(node, kTypeKeys, fmt::format("type '{}'", c_name))) return t;
  if (const YAML::Node roles = node["roles"]) {
    for (const char* key : {"kind", "destroy", "name", "cxx_name", "init", "fields_preset", "parent", "thread"})
      if (node[key])
        diags.error(r.at(node[key]), fmt::format("type '{}' has roles: '{}' belongs in each role", c_name, key));
    t.skip = r.string(node, "skip");
    t.doc = r.string(node, "doc");
    t.roles = parse_roles(r, c_name, roles);
    return t;
  }
  read_type_fields(r, node, t);
  t.name = r.string(node, "name");
  if (auto cxx = r.string(node, "cxx_name")) {
    if (t.name) diags.error(cxx.where, "type has both 'name' and 'cxx_name'", "they mean the same: keep one");
    t.name = cxx;
  }
  t.skip = r.string(node, "skip");
  return t;
}

YAML::Node parse_annotation_text(const std::string& text, const SourceLocation& where, Diagnostics& diags) {
  try {
    YAML::Node node = YAML::Load("{" + text + "}");
    return node;
  } catch (const YAML::Exception& e) {
    diags.error(where, fmt::format("malformed BINDERY(...) annotation: {}", e.msg),
                "the text is the body of a YAML flow mapping, e.g. BINDERY(dir: out, size: n)");
    return YAML::Node();
  }
}

MarkMapper at_location(const SourceLocation& where) {
  return [where](const YAML::Mark&) { return where; };
}

void TransferSpec::merge(const TransferSpec& over) {
  own.merge(over.own);
  free.merge(over.free);
  from.merge(over.from);
  nullable.merge(over.nullable);
  string.merge(over.string);
  group.merge(over.group);
  until.merge(over.until);
  length.merge(over.length);
  copy.merge(over.copy);
  when.merge(over.when);
  alloc.merge(over.alloc);
  host_value.merge(over.host_value);
}

void ParamSpec::merge(const ParamSpec& over) {
  transfer.merge(over.transfer);
  for (auto [mine, theirs] : {std::pair{&dir, &over.dir}, {&size, &over.size}, {&capacity, &over.capacity},
                              {&len_of, &over.len_of}, {&fixed, &over.fixed},
                              {&default_value, &over.default_value}, {&enum_name, &over.enum_name},
                              {&flags_name, &over.flags_name}, {&precondition, &over.precondition},
                              {&release, &over.release}, {&implements, &over.implements}})
    mine->merge(*theirs);
  host_tag.merge(over.host_tag);
  nullable.merge(over.nullable);
  optional.merge(over.optional);
  valid_on_error.merge(over.valid_on_error);
  written.merge(over.written);
  callback.merge(over.callback);
  field_buffers.merge(over.field_buffers);
  if (over.where.known()) where = over.where;
}

void FunctionSpec::merge(const FunctionSpec& over) {
  for (auto [mine, theirs] : {std::pair{&role, &over.role}, {&of, &over.of}, {&name, &over.name},
                              {&doc, &over.doc}, {&skip, &over.skip}, {&deprecated, &over.deprecated}})
    mine->merge(*theirs);
  names.merge(over.names);
  invalidates.merge(over.invalidates);
  blocking.merge(over.blocking);
  same_thread.merge(over.same_thread);
  result.merge(over.result);
  returns.merge(over.returns);
  returns_enum.merge(over.returns_enum);
  returns_flags.merge(over.returns_flags);
  for (const auto& param : over.params) {  // (clang 14 cannot capture structured bindings)
    auto it = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == param.first; });
    if (it == params.end()) params.push_back(param);
    else it->second.merge(param.second);
  }
}

void TypeSpec::merge(const TypeSpec& over) {
  for (auto [mine, theirs] : {std::pair{&kind, &over.kind}, {&destroy, &over.destroy},
                              {&parent, &over.parent}, {&name, &over.name}, {&thread, &over.thread},
                              {&doc, &over.doc}, {&skip, &over.skip}})
    mine->merge(*theirs);
  init.merge(over.init);
  fields_preset.merge(over.fields_preset);
  functions.merge(over.functions);
  if (!over.roles.empty()) roles = over.roles;
}

}  // namespace bindery::config
