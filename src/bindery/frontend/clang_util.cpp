#include "bindery/frontend/clang_util.hpp"

#include <filesystem>
#include <sstream>

namespace bindery::frontend::clang {

std::string take(CXString s) {
  const char* text = clang_getCString(s);
  std::string result = text ? text : "";
  clang_disposeString(s);
  return result;
}

std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }
std::string type_spelling(CXType t) { return take(clang_getTypeSpelling(t)); }

SourceLocation location(CXSourceLocation l) {
  CXFile file = nullptr;
  unsigned line = 0, column = 0;
  clang_getExpansionLocation(l, &file, &line, &column, nullptr);
  if (!file) return {};
  std::string path = take(clang_getFileName(file));
  return {path.empty() ? path : std::filesystem::path(path).lexically_normal().string(), line, column};
}

SourceLocation location(CXCursor c) { return location(clang_getCursorLocation(c)); }

bool in_system_header(CXCursor c) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(c)) != 0;
}

std::string file_of(CXCursor c) { return location(c).file; }

void for_each_child(CXCursor parent, const std::function<void(CXCursor)>& visit) {
  clang_visitChildren(
      parent,
      [](CXCursor child, CXCursor, CXClientData data) {
        (*static_cast<const std::function<void(CXCursor)>*>(data))(child);
        return CXChildVisit_Continue;
      },
      const_cast<std::function<void(CXCursor)>*>(&visit));
}

std::vector<std::string> tokens(CXTranslationUnit tu, CXCursor c) {
  CXToken* list = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, clang_getCursorExtent(c), &list, &count);
  std::vector<std::string> result;
  result.reserve(count);
  for (unsigned i = 0; i < count; ++i) result.push_back(take(clang_getTokenSpelling(tu, list[i])));
  clang_disposeTokens(tu, list, count);
  return result;
}

namespace {
// Strips `/**`, `*/`, leading ` * ` and `///` markers, keeping the text's own line breaks.
std::string strip_comment_markers(const std::string& raw) {
  std::istringstream in(raw);
  std::string line, out;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) {
      if (!out.empty()) out += '\n';
      continue;
    }
    line = line.substr(first);
    for (const char* marker : {"/**<", "/*!<", "///<", "/**", "/*!", "///", "//!", "//", "/*"}) {
      std::string m = marker;
      if (line.rfind(m, 0) == 0) {
        line = line.substr(m.size());
        break;
      }
    }
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, "*/") == 0) line.resize(line.size() - 2);
    if (!line.empty() && line[0] == '*' && (line.size() == 1 || line[1] != '/')) line = line.substr(1);
    if (!line.empty() && line[0] == ' ') line = line.substr(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '*')) line.pop_back();
    out += line;
    out += '\n';
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  auto start = out.find_first_not_of('\n');
  return start == std::string::npos ? std::string() : out.substr(start);
}
}  // namespace

std::string doc_comment(CXCursor c) {
  return strip_comment_markers(take(clang_Cursor_getRawCommentText(c)));
}

Index::Index() : index_(clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0)) {}
Index::~Index() { clang_disposeIndex(index_); }
Unit::~Unit() {
  if (tu_) clang_disposeTranslationUnit(tu_);
}

}  // namespace bindery::frontend::clang
