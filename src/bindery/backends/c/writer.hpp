// A line writer for the generated C header and C++ shim source: indentation and comment
// formatting are decided here only (2-space indent, no trailing spaces, `/** … */` docs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bindery::backends::c {

class Writer {
 public:
  void line(std::string_view text = {}) {
    if (!text.empty()) out_.append(static_cast<std::size_t>(depth_) * 2, ' ').append(text);
    out_ += '\n';
  }
  void indent() { ++depth_; }
  void dedent() { --depth_; }

  /// A `/** … */` block (one line when short), each line of `text` on its own line.
  void doc(std::string_view text) {
    std::vector<std::string> lines = split(text);
    if (lines.empty()) return;
    if (lines.size() == 1 && lines[0].size() + depth_ * 2 + 7 <= 100) {
      line("/** " + lines[0] + " */");
      return;
    }
    line("/**");
    for (const auto& l : lines) line(l.empty() ? " *" : " * " + l);
    line(" */");
  }

  const std::string& str() const { return out_; }

  /// Lines of a comment text, trimmed, with comment terminators made harmless.
  static std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string l(text.substr(start, end - start));
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.pop_back();
      for (std::size_t p; (p = l.find("*/")) != std::string::npos;) l.replace(p, 2, "* /");
      lines.push_back(l);
      start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
    return lines;
  }

 private:
  std::string out_;
  int depth_ = 0;
};

}  // namespace bindery::backends::c
