#include "bindery/frontend/cxx/cxx_templates.hpp"

#include <fmt/format.h>

#include <cctype>

#include "bindery/frontend/clang_util.hpp"
#include "bindery/frontend/cxx/cxx_cursor.hpp"

namespace bindery::frontend::cxx {

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string join_tokens(const std::vector<std::string>& toks, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (!out.empty() && is_word_char(out.back()) && !toks[i].empty() && is_word_char(toks[i][0])) out += ' ';
    out += toks[i];
  }
  return out;
}

/// Replaces the template's own name in a type spelling — `Stack<T>`, `geo::Stack<T>`, or the bare
/// injected class name `Stack` — with the probe's alias of the instance.
std::string replace_self(const std::string& spelling, const std::string& simple) {
  std::string out;
  size_t i = 0;
  while (i < spelling.size()) {
    bool starts = spelling.compare(i, simple.size(), simple) == 0 && (i == 0 || !is_word_char(spelling[i - 1])) &&
                  (i + simple.size() == spelling.size() || !is_word_char(spelling[i + simple.size()]));
    if (!starts) {
      out += spelling[i++];
      continue;
    }
    // Drop a qualifier written before it (`::geo::`), which the alias does not need.
    while (out.size() >= 2 && out.compare(out.size() - 2, 2, "::") == 0) {
      out.resize(out.size() - 2);
      while (!out.empty() && is_word_char(out.back())) out.pop_back();
    }
    i += simple.size();
    size_t j = i;
    while (j < spelling.size() && spelling[j] == ' ') ++j;
    if (j < spelling.size() && spelling[j] == '<') {
      int depth = 0;
      for (; j < spelling.size(); ++j) {
        if (spelling[j] == '<') ++depth;
        if (spelling[j] == '>' && --depth == 0) break;
      }
      i = j + 1;
    }
    out += kSelfAlias;
  }
  return out;
}

void read_params(CXTranslationUnit tu, CXCursor function, PatternMember& m) {
  clang::for_each_child(function, [&](CXCursor a) {
    if (clang_getCursorKind(a) != CXCursor_ParmDecl) return;
    CxxParam p;
    p.name = clang::spelling(a);
    if (p.name.empty()) p.name = fmt::format("arg{}", m.params.size());
    p.type.spelling = clang::type_spelling(clang_getCursorType(a));
    p.default_value = default_argument(tu, a);
    p.lifetimebound = is_lifetimebound_param(tu, a);
    p.location = clang::location(a);
    m.params.push_back(std::move(p));
  });
}

PatternMember read_member(CXTranslationUnit tu, CXCursor c, CxxFunction::Kind kind) {
  PatternMember m;
  m.kind = kind;
  m.name = clang::spelling(c);
  if (kind == CxxFunction::Kind::Constructor) m.name = m.name.substr(0, m.name.find('<'));  // "Counter<T>"
  m.is_const = kind == CxxFunction::Kind::Method && clang_CXXMethod_isConst(c);
  m.is_noexcept = is_noexcept(tu, c);
  m.returns_lifetimebound = is_lifetimebound_this(tu, c);
  m.return_type = kind == CxxFunction::Kind::Constructor ? "void" : clang::type_spelling(clang_getCursorResultType(c));
  m.doc = clang::doc_comment(c);
  m.location = clang::location(c);
  read_params(tu, c, m);
  return m;
}

/// A function template's return type, from its tokens: what lies between the closing `>` of
/// `template <…>` and the function's name (libclang gives a FunctionTemplate cursor no type).
std::string function_template_return(CXTranslationUnit tu, CXCursor templ, const std::string& name) {
  auto toks = clang::tokens(tu, templ);
  size_t i = 0, depth = 0;
  for (; i < toks.size(); ++i) {
    if (toks[i] == "<") ++depth;
    if (toks[i] == ">" && --depth == 0) break;
    if (toks[i] == ">>" && (depth -= 2) == 0) break;
  }
  size_t start = i + 1, end = start;
  while (end + 1 < toks.size() && !(toks[end] == name && toks[end + 1] == "(")) ++end;
  return join_tokens(toks, start, end);
}

void read_class_members(CXTranslationUnit tu, CXCursor templ, TemplatePattern& p) {
  p.abstract = clang_CXXRecord_isAbstract(templ) != 0;
  clang::for_each_child(templ, [&](CXCursor m) {
    CXCursorKind k = clang_getCursorKind(m);
    bool is_public = clang_getCXXAccessSpecifier(m) == CX_CXXPublic;
    if (k == CXCursor_Destructor && !is_public) p.public_destructor = false;
    if (k == CXCursor_CXXBaseSpecifier) p.problem = "a class template with base classes is not instantiated by bindery yet";
    if (!is_public) return;
    switch (k) {
      case CXCursor_TypeAliasDecl:
      case CXCursor_TypedefDecl:
        p.member_types.push_back(clang::spelling(m));
        break;
      case CXCursor_Constructor:
        if (clang_CXXConstructor_isCopyConstructor(m) || clang_CXXConstructor_isMoveConstructor(m) || is_deleted(tu, m)) break;
        p.members.push_back(read_member(tu, m, CxxFunction::Kind::Constructor));
        break;
      case CXCursor_CXXMethod:
        if (is_deleted(tu, m) || clang::spelling(m).rfind("operator", 0) == 0) break;
        p.members.push_back(read_member(tu, m, clang_CXXMethod_isStatic(m) ? CxxFunction::Kind::Static : CxxFunction::Kind::Method));
        break;
      default:
        break;
    }
  });
}

}  // namespace

