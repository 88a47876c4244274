#include "bindery/frontend/c_types.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "bindery/frontend/clang_util.hpp"

namespace bindery::frontend {

namespace {

void add_name(std::vector<std::string>& names, std::string name) {
  if (name.empty() || name.find("(anonymous") != std::string::npos ||
      name.find("(unnamed") != std::string::npos)
    return;
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
}

// The tag names of a record or enum declaration: "struct point" and "point".
void add_tag_names(std::vector<std::string>& names, CXCursor decl, const char* keyword) {
  std::string tag = clang::spelling(decl);
  if (tag.empty() || tag.find("(anonymous") != std::string::npos ||
      tag.find("(unnamed") != std::string::npos)
    return;
  add_name(names, std::string(keyword) + " " + tag);
  add_name(names, tag);
}

CType::Nullability nullability_of(CXType t) {
  switch (clang_Type_getNullability(t)) {
    case CXTypeNullability_NonNull: return CType::Nullability::NonNull;
    case CXTypeNullability_Nullable: return CType::Nullability::Nullable;
    default: return CType::Nullability::Unspecified;
  }
}

std::shared_ptr<FunctionSignature> convert_signature(CXType fn) {
  auto sig = std::make_shared<FunctionSignature>();
  sig->result = convert_type(clang_getResultType(fn));
  int count = clang_getNumArgTypes(fn);
  for (int i = 0; i < count; ++i) {
    ParamDecl p;
    p.type = convert_type(clang_getArgType(fn, static_cast<unsigned>(i)));
    sig->params.push_back(std::move(p));
  }
  sig->variadic = clang_isFunctionTypeVariadic(fn) != 0;
  return sig;
}

}  // namespace

void name_function_params(CType& type, CXCursor declaring) {
  CType* fn = &type;
  if (fn->kind == CType::Kind::Pointer && fn->element) fn = fn->element.get();
  if (fn->kind != CType::Kind::Function || !fn->function) return;
  // The declaration's ParmDecl children carry the names the function type itself forgets.
  std::vector<std::string> names;
  clang_visitChildren(
      declaring,
      [](CXCursor c, CXCursor, CXClientData data) {
        if (clang_getCursorKind(c) == CXCursor_ParmDecl)
          static_cast<std::vector<std::string>*>(data)->push_back(clang::spelling(c));
        return CXChildVisit_Continue;
      },
      &names);
  auto& params = fn->function->params;
  if (names.size() != params.size()) return;
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name.empty()) params[i].name = names[i];
}

CType convert_type(CXType type) {
  CType out;
  out.spelling = clang::type_spelling(type);
  out.is_const = clang_isConstQualifiedType(type) != 0;

  // Peel sugar: attributes (nullability), elaborated names, typedefs (kept in `names`).
  CXType t = type;
  std::optional<CXCursor> first_typedef;  // names the parameters of a function pointer typedef
  for (;;) {
    if (t.kind == CXType_Attributed) {
      if (out.nullability == CType::Nullability::Unspecified) out.nullability = nullability_of(t);
      t = clang_Type_getModifiedType(t);
    } else if (t.kind == CXType_Elaborated) {
      t = clang_Type_getNamedType(t);
    } else if (t.kind == CXType_Typedef) {
      add_name(out.names, clang::take(clang_getTypedefName(t)));
      if (!first_typedef) first_typedef = clang_getTypeDeclaration(t);
      out.is_const = out.is_const || clang_isConstQualifiedType(t);
      t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
    } else {
      break;
    }
    out.is_const = out.is_const || clang_isConstQualifiedType(t);
  }

  CXType canonical = clang_getCanonicalType(t);
  out.is_const = out.is_const || clang_isConstQualifiedType(canonical);
  long long size = clang_Type_getSizeOf(canonical);
  switch (canonical.kind) {
    case CXType_Void: out.kind = CType::Kind::Void; break;
    case CXType_Bool: out.kind = CType::Kind::Bool; out.bits = 8; break;
    case CXType_Char_S:
    case CXType_Char_U:
      out.kind = CType::Kind::Char;
      out.bits = 8;
      out.is_plain_char = true;
      out.is_signed = canonical.kind == CXType_Char_S;
      break;
    case CXType_SChar: case CXType_Short: case CXType_Int: case CXType_Long: case CXType_LongLong:
      out.kind = CType::Kind::Int;
      out.bits = static_cast<int>(size * 8);
      out.is_signed = true;
      break;
    case CXType_UChar: case CXType_UShort: case CXType_UInt: case CXType_ULong: case CXType_ULongLong:
      out.kind = CType::Kind::Int;
      out.bits = static_cast<int>(size * 8);
      out.is_signed = false;
      break;
    case CXType_Float: out.kind = CType::Kind::Float; break;
    case CXType_Double: out.kind = CType::Kind::Double; break;
    case CXType_LongDouble: out.kind = CType::Kind::LongDouble; break;
    case CXType_Pointer: {
      out.kind = CType::Kind::Pointer;
      if (out.nullability == CType::Nullability::Unspecified) out.nullability = nullability_of(t);
      out.element = std::make_shared<CType>(convert_type(clang_getPointeeType(t)));
      break;
    }
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
      out.kind = CType::Kind::Array;
      out.element = std::make_shared<CType>(convert_type(clang_getArrayElementType(t)));
      out.array_size = canonical.kind == CXType_ConstantArray ? clang_getArraySize(canonical) : -1;
      break;
    case CXType_Record: {
      out.kind = CType::Kind::Record;
      CXCursor decl = clang_getTypeDeclaration(canonical);
      add_tag_names(out.names, decl, clang_getCursorKind(decl) == CXCursor_UnionDecl ? "union" : "struct");
      break;
    }
    case CXType_Enum: {
      out.kind = CType::Kind::Enum;
      CXCursor decl = clang_getTypeDeclaration(canonical);
      add_tag_names(out.names, decl, "enum");
      out.bits = static_cast<int>(size * 8);
      CXType integer = clang_getEnumDeclIntegerType(decl);
      out.is_signed = !(integer.kind == CXType_UInt || integer.kind == CXType_ULong ||
                        integer.kind == CXType_UChar || integer.kind == CXType_UShort ||
                        integer.kind == CXType_ULongLong);
      break;
    }
    case CXType_FunctionProto:
    case CXType_FunctionNoProto:
      out.kind = CType::Kind::Function;
      // The sugared type, not the canonical one: a callback's `sqlite3_int64 rowid` must stay
      // `sqlite3_int64` (hosts choose BigInt, names and casts from the spelling), as a function's does.
      out.function = convert_signature(t);
      break;
    default: out.kind = CType::Kind::Unsupported; break;
  }
  if (first_typedef) name_function_params(out, *first_typedef);
  return out;
}

