// Compiler-style diagnostics: `file:line:col: error: message` plus an optional hint line.
//
// Every stage reports through a Diagnostics sink instead of throwing, so one run shows every
// problem at once; a stage that cannot continue throws FatalError after reporting.
#pragma once

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

#include "bindery/support/source_location.hpp"

namespace bindery {

enum class Severity { Note, Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation location;
  std::string message;
  std::string hint;  ///< printed as `  hint: …` under the message
};

/// Thrown after a fatal diagnostic has been reported; the CLI exits non-zero.
class FatalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Diagnostics {
 public:
  void report(Diagnostic d);
  void error(SourceLocation where, std::string message, std::string hint = {});
  void warning(SourceLocation where, std::string message, std::string hint = {});
  void note(SourceLocation where, std::string message, std::string hint = {});
  /// Reports an error and throws FatalError.
  [[noreturn]] void fatal(SourceLocation where, std::string message, std::string hint = {});

  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return list_; }

  /// Prints every diagnostic; colours only when `colour` is set (the CLI sets it for a terminal).
  void print(std::ostream& out, bool colour) const;

 private:
  std::vector<Diagnostic> list_;
  int errors_ = 0;
};

std::string format_diagnostic(const Diagnostic& d, bool colour);

}  // namespace bindery
