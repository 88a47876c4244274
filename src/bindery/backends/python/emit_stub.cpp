#include "bindery/backends/python/emit_stub.hpp"

#include <regex>
#include <set>

#include "bindery/backends/python/code_writer.hpp"
#include "bindery/backends/python/emit_callback.hpp"
#include "bindery/backends/python/emit_interface.hpp"
#include "bindery/backends/python/emit_record.hpp"
#include "bindery/backends/python/values.hpp"

namespace bindery::backends::python {

namespace {

std::string type_in(const ir::Type& t) {
  switch (t.kind) {
    case ir::TypeKind::Scalar: return scalar_info(t.scalar).py_type;
    case ir::TypeKind::Str: return "str";
    case ir::TypeKind::Bytes: return "bytes | bytearray | memoryview";
    case ir::TypeKind::Slice:
      return std::string("Sequence[") + scalar_info(t.scalar).py_type + "] | memoryview";
    case ir::TypeKind::Handle:
    case ir::TypeKind::Enum:
    case ir::TypeKind::Record: return t.name;
    case ir::TypeKind::Callback: return "Callable[..., object]";
    case ir::TypeKind::HostValue: return "object";
    case ir::TypeKind::Void: return "None";
  }
  return "object";
}

std::string type_out(const ir::Type& t, const ir::Lifetime& lt, bool buffer) {
  std::string s;
  const bool view = (lt.own == ir::Own::Borrowed && lt.until == ir::Until::Owner &&
                     !lt.from.empty()) || lt.own == ir::Own::Static;
  const bool octets = t.kind == ir::TypeKind::Slice &&
                      (t.scalar == ir::Scalar::U8 || t.scalar == ir::Scalar::I8);
  if (t.kind == ir::TypeKind::Slice && !buffer) {
    s = view ? "memoryview" : octets ? std::string("bytes")
                                      : std::string("list[") + scalar_info(t.scalar).py_type + "]";
  } else if (t.kind == ir::TypeKind::Bytes && !buffer) {
    s = view ? "memoryview" : "bytes";
  } else if (t.kind == ir::TypeKind::Bytes || t.kind == ir::TypeKind::Slice) {
    s = "bytes";
  } else {
    s = type_in(t);
  }
  if (lt.null == ir::NullMeaning::Absent && !buffer) s += " | None";
  return s;
}

std::string params(const ir::Module& m, const FunctionPlan& plan, const std::string& first) {
  // The host value a registration passes as the user data of an interface is its host object.
  const ir::Interface* iface = registered_interface(m, *plan.fn);
  std::string s = first;
  for (const auto& a : plan.args) {
    if (!s.empty()) s += ", ";
    const ir::Param& p = *a.param;
    if (a.field != HostArg::Field::None) {
      s += py_ident(a.py_name) + ": " +
           (a.field == HostArg::Field::Input ? "bytes | bytearray | memoryview" : "int");
      continue;
    }
    std::string t = a.capacity ? std::string("int")
                    : p.callback ? callback_stub_type(*p.callback)
                    : iface && p.type.kind == ir::TypeKind::HostValue ? registration_type(m, *iface)
                                                                      : type_in(p.type);
    if (p.nullable) t += " | None";
    s += py_ident(a.py_name) + ": " + t;
    if (a.optional) s += " = ...";
  }
  return s;
}

std::string returns(const ir::Module& m, const FunctionPlan& plan) {
  const ir::Function& fn = *plan.fn;
  std::vector<std::string> parts;
  for (const auto& r : plan.results) {
    switch (r.kind) {
      case HostResult::Kind::Status:
        parts.push_back("int | None");
        break;
      case HostResult::Kind::Return:
        if (fn.result.kind == ir::ResultKind::Bool || fn.result.kind == ir::ResultKind::BoolOk) {
          parts.push_back("bool");
        } else if (fn.result.kind == ir::ResultKind::Count) {
          parts.push_back("int");
        } else {
          ir::Lifetime lt = fn.returns_lifetime;
          if (fn.result.kind == ir::ResultKind::NullError) lt.null = ir::NullMeaning::Error;
          parts.push_back(type_out(fn.returns, lt, false));
        }
        break;
      case HostResult::Kind::Output:
        parts.push_back(type_out(r.param->type, r.param->lifetime,
                                 r.param->role == ir::ParamRole::Buffer));
        break;
      case HostResult::Kind::Consumed:
        parts.push_back("int");
        break;
      case HostResult::Kind::Produced:
        parts.push_back("bytes");
        break;
    }
  }
  std::string s;
  if (plan.pinned_init) s = plan.fn->class_name;  // the new object
  else if (parts.empty()) s = "None";
  else if (parts.size() == 1) s = parts[0];
  else {
    s = "tuple[";
    for (size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
    s += "]";
  }
  // "no more" outcomes (the function's or its convention's) return None instead of the results.
  const ir::ErrorConvention* conv = find_convention(m, fn.result.convention);
  const bool has_eof = !fn.result.eof.empty() || (conv && !conv->eof.empty());
  if (has_eof && (fn.result.kind == ir::ResultKind::Status ||
                  fn.result.kind == ir::ResultKind::Count ||
                  fn.result.kind == ir::ResultKind::NullError) && s != "None" && !s.ends_with("| None")) s += " | None";
  return s;
}

// The docstring of a stub: the doc's first paragraph on one line (a sentence that goes on past a
// line break is not cut in the middle).
void doc_line(CodeWriter& w, const std::string& doc) {
  if (doc.empty()) return;
  std::string first;
  for (size_t at = 0; at < doc.size();) {
    size_t end = doc.find('\n', at);
    if (end == std::string::npos) end = doc.size();
    std::string line = doc.substr(at, end - at);
    line.erase(0, line.find_first_not_of(' '));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (line.empty()) break;  // the end of the first paragraph
    first += (first.empty() ? "" : " ") + line;
    at = end + 1;
  }
  std::string clean;
  for (char c : first) clean += c == '"' ? '\'' : c;
  while (!clean.empty() && (clean.back() == '\\' || clean.back() == ' ')) clean.pop_back();
  w.line("\"\"\"" + clean + "\"\"\"");
}

void function(CodeWriter& w, const ir::Module& m, const FunctionPlan& plan, const std::string& first,
              const std::string& name) {
  w.line("def " + name + "(" + params(m, plan, first) + ") -> " + returns(m, plan) + ":");
  w.indent();
  doc_line(w, plan.fn->doc);
  w.line("...");
  w.dedent();
}

// Inside a class body, a method named `bytes` or `type` hides the builtin from annotations:
// spell those builtins `builtins.bytes` in that class.
std::string qualify_shadowed(std::string text, const std::set<std::string>& members) {
  static const char* const kBuiltins[] = {"bytes", "int", "str", "float", "bool", "type",
                                          "memoryview", "list", "tuple", "object"};
  for (const char* b : kBuiltins) {
    if (!members.count(b)) continue;
    const std::regex word(std::string("\\b") + b + "\\b");
    text = std::regex_replace(text, word, std::string("builtins.") + b);
    // … except where it is the method's own name.
    text = std::regex_replace(text, std::regex(std::string("def builtins\\.") + b + "\\("),
                              std::string("def ") + b + "(");
    text = std::regex_replace(text, std::regex(std::string("builtins\\.builtins\\.")),
                              "builtins.");
  }
  return text;
}

}  // namespace

std::string emit_stub(const ir::Module& m, const ModuleLayout& layout) {
  CodeWriter w;
  w.line("# Generated by bindery from the C library '" + m.library + "'. Do not edit.");
  w.line("import builtins");
  w.line("from collections.abc import Callable, Sequence");
  w.line("import enum");
  w.line("from types import TracebackType");
  w.line(m.interfaces.empty() ? "from typing import ClassVar, Self" : "from typing import ClassVar, Protocol, Self");
  w.line();
  for (const auto& e : layout.errors) {
    w.open("class " + e + "(RuntimeError):");
    w.line("code: int");
    w.line("message: str");
    w.line("errno: int | None");
    w.dedent();
    w.line();
  }
  for (const auto& k : layout.kind_errors) {
    w.line("class " + k.name + "(" + k.base + ", " + k.builtin + "): ...");
    w.line();
  }
  for (const auto& e : m.enums) {
    w.open("class " + e.name + "(enum." + (e.flags ? "IntFlag" : "IntEnum") + "):");
    for (const auto& v : e.values) w.line(py_ident(v.name) + " = " + std::to_string(v.value));
    if (e.values.empty()) w.line("pass");
    w.dedent();
    w.line();
  }
  for (const auto& r : m.records) {
    if (!unsupported_record(m, r).empty()) continue;
    w.open("class " + r.name + ":");
    doc_line(w, r.doc);
    std::string init = "self";
    for (const auto& f : r.fields) {
      const std::string t = type_in(f.type);
      w.line(py_ident(f.name) + ": " + t);
      init += ", " + py_ident(f.name) + ": " + t;
    }
    w.line("def __init__(" + init + ") -> None: ...");
    w.line("def __copy__(self) -> Self: ...");
    w.line("def __deepcopy__(self, memo: object) -> Self: ...");
    w.line("__hash__: ClassVar[None]  # type: ignore[assignment]");
    w.dedent();
    w.line();
  }
  for (const auto& k : m.constants) {
    const char* t = k.kind == ir::Constant::Kind::Int     ? "int"
                    : k.kind == ir::Constant::Kind::Float ? "float"
                                                          : "str";
    w.line(py_ident(k.name) + ": " + t);
  }
  if (!m.constants.empty()) w.line();
  for (const auto& c : layout.classes) {
    CodeWriter cw;  // the class body, then builtins its members shadow are qualified
    CodeWriter& outer = w;
    {
    CodeWriter& w = cw;
    w.open("class " + c.handle->name + ":");
    doc_line(w, c.handle->doc);
    if (c.call) {
      w.line("def __init__(" + params(m, *c.call, "self") + ") -> None: ...");
    }
    for (const auto& s : c.statics) {
      w.line("@staticmethod");
      function(w, m, s, "", py_ident(s.py_name));
    }
    for (const auto& p : c.properties) {
      w.line("@property");
      function(w, m, p, "self", py_ident(p.py_name));
    }
    for (const auto& f : c.methods) function(w, m, f, "self", py_ident(f.py_name));
    w.line("@property");
    w.line("def closed(self) -> bool: ...");
    w.line("@property");
    w.line("def blocking_calls(self) -> int: ...");
    w.line("def close(self) -> None: ...");
    w.line("def __enter__(self) -> Self: ...");
    w.line("def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, "
           "tb: TracebackType | None) -> None: ...");
    w.dedent();
    w.line();
    }
    std::set<std::string> members;
    for (const auto* list : {&c.statics, &c.properties, &c.methods}) {
      for (const auto& f : *list) members.insert(py_ident(f.py_name));
    }
    outer.raw(qualify_shadowed(cw.str(), members));
  }
  emit_protocols(w, m);
  for (const auto& f : layout.functions) function(w, m, f, "", py_ident(f.py_name));
  return w.str();
}

}  // namespace bindery::backends::python
