// How each argument of a C callback reaches the C++ callable: its C++ type, and the expression
// that converts the trampoline's C argument. Text and buffers arrive as views valid during the
// callback only (std::string_view, std::u16string_view, std::span<const T>); a Length argument
// that measures one of them is hidden from the callable. An array of handles the library lends
// arrives as a bindery::borrowed_handles range of Refs, and an array of strings (`const char *const
// *argv` with its count) as a bindery::borrowed_strings range of views, valid during the callback too.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/cpp/context.hpp"

namespace bindery::backends::cpp {

struct CallbackArguments {
  std::vector<std::string> types;        ///< the callable's parameter types, in order
  std::vector<std::string> conversions;  ///< one C++ expression per entry of `types`
  std::string user_data;                 ///< the trampoline's user data: a parameter, or `user_data_from`
  bool lends_views = false;              ///< some argument is a view or handle range valid during the call only
  std::string failure;                   ///< non-empty: why this callback cannot be generated
};

/// The trampoline's parameters are named `a0`, `a1`, … after their position in `cb.params`.
/// `hidden` lists positions the callable never sees (an interface method's receiver, the
/// out-arguments its result goes to): they are skipped.
CallbackArguments convert_callback_arguments(const Context& ctx, const ir::Callback& cb,
                                             const std::vector<int>& hidden = {});

}  // namespace bindery::backends::cpp
