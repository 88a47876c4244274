#include "bindery/support/positional.hpp"

#include <cctype>

namespace bindery {

std::string substitute_positions(const std::string& expression, const std::function<std::string(size_t)>& argument) {
  std::string out;
  for (size_t i = 0; i < expression.size(); ++i) {
    if (expression[i] != '$' || i + 1 >= expression.size() || !std::isdigit(static_cast<unsigned char>(expression[i + 1]))) {
      out += expression[i];
      continue;
    }
    size_t n = 0;
    while (i + 1 < expression.size() && std::isdigit(static_cast<unsigned char>(expression[i + 1])))
      n = n * 10 + static_cast<size_t>(expression[++i] - '0');
    out += argument(n);
  }
  return out;
}

}  // namespace bindery
