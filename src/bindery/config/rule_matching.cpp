#include "bindery/config/rule_matching.hpp"

#include <fmt/format.h>

namespace bindery::config {

std::vector<std::string> expand_braces(const std::string& glob) {
  auto open = glob.find('{');
  if (open == std::string::npos) return {glob};
  int depth = 0;
  size_t close = std::string::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < glob.size(); ++i) {
    if (glob[i] == '{') ++depth;
    else if (glob[i] == '}' && --depth == 0) {
      close = i;
      break;
    } else if (glob[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string::npos) return {glob};
  std::vector<std::string> result;
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    std::string alternative = glob.substr(start, comma - start);
    for (auto& expanded : expand_braces(glob.substr(0, open) + alternative + glob.substr(close + 1)))
      result.push_back(std::move(expanded));
    start = comma + 1;
  }
  return result;
}

bool glob_match(const std::string& glob, const std::string& text) {
  size_t g = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == text[t])) {
      ++g;
      ++t;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = t;
    } else if (star != std::string::npos) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

namespace {
// std::regex (ECMAScript) has no named groups: remove `?P<name>` / `?<name>` and remember the
// names by group number. Lookarounds `(?=`, `(?!` and non-capturing `(?:` are kept as they are.
std::string strip_group_names(const std::string& pattern, std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c == '(') {
      bool named_p = pattern.compare(i, 4, "(?P<") == 0;
      bool named = named_p || (pattern.compare(i, 3, "(?<") == 0 && i + 3 < pattern.size() &&
                               pattern[i + 3] != '=' && pattern[i + 3] != '!');
      if (named) {
        size_t name_start = i + (named_p ? 4 : 3);
        size_t name_end = pattern.find('>', name_start);
        if (name_end != std::string::npos) {
          names.push_back(pattern.substr(name_start, name_end - name_start));
          out += '(';
          i = name_end;
          continue;
        }
      }
      if (i + 1 < pattern.size() && pattern[i + 1] != '?') names.emplace_back();
    }
    out += c;
  }
  return out;
}
}  // namespace

RuleMatcher::RuleMatcher(const RuleSpec& rule, Diagnostics& diags) {
  if (!rule.is_regex) {
    globs_ = expand_braces(rule.pattern);
    return;
  }
  try {
    regex_.emplace(strip_group_names(rule.pattern, group_names_), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    diags.error(rule.where, fmt::format("invalid regular expression in match: {}", e.what()),
                "rules take a glob (sqlite3_column_*) or an ECMAScript regex between slashes");
  }
}

std::optional<Captures> RuleMatcher::match(const std::string& name) const {
  if (regex_) {
    std::smatch m;
    if (!std::regex_match(name, m, *regex_)) return std::nullopt;
    Captures captures;
    for (size_t i = 1; i < m.size(); ++i) {
      captures[std::to_string(i)] = m[i].str();
      if (i - 1 < group_names_.size() && !group_names_[i - 1].empty()) captures[group_names_[i - 1]] = m[i].str();
    }
    return captures;
  }
  for (const auto& glob : globs_)
    if (glob_match(glob, name)) return Captures{};
  return std::nullopt;
}

YAML::Node substitute_captures(const YAML::Node& node, const Captures& captures) {
  if (captures.empty()) return YAML::Clone(node);
  if (node.IsScalar()) {
    std::string text = node.Scalar();
    for (const auto& [key, value] : captures) {
      std::string token = "{" + key + "}";
      for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
        text.replace(at, token.size(), value);
    }
    YAML::Node copy = YAML::Clone(node);
    copy = text;
    return copy;
  }
  if (node.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : node) out.push_back(substitute_captures(item, captures));
    return out;
  }
  if (node.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (const auto& entry : node) out[substitute_captures(entry.first, captures)] = substitute_captures(entry.second, captures);
    return out;
  }
  return YAML::Clone(node);
}

}  // namespace bindery::config
