// Small typed readers over yaml-cpp nodes that report every mistake with its line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "bindery/config/config.hpp"

namespace bindery::config {

/// Reading context: where marks map to, and where problems go.
struct Reader {
  const MarkMapper& where;
  Diagnostics& diags;

  SourceLocation at(const YAML::Node& node) const { return where(node.Mark()); }

  /// Reports keys of `map` not in `allowed` (with the closest allowed key as a hint).
  /// Returns false when `map` is not a mapping.
  bool check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  std::string_view context) const;

  Setting<std::string> string(const YAML::Node& map, const char* key) const;
  /// A C expression: like string(), but YAML's null (`NULL`, `null`, `~`) is an error with a hint,
  /// since a user who writes `fixed: NULL` means C's NULL and YAML would silently drop it.
  Setting<std::string> c_expression(const YAML::Node& map, const char* key) const;
  Setting<bool> boolean(const YAML::Node& map, const char* key) const;
  /// A scalar or a sequence of scalars.
  Setting<std::vector<std::string>> list(const YAML::Node& map, const char* key) const;
  /// The scalar text of `node`, or an error when it is not a scalar.
  std::string scalar(const YAML::Node& node, std::string_view what) const;
};

/// `args: {ARG: {length: COUNT_ARG, string: …}}` of a callback or an interface method.
std::vector<CallbackArgSpec> read_buffer_args(const Reader& r, const YAML::Node& args);

/// The allowed key closest to `key` by edit distance ("" when nothing is close).
std::string closest_key(std::string_view key, std::initializer_list<std::string_view> allowed);

}  // namespace bindery::config
