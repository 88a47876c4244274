// Host naming for the node backend: camelCase functions and methods, PascalCase classes, and the
// spelling of values inside generated JavaScript and C.
#pragma once

#include <string>
#include <string_view>

namespace bindery::backends::node {

/// "int8_in_max" -> "int8InMax": method, function and property names (reserved words are fine).
std::string camel(std::string_view snake);
/// camel(), safe as a local binding (parameter): reserved words get a trailing '_'.
std::string js_local(std::string_view snake);
/// "text_buffer" -> "TextBuffer".
std::string pascal(std::string_view snake);
/// A JS string literal (double-quoted, escaped) for any text.
std::string js_string(std::string_view text);
/// A C string literal for any text.
std::string c_string(std::string_view text);
/// A C identifier fragment made from any name (non-alphanumerics become '_').
std::string c_ident(std::string_view name);

}  // namespace bindery::backends::node
