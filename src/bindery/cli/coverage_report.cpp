#include "bindery/cli/coverage_report.hpp"

#include "bindery/cli/reachability.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <map>
#include <ostream>

namespace bindery::cli {

Coverage coverage_of(const ir::Module& module) {
  Coverage c;
  c.bound = module.functions.size();
  for (const auto& f : module.functions)
    if (!f.deprecated) ++c.eligible_bound;
  c.eligible = c.eligible_bound;
  c.unreachable = unreachable_functions(module).size();
  for (const auto& u : module.unbound) {
    (u.kind == ir::Unbound::Kind::Skipped ? c.skipped : c.needs_annotation)++;
    if (!u.variadic && !u.deprecated) ++c.eligible;
  }
  return c;
}

void print_coverage(const ir::Module& module, std::ostream& out, bool quiet) {
  if (!quiet) {
    std::map<std::string, std::string> unreachable = unreachable_functions(module);
    for (const auto& f : module.functions) {
      std::string where = f.class_name.empty() ? f.name : fmt::format("{}.{}", f.class_name, f.name);
      fmt::print(out, "bound             {}  ->  {}\n", f.c_name, where);
    }
    for (const auto& [c_name, handle] : unreachable)
      fmt::print(out, "unreachable       {}  (bound, but no bound function gives hosts a {})\n", c_name, handle);
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
  if (c.unreachable)
    fmt::print(out, "{}: {} bound functions are unreachable: no bound function gives hosts their handle\n", module.library,
               c.unreachable);
}

}  // namespace bindery::cli
