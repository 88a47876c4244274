// A tiny indented text buffer: emit functions write straight-line code into it, line by line.
#pragma once

#include <string>
#include <string_view>

namespace bindery::backends::ruby {

class Code {
 public:
  /// One line at the current indentation (an empty `text` gives an empty line, no spaces).
  void line(std::string_view text = {}) {
    if (!text.empty()) out_.append(static_cast<std::size_t>(indent_) * 2, ' ').append(text);
    out_ += '\n';
  }
  /// `text` then an indented block: "if (x) {" … close().
  void open(std::string_view text) {
    line(text);
    ++indent_;
  }
  void close(std::string_view text = "}") {
    --indent_;
    line(text);
  }
  /// A line between two blocks, one level out: "} else {".
  void mid(std::string_view text) {
    --indent_;
    line(text);
    ++indent_;
  }
  /// Raw text, no indentation (pre-formatted blocks).
  void raw(std::string_view text) { out_ += text; }

  const std::string& str() const { return out_; }

 private:
  std::string out_;
  int indent_ = 0;
};

}  // namespace bindery::backends::ruby
