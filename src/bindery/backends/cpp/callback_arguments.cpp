#include "bindery/backends/cpp/callback_arguments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "bindery/backends/cpp/names.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::cpp {

namespace {

std::string arg_name(std::size_t k) { return fmt::format("a{}", k); }

/// The trampoline parameter holding the length of `a` (its `size`), if it has one.
/// (Or the Length argument whose `length_of` names `a`, when `size` is not set.)
std::optional<std::string> length_arg(const ir::Callback& cb, const ir::Param& a) {
  for (std::size_t k = 0; k < cb.params.size(); ++k) {
    const ir::Param& q = cb.params[k];
    if (a.size.empty() ? q.role == ir::ParamRole::Length && q.length_of == a.name : q.name == a.size) return arg_name(k);
  }
  return std::nullopt;
}

/// Text or a buffer, borrowed for the callback: a view, never a copy (the callable copies what it
/// keeps). Lengths are in bytes for text and bytes, in elements for a slice; NULL with length 0
/// is the empty view. Sets `type` and `expr`, or returns why not.
std::string convert_view(const ir::Callback& cb, const ir::Param& a, const std::string& arg, std::string& type,
                         std::string& expr) {
  const std::optional<std::string> len = length_arg(cb, a);
  if (!a.size.empty() && !len) return fmt::format("the length `{}` of `{}` is no argument of the callback", a.size, a.name);
  const std::string n = len ? fmt::format("bindery::detail::result_length({})", *len) : "";
  switch (a.type.kind) {
    case ir::TypeKind::Str:
      if (a.type.encoding == "utf16") {
        type = "std::u16string_view";
        expr = len ? fmt::format("bindery::detail::u16string_view_of({}, {})", arg, n)
                   : fmt::format("bindery::detail::u16string_view_of({})", arg);  // two zero bytes end it
        return "";
      }
      if (!a.type.encoding.empty() && a.type.encoding != "utf8" && a.type.encoding != "locale")
        return fmt::format("{} text in a callback is not supported", a.type.encoding);
      type = "std::string_view";
      expr = len ? fmt::format("bindery::detail::string_view_of({}, {})", arg, n)
                 : fmt::format("bindery::detail::string_view_of({})", arg);
      return "";
    case ir::TypeKind::Bytes:
      if (!len) return fmt::format("bytes argument `{}` without a length", a.name);
      type = "std::span<const std::byte>";
      expr = fmt::format("bindery::detail::byte_view({}, {})", arg, n);
      return "";
    case ir::TypeKind::Slice:
      if (!len) return fmt::format("slice argument `{}` without a length", a.name);
      type = fmt::format("std::span<const {}>", scalar_type(a.type.scalar));
      expr = fmt::format("bindery::detail::slice_view<{}>({}, {})", scalar_type(a.type.scalar), arg, n);
      return "";
    default: return "not a view";
  }
}

/// An array of handles the library lends for the callback (`T **argv` with its count): a range of
/// non-owning Refs made on access, valid while the callback runs.
std::string convert_handle_array(const Context& ctx, const ir::Callback& cb, const ir::Param& a, const std::string& arg,
                                 std::string& type, std::string& expr) {
  const ir::Handle* h = ctx.handle(a.type.name);
  if (h == nullptr || (h->kind == ir::Handle::Kind::Owned && ctx.refs.count(h->name) == 0))
    return fmt::format("an array of `{}`, a handle without a Ref class", a.type.name);
  const std::optional<std::string> len = length_arg(cb, a);
  if (!len) return fmt::format("the array `{}` has no length argument", a.name);
  type = fmt::format("bindery::borrowed_handles<{}>", ctx.ref_type(*h));
  expr = fmt::format("{}({}, bindery::detail::result_length({}))", type, arg, *len);
  return "";
}

/// An array of NUL-terminated strings the library lends (`const char *const *argv`, `argc`): a range
/// of string views made on access, valid while the callback runs.
std::string convert_string_array(const ir::Callback& cb, const ir::Param& a, const std::string& arg,
                                 std::string& type, std::string& expr) {
  const std::optional<std::string> len = length_arg(cb, a);
  if (!len) return fmt::format("the array `{}` has no length argument", a.name);
  type = "bindery::borrowed_strings";
  expr = fmt::format("{}({}, bindery::detail::result_length({}))", type, arg, *len);
  return "";
}

/// `Slice` of `Char` in UTF-8 with no handle name: an array of strings, not a slice of chars.
bool is_string_array(const ir::Type& t) {
  return t.kind == ir::TypeKind::Slice && t.name.empty() && t.scalar == ir::Scalar::Char && t.encoding == "utf8";
}

/// `user_data_from` with the trampoline's parameter names: `sqlite3_user_data($0)` -> `...(a0)`.
std::string user_data_expression(const std::string& from) { return substitute_positions(from, arg_name); }

}  // namespace

