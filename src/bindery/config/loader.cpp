// Loading bindery.yaml: the top-level keys, paths resolved against the file's directory.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "bindery/config/config.hpp"
#include "bindery/config/yaml_reading.hpp"
#include "bindery/support/files.hpp"
#include "bindery/support/naming.hpp"

namespace bindery::config {

namespace {

namespace fs = std::filesystem;

const std::initializer_list<std::string_view> kTopKeys = {
    "bindery", "library", "headers", "include_dirs", "defines", "std", "sources", "link",
    "prefix_strip", "cxx_namespace", "bind_system", "types", "results", "enums", "constants",
    "rules", "functions", "interfaces", "helpers"};

const std::initializer_list<std::string_view> kConventionKeys = {
    "type", "ok", "eof", "soft", "negative_is_error", "message", "code", "errno", "exception", "kinds"};

const std::initializer_list<std::string_view> kErrorKinds = {"invalid_argument", "out_of_range", "no_memory"};

const std::initializer_list<std::string_view> kEnumKeys = {
    "from_macros", "c_enum", "flags", "strip", "underlying"};

/// "int (sqlite3 *db, int op)" → "int sqlite3_db_config__x(sqlite3 *db, int op)": the name goes
/// before the parameter list's opening parenthesis (a return type has none).
std::optional<std::string> declarator_of(const Reader& r, const Setting<std::string>& signature, const std::string& symbol,
                                         const std::string& what) {
  auto open = signature->find('(');
  if (open == std::string::npos) {
    r.diags.error(signature.where, fmt::format("{}: the signature has no parameter list", what),
                  "write it as RETURN_TYPE (PARAMETERS), e.g. \"int (sqlite3 *db, int op, int *value)\"");
    return std::nullopt;
  }
  std::string result = signature->substr(0, open);
  while (!result.empty() && result.back() == ' ') result.pop_back();
  return fmt::format("{} {}{}", result, symbol, signature->substr(open));
}

/// `helpers: {NAME: {signature: "RET (PARAMS)", body: "C statements", …annotations}}`: functions
/// written in C in bindery.yaml (SWIG's %inline), bound like the library's own — accessors of a
/// struct the library lends (SQLite's sqlite3_index_info), conveniences over several calls.
void read_helpers(const Reader& r, const YAML::Node& helpers, Config& config) {
  if (!helpers.IsMap()) {
    r.diags.error(r.at(helpers), "helpers maps C function names to {signature: \"RET (PARAMS)\", body: \"…\", …annotations}");
    return;
  }
  for (const auto& entry : helpers) {
    VariantSpec v;
    v.symbol = v.name = entry.first.Scalar();
    v.where = r.at(entry.first);
    if (!is_identifier(v.name)) r.diags.error(v.where, fmt::format("helper name '{}' is not an identifier", v.name));
    if (!entry.second.IsMap() || !entry.second["signature"] || !entry.second["body"]) {
      r.diags.error(v.where, fmt::format("helper '{}' needs signature: and body:", v.name),
                    "signature: \"int (const T *self)\", body: \"return self->count;\"");
      continue;
    }
    YAML::Node annotations(YAML::NodeType::Map);
    for (const auto& item : entry.second)
      if (item.first.Scalar() != "body") annotations[item.first] = item.second;
    v.body = r.scalar(entry.second["body"], "a helper's body (C statements)");
    FunctionSpec spec = parse_function_spec(annotations, r.where, r.diags);
    auto declarator = declarator_of(r, spec.signature, v.symbol, fmt::format("helper '{}'", v.name));
    if (!declarator) continue;
    v.declarator = *declarator;
    spec.signature = {};
    config.functions.emplace_back(v.symbol, std::move(spec));
    config.function_keys.emplace_back(v.symbol, v.where);
    config.variants.push_back(std::move(v));
  }
}

/// `variants: {NAME: {signature: "RET (PARAMS)", …annotations}}` of function `c_name`: each becomes
/// a VariantSpec and a `functions:` entry keyed by its shim's symbol.
void read_variants(const Reader& r, const std::string& c_name, const YAML::Node& function, Config& config) {
  const YAML::Node variants = function["variants"];
  if (!variants.IsMap() || variants.size() == 0) {
    r.diags.error(r.at(variants), "variants maps names to {signature: \"RET (PARAMS)\", …annotations}");
    return;
  }
  for (const auto& entry : variants) {
    VariantSpec v;
    v.c_name = c_name;
    v.name = entry.first.Scalar();
    v.symbol = c_name + "__" + v.name;
    v.where = r.at(entry.first);
    if (!is_identifier(v.name)) r.diags.error(v.where, fmt::format("variant name '{}' is not an identifier", v.name));
    if (!entry.second.IsMap() || !entry.second["signature"]) {
      r.diags.error(v.where, fmt::format("variant '{}' of '{}' has no signature", v.name, c_name),
                    "signature: \"int (sqlite3 *db, int op, int value, int *result)\" — the C function's parameters with their types for this use");
      continue;
    }
    FunctionSpec body = parse_function_spec(entry.second, r.where, r.diags);
    auto declarator = declarator_of(r, body.signature, v.symbol, fmt::format("variant '{}'", v.name));
    if (!declarator) continue;
    v.declarator = *declarator;
    body.signature = {};
    if (!body.name) body.name = {v.name, v.where};
    if (entry.second["variants"]) r.diags.error(r.at(entry.second["variants"]), "a variant cannot have variants");
    config.functions.emplace_back(v.symbol, std::move(body));
    config.function_keys.emplace_back(v.symbol, v.where);
    config.variants.push_back(std::move(v));
  }
}

std::vector<std::string> resolve_paths(const fs::path& dir, const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;  // a path the file system refuses stays as written: "not found" later
    fs::path resolved = fs::weakly_canonical(dir / p, ec);
    out.push_back(ec ? (dir / p).lexically_normal().string() : resolved.string());
  }
  return out;
}

std::vector<std::string> list_or_empty(const Setting<std::vector<std::string>>& s) {
  return s.value.value_or(std::vector<std::string>{});
}

/// kinds: {CODE: kind}: which error codes are the host's "invalid argument", "out of range", "no memory".
void read_error_kinds(const Reader& r, const YAML::Node& node, ConventionSpec& c) {
  if (!node) return;
  c.kinds_where = r.at(node);
  if (!node.IsMap()) {
    r.diags.error(c.kinds_where, "kinds maps error codes to kinds", "e.g. kinds: {SQLITE_NOMEM: no_memory}");
    return;
  }
  for (const auto& entry : node) {
    std::string code = r.scalar(entry.first, "an error code");
    std::string kind = r.scalar(entry.second, "an error kind");
    if (std::find(kErrorKinds.begin(), kErrorKinds.end(), kind) == kErrorKinds.end()) {
      std::string near = closest_key(kind, kErrorKinds);
      r.diags.error(r.at(entry.second), fmt::format("unknown error kind '{}'", kind),
                    near.empty() ? "kinds are invalid_argument, out_of_range and no_memory"
                                 : fmt::format("did you mean '{}'?", near));
      continue;
    }
    c.kinds.emplace_back(std::move(code), std::move(kind));
  }
}

void read_conventions(const Reader& r, const YAML::Node& node, Config& config) {
  if (!node.IsMap()) {
    r.diags.error(r.at(node), "results must map convention names to {type, ok, message, …}");
    return;
  }
  for (const auto& entry : node) {
    ConventionSpec c;
    c.name = entry.first.Scalar();
    c.where = r.at(entry.first);
    const YAML::Node body = entry.second;
    if (!r.check_keys(body, kConventionKeys, fmt::format("result convention '{}'", c.name))) continue;
    c.type = r.string(body, "type").value.value_or("int");
    if (c.type != "int" && c.type != "pointer")
      r.diags.error(r.at(body["type"]), fmt::format("unknown convention type '{}'", c.type),
                    "type: int (a status code) or type: pointer (NULL is the error)");
    c.ok = list_or_empty(r.list(body, "ok"));
    c.eof = list_or_empty(r.list(body, "eof"));
    c.soft = list_or_empty(r.list(body, "soft"));
    c.negative_is_error = r.boolean(body, "negative_is_error").value.value_or(false);
    c.message = r.string(body, "message").value.value_or("");
    c.code = r.string(body, "code").value.value_or("");
    c.errno_expr = r.string(body, "errno").value.value_or("");
    c.exception = r.string(body, "exception").value.value_or("");
    read_error_kinds(r, body["kinds"], c);
    if (c.type == "int" && c.ok.empty() && !c.negative_is_error)
      r.diags.error(c.where, fmt::format("result convention '{}' says nothing about success", c.name),
                    "add ok: [CODE, …] or negative_is_error: true");
    config.conventions.push_back(std::move(c));
  }
}

void read_enums(const Reader& r, const YAML::Node& node, Config& config) {
  if (!node.IsMap()) {
    r.diags.error(r.at(node), "enums must map enum names to {from_macros: …} or {c_enum: …}");
    return;
  }
  for (const auto& entry : node) {
    EnumSpec e;
    e.name = entry.first.Scalar();
    e.where = r.at(entry.first);
    if (!r.check_keys(entry.second, kEnumKeys, fmt::format("enum '{}'", e.name))) continue;
    e.from_macros = r.string(entry.second, "from_macros").value.value_or("");
    e.c_enum = r.string(entry.second, "c_enum").value.value_or("");
    e.strip = r.string(entry.second, "strip").value.value_or("");
    e.underlying = r.string(entry.second, "underlying").value.value_or("");
    e.flags = r.boolean(entry.second, "flags").value.value_or(false);
    if (e.from_macros.empty() == e.c_enum.empty())
      r.diags.error(e.where, fmt::format("enum '{}' needs exactly one of from_macros or c_enum", e.name));
    config.enums.push_back(std::move(e));
  }
}

void read_rules(const Reader& r, const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) {
    r.diags.error(r.at(node), "rules must be a list of {match: PATTERN, …annotations}");
    return;
  }
  for (const auto& item : node) {
    if (!item.IsMap() || !item["match"]) {
      r.diags.error(r.at(item), "each rule needs 'match:' (a glob, or a /regex/)");
      continue;
    }
    RuleSpec rule;
    rule.where = r.at(item["match"]);
    std::string pattern = r.scalar(item["match"], "'match'");
    rule.is_regex = pattern.size() >= 2 && pattern.front() == '/' && pattern.back() == '/';
    rule.pattern = rule.is_regex ? pattern.substr(1, pattern.size() - 2) : pattern;
    YAML::Node body(YAML::NodeType::Map);
    for (const auto& entry : item)
      if (entry.first.Scalar() != "match") body[entry.first] = entry.second;
    for (const char* key : {"variants", "signature"})
      if (item[key])
        r.diags.error(r.at(item[key]), fmt::format("a rule cannot have {}: variants are written under functions:", key));
    rule.body = body;
    config.rules.push_back(std::move(rule));
  }
}

}  // namespace

