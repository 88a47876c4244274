#include "bindery/backends/ruby/names.hpp"

#include <cctype>
#include <cstdio>

namespace bindery::backends::ruby {

namespace {
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
}  // namespace

std::string camel_case(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (!is_alnum(c)) {
      start = true;
      continue;
    }
    out += start ? upper(c) : c;
    start = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "M");
  return out;
}

std::string constant_name(std::string_view name) {
  std::string out = c_ident(name);
  if (out.empty()) return "V";
  if (std::isdigit(static_cast<unsigned char>(out[0])) || out[0] == '_') return "V" + out;
  out[0] = upper(out[0]);
  return out;
}

std::string method_name(const ir::Function& fn) {
  std::string name = fn.name.empty() ? fn.c_name : fn.name;
  // zlib's deflateInit_ is the macro deflateInit's entry point: Ruby says deflate_init.
  while (name.size() > 1 && name.back() == '_') name.pop_back();
  bool returns_bool = fn.result.kind == ir::ResultKind::Bool ||
                      fn.result.kind == ir::ResultKind::BoolOk ||
                      (fn.returns.kind == ir::TypeKind::Scalar && fn.returns.scalar == ir::Scalar::Bool &&
                       fn.result.kind == ir::ResultKind::Value);
  if (returns_bool) {
    if (name.rfind("is_", 0) == 0 && name.size() > 3) return name.substr(3) + "?";
    if (name.rfind("has_", 0) == 0 && name.size() > 4) return name + "?";
  }
  return name;
}

std::string c_ident(std::string_view name) {
  std::string out;
  for (char c : name) out += is_alnum(c) ? c : '_';
  return out;
}

std::string c_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string ext_name(const ir::Module& module) { return c_ident(module.library) + "_ext"; }

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace bindery::backends::ruby
