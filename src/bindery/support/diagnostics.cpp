#include "bindery/support/diagnostics.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <ostream>

namespace bindery {

std::string SourceLocation::str() const {
  if (file.empty()) return "<unknown>";
  if (line == 0) return file;
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

void Diagnostics::report(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  list_.push_back(std::move(d));
}

void Diagnostics::error(SourceLocation where, std::string message, std::string hint) {
  report({Severity::Error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string hint) {
  report({Severity::Warning, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::note(SourceLocation where, std::string message, std::string hint) {
  report({Severity::Note, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::fatal(SourceLocation where, std::string message, std::string hint) {
  std::string what = message;
  error(std::move(where), std::move(message), std::move(hint));
  throw FatalError(what);
}

namespace {
// Paths under the working directory print relative to it, as compilers print them.
std::string shown_location(const SourceLocation& where) {
  SourceLocation shown = where;
  std::error_code ec;
  if (std::filesystem::path(where.file).is_absolute()) {
    auto rel = std::filesystem::path(where.file).lexically_relative(std::filesystem::current_path(ec));
    if (!ec && !rel.empty() && rel.native().rfind("..", 0) != 0) shown.file = rel.string();
  }
  return shown.str();
}
}  // namespace

std::string format_diagnostic(const Diagnostic& d, bool colour) {
  const char* label = d.severity == Severity::Error     ? "error"
                      : d.severity == Severity::Warning ? "warning"
                                                        : "note";
  const char* tint = d.severity == Severity::Error     ? "\033[1;31m"
                     : d.severity == Severity::Warning ? "\033[1;35m"
                                                       : "\033[1;36m";
  std::string text = colour ? fmt::format("\033[1m{}:\033[0m {}{}:\033[0m {}", shown_location(d.location),
                                          tint, label, d.message)
                            : fmt::format("{}: {}: {}", shown_location(d.location), label, d.message);
  if (!d.hint.empty()) text += fmt::format("\n  {}hint:{} {}", colour ? "\033[1;32m" : "",
                                           colour ? "\033[0m" : "", d.hint);
  return text;
}

void Diagnostics::print(std::ostream& out, bool colour) const {
  for (const auto& d : list_) out << format_diagnostic(d, colour) << '\n';
}

}  // namespace bindery
