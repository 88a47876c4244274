#include "bindery/cli/coverage_report.hpp"

#include "bindery/cli/reachability.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>
#include <set>
#include <ostream>

namespace bindery::cli {

namespace {

/// C functions bound through `variants:` (each variant is a Function of its own; the C function
/// itself is recorded as unbound, "bound through its variants", and counts once, as bound).
std::set<std::string> bound_through_variants(const ir::Module& module) {
  std::set<std::string> names;
  for (const auto& f : module.functions)
    if (!f.variant_of.empty()) names.insert(f.variant_of);
  return names;
}

}  // namespace

Coverage coverage_of(const ir::Module& module) {
  Coverage c;
  for (const auto& f : module.functions) {
    if (!f.variant_of.empty() || f.helper) continue;  // a variant counts as its C function; a helper is not the library's
    ++c.bound;
    if (!f.deprecated) ++c.eligible_bound;
  }
  c.eligible = c.eligible_bound;
  c.unreachable = unreachable_functions(module).size();
  const auto through_variants = bound_through_variants(module);
  for (const auto& u : module.unbound) {
    const bool eligible = !u.variadic && !u.deprecated;
    if (through_variants.count(u.c_name)) {
      ++c.bound;
      if (eligible) ++c.eligible_bound;
    } else {
      (u.kind == ir::Unbound::Kind::Skipped ? c.skipped : c.needs_annotation)++;
    }
    if (eligible) ++c.eligible;
  }
  return c;
}

void print_coverage(const ir::Module& module, std::ostream& out, bool quiet) {
  if (!quiet) {
    std::map<std::string, std::string> unreachable = unreachable_functions(module);
    for (const auto& f : module.functions) {
      std::string where = f.class_name.empty() ? f.name : fmt::format("{}.{}", f.class_name, f.name);
      std::string what = f.helper                ? fmt::format("{} (helper)", f.c_name)
                         : f.variant_of.empty() ? f.c_name
                                                : fmt::format("{} (variant)", f.variant_of);
      fmt::print(out, "bound             {}  ->  {}\n", what, where);
    }
    for (const auto& [c_name, handle] : unreachable)
      fmt::print(out, "unreachable       {}  (bound, but no bound function gives hosts a {})\n", c_name, handle);
    const auto through_variants = bound_through_variants(module);
    for (const auto& u : module.unbound)
      if (u.kind == ir::Unbound::Kind::Skipped && !through_variants.count(u.c_name))
        fmt::print(out, "skipped           {}  ({})\n", u.c_name, u.reason);
  }
  for (const auto& u : module.unbound)
    if (u.kind == ir::Unbound::Kind::NeedsAnnotation) {
      fmt::print(out, "needs annotation  {}  {}: {}\n", u.c_name, u.location.str(), u.reason);
      if (!u.suggestion.empty()) fmt::print(out, "                  suggestion: {}\n", u.suggestion);
    }
  Coverage c = coverage_of(module);
  fmt::print(out, "{}: {} functions: {} bound ({:.1f}%), {} skipped, {} need annotation\n", module.library, c.total(),
             c.bound, c.percent_bound(), c.skipped, c.needs_annotation);
  if (c.eligible != c.total())
    fmt::print(out, "{}: of the {} neither deprecated nor variadic: {} bound ({:.1f}%)\n", module.library, c.eligible,
               c.eligible_bound, c.percent_eligible_bound());
  if (c.unreachable)
    fmt::print(out, "{}: {} bound functions are unreachable: no bound function gives hosts their handle\n", module.library,
               c.unreachable);
}

}  // namespace bindery::cli
