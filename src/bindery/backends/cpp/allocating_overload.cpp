#include "bindery/backends/cpp/allocating_overload.hpp"

#include <fmt/format.h>

#include "bindery/backends/cpp/names.hpp"

namespace bindery::backends::cpp {

namespace {

/// The container handed back for a buffer of type `t`.
std::string container_type(const ir::Type& t) {
  switch (t.kind) {
    case ir::TypeKind::Str: return "std::string";
    case ir::TypeKind::Bytes: return "std::vector<std::byte>";
    case ir::TypeKind::Slice: return fmt::format("std::vector<{}>", scalar_type(t.scalar));
    default: return "";
  }
}

bool is_count_type(const std::string& type) {
  for (const char* t : {"std::size_t", "std::uint64_t", "std::uint32_t", "std::int64_t", "std::int32_t"})
    if (type == t) return true;
  return false;
}

}  // namespace

std::optional<FunctionPlan> plan_allocating_overload(const Context& ctx, const ir::Function& f,
                                                     const FunctionPlan& span_plan) {
  (void)ctx;
  const ir::Param* buffer = nullptr;
  for (const auto& p : f.params) {
    if (p.role != ir::ParamRole::Buffer) continue;
    if (buffer != nullptr) return std::nullopt;  // two buffers: which one would the value be?
    buffer = &p;
  }
  if (buffer == nullptr || !span_plan.skip.empty() || !span_plan.result_struct.empty()) return std::nullopt;
  const std::string container = container_type(buffer->type);
  if (container.empty()) return std::nullopt;
  const bool fills_all = buffer->written.kind == ir::Written::Kind::All;
  if (fills_all ? span_plan.return_type != "void" : !is_count_type(span_plan.return_type)) return std::nullopt;

  // The capacity: a hidden parameter becomes the caller's `std::size_t`; an expression over the
  // other inputs is computed here (a hidden length is the size of the view it measures).
  const ir::Param* capacity = nullptr;
  for (const auto& p : f.params)
    if (p.role == ir::ParamRole::Capacity && (p.length_of == buffer->name || p.name == buffer->capacity)) capacity = &p;
  std::string size_expr;
  if (capacity != nullptr) {
    size_expr = safe_identifier(capacity->name);
  } else if (!buffer->capacity.empty()) {
    size_expr = buffer->capacity;
    for (const auto& p : f.params) {
      std::string to;
      if (p.role == ir::ParamRole::Length && !p.length_of.empty() && p.c_type.find('*') == std::string::npos) {
        to = fmt::format("{}.size()", safe_identifier(p.length_of));
      } else if (p.role == ir::ParamRole::Input) {
        to = safe_identifier(p.name);
      } else if (p.role == ir::ParamRole::Fixed) {
        to = "(" + p.fixed + ")";
      } else if (replace_identifier(buffer->capacity, p.name, "@", "@") != buffer->capacity) {
        return std::nullopt;  // an output or the buffer itself: not known before the call
      } else {
        continue;
      }
      size_expr = replace_identifier(size_expr, p.name, to, "");
    }
    size_expr = fmt::format("static_cast<std::size_t>({})", size_expr);
  } else {
    return std::nullopt;
  }

  FunctionPlan plan = span_plan;
  const std::string buf = safe_identifier(buffer->name);
  std::vector<ParamDecl> params;
  std::string args;
  bool found = false;
  for (const auto& decl : span_plan.params) {
    args += (args.empty() ? "" : ", ") + decl.name;
    if (decl.name != buf) {
      params.push_back(decl);
      continue;
    }
    found = true;
    if (capacity != nullptr) params.push_back({"std::size_t", size_expr, "", false});
  }
  if (!found) return std::nullopt;
  plan.params = params;
  plan.return_type = container;
  plan.borrows_self = false;
  plan.notes = {fmt::format("Allocates `{}` ({} elements), lets the span overload fill it, and returns it{}.", buf,
                            capacity != nullptr ? "`" + size_expr + "`" : "`" + buffer->capacity + "`",
                            fills_all ? "" : " shrunk to what was written")};
  plan.body = {fmt::format("{} {}({}, {{}});", container, buf, size_expr)};
  if (fills_all) {
    plan.body.push_back(fmt::format("{}({});", span_plan.name, args));
  } else {
    plan.body.push_back(fmt::format("const auto written_ = {}({});", span_plan.name, args));
    plan.body.push_back(fmt::format("{}.resize(static_cast<std::size_t>(written_));", buf));
  }
  plan.body.push_back(fmt::format("return {};", buf));
  return plan;
}

}  // namespace bindery::backends::cpp
