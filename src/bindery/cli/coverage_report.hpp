// The coverage report `bindery check` prints: per function bound / skipped / needs annotation.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "bindery/ir/ir.hpp"

namespace bindery::cli {

struct Coverage {
  size_t bound = 0, skipped = 0, needs_annotation = 0;
  /// The figure the foundation issue sets a target for: functions neither deprecated nor variadic
  /// (nor taking a va_list), and how many of them are bound.
  size_t eligible = 0, eligible_bound = 0;
  /// Bound functions no host can call yet: their class's handle comes from no bound function.
  size_t unreachable = 0;
  /// The eligible functions the installed library exports (when `exported` was given), and how
  /// many of them are bound: a function the platform's build leaves out cannot be bound at all.
  size_t eligible_exported = 0, eligible_exported_bound = 0;
  size_t total() const { return bound + skipped + needs_annotation; }
  double percent_bound() const { return percent(bound, total()); }
  double percent_eligible_bound() const { return percent(eligible_bound, eligible); }
  double percent_exported_bound() const { return percent(eligible_exported_bound, eligible_exported); }

 private:
  static double percent(size_t part, size_t whole) {
    return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 100.0;
  }
};

/// `exported`, when given, says which C functions the installed library exports (exported_by).
Coverage coverage_of(const ir::Module& module, const std::function<bool(const std::string&)>& exported = {});
void print_coverage(const ir::Module& module, std::ostream& out, bool quiet);

}  // namespace bindery::cli
