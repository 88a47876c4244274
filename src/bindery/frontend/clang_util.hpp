// The only place that touches libclang's C API directly: RAII for its handles and small readers.
#pragma once

#include <clang-c/Index.h>

#include <functional>
#include <string>
#include <vector>

#include "bindery/support/source_location.hpp"

namespace bindery::frontend::clang {

/// Takes ownership of a CXString and returns it as std::string.
std::string take(CXString s);

std::string spelling(CXCursor c);
std::string type_spelling(CXType t);
SourceLocation location(CXCursor c);
SourceLocation location(CXSourceLocation l);
bool in_system_header(CXCursor c);
/// Absolute path of the file the cursor is spelled in ("" for built-ins).
std::string file_of(CXCursor c);

/// Visits the direct children of `parent`.
void for_each_child(CXCursor parent, const std::function<void(CXCursor)>& visit);

/// The tokens of the cursor's extent, spelled.
std::vector<std::string> tokens(CXTranslationUnit tu, CXCursor c);

/// Doc comment attached to the cursor, with comment markers removed (empty when none).
std::string doc_comment(CXCursor c);

/// RAII owner of an index and a translation unit.
class Index {
 public:
  Index();
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;
  CXIndex get() const { return index_; }

 private:
  CXIndex index_;
};

class Unit {
 public:
  explicit Unit(CXTranslationUnit tu) : tu_(tu) {}
  ~Unit();
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;
  CXTranslationUnit get() const { return tu_; }
  explicit operator bool() const { return tu_ != nullptr; }

 private:
  CXTranslationUnit tu_;
};

}  // namespace bindery::frontend::clang
