#include "bindery/frontend/cxx/cxx_types.hpp"

#include "bindery/frontend/clang_util.hpp"

namespace bindery::frontend::cxx {

namespace {

using Kind = CxxType::Kind;

bool is_inline_namespace(CXCursor c) {
  // Standard libraries version their ABI with reserved inline namespaces (std::__cxx11,
  // std::__1), often opened through a macro, so the name is the reliable sign.
  if (clang::spelling(c).rfind("__", 0) == 0) return true;
  // libclang 14 has no clang_Cursor_isInlineNamespace; the first tokens say it.
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
  auto toks = clang::tokens(tu, c);
  return !toks.empty() && toks.front() == "inline";
}

/// Scalars by canonical kind and size: `long` is I64 on LP64, `int` I32, and so on.
bool scalar_of(CXType canonical, ir::Scalar& out) {
  long long bytes = clang_Type_getSizeOf(canonical);
  bool is_signed = true;
  switch (canonical.kind) {
    case CXType_Bool: out = ir::Scalar::Bool; return true;
    case CXType_Char_S:
    case CXType_Char_U: out = ir::Scalar::Char; return true;
    case CXType_Float: out = ir::Scalar::F32; return true;
    case CXType_Double: out = ir::Scalar::F64; return true;
    case CXType_UChar: case CXType_UShort: case CXType_UInt: case CXType_ULong: case CXType_ULongLong:
      is_signed = false;
      [[fallthrough]];
    case CXType_SChar: case CXType_Short: case CXType_Int: case CXType_Long: case CXType_LongLong:
      switch (bytes) {
        case 1: out = is_signed ? ir::Scalar::I8 : ir::Scalar::U8; return true;
        case 2: out = is_signed ? ir::Scalar::I16 : ir::Scalar::U16; return true;
        case 4: out = is_signed ? ir::Scalar::I32 : ir::Scalar::U32; return true;
        case 8: out = is_signed ? ir::Scalar::I64 : ir::Scalar::U64; return true;
        default: return false;
      }
    default: return false;
  }
}

/// The template's name when `decl` is a specialization of a class template in namespace std
/// ("basic_string", "span", …), "" otherwise.
std::string std_template(CXCursor decl) {
  std::string q = qualified_name(decl);
  if (q.rfind("std::", 0) != 0) return "";
  std::string rest = q.substr(5);
  return rest.find("::") == std::string::npos ? rest : "";
}

std::shared_ptr<CxxType> argument(CXType canonical, unsigned i) {
  return std::make_shared<CxxType>(classify_type(clang_Type_getTemplateArgumentAsType(canonical, i)));
}

}  // namespace

std::string qualified_name(CXCursor decl) {
  std::string name = clang::spelling(decl);
  for (CXCursor p = clang_getCursorSemanticParent(decl);
       !clang_Cursor_isNull(p) && clang_getCursorKind(p) != CXCursor_TranslationUnit;
       p = clang_getCursorSemanticParent(p)) {
    CXCursorKind k = clang_getCursorKind(p);
    if (k == CXCursor_Namespace && is_inline_namespace(p)) continue;
    if (k != CXCursor_Namespace && k != CXCursor_ClassDecl && k != CXCursor_StructDecl &&
        k != CXCursor_ClassTemplate)
      continue;
    name = clang::spelling(p) + "::" + name;
  }
  return name;
}

CxxType classify_type(CXType type) {
  CxxType t;
  t.spelling = clang::type_spelling(type);
  if (type.kind == CXType_LValueReference || type.kind == CXType_Pointer) {
    CXType pointee = clang_getPointeeType(type);
    CXType canonical_pointee = clang_getCanonicalType(pointee);
    bool is_const = clang_isConstQualifiedType(canonical_pointee) != 0;
    if (type.kind == CXType_Pointer && (canonical_pointee.kind == CXType_Char_S || canonical_pointee.kind == CXType_Char_U)) {
      t.kind = is_const ? Kind::CString : Kind::Unsupported;
      return t;
    }
    CxxType inner = classify_type(pointee);
    if (inner.is_reference || inner.is_pointer) return t;  // T** / T*& : not carried
    inner.spelling = t.spelling;
    inner.is_const = is_const;
    inner.is_reference = type.kind == CXType_LValueReference;
    inner.is_pointer = type.kind == CXType_Pointer;
    return inner;
  }
  if (type.kind == CXType_RValueReference) return t;
  CXType canonical = clang_getCanonicalType(type);
  if (canonical.kind == CXType_Void) {
    t.kind = Kind::Void;
    return t;
  }
  if (scalar_of(canonical, t.scalar)) {
    t.kind = Kind::Scalar;
    return t;
  }
  CXCursor decl = clang_getTypeDeclaration(canonical);
  if (canonical.kind == CXType_Enum) {
    t.kind = Kind::Enum;
    t.name = qualified_name(decl);
    return t;
  }
  if (canonical.kind != CXType_Record) return t;
  std::string tmpl = std_template(decl);
  if (tmpl.empty()) {
    t.kind = Kind::Class;
    // A class template instance is named with its arguments ("geo::Stack<int>"), as the frontend
    // names the instance's class (cxx_templates.hpp).
    bool instance = !clang_Cursor_isNull(clang_getSpecializedCursorTemplate(decl));
    t.name = instance ? clang::type_spelling(clang_getCanonicalType(canonical)) : qualified_name(decl);
    for (const char* q : {"const ", "volatile "})  // the spelling of a qualified type starts with them
      while (t.name.rfind(q, 0) == 0) t.name = t.name.substr(std::string(q).size());
    return t;
  }
  auto scalar_element = [&](Kind kind) {
    auto e = argument(canonical, 0);
    bool is_const = clang_isConstQualifiedType(clang_Type_getTemplateArgumentAsType(canonical, 0)) != 0;
    if (e->kind != Kind::Scalar) return;
    e->is_const = is_const;
    t.kind = kind;
    t.element = e;
  };
  if (tmpl == "basic_string" || tmpl == "basic_string_view") {
    auto e = argument(canonical, 0);
    if (e->kind == Kind::Scalar && e->scalar == ir::Scalar::Char)
      t.kind = tmpl == "basic_string" ? Kind::String : Kind::StringView;
  } else if (tmpl == "vector") {
    scalar_element(Kind::Vector);
  } else if (tmpl == "span") {
    scalar_element(Kind::Span);
    // std::span<T, N> with a static extent is carried the same way: the length is passed along.
  } else if (tmpl == "optional") {
    t.element = argument(canonical, 0);
    if (t.element->kind != Kind::Unsupported && t.element->kind != Kind::Optional) t.kind = Kind::Optional;
  } else if (tmpl == "unique_ptr") {
    t.element = argument(canonical, 0);
    if (t.element->kind == Kind::Class) t.kind = Kind::UniquePtr;  // default deleter only (checked by arity)
    if (clang_Type_getNumTemplateArguments(canonical) == 2) {
      std::string deleter = clang::type_spelling(clang_Type_getTemplateArgumentAsType(canonical, 1));
      if (deleter.find("default_delete") == std::string::npos) t.kind = Kind::Unsupported;
    }
  }
  return t;
}

}  // namespace bindery::frontend::cxx