namespace {

std::string trim_underscores(std::string name) {
  while (name.size() > 2 && name.rfind("__", 0) == 0) name = name.substr(2);
  while (name.size() > 2 && name.compare(name.size() - 2, 2, "__") == 0) name.resize(name.size() - 2);
  return name;
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Integers inside the attribute's parentheses, e.g. nonnull(1, 2) → {1, 2}.
std::vector<int> integer_arguments(const std::vector<std::string>& toks) {
  std::vector<int> values;
  for (const auto& tok : toks)
    if (is_number(tok)) values.push_back(std::stoi(tok));
  return values;
}

// One GNU attribute: its name (underscores trimmed) and the tokens between its parentheses.
void read_gnu_attribute(const std::string& raw_name, const std::vector<std::string>& args, Attributes& attrs) {
  std::string name = trim_underscores(raw_name);
  if (name == "nonnull") {
    auto indices = integer_arguments(args);
    if (indices.empty()) attrs.nonnull_all = true;
    attrs.nonnull.insert(attrs.nonnull.end(), indices.begin(), indices.end());
  } else if (name == "returns_nonnull") {
    attrs.returns_nonnull = true;
  } else if (name == "warn_unused_result") {
    attrs.warn_unused_result = true;
  } else if (name == "access") {
    Attributes::Access access;
    for (const auto& tok : args)
      if (!tok.empty() && (std::isalpha(static_cast<unsigned char>(tok[0])) || tok[0] == '_')) {
        access.mode = trim_underscores(tok);
        break;
      }
    auto indices = integer_arguments(args);
    if (!indices.empty()) access.ref_index = indices[0];
    if (indices.size() > 1) access.size_index = indices[1];
    attrs.access.push_back(access);
  }
}

// libclang 14 exposes only some attributes as cursors (and `access` not at all), so the
// declaration's own tokens are read: each `__attribute__((a, b(1, 2)))` group, item by item.
// Attributes hidden behind a macro are not seen (their tokens are the macro's name).
void read_attribute_tokens(const std::vector<std::string>& toks, Attributes& attrs) {
  for (size_t i = 0; i + 2 < toks.size(); ++i) {
    if (toks[i] != "__attribute__" || toks[i + 1] != "(" || toks[i + 2] != "(") continue;
    size_t j = i + 3;
    int depth = 2;
    std::string name;
    std::vector<std::string> args;
    for (; j < toks.size() && depth > 0; ++j) {
      const std::string& t = toks[j];
      if (t == "(") {
        if (++depth > 3) args.push_back(t);
      } else if (t == ")") {
        if (--depth >= 3) args.push_back(t);
      } else if (depth == 2 && t == ",") {
        read_gnu_attribute(name, args, attrs);
        name.clear();
        args.clear();
      } else if (depth == 2) {
        name = t;
      } else {
        args.push_back(t);
      }
    }
    if (!name.empty()) read_gnu_attribute(name, args, attrs);
    i = j - 1;
  }
}

}  // namespace

Attributes read_attributes(CXTranslationUnit tu, CXCursor decl) {
  Attributes attrs;
  clang::for_each_child(decl, [&](CXCursor child) {
    switch (clang_getCursorKind(child)) {
      case CXCursor_AnnotateAttr: {
        std::string text = clang::spelling(child);
        if (text.rfind("bindery:", 0) == 0)
          attrs.annotations.emplace_back(text.substr(8), clang::location(child));
        break;
      }
      case CXCursor_WarnUnusedResultAttr: attrs.warn_unused_result = true; break;
      default: break;
    }
  });
  if (clang_getCursorKind(decl) == CXCursor_FunctionDecl) read_attribute_tokens(clang::tokens(tu, decl), attrs);
  if (clang_getCursorAvailability(decl) == CXAvailability_Deprecated) {
    int always_deprecated = 0, always_unavailable = 0;
    CXString deprecated_message, unavailable_message;
    clang_getCursorPlatformAvailability(decl, &always_deprecated, &deprecated_message,
                                        &always_unavailable, &unavailable_message, nullptr, 0);
    attrs.deprecated = clang::take(deprecated_message);
    clang_disposeString(unavailable_message);
  }
  return attrs;
}

}  // namespace bindery::frontend
