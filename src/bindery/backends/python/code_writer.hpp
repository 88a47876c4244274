// A tiny indented text buffer: the emitters write straight-line code into it (cxx-style), so the
// generated C reads like hand-written C and the emitters read top to bottom like the output.
#pragma once

#include <string>
#include <string_view>

namespace bindery::backends::python {

class CodeWriter {
 public:
  /// Appends one line at the current indentation (an empty `text` writes a blank line).
  void line(std::string_view text = {}) {
    if (!text.empty()) out_.append(static_cast<size_t>(indent_) * 4, ' ');
    out_.append(text);
    out_.push_back('\n');
  }
  /// Appends text verbatim (already indented, possibly several lines).
  void raw(std::string_view text) { out_.append(text); }
  void indent() { ++indent_; }
  void dedent() { --indent_; }
  /// `open("if (x) {")` writes the line and indents; `close()` dedents and writes "}".
  void open(std::string_view text) { line(text); indent(); }
  void close(std::string_view text = "}") { dedent(); line(text); }

  const std::string& str() const { return out_; }

 private:
  std::string out_;
  int indent_ = 0;
};

}  // namespace bindery::backends::python