CallbackArguments convert_callback_arguments(const Context& ctx, const ir::Callback& cb, const std::vector<int>& hidden) {
  CallbackArguments out;
  // The library does not pass the user data: the trampoline asks for it (sqlite3_user_data).
  if (!cb.user_data_from.empty()) out.user_data = user_data_expression(cb.user_data_from);
  auto fail = [&](std::string why) {
    if (out.failure.empty()) out.failure = std::move(why);
    return out;
  };
  for (std::size_t k = 0; k < cb.params.size(); ++k) {
    const ir::Param& a = cb.params[k];
    const std::string arg = arg_name(k);
    if (std::find(hidden.begin(), hidden.end(), static_cast<int>(k)) != hidden.end()) continue;
    if (a.role == ir::ParamRole::UserData) {
      out.user_data = arg;
      continue;
    }
    if (a.role == ir::ParamRole::Length) continue;  // hidden: the view it measures carries it
    std::string type, expr;
    switch (a.type.kind) {
      case ir::TypeKind::Scalar:
        type = scalar_type(a.type.scalar);
        expr = a.type.scalar == ir::Scalar::Bool ? arg + " != 0" : fmt::format("static_cast<{}>({})", type, arg);
        break;
      case ir::TypeKind::Enum:
        if (ctx.enumeration(a.type.name) == nullptr) return fail(fmt::format("unknown enum `{}`", a.type.name));
        type = a.type.name;
        expr = fmt::format("static_cast<{}>({})", type, arg);
        break;
      case ir::TypeKind::Str:
      case ir::TypeKind::Bytes:
      case ir::TypeKind::Slice: {
        std::string why = a.type.kind == ir::TypeKind::Slice && !a.type.name.empty()
                              ? convert_handle_array(ctx, cb, a, arg, type, expr)
                          : is_string_array(a.type) ? convert_string_array(cb, a, arg, type, expr)
                                                    : convert_view(cb, a, arg, type, expr);
        if (!why.empty()) return fail(fmt::format("callback argument `{}`: {}", a.name, why));
        out.lends_views = true;
        break;
      }
      case ir::TypeKind::Handle: {
        // The library's own object, borrowed for the callback: a non-owning Ref (never destroys).
        const ir::Handle* h = ctx.handle(a.type.name);
        const bool has_ref = h != nullptr && (h->kind != ir::Handle::Kind::Owned || ctx.refs.count(h->name) != 0);
        if (!has_ref) return fail(fmt::format("callback argument `{}` is a handle without a Ref class", a.name));
        type = ctx.ref_type(*h);
        expr = fmt::format("{}({})", type, arg);
        break;
      }
      default:
        return fail(fmt::format("callback argument `{}` is not a scalar, enum, text, buffer or handle", a.name));
    }
    if (a.nullable) {
      // The library may pass NULL (SQLite's authorizer): the callable sees std::nullopt.
      expr = fmt::format("{0} != nullptr ? std::optional<{1}>({2}) : std::nullopt", arg, type, expr);
      type = fmt::format("std::optional<{}>", type);
    }
    out.types.push_back(type);
    out.conversions.push_back(expr);
  }
  return out;
}

}  // namespace bindery::backends::cpp
