#include "bindery/support/naming.hpp"

#include <cctype>

namespace bindery {

std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_' || c == ' ' || c == '-') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string snake_case(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c)) {
      bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                   std::isdigit(static_cast<unsigned char>(name[i - 1])));
      bool before_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1])) &&
                          i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1]));
      if ((after_lower || before_lower) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string lower_camel_case(std::string_view snake) {
  std::string camel = camel_case(snake);
  if (!camel.empty()) camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
  return camel;
}

std::string strip_prefix(std::string_view name, std::string_view prefix) {
  if (!prefix.empty() && name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix)
    return std::string(name.substr(prefix.size()));
  return std::string(name);
}

std::string strip_type_suffix(std::string_view name) {
  if (name.size() > 2 && name.substr(name.size() - 2) == "_t") return std::string(name.substr(0, name.size() - 2));
  return std::string(name);
}

std::string common_prefix(const std::vector<std::string>& names) {
  if (names.size() < 2) {
    if (names.size() == 1) {
      auto cut = names[0].rfind('_');
      return cut == std::string::npos ? "" : names[0].substr(0, cut + 1);
    }
    return "";
  }
  std::string prefix = names[0];
  for (const auto& n : names) {
    size_t i = 0;
    while (i < prefix.size() && i < n.size() && prefix[i] == n[i]) ++i;
    prefix.resize(i);
  }
  auto cut = prefix.rfind('_');
  return cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
}

bool is_identifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace bindery
