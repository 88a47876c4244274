// The coverage report `bindery check` prints: per function bound / skipped / needs annotation.
#pragma once

#include <iosfwd>

#include "bindery/ir/ir.hpp"

namespace bindery::cli {

struct Coverage {
  size_t bound = 0, skipped = 0, needs_annotation = 0;
  size_t total() const { return bound + skipped + needs_annotation; }
  double percent_bound() const { return total() ? 100.0 * static_cast<double>(bound) / static_cast<double>(total()) : 100.0; }
};

Coverage coverage_of(const ir::Module& module);
void print_coverage(const ir::Module& module, std::ostream& out, bool quiet);

}  // namespace bindery::cli
