#include "bindery/backends/node/names.hpp"

#include <array>
#include <cctype>
#include <cstdio>

namespace bindery::backends::node {

namespace {
// Words a generated method may still use as a property name, but not as a bare binding: they are
// only a problem for parameter names, which is where camel() output also lands.
constexpr std::array kReserved = {
    "arguments", "await", "break",  "case",    "catch",     "class",  "const", "continue",
    "debugger",  "default", "delete", "do",     "else",      "enum",   "eval",  "export",
    "extends",   "false", "finally", "for",     "function",  "if",     "implements", "import",
    "in",        "instanceof", "interface", "let", "new",    "null",   "package", "private",
    "protected", "public", "return", "static",  "super",     "switch", "this",  "throw",
    "true",      "try",   "typeof",  "var",     "void",      "while",  "with",  "yield"};

bool reserved(std::string_view s) {
  for (auto* r : kReserved)
    if (s == r) return true;
  return false;
}
}  // namespace

std::string camel(std::string_view snake) {
  std::string out;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = !out.empty();
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "_");
  return out;
}

std::string js_local(std::string_view snake) {
  std::string out = camel(snake);
  if (reserved(out)) out += '_';
  return out;
}

std::string pascal(std::string_view snake) {
  std::string c = camel(snake);
  if (!c.empty()) c[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(c[0])));
  return c;
}

namespace {
std::string quote(std::string_view text, bool js) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || (!js && c >= 0x7f) || c == 0x7f) {
          char buf[8];
          // C: octal escapes cannot swallow the next character the way \x can.
          std::snprintf(buf, sizeof buf, js ? "\\x%02x" : "\\%03o", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}
}  // namespace

std::string js_string(std::string_view text) { return quote(text, true); }
std::string c_string(std::string_view text) { return quote(text, false); }

std::string c_ident(std::string_view name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace bindery::backends::node
