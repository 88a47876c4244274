// A position in an input file (a header or bindery.yaml), 1-based like compilers print it.
#pragma once

#include <string>

namespace bindery {

struct SourceLocation {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;

  bool known() const { return !file.empty(); }
  /// "file:line:col" (or just "file" when the position is unknown).
  std::string str() const;
};

}  // namespace bindery
