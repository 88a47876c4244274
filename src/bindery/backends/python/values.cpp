#include "bindery/backends/python/values.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace bindery::backends::python {

ScalarInfo scalar_info(ir::Scalar s) {
  using S = ir::Scalar;
  switch (s) {
    case S::Bool: return {"bool", false, false, "0", "1", "bool"};
    case S::Char: return {"char", false, false, "0", "0", "str"};
    case S::I8: return {"int8_t", true, true, "INT8_MIN", "INT8_MAX", "int"};
    case S::I16: return {"int16_t", true, true, "INT16_MIN", "INT16_MAX", "int"};
    case S::I32: return {"int32_t", true, true, "INT32_MIN", "INT32_MAX", "int"};
    case S::I64: return {"int64_t", true, true, "INT64_MIN", "INT64_MAX", "int"};
    case S::U8: return {"uint8_t", false, true, "0", "UINT8_MAX", "int"};
    case S::U16: return {"uint16_t", false, true, "0", "UINT16_MAX", "int"};
    case S::U32: return {"uint32_t", false, true, "0", "UINT32_MAX", "int"};
    case S::U64: return {"uint64_t", false, true, "0", "UINT64_MAX", "int"};
    case S::F32: return {"float", true, false, "-FLT_MAX", "FLT_MAX", "float"};
    case S::F64: return {"double", true, false, "-DBL_MAX", "DBL_MAX", "float"};
  }
  return {"int", true, true, "INT_MIN", "INT_MAX", "int"};
}

const char* struct_format(ir::Scalar s) {
  using S = ir::Scalar;
  switch (s) {
    case S::Bool: return "?";
    case S::Char: return "c";
    case S::I8: return "b";
    case S::U8: return "B";
    case S::I16: return "h";
    case S::U16: return "H";
    case S::I32: return "i";
    case S::U32: return "I";
    case S::I64: return "q";
    case S::U64: return "Q";
    case S::F32: return "f";
    case S::F64: return "d";
  }
  return "B";
}

std::string declare(const std::string& ctype, const std::string& name) {
  const auto star = ctype.find("(*)");
  if (star != std::string::npos) return ctype.substr(0, star) + "(*" + name + ")" + ctype.substr(star + 3);
  return ctype + " " + name;
}

std::string strip_pointer(const std::string& c_type) {
  std::string t = c_type;
  while (!t.empty() && t.back() == ' ') t.pop_back();
  // Drop a top-level const of the pointer itself (`T *const`).
  if (t.size() > 5 && t.ends_with("const") && t[t.size() - 6] != '_' &&
      !std::isalnum(static_cast<unsigned char>(t[t.size() - 6]))) {
    t.resize(t.size() - 5);
    while (!t.empty() && t.back() == ' ') t.pop_back();
  }
  if (!t.empty() && t.back() == '*') t.pop_back();
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t;
}

bool by_address(const ir::Param& p) {
  if (p.role == ir::ParamRole::Output) return true;
  // A record read through `const T *`: the binding passes the address of its local copy.
  if (p.role == ir::ParamRole::Input && p.by_pointer) return true;
  // A written count or an in/out capacity (`size_t *len`): a local the callee writes through.
  const bool count = p.role == ir::ParamRole::Length || p.role == ir::ParamRole::Capacity;
  std::string t = p.c_type;
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return count && !t.empty() && t.back() == '*';
}

std::string local_type(const ir::Param& p) {
  const bool through_pointer = by_address(p);
  std::string t = through_pointer ? strip_pointer(p.c_type) : p.c_type;
  if (t.empty()) t = p.type.c_type;
  // A `const int` parameter still needs a writable local.
  if (t.starts_with("const ") && t.find('*') == std::string::npos) t = t.substr(6);
  return t;
}

namespace {
// Python keywords and soft keywords that cannot be parameter names.
constexpr std::array<std::string_view, 35> kPythonKeywords = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield"};
// C keywords likely as parameter names in headers written for other languages: never a C local.
// (Python names may be C keywords: `Engine.register` is the method the user calls.)
constexpr std::array<std::string_view, 10> kCKeywords = {
    "auto", "char", "default", "do", "double", "int", "long", "register", "signed", "static"};
template <size_t N>
bool listed(const std::array<std::string_view, N>& words, const std::string& n) {
  for (auto k : words) {
    if (k == n) return true;
  }
  return false;
}
}  // namespace

std::string c_ident(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  return listed(kCKeywords, out) ? out + "_" : out;
}

std::string py_ident(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  return listed(kPythonKeywords, out) ? out + "_" : out;
}

std::string camel(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string c_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
          out += "\"\"";  // end the literal so a following hex digit is not swallowed
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace bindery::backends::python
