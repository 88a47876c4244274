#include "bindery/frontend/macro_values.hpp"

#include <fmt/format.h>

#include <map>

#include "bindery/frontend/clang_util.hpp"

namespace bindery::frontend {

namespace {
constexpr const char* kProbePrefix = "bindery_macro_value__";
// libclang evaluates a string only as a `const char *` initialiser, so every probe also gets a
// pointer twin, read when the value probe turns out to be a char array.
constexpr const char* kStringPrefix = "bindery_macro_string__";
}

std::vector<MacroConstant> evaluate_constants(CXIndex index, const std::string& umbrella,
                                              const std::vector<std::string>& args,
                                              const std::vector<ConstantProbe>& probes) {
  if (probes.empty()) return {};
  std::string probe = umbrella;
  for (const auto& p : probes)
    // A macro is written bare so string macros initialise a char array; an expression is
    // parenthesised so it stays one operand.
    probe += p.expression == p.name
                 ? fmt::format("static const __typeof__({0}) {1}{2} = {0};\n", p.expression, kProbePrefix, p.name)
                 : fmt::format("static const __typeof__(({0})) {1}{2} = ({0});\n", p.expression, kProbePrefix, p.name);
  for (const auto& p : probes)
    probe += fmt::format("static const char *const {0}{1} = {2};\n", kStringPrefix, p.name, p.expression);

  std::vector<std::string> probe_args = args;
  probe_args.push_back("-ferror-limit=0");
  probe_args.push_back("-Wno-everything");
  std::vector<const char*> argv;
  for (const auto& a : probe_args) argv.push_back(a.c_str());
  const char* name = "bindery-macro-probe.c";
  CXUnsavedFile unsaved{name, probe.c_str(), static_cast<unsigned long>(probe.size())};
  CXTranslationUnit raw = nullptr;
  clang_parseTranslationUnit2(index, name, argv.data(), static_cast<int>(argv.size()), &unsaved, 1,
                              CXTranslationUnit_SkipFunctionBodies, &raw);
  clang::Unit unit(raw);
  if (!unit) return {};

  std::map<std::string, SourceLocation> wanted;
  for (const auto& p : probes) wanted[p.name] = p.location;
  std::map<std::string, MacroConstant> found;
  std::map<std::string, CXCursor> string_twins;
  clang::for_each_child(clang_getTranslationUnitCursor(unit.get()), [&](CXCursor c) {
    std::string var = clang::spelling(c);
    if (clang_getCursorKind(c) == CXCursor_VarDecl && var.rfind(kStringPrefix, 0) == 0)
      string_twins[var.substr(std::string(kStringPrefix).size())] = c;
  });
  clang::for_each_child(clang_getTranslationUnitCursor(unit.get()), [&](CXCursor c) {
    if (clang_getCursorKind(c) != CXCursor_VarDecl || clang_isInvalidDeclaration(c)) return;
    std::string var = clang::spelling(c);
    if (var.rfind(kProbePrefix, 0) != 0) return;
    std::string macro = var.substr(std::string(kProbePrefix).size());
    auto it = wanted.find(macro);
    if (it == wanted.end()) return;
    // A string macro makes a char array, whose value is its initialiser's string literal.
    bool is_text = clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_ConstantArray;
    CXEvalResult result = nullptr;
    if (!is_text) result = clang_Cursor_Evaluate(c);
    else if (auto twin = string_twins.find(macro); twin != string_twins.end()) result = clang_Cursor_Evaluate(twin->second);
    if (!result) return;
    MacroConstant constant;
    constant.name = macro;
    constant.location = it->second;
    bool ok = true;
    switch (clang_EvalResult_getKind(result)) {
      case CXEval_Int:
        constant.kind = MacroConstant::Kind::Int;
        constant.is_unsigned = clang_EvalResult_isUnsignedInt(result) != 0;
        constant.int_value = constant.is_unsigned
                                 ? static_cast<std::int64_t>(clang_EvalResult_getAsUnsigned(result))
                                 : clang_EvalResult_getAsLongLong(result);
        break;
      case CXEval_Float:
        constant.kind = MacroConstant::Kind::Float;
        constant.float_value = clang_EvalResult_getAsDouble(result);
        break;
      case CXEval_StrLiteral:
        constant.kind = MacroConstant::Kind::String;
        constant.string_value = clang_EvalResult_getAsStr(result);
        break;
      default: ok = false; break;
    }
    clang_EvalResult_dispose(result);
    if (ok) found[macro] = std::move(constant);
  });

  std::vector<MacroConstant> ordered;  // in header order, as the macros were seen
  for (const auto& p : probes) {
    auto it = found.find(p.name);
    if (it != found.end()) ordered.push_back(std::move(it->second));
  }
  return ordered;
}

}  // namespace bindery::frontend
