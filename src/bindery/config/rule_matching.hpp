// `rules:` families: which functions a rule's `match:` selects, and its captures.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "bindery/config/config.hpp"

namespace bindery::config {

/// Captures by number ("1", "2", …) and by name for regex groups `(?P<name>…)` / `(?<name>…)`.
using Captures = std::map<std::string, std::string>;

/// A compiled `match:` pattern.
class RuleMatcher {
 public:
  /// Reports an invalid pattern to `diags` (the matcher then matches nothing).
  RuleMatcher(const RuleSpec& rule, Diagnostics& diags);
  std::optional<Captures> match(const std::string& function_name) const;

 private:
  std::vector<std::string> globs_;  ///< brace-expanded alternatives
  std::optional<std::regex> regex_;
  std::vector<std::string> group_names_;  ///< by group number - 1 ("" when unnamed)
};

/// Expands `{a,b}` alternatives of a glob: "x_{a,b}" → {"x_a", "x_b"}.
std::vector<std::string> expand_braces(const std::string& glob);
/// Shell-style match of `*` and `?` (no braces).
bool glob_match(const std::string& glob, const std::string& text);
/// A copy of `node` with `{name}` / `{1}` in every scalar replaced by the capture.
YAML::Node substitute_captures(const YAML::Node& node, const Captures& captures);

}  // namespace bindery::config
