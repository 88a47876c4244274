#include "bindery/cli/coverage_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <ostream>

namespace bindery::cli {

Coverage coverage_of(const ir::Module& module) {
  Coverage c;
  c.bound = module.functions.size();
  for (const auto& f : module.functions)
    if (!f.deprecated) ++c.eligible_bound;
  c.eligible = c.eligible_bound;
  for (const auto& u : module.unbound) {
    (u.kind == ir::Unbound::Kind::Skipped ? c.skipped : c.needs_annotation)++;
    if (!u.variadic && !u.deprecated) ++c.eligible;
  }
  return c;
}

void print_coverage(const ir::Module& module, std::ostream& out, bool quiet) {
  if (!quiet) {
    for (const auto& f : module.functions) {
      std::string where = f.class_name.empty() ? f.name : fmt::format("{}.{}", f.class_name, f.name);
      fmt::print(out, "bound             {}  ->  {}\n", f.c_name, where);
    }
    for (const auto& u : module.unbound)
      if (u.kind == ir::Unbound::Kind::Skipped)
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
}

}  // namespace bindery::cli