Config load_config(const fs::path& file, Diagnostics& diags) {
  Config config;
  config.file = fs::absolute(file).lexically_normal();
  config.dir = config.file.parent_path();
  std::string shown = file.string();
  if (std::error_code ec; !fs::exists(file, ec))
    diags.fatal({shown, 0, 0}, "configuration file not found",
                "run `bindery init HEADER…` to write a starting bindery.yaml, or pass -c FILE");

  YAML::Node root;
  try {
    root = YAML::Load(read_file(file));
  } catch (const YAML::Exception& e) {
    diags.fatal({shown, static_cast<unsigned>(e.mark.line + 1), static_cast<unsigned>(e.mark.column + 1)},
                fmt::format("malformed YAML: {}", e.msg));
  } catch (const std::runtime_error& e) {
    diags.fatal({shown, 0, 0}, e.what());
  }

  MarkMapper where = [shown](const YAML::Mark& m) {
    return SourceLocation{shown, static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1)};
  };
  Reader r{where, diags};
  if (!root.IsMap()) diags.fatal({shown, 1, 1}, "bindery.yaml must be a mapping at the top level");
  r.check_keys(root, kTopKeys, "bindery.yaml");

  auto version = r.string(root, "bindery");
  if (!version) diags.error({shown, 1, 1}, "missing 'bindery: 1' (the format version)");
  else if (*version != "1")
    diags.error(version.where, fmt::format("unsupported format version '{}'", *version), "this bindery reads 'bindery: 1'");

  auto library = r.string(root, "library");
  if (!library || library->empty()) diags.error({shown, 1, 1}, "missing 'library:' (the library's name)");
  config.library = library.value.value_or("");
  auto headers = r.list(root, "headers");
  if (!headers || headers->empty()) diags.error({shown, 1, 1}, "missing 'headers:' (the C headers to read)");
  config.headers = resolve_paths(config.dir, list_or_empty(headers));
  for (size_t i = 0; i < config.headers.size(); ++i)
    if (std::error_code ec; !fs::exists(config.headers[i], ec))
      diags.error(headers.where, fmt::format("header '{}' not found", (*headers)[i]),
                  fmt::format("paths in bindery.yaml are relative to {}", config.dir.string()));
  config.include_dirs = resolve_paths(config.dir, list_or_empty(r.list(root, "include_dirs")));
  config.sources = resolve_paths(config.dir, list_or_empty(r.list(root, "sources")));
  config.defines = list_or_empty(r.list(root, "defines"));
  config.link = list_or_empty(r.list(root, "link"));
  config.bind_system = list_or_empty(r.list(root, "bind_system"));
  config.std = r.string(root, "std").value.value_or("c11");
  config.prefix_strip = r.string(root, "prefix_strip").value.value_or("");
  config.cxx_namespace = r.string(root, "cxx_namespace").value.value_or(config.library);

  if (const YAML::Node types = root["types"]) {
    if (!types.IsMap()) diags.error(r.at(types), "types must map C type names to annotations");
    else
      for (const auto& entry : types)
        config.types.push_back(parse_type_spec(entry.first.Scalar(), entry.second, where, diags));
  }
  if (const YAML::Node results = root["results"]) read_conventions(r, results, config);
  if (const YAML::Node enums = root["enums"]) read_enums(r, enums, config);
  if (const YAML::Node constants = root["constants"]) {
    if (!constants.IsMap()) diags.error(r.at(constants), "constants must map names to C expressions");
    else
      for (const auto& entry : constants)
        config.constants.push_back({entry.first.Scalar(), r.scalar(entry.second, "a constant"), r.at(entry.first)});
  }
  if (const YAML::Node rules = root["rules"]) read_rules(r, rules, config);
  if (const YAML::Node interfaces = root["interfaces"]) read_interfaces(interfaces, where, diags, config);
  if (const YAML::Node helpers = root["helpers"]) read_helpers(r, helpers, config);
  if (const YAML::Node functions = root["functions"]) {
    if (!functions.IsMap()) diags.error(r.at(functions), "functions must map C function names to annotations");
    else
      for (const auto& entry : functions) {
        const std::string c_name = entry.first.Scalar();
        config.functions.emplace_back(c_name, parse_function_spec(entry.second, where, diags));
        if (config.functions.back().second.signature)
          diags.error(config.functions.back().second.signature.where, "signature: belongs in a variant",
                      "variants: {NAME: {signature: \"RET (PARAMS)\", …}}");
        if (entry.second.IsMap() && entry.second["variants"]) read_variants(r, c_name, entry.second, config);
        config.function_keys.emplace_back(c_name, r.at(entry.first));
      }
  }
  return config;
}

}  // namespace bindery::config
