#include "bindery/ir/check.hpp"

#include <fmt/format.h>

#include <regex>
#include <set>

namespace bindery::ir {

namespace {

// Identifiers a C expression may use besides parameters and the headers' declarations.
const std::set<std::string>& c_words() {
  static const std::set<std::string> words = {
      "sizeof", "int", "unsigned", "long", "short", "char", "signed", "float", "double", "void",
      "const", "size_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
      "uint32_t", "uint64_t", "NULL", "nullptr", "true", "false", "errno", "self", "rc", "bool",
      "strlen"};  // the generated bindings include <string.h>
  return words;
}

/// Identifiers in a C expression, outside string literals and ${…} placeholders.
std::vector<std::string> identifiers(const std::string& expression) {
  static const std::regex pattern(R"re("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\$\{[^}]*\}|\.[A-Za-z_]\w*|->\s*[A-Za-z_]\w*|[0-9][\w.]*|[A-Za-z_]\w*)re");
  std::vector<std::string> result;
  for (auto it = std::sregex_iterator(expression.begin(), expression.end(), pattern); it != std::sregex_iterator(); ++it) {
    std::string token = it->str();
    char first = token[0];
    if (first == '"' || first == '\'' || first == '$' || first == '.' || first == '-' || std::isdigit(static_cast<unsigned char>(first)))
      continue;  // literals, placeholders, member names and numbers
    result.push_back(token);
  }
  return result;
}

class ModuleChecker {
 public:
  ModuleChecker(const Module& m, const frontend::TranslationUnit& tu, Diagnostics& d) : module_(m), tu_(tu), diags_(d) {}

  void run() {
    std::set<std::string> groups;
    for (const auto& f : module_.functions) {
      if (!f.returns_lifetime.group.empty()) groups.insert(f.returns_lifetime.group);
      for (const auto& p : f.params)
        if (!p.lifetime.group.empty()) groups.insert(p.lifetime.group);
    }
    for (const auto& f : module_.functions) check_function(f, groups);
    for (const auto& c : module_.conventions)
      for (const auto* expr : {&c.message, &c.code, &c.errno_expr}) check_expression(*expr, nullptr, c.location, fmt::format("convention '{}'", c.name));
  }

 private:
  void check_function(const Function& f, const std::set<std::string>& groups) {
    auto check_borrow = [&](const Lifetime& l, const std::string& what) {
      if (l.own != Own::Borrowed) return;
      if (l.from.empty()) {
        diags_.error(f.location, fmt::format("{} of '{}' is borrowed from nothing", what, f.c_name));
        return;
      }
      const Param* source = param(f, l.from);
      if (!source || source->type.kind != TypeKind::Handle)
        diags_.error(f.location, fmt::format("{} of '{}' borrows from '{}', which is not a handle parameter", what, f.c_name, l.from));
    };
    check_borrow(f.returns_lifetime, "the result");
    if (f.returns.kind == TypeKind::Handle && f.returns_lifetime.own == Own::Owned) {
      const Handle* h = module_.find_handle(f.returns.name);
      if (h && h->destroy.empty())
        diags_.error(f.location, fmt::format("'{}' returns an owned '{}', which has no destroy function", f.c_name, h->name));
    }
    for (const auto& p : f.params) {
      if (p.role == ParamRole::Output) check_borrow(p.lifetime, fmt::format("parameter '{}'", p.name));
      std::string what = fmt::format("'{}' parameter '{}'", f.c_name, p.name);
      for (const auto* expr : {&p.size, &p.capacity, &p.fixed, &p.default_value, &p.precondition})
        check_expression(*expr, &f, p.location, what);
      if (p.written.kind == Written::Kind::Expr) check_expression(p.written.value, &f, p.location, what);
      if ((p.role == ParamRole::Length || p.role == ParamRole::Capacity || p.role == ParamRole::UserData) &&
          p.length_of != "return" && !param(f, p.length_of))
        diags_.error(p.location, fmt::format("{} serves '{}', which is not a parameter", what, p.length_of));
    }
    if (f.returns_length.kind == Length::Kind::Expr || f.returns_length.kind == Length::Kind::Call)
      check_expression(f.returns_length.value, &f, f.location, fmt::format("the length of '{}'", f.c_name));
    check_expression(f.result.errors_from, &f, f.location, fmt::format("errors_from of '{}'", f.c_name));
    for (const auto& g : f.invalidates)
      if (!groups.count(g))
        diags_.error(f.location, fmt::format("'{}' invalidates borrow group '{}', which no result declares", f.c_name, g),
                     "give the borrowed results group: NAME");
  }

  static const Param* param(const Function& f, const std::string& name) {
    for (const auto& p : f.params)
      if (p.name == name) return &p;
    return nullptr;
  }

  void check_expression(const std::string& expr, const Function* f, const SourceLocation& where, const std::string& what) {
    if (expr.empty()) return;
    for (const auto& id : identifiers(expr)) {
      if (c_words().count(id) || tu_.declares(id) || (f && param(*f, id))) continue;
      bool is_type = false;
      for (const auto& h : module_.handles) is_type = is_type || h.c_name == id;
      if (is_type) continue;
      if (module_.is_interface_symbol(id)) continue;  // a table or trampoline every binding defines
      diags_.error(where, fmt::format("{}: '{}' in '{}' is neither a parameter nor declared in the headers", what, id, expr),
                   f ? fmt::format("parameters: {}", param_names(*f)) : "use ${self} for the receiver and ${rc} for the code");
    }
  }

  static std::string param_names(const Function& f) {
    std::vector<std::string> names;
    for (const auto& p : f.params) names.push_back(p.name);
    return fmt::format("{}", fmt::join(names, ", "));
  }

  const Module& module_;
  const frontend::TranslationUnit& tu_;
  Diagnostics& diags_;
};

}  // namespace

void check_module(const Module& module, const frontend::TranslationUnit& tu, Diagnostics& diags) {
  ModuleChecker(module, tu, diags).run();
}

}  // namespace bindery::ir
