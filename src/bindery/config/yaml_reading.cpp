#include "bindery/config/yaml_reading.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace bindery::config {

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_key(std::string_view key, std::initializer_list<std::string_view> allowed) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, key.size() / 3) + 1;
  for (auto candidate : allowed) {
    size_t d = edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

bool Reader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                        std::string_view context) const {
  if (!map.IsMap()) {
    diags.error(at(map), fmt::format("{} must be a mapping (key: value)", context));
    return false;
  }
  for (const auto& entry : map) {
    std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string near = closest_key(key, allowed);
    std::string hint = near.empty()
        ? fmt::format("allowed keys here: {}", fmt::join(allowed, ", "))
        : fmt::format("did you mean '{}'?", near);
    diags.error(at(entry.first), fmt::format("unknown key '{}' in {}", key, context), hint);
  }
  return true;
}

std::string Reader::scalar(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) {
    diags.error(at(node), fmt::format("{} must be a single value", what));
    return {};
  }
  return node.Scalar();
}

Setting<std::string> Reader::string(const YAML::Node& map, const char* key) const {
  Setting<std::string> s;
  if (const YAML::Node node = map[key]) {
    s.where = at(node);
    if (node.IsNull()) return s;  // `key:` with no value: treated as unset
    s.value = scalar(node, fmt::format("'{}'", key));
  }
  return s;
}

Setting<std::string> Reader::c_expression(const YAML::Node& map, const char* key) const {
  if (const YAML::Node node = map[key]; node && node.IsNull()) {
    diags.error(at(node), fmt::format("'{}' has no value: YAML reads NULL, null and ~ as nothing", key),
                fmt::format("quote C's NULL: {}: 'NULL'", key));
    return {};
  }
  return string(map, key);
}

Setting<bool> Reader::boolean(const YAML::Node& map, const char* key) const {
  Setting<bool> s;
  if (const YAML::Node node = map[key]) {
    s.where = at(node);
    std::string text = scalar(node, fmt::format("'{}'", key));
    if (text == "true" || text == "yes") s.value = true;
    else if (text == "false" || text == "no") s.value = false;
    else diags.error(s.where, fmt::format("'{}' must be true or false, not '{}'", key, text));
  }
  return s;
}

Setting<std::vector<std::string>> Reader::list(const YAML::Node& map, const char* key) const {
  Setting<std::vector<std::string>> s;
  if (const YAML::Node node = map[key]) {
    s.where = at(node);
    std::vector<std::string> items;
    if (node.IsSequence()) {
      for (const auto& item : node) items.push_back(scalar(item, fmt::format("each item of '{}'", key)));
    } else {
      items.push_back(scalar(node, fmt::format("'{}'", key)));
    }
    s.value = std::move(items);
  }
  return s;
}

}  // namespace bindery::config
