// How IR names are spelled in Ruby and in the generated C: one place for every naming rule.
#pragma once

#include <string>
#include <string_view>

#include "bindery/ir/ir.hpp"

namespace bindery::backends::ruby {

/// "double_input" -> "DoubleInput" (the Ruby module of a library).
std::string camel_case(std::string_view name);
/// A valid Ruby constant: upper-cases the first letter, prefixes "V" before a digit.
std::string constant_name(std::string_view name);
/// The Ruby method name of a function: snake_case; `is_open`/`has_x` returning a bool become
/// `open?`/`has_x?`.
std::string method_name(const ir::Function& fn);
/// A C identifier fragment from any name (non-alphanumerics become '_').
std::string c_ident(std::string_view name);
/// A C string literal, escaped.
std::string c_string(std::string_view text);
/// The extension's base name: `<library>_ext` (Init_<library>_ext, <library>_ext.so).
std::string ext_name(const ir::Module& module);
/// Replaces every `from` in `text` with `to`.
std::string replace_all(std::string text, std::string_view from, std::string_view to);

}  // namespace bindery::backends::ruby
