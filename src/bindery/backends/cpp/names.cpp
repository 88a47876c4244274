#include "bindery/backends/cpp/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <cctype>

namespace bindery::backends::cpp {

namespace {

// C++20 keywords and alternative tokens, plus names the C library defines as macros and that a
// generated identifier must not spell.
constexpr std::string_view kReserved[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
    "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
    "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    // macros from <errno.h>, <assert.h>, <stdio.h>, <stdbool.h>
    "errno", "assert", "EOF", "stdin", "stdout", "stderr", "NULL", "unix", "linux"};

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string safe_identifier(std::string_view name) {
  std::string out(name);
  if (std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved)) out += '_';
  return out;
}

std::string camel_case(std::string_view name) {
  // All-caps words are lowered first so "READ_ONLY" and "read_only" give the same result, while
  // a camelCase input keeps its inner capitals.
  bool has_lower = std::any_of(name.begin(), name.end(),
                               [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  std::string out;
  bool upper_next = true;
  for (char c : name) {
    if (c == '_' || c == '-' || c == ' ') {
      upper_next = true;
      continue;
    }
    auto uc = static_cast<unsigned char>(c);
    if (upper_next) {
      out += static_cast<char>(std::toupper(uc));
      upper_next = false;
    } else {
      out += has_lower ? c : static_cast<char>(std::tolower(uc));
    }
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "V");
  return out;
}

std::string scalar_type(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::Bool: return "bool";
    case ir::Scalar::Char: return "char";
    case ir::Scalar::I8: return "std::int8_t";
    case ir::Scalar::I16: return "std::int16_t";
    case ir::Scalar::I32: return "std::int32_t";
    case ir::Scalar::I64: return "std::int64_t";
    case ir::Scalar::U8: return "std::uint8_t";
    case ir::Scalar::U16: return "std::uint16_t";
    case ir::Scalar::U32: return "std::uint32_t";
    case ir::Scalar::U64: return "std::uint64_t";
    case ir::Scalar::F32: return "float";
    case ir::Scalar::F64: return "double";
  }
  return "int";
}

std::string pointee_type(std::string_view c_type) {
  std::string t(c_type);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (!t.empty() && t.back() == '*') t.pop_back();
  while (!t.empty() && t.back() == ' ') t.pop_back();
  // C spells `bool` as `_Bool` (libclang reports it so); C++ has only `bool`, the same type.
  for (std::size_t at = t.find("_Bool"); at != std::string::npos; at = t.find("_Bool", at + 4)) {
    const bool starts = at == 0 || !is_ident_char(t[at - 1]);
    const bool ends = at + 5 == t.size() || !is_ident_char(t[at + 5]);
    if (starts && ends) t.replace(at, 5, "bool");
  }
  return t;
}

std::string without_const(std::string_view c_type) {
  std::string out;
  std::size_t i = 0;
  while (i < c_type.size()) {
    bool word_start = i == 0 || !is_ident_char(c_type[i - 1]);
    if (word_start && c_type.substr(i, 5) == "const" &&
        (i + 5 == c_type.size() || !is_ident_char(c_type[i + 5]))) {
      i += 5;
      while (i < c_type.size() && c_type[i] == ' ') ++i;
      continue;
    }
    out += c_type[i++];
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string string_literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\x{:02x}\"\"", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string replace_identifier(std::string_view expr, std::string_view from, std::string_view to,
                               std::string_view deref_to) {
  std::string out;
  std::size_t i = 0;
  while (i < expr.size()) {
    // Skip string and character literals untouched.
    if (expr[i] == '"' || expr[i] == '\'') {
      char quote = expr[i];
      out += expr[i++];
      while (i < expr.size() && expr[i] != quote) {
        if (expr[i] == '\\' && i + 1 < expr.size()) out += expr[i++];
        out += expr[i++];
      }
      if (i < expr.size()) out += expr[i++];
      continue;
    }
    if (is_ident_char(expr[i]) && (i == 0 || !is_ident_char(expr[i - 1]))) {
      std::size_t j = i;
      while (j < expr.size() && is_ident_char(expr[j])) ++j;
      std::string_view word = expr.substr(i, j - i);
      if (word == from) {
        // A preceding `*` (ignoring spaces) is a dereference of an out-parameter.
        std::size_t k = out.size();
        while (k > 0 && out[k - 1] == ' ') --k;
        if (k > 0 && out[k - 1] == '*' && !deref_to.empty() &&
            (k == 1 || !(is_ident_char(out[k - 2]) || out[k - 2] == ')'))) {
          out.resize(k - 1);
          out += deref_to;
        } else {
          out += to;
        }
      } else {
        out += word;
      }
      i = j;
      continue;
    }
    out += expr[i++];
  }
  return out;
}

std::string handle_pointer(const ir::Handle& h) {
  if (h.pointer_c_type.empty()) return h.c_name + "*";
  std::string s = h.pointer_c_type;
  // "sqlite3 *" -> "sqlite3*": the spelling the generated code has always used.
  if (s.ends_with(" *")) s.erase(s.size() - 2, 1);
  return s;
}

}  // namespace bindery::backends::cpp
