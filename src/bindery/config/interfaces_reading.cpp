// Reading `interfaces:` — structs of function pointers the host implements (docs/bindery-yaml.md).
#include <fmt/format.h>

#include "bindery/config/config.hpp"
#include "bindery/config/yaml_reading.hpp"
#include "bindery/support/naming.hpp"

namespace bindery::config {

namespace {

const std::initializer_list<std::string_view> kInterfaceKeys = {"name", "function", "preset", "status", "message", "objects", "methods"};
const std::initializer_list<std::string_view> kMethodKeys = {
    "name", "receiver", "makes", "result_to", "error_out", "error_call", "returns", "on_error", "releases", "optional", "args",
    "nullable"};

std::vector<std::pair<std::string, std::string>> read_preset(const Reader& r, const YAML::Node& node) {
  std::vector<std::pair<std::string, std::string>> preset;
  if (!node.IsMap()) {
    r.diags.error(r.at(node), "preset maps fields to C expressions", "e.g. preset: {iVersion: \"0\"}");
    return preset;
  }
  for (const auto& entry : node) preset.emplace_back(entry.first.Scalar(), r.scalar(entry.second, "a C expression"));
  return preset;
}

InterfaceMethodSpec read_method(const Reader& r, const YAML::Node& key, const YAML::Node& body) {
  InterfaceMethodSpec m;
  m.field = key.Scalar();
  m.where = r.at(key);
  if (body.IsNull()) return m;
  if (!r.check_keys(body, kMethodKeys, fmt::format("method '{}'", m.field))) return m;
  m.name = r.string(body, "name").value.value_or("");
  if (const YAML::Node receiver = body["receiver"]; receiver && receiver.IsMap()) {
    // A per-group slot (SQLite's aggregate context): filled on first use from the factory.
    if (r.check_keys(receiver, {"slot", "factory"}, "receiver")) {
      m.receiver_slot = r.c_expression(receiver, "slot").value.value_or("");
      m.receiver_factory = r.c_expression(receiver, "factory").value.value_or("");
      if (m.receiver_slot.empty() || m.receiver_factory.empty())
        r.diags.error(r.at(receiver), fmt::format("method '{}': a slot receiver needs slot: and factory:", m.field),
                      "receiver: {slot: \"(void **)sqlite3_aggregate_context($0, sizeof(void *))\", factory: \"sqlite3_user_data($0)\"}");
    }
  } else {
    m.receiver = r.string(body, "receiver").value.value_or("");
  }
  m.error_call = r.c_expression(body, "error_call").value.value_or("");
  m.makes = r.string(body, "makes").value.value_or("");
  m.result_to = r.string(body, "result_to").value.value_or("");
  m.error_out = r.string(body, "error_out").value.value_or("");
  m.returns = r.string(body, "returns").value.value_or("status");
  m.on_error = r.c_expression(body, "on_error").value.value_or("");
  m.releases = r.boolean(body, "releases").value.value_or(false);
  m.optional = r.boolean(body, "optional").value.value_or(false);
  m.nullable = r.list(body, "nullable").value.value_or(std::vector<std::string>{});
  if (const YAML::Node args = body["args"]) m.args = read_buffer_args(r, args);
  if (m.returns != "status" && m.returns != "bool" && m.returns != "value")
    r.diags.error(r.at(body["returns"]), fmt::format("unknown returns '{}' for method '{}'", m.returns, m.field),
                  "returns: status (the interface's ok/error) | bool (the host result's truth) | value");
  if (!m.name.empty() && !is_identifier(m.name))
    r.diags.error(r.at(body["name"]), fmt::format("method name '{}' is not an identifier", m.name));
  return m;
}

InterfaceSpec read_interface(const Reader& r, const YAML::Node& key, const YAML::Node& body) {
  InterfaceSpec s;
  s.c_name = key.Scalar();
  s.where = r.at(key);
  if (!r.check_keys(body, kInterfaceKeys, fmt::format("interface '{}'", s.c_name))) return s;
  s.name = r.string(body, "name").value.value_or("");
  s.function = r.string(body, "function").value.value_or("");
  if (const YAML::Node preset = body["preset"]) s.preset = read_preset(r, preset);
  if (const YAML::Node status = body["status"]; status && r.check_keys(status, {"ok", "error"}, "status")) {
    s.status_where = r.at(status);
    s.ok = r.c_expression(status, "ok").value.value_or("");
    s.error = r.c_expression(status, "error").value.value_or("");
  }
  if (const YAML::Node message = body["message"]; message && r.check_keys(message, {"alloc", "free"}, "message")) {
    s.message_where = r.at(message);
    s.message_alloc = r.c_expression(message, "alloc").value.value_or("");
    s.message_free = r.string(message, "free").value.value_or("");
  }
  if (const YAML::Node objects = body["objects"]) {
    if (!objects.IsMap()) r.diags.error(r.at(objects), "objects maps C struct names to {name:, error:}");
    else
      for (const auto& entry : objects) {
        ImplementedObjectSpec o;
        o.c_name = entry.first.Scalar();
        o.where = r.at(entry.first);
        if (!entry.second.IsNull() && r.check_keys(entry.second, {"name", "error"}, fmt::format("object '{}'", o.c_name))) {
          o.name = r.string(entry.second, "name").value.value_or("");
          o.error = r.c_expression(entry.second, "error").value.value_or("");
        }
        s.objects.push_back(std::move(o));
      }
  }
  const YAML::Node methods = body["methods"];
  if (!methods || !methods.IsMap() || methods.size() == 0)
    r.diags.error(methods ? r.at(methods) : s.where, fmt::format("interface '{}' needs methods:", s.c_name),
                  "methods: {FIELD: {receiver: ARG, …}} — the function-pointer fields the host implements");
  else
    for (const auto& entry : methods) s.methods.push_back(read_method(r, entry.first, entry.second));
  return s;
}

}  // namespace

void read_interfaces(const YAML::Node& node, const MarkMapper& where, Diagnostics& diags, Config& config) {
  Reader r{where, diags};
  if (!node.IsMap()) {
    diags.error(r.at(node), "interfaces must map C struct names to {methods: …}");
    return;
  }
  for (const auto& entry : node) config.interfaces.push_back(read_interface(r, entry.first, entry.second));
}

}  // namespace bindery::config
