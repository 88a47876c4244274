// An indenting line writer: the generated header is built line by line, so output formatting is
// decided here and nowhere else (2-space indent, no trailing spaces, `///` doc comments).
#pragma once

#include <string>
#include <string_view>

namespace bindery::backends::cpp {

class Writer {
 public:
  void line(std::string_view text = {}) {
    if (!text.empty()) out_.append(static_cast<std::size_t>(depth_) * 2, ' ').append(text);
    out_ += '\n';
  }
  void indent() { ++depth_; }
  void dedent() { --depth_; }
  /// A `///` comment, one line per line of `text` (blank lines and trailing spaces dropped).
  void doc(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view l = text.substr(start, end - start);
      while (!l.empty() && (l.back() == ' ' || l.back() == '\r' || l.back() == '\t')) l.remove_suffix(1);
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
      wrap(l);
      start = end + 1;
    }
  }
  const std::string& str() const { return out_; }

  static constexpr std::size_t kWidth = 100;

 private:
  /// One doc paragraph, word-wrapped to kWidth columns.
  void wrap(std::string_view text) {
    const std::size_t room = kWidth - static_cast<std::size_t>(depth_) * 2 - 4;
    std::string current;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view word = text.substr(start, end - start);
      if (!current.empty() && current.size() + 1 + word.size() > room) {
        line("/// " + current);
        current.clear();
      }
      if (!word.empty()) current += (current.empty() ? "" : " ") + std::string(word);
      start = end + 1;
    }
    if (!current.empty()) line("/// " + current);
  }

  std::string out_;
  int depth_ = 0;
};

}  // namespace bindery::backends::cpp
