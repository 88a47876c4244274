#include "bindery/cli/coverage_report.hpp"

#include "bindery/cli/exported_symbols.hpp"
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

Coverage coverage_of(const ir::Module& module, const std::function<bool(const std::string&)>& exported) {
  Coverage c;
  auto count_eligible = [&](const std::string& c_name, bool bound) {
    ++c.eligible;
    if (bound) ++c.eligible_bound;
    if (exported && exported(c_name)) {
      ++c.eligible_exported;
      if (bound) ++c.eligible_exported_bound;
    }
  };
  for (const auto& f : module.functions) {
    if (!f.variant_of.empty() || f.helper) continue;  // a variant counts as its C function; a helper is not the library's
    ++c.bound;
    if (!f.deprecated) count_eligible(f.c_name, true);
  }
  c.unreachable = unreachable_functions(module).size();
  const auto through_variants = bound_through_variants(module);
  for (const auto& u : module.unbound) {
    const bool bound = through_variants.count(u.c_name) > 0;
    if (bound) ++c.bound;
    else (u.kind == ir::Unbound::Kind::Skipped ? c.skipped : c.needs_annotation)++;
    if (!u.variadic && !u.deprecated) count_eligible(u.c_name, bound);
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
  const auto exported = exported_by(module);
  Coverage c = coverage_of(module, exported ? *exported : std::function<bool(const std::string&)>{});
  fmt::print(out, "{}: {} functions: {} bound ({:.1f}%), {} skipped, {} need annotation\n", module.library, c.total(),
             c.bound, c.percent_bound(), c.skipped, c.needs_annotation);
  if (c.eligible != c.total())
    fmt::print(out, "{}: of the {} neither deprecated nor variadic: {} bound ({:.1f}%)\n", module.library, c.eligible,
               c.eligible_bound, c.percent_eligible_bound());
  if (exported && c.eligible_exported != c.eligible)
    fmt::print(out, "{}: of the {} of those the installed library exports: {} bound ({:.1f}%)\n", module.library,
               c.eligible_exported, c.eligible_exported_bound, c.percent_exported_bound());
  if (c.unreachable)
    fmt::print(out, "{}: {} bound functions are unreachable: no bound function gives hosts their handle\n", module.library,
               c.unreachable);
}

}  // namespace bindery::cli