bool split_template_id(const std::string& spelling, std::string& name, std::vector<std::string>& args) {
  auto open = spelling.find('<');
  if (open == std::string::npos || spelling.back() != '>') return false;
  name = trim(spelling.substr(0, open));
  args.clear();
  int depth = 0;
  std::string current;
  for (size_t i = open + 1; i + 1 < spelling.size(); ++i) {
    char c = spelling[i];
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (c == ',' && depth == 0) {
      args.push_back(trim(current));
      current.clear();
      continue;
    }
    current += c;
  }
  args.push_back(trim(current));
  return !name.empty() && !args.front().empty();
}

TemplatePattern read_pattern(CXTranslationUnit tu, CXCursor templ, const TemplateRequest& request, const std::string& qualified) {
  TemplatePattern p;
  p.request = request;
  p.qualified = qualified;
  p.doc = clang::doc_comment(templ);
  p.location = clang::location(templ);
  for (CXCursor s = clang_getCursorSemanticParent(templ); clang_getCursorKind(s) != CXCursor_TranslationUnit;
       s = clang_getCursorSemanticParent(s)) {
    if (clang_getCursorKind(s) != CXCursor_Namespace) {
      p.problem = "a template nested in a class is not instantiated by bindery yet";
      return p;
    }
    p.namespaces.insert(p.namespaces.begin(), clang::spelling(s));
  }
  std::string name;
  std::vector<std::string> args;
  split_template_id(request.spelling, name, args);
  size_t index = 0;
  clang::for_each_child(templ, [&](CXCursor c) {
    CXCursorKind k = clang_getCursorKind(c);
    if (k != CXCursor_TemplateTypeParameter && k != CXCursor_NonTypeTemplateParameter && k != CXCursor_TemplateTemplateParameter)
      return;
    if (k == CXCursor_TemplateTemplateParameter) p.problem = "a template template parameter";
    if (index < args.size()) p.params.emplace_back(clang::spelling(c), args[index]);
    ++index;
  });
  if (index != args.size())
    p.problem = fmt::format("'{}' takes {} template arguments, {} given (defaulted arguments must be written out)",
                            qualified, index, args.size());
  if (!p.problem.empty()) return p;
  if (clang_getCursorKind(templ) == CXCursor_ClassTemplate) {
    read_class_members(tu, templ, p);
  } else {
    PatternMember m;
    m.kind = CxxFunction::Kind::Free;
    m.name = clang::spelling(templ);
    m.is_noexcept = is_noexcept(tu, templ);
    m.return_type = function_template_return(tu, templ, m.name);
    m.doc = p.doc;
    m.location = p.location;
    read_params(tu, templ, m);
    p.members.push_back(std::move(m));
  }
  return p;
}

std::string probe_source(const std::vector<TemplatePattern>& patterns) {
  std::string out = "\n// bindery: explicit instantiations named in bindery.yaml (frontend/cxx/cxx_templates.hpp)\n"
                    "#include <type_traits>\n";
  for (size_t i = 0; i < patterns.size(); ++i) {
    const TemplatePattern& p = patterns[i];
    if (!p.problem.empty()) continue;
    bool is_class = p.request.is_class;
    std::string simple = p.qualified.substr(p.qualified.rfind("::") == std::string::npos ? 0 : p.qualified.rfind("::") + 2);
    for (const auto& ns : p.namespaces) out += "namespace " + ns + " { ";
    out += fmt::format("namespace {}{} {{\n", kInstanceNamespace, i);
    std::string args;
    for (const auto& [param, arg] : p.params) args += (args.empty() ? "" : ", ") + arg;
    for (const auto& [param, arg] : p.params) {
      // A type argument names a type; anything else is a value (non-type parameter).
      out += fmt::format("#line {} \"{}\"\n", p.request.where.line > 0 ? p.request.where.line : 1, p.request.where.file);
      out += fmt::format("using {} = {};\n", param, arg);
    }
    if (is_class) {
      out += fmt::format("using {} = ::{}<{}>;\n", kSelfAlias, p.qualified, args);
      out += fmt::format("static_assert(sizeof({}) > 0, \"instantiated\");\n", kSelfAlias);
      for (const auto& t : p.member_types) out += fmt::format("using {} = {}::{};\n", t, kSelfAlias, t);
    }
    for (size_t k = 0; k < p.members.size(); ++k) {
      const PatternMember& m = p.members[k];
      std::string params;
      for (const auto& a : m.params) params += (params.empty() ? "" : ", ") + replace_self(a.type.spelling, simple);
      out += fmt::format("#line {} \"{}\"\n", m.location.line > 0 ? m.location.line : 1, m.location.file);
      out += fmt::format("{} {}{}({});\n", is_class ? replace_self(m.return_type, simple) : m.return_type, kMemberFunction, k, params);
    }
    out += "}";
    for (size_t n = 0; n < p.namespaces.size(); ++n) out += " }";
    out += "\n";
  }
  return out;
}

}  // namespace bindery::frontend::cxx
