// Lowering of functions: merging the annotation layers, then classifying every parameter and the
// result. A pointer nothing classifies makes the function "needs annotation", never a guess.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "bindery/config/rule_matching.hpp"
#include "bindery/ir/classify.hpp"
#include "bindery/ir/lowering_context.hpp"

namespace bindery::ir {

namespace {

using config::FunctionSpec;
using config::ParamSpec;

/// The parameter names in effect: `names:` from the layers, else the header's, else argN.
std::vector<std::string> effective_names(const frontend::FunctionDecl& decl, const FunctionSpec& merged,
                                         Diagnostics& diags) {
  std::vector<std::string> names;
  for (size_t i = 0; i < decl.signature.params.size(); ++i) {
    const auto& n = decl.signature.params[i].name;
    names.push_back(n.empty() ? fmt::format("arg{}", i) : n);
  }
  if (merged.names) {
    if (merged.names->size() > names.size())
      diags.error(merged.names.where,
                  fmt::format("names: lists {} names but '{}' has {} parameters", merged.names->size(), decl.name, names.size()));
    for (size_t i = 0; i < merged.names->size() && i < names.size(); ++i) names[i] = (*merged.names)[i];
  }
  return names;
}

/// Re-keys a layer's params by position ("$N") so layers naming the same parameter differently merge.
FunctionSpec normalise_params(FunctionSpec layer, const std::vector<std::string>& names,
                              const std::string& function, Diagnostics& diags) {
  std::vector<std::pair<std::string, ParamSpec>> keyed;
  for (auto& [key, spec] : layer.params) {
    int index = param_index(key, names);
    if (index < 0) {
      diags.error(spec.where, fmt::format("'{}' has no parameter '{}'", function, key),
                  fmt::format("its parameters are: {} (or $0…${})", fmt::join(names, ", "),
                              names.empty() ? 0 : names.size() - 1));
      continue;
    }
    std::string canonical = fmt::format("${}", index);
    auto it = std::find_if(keyed.begin(), keyed.end(), [&](const auto& p) { return p.first == canonical; });
    if (it == keyed.end()) keyed.emplace_back(canonical, std::move(spec));
    else it->second.merge(spec);
  }
  layer.params = std::move(keyed);
  return layer;
}

FunctionSpec header_layer(const frontend::FunctionDecl& decl, Diagnostics& diags) {
  FunctionSpec layer;
  for (const auto& [text, where] : decl.attributes.annotations) {
    YAML::Node node = config::parse_annotation_text(text, where, diags);
    if (!node) continue;
    config::MarkMapper mapper = config::at_location(where);
    layer.merge(config::parse_function_spec(node, mapper, diags));
  }
  for (size_t i = 0; i < decl.signature.params.size(); ++i)
    for (const auto& [text, where] : decl.signature.params[i].attributes.annotations) {
      YAML::Node node = config::parse_annotation_text(text, where, diags);
      if (!node) continue;
      config::MarkMapper mapper = config::at_location(where);
      FunctionSpec p;
      p.params.emplace_back(fmt::format("${}", i), config::parse_param_spec(node, mapper, diags));
      layer.merge(p);
    }
  return layer;
}

const config::VariantSpec* variant_named(const config::Config& config, const std::string& symbol) {
  for (const auto& v : config.variants)
    if (v.symbol == symbol) return &v;
  return nullptr;
}

/// The shim of a variant: `static inline RET symbol(PARAMS) { return c_name(args…); }`. An argument
/// whose type differs from the C function's parameter is cast to it (`(void *)value`: C converts
/// `int *` implicitly, C++ does not, and neither drops a `const` silently); the variadic tail is
/// passed as it is (its types are what the op code's documentation says).
std::string variant_shim(const config::VariantSpec& v, const frontend::FunctionDecl& shim,
                         const frontend::FunctionDecl& target) {
  std::vector<std::string> args;
  for (size_t i = 0; i < shim.signature.params.size(); ++i) {
    const auto& p = shim.signature.params[i];
    const bool fixed = i < target.signature.params.size();
    const std::string& wanted = fixed ? target.signature.params[i].type.spelling : p.type.spelling;
    args.push_back(wanted == p.type.spelling ? p.name : fmt::format("({}){}", wanted, p.name));
  }
  bool returns = shim.signature.result.kind != frontend::CType::Kind::Void;
  return fmt::format("static inline {} {{ {}{}({}); }}", v.declarator, returns ? "return " : "", v.c_name, fmt::join(args, ", "));
}

/// A helper's shim: its declarator, and the body as written, each line indented.
std::string helper_shim(const config::VariantSpec& v) {
  std::string body;
  size_t start = 0;
  while (start < v.body.size()) {
    size_t end = v.body.find('\n', start);
    if (end == std::string::npos) end = v.body.size();
    if (end > start) body += "  " + v.body.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return fmt::format("static inline {} {{\n{}}}", v.declarator, body);
}

/// The shim's body refers to its parameters by name.
bool named_params(LoweringContext& ctx, const config::VariantSpec& v, const frontend::FunctionDecl& shim) {
  for (const auto& p : shim.signature.params)
    if (p.name.empty()) {
      ctx.diags.error(v.where, fmt::format("{} '{}': every parameter of its signature needs a name", v.body.empty() ? "variant" : "helper", v.name));
      return false;
    }
  return true;
}

/// A variant is written by the user for one use: its signature must fit the C function it calls,
/// and it must bind (a variant that does not is an error, never a silent skip).
bool check_variant(LoweringContext& ctx, const config::VariantSpec& v, const frontend::FunctionDecl& shim) {
  const frontend::FunctionDecl* target = ctx.tu.find_function(v.c_name);
  if (!target) {
    ctx.diags.error(v.where, fmt::format("variant '{}': '{}' is not declared in the headers", v.name, v.c_name));
    return false;
  }
  const size_t given = shim.signature.params.size(), fixed = target->signature.params.size();
  if (target->signature.variadic ? given < fixed : given != fixed) {
    ctx.diags.error(v.where, fmt::format("variant '{}' has {} parameters; '{}' takes {}{}", v.name, given, v.c_name, fixed,
                                         target->signature.variadic ? " or more" : ""),
                    "a variant's signature lists the C function's parameters with the types of this use, in order");
    return false;
  }
  return named_params(ctx, v, shim);
}

}  // namespace

/// A variant's shim: only its own `variants:` entry applies (never rules or header annotations,
/// which were written for the C function's real signature).
void lower_variant(LoweringContext& ctx, const config::VariantSpec& v, const frontend::FunctionDecl& decl) {
  const bool helper = !v.body.empty();
  if (helper ? !named_params(ctx, v, decl) : !check_variant(ctx, v, decl)) return;
  FunctionSpec spec;
  for (const auto& [name, s] : ctx.config.functions)
    if (name == decl.name) spec = s;
  std::vector<std::string> names = effective_names(decl, spec, ctx.diags);
  spec.params = normalise_params(spec, names, decl.name, ctx.diags).params;
  const size_t bound = ctx.module.functions.size(), unbound = ctx.module.unbound.size();
  lower_function(ctx, decl, spec, names);
  if (ctx.module.functions.size() > bound) {
    Function& f = ctx.module.functions.back();
    f.variant_of = v.c_name;
    f.helper = helper;
    if (helper && std::none_of(ctx.module.functions.begin(), ctx.module.functions.end() - 1, [](const Function& g) { return g.helper; }))
      ctx.module.shims.push_back("#include <stdbool.h> /* helpers may say bool in C */");
    ctx.module.shims.push_back(helper ? helper_shim(v) : variant_shim(v, decl, *ctx.tu.find_function(v.c_name)));
  }
  for (size_t i = unbound; i < ctx.module.unbound.size(); ++i) {
    const Unbound& u = ctx.module.unbound[i];
    ctx.diags.error(v.where, helper ? fmt::format("helper '{}' is not bound: {}", v.name, u.reason)
                                    : fmt::format("variant '{}' of '{}' is not bound: {}", v.name, v.c_name, u.reason),
                    u.suggestion.empty() ? "annotate it like a function" : u.suggestion);
  }
  ctx.module.unbound.resize(unbound);
}

void lower_functions(LoweringContext& ctx) {
  std::vector<config::RuleMatcher> matchers;
  for (const auto& rule : ctx.config.rules) matchers.emplace_back(rule, ctx.diags);
  std::vector<bool> rule_used(ctx.config.rules.size(), false);

  std::set<std::string> declared;
  for (const auto& decl : ctx.tu.functions) declared.insert(decl.name);
  for (const auto& [name, where] : ctx.config.function_keys)
    if (!declared.count(name)) {
      const auto* other = ctx.tu.find_function(name);
      ctx.diags.error(where, fmt::format("function '{}' is not declared in the headers", name),
                      other ? "" : "functions: keys are C function names exactly as declared");
    }

  for (const auto& decl : ctx.tu.functions) {
    if (const config::VariantSpec* v = variant_named(ctx.config, decl.name)) {
      lower_variant(ctx, *v, decl);
      continue;
    }
    std::vector<std::string> variants;
    for (const auto& v : ctx.config.variants)
      if (v.c_name == decl.name) variants.push_back(v.name);
    if (!variants.empty()) {  // bound through its variants only
      ctx.module.unbound.push_back({decl.name, Unbound::Kind::Skipped,
                                    fmt::format("bound through its variants: {}", fmt::join(variants, ", ")), "",
                                    ctx.relative(decl.location), decl.signature.variadic, false});
      continue;
    }
    std::vector<FunctionSpec> layers;
    layers.push_back(header_layer(decl, ctx.diags));
    for (size_t i = 0; i < matchers.size(); ++i) {
      auto captures = matchers[i].match(decl.name);
      if (!captures) continue;
      rule_used[i] = true;
      const auto& rule = ctx.config.rules[i];
      SourceLocation rule_at = rule.where;
      std::string file = rule.where.file;
      config::MarkMapper mapper = [rule_at, file](const YAML::Mark& m) {
        if (m.line < 0) return rule_at;
        return SourceLocation{file, static_cast<unsigned>(m.line + 1), static_cast<unsigned>(m.column + 1)};
      };
      YAML::Node body = captures->empty() ? rule.body : config::substitute_captures(rule.body, *captures);
      layers.push_back(config::parse_function_spec(body, mapper, ctx.diags));
    }
    for (const auto& [name, spec] : ctx.config.functions)
      if (name == decl.name) layers.push_back(spec);

    FunctionSpec merged;
    for (const auto& layer : layers) {
      FunctionSpec without_params = layer;
      without_params.params.clear();
      merged.merge(without_params);
    }
    std::vector<std::string> names = effective_names(decl, merged, ctx.diags);
    for (const auto& layer : layers) {
      FunctionSpec params_only;
      params_only.params = normalise_params(layer, names, decl.name, ctx.diags).params;
      merged.merge(params_only);
    }
    lower_function(ctx, decl, merged, names);
  }

  for (size_t i = 0; i < ctx.config.rules.size(); ++i)
    if (!rule_used[i])
      ctx.diags.error(ctx.config.rules[i].where,
                      fmt::format("rule '{}' matches no function", ctx.config.rules[i].pattern),
                      ctx.config.rules[i].is_regex ? "the regex must match the whole C function name"
                                                   : "globs take *, ? and {a,b}; the whole name must match");
}

}  // namespace bindery::ir
