#include "bindery/frontend/cxx/cxx_copyable.hpp"

#include <set>
#include <string>

#include "bindery/frontend/clang_util.hpp"
#include "bindery/frontend/cxx/cxx_cursor.hpp"
#include "bindery/frontend/cxx/cxx_types.hpp"

namespace bindery::frontend::cxx {

namespace {

const std::set<std::string> kCopyableStd = {"basic_string", "basic_string_view", "span", "shared_ptr", "weak_ptr",
                                            "function", "complex", "allocator", "char_traits", "less", "greater",
                                            "hash", "equal_to", "byte"};
/// Copyable exactly when every template type argument is.
const std::set<std::string> kContainers = {"vector", "optional", "array", "deque", "list", "map", "set", "multimap",
                                           "multiset", "unordered_map", "unordered_set", "pair", "tuple", "variant"};

bool copyable(CXType type, int depth);

/// The C++ name of a class in namespace std ("vector"), "" for any other class.
std::string std_name(CXCursor decl) {
  std::string q = qualified_name(decl);
  if (q.rfind("std::", 0) != 0) return "";
  q = q.substr(5);
  return q.find("::") == std::string::npos ? q : "";
}

bool template_arguments_copyable(CXType type, int depth) {
  int n = clang_Type_getNumTemplateArguments(type);
  for (int i = 0; i < n; ++i) {
    CXType arg = clang_Type_getTemplateArgumentAsType(type, static_cast<unsigned>(i));
    if (arg.kind == CXType_Invalid) continue;  // a non-type argument (std::array's size)
    if (!copyable(arg, depth + 1)) return false;
  }
  return true;
}

bool class_copyable(CXType type, CXCursor decl, int depth) {
  // Special members are read from the class as written: for a template instance, its pattern.
  CXCursor written = clang_getSpecializedCursorTemplate(decl);
  if (clang_Cursor_isNull(written)) written = decl;
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(written);
  bool is_instance = !clang_equalCursors(written, decl);
  bool user_copy = false, copy_written = false, copy_ok = true, user_move = false, base_ok = true;
  clang::for_each_child(written, [&](CXCursor m) {
    CXCursorKind k = clang_getCursorKind(m);
    if (k == CXCursor_Constructor && clang_CXXConstructor_isCopyConstructor(m)) {
      user_copy = true;
      if (is_deleted(tu, m) || clang_getCXXAccessSpecifier(m) != CX_CXXPublic) copy_ok = false;
      // A copy constructor written out (not `= default`) copies however it likes.
      auto toks = clang::tokens(tu, m);
      copy_written = !(toks.size() >= 2 && toks.back() == "default");
    }
    if (k == CXCursor_Constructor && clang_CXXConstructor_isMoveConstructor(m)) user_move = true;
    // libclang 14 has no clang_CXXMethod_isMoveAssignmentOperator: operator= taking an rvalue reference.
    if (k == CXCursor_CXXMethod && clang::spelling(m) == "operator=" &&
        clang_getArgType(clang_getCursorType(m), 0).kind == CXType_RValueReference)
      user_move = true;
    // A template's bases are dependent types in its pattern: not judged, so not copyable.
    if (k == CXCursor_CXXBaseSpecifier) base_ok = base_ok && !is_instance && copyable(clang_getCursorType(m), depth + 1);
    if (k == CXCursor_Destructor && is_deleted(tu, m)) copy_ok = false;
  });
  if (!copy_ok || !base_ok) return false;
  if (copy_written) return true;
  if (!user_copy && user_move) return false;  // a declared move deletes the implicit copy
  // Fields of the instance itself (a template's pattern has only dependent types).
  struct Walk {
    int depth;
    bool ok = true;
  } walk{depth};
  clang_Type_visitFields(
      type,
      [](CXCursor field, CXClientData data) {
        auto* w = static_cast<Walk*>(data);
        if (!copyable(clang_getCursorType(field), w->depth + 1)) {
          w->ok = false;
          return CXVisit_Break;
        }
        return CXVisit_Continue;
      },
      &walk);
  return walk.ok;
}

bool copyable(CXType type, int depth) {
  if (depth > 16) return false;  // a type this deep is not worth a guess
  CXType canonical = clang_getCanonicalType(type);
  switch (canonical.kind) {
    case CXType_Record: break;
    case CXType_ConstantArray: return copyable(clang_getArrayElementType(canonical), depth + 1);
    case CXType_LValueReference:
    case CXType_RValueReference:
      return false;  // a reference member deletes copy assignment; keep clone for plain values
    case CXType_Invalid:
    case CXType_Unexposed:
      return false;
    default:
      return true;  // scalars, enums, pointers
  }
  CXCursor decl = clang_getTypeDeclaration(canonical);
  std::string std = std_name(decl);
  if (!std.empty()) {
    if (kCopyableStd.count(std)) return true;
    if (kContainers.count(std)) return template_arguments_copyable(canonical, depth);
    return false;
  }
  return class_copyable(canonical, decl, depth);
}

}  // namespace

bool is_copyable(CXType type) { return copyable(type, 0); }

}  // namespace bindery::frontend::cxx
