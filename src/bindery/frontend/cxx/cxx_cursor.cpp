#include "bindery/frontend/cxx/cxx_cursor.hpp"

#include <algorithm>
#include <cctype>

#include "bindery/frontend/clang_util.hpp"

namespace bindery::frontend::cxx {

namespace {

/// The tokens after a declaration's extent up to its `;` or `{`: where a trailing
/// `[[clang::lifetimebound]]` on `this` sits, outside the extent libclang reports.
std::vector<std::string> trailing_tokens(CXTranslationUnit tu, CXCursor c) {
  CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(c));
  CXFile file = nullptr;
  unsigned offset = 0;
  clang_getFileLocation(end, &file, nullptr, nullptr, &offset);
  size_t size = 0;
  if (!file || !clang_getFileContents(tu, file, &size)) return {};
  unsigned stop = static_cast<unsigned>(std::min<size_t>(size, offset + 256));
  CXSourceRange range = clang_getRange(end, clang_getLocationForOffset(tu, file, stop));
  CXToken* list = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, range, &list, &count);
  std::vector<std::string> out;
  for (unsigned i = 0; i < count; ++i) {
    std::string t = clang::take(clang_getTokenSpelling(tu, list[i]));
    if (t == ";" || t == "{") break;
    out.push_back(t);
  }
  clang_disposeTokens(tu, list, count);
  return out;
}

/// Whether an attribute child of `c` spells `name` (libclang exposes [[clang::lifetimebound]] on a
/// parameter only as an unexposed attribute).
bool has_attribute(CXTranslationUnit tu, CXCursor c, const std::string& name) {
  bool found = false;
  clang::for_each_child(c, [&](CXCursor a) {
    if (!clang_isAttribute(clang_getCursorKind(a))) return;
    for (const auto& t : clang::tokens(tu, a))
      if (t == name) found = true;
  });
  return found;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

bool is_noexcept(CXTranslationUnit tu, CXCursor c) {
  switch (clang_getCursorExceptionSpecificationType(c)) {
    case CXCursor_ExceptionSpecificationKind_BasicNoexcept:
    case CXCursor_ExceptionSpecificationKind_DynamicNone:
    case CXCursor_ExceptionSpecificationKind_NoThrow:
      return true;
    case CXCursor_ExceptionSpecificationKind_ComputedNoexcept:
    case CXCursor_ExceptionSpecificationKind_Unevaluated:
    case CXCursor_ExceptionSpecificationKind_Uninstantiated: {
      // libclang does not evaluate noexcept(expr); the literal noexcept(true) is read from the tokens.
      auto toks = clang::tokens(tu, c);
      for (size_t i = 0; i + 3 < toks.size(); ++i)
        if (toks[i] == "noexcept" && toks[i + 1] == "(" && toks[i + 2] == "true" && toks[i + 3] == ")") return true;
      // In a template pattern a plain `noexcept` may be reported as not yet evaluated.
      for (size_t i = 0; i < toks.size(); ++i)
        if (toks[i] == "noexcept" && (i + 1 == toks.size() || toks[i + 1] != "(")) return true;
      return false;
    }
    default:
      return false;
  }
}

bool is_deleted(CXTranslationUnit tu, CXCursor c) {
  auto toks = clang::tokens(tu, c);
  return toks.size() >= 2 && toks[toks.size() - 1] == "delete" && toks[toks.size() - 2] == "=";
}

bool is_lifetimebound_param(CXTranslationUnit tu, CXCursor a) {
  auto toks = clang::tokens(tu, a);
  auto eq = std::find(toks.begin(), toks.end(), "=");
  return std::find(toks.begin(), eq, "lifetimebound") != eq || has_attribute(tu, a, "lifetimebound");
}

bool is_lifetimebound_this(CXTranslationUnit tu, CXCursor c) {
  auto toks = clang::tokens(tu, c);
  auto close = std::find(toks.rbegin(), toks.rend(), ")");
  auto after = trailing_tokens(tu, c);
  return std::find(toks.rbegin(), close, "lifetimebound") != close ||
         std::find(after.begin(), after.end(), "lifetimebound") != after.end();
}

std::string default_argument(CXTranslationUnit tu, CXCursor a) {
  auto toks = clang::tokens(tu, a);
  auto eq = std::find(toks.begin(), toks.end(), "=");
  std::string value;
  for (auto it = eq == toks.end() ? eq : eq + 1; it != toks.end(); ++it) {
    // Tokens joined with spaces only where both sides are words: `1.0`, `Color::Red`, `-1`.
    if (!it->empty() && is_word_char((*it)[0]) && !value.empty() && is_word_char(value.back())) value += ' ';
    value += *it;
  }
  return value;
}

}  // namespace bindery::frontend::cxx
