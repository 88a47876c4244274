// index.d.ts: the TypeScript view of index.js, strict-mode clean (`tsc --noEmit --strict`).
#include <fmt/format.h>

#include <cctype>

#include "bindery/backends/node/emit.hpp"
#include "bindery/backends/node/names.hpp"

namespace bindery::backends::node {

namespace {

bool is64(ir::Scalar s) { return s == ir::Scalar::I64 || s == ir::Scalar::U64; }

const char* typed_array_name(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::I8: return "Int8Array";
    case ir::Scalar::I16: return "Int16Array";
    case ir::Scalar::I32: return "Int32Array";
    case ir::Scalar::I64: return "BigInt64Array";
    case ir::Scalar::U16: return "Uint16Array";
    case ir::Scalar::U32: return "Uint32Array";
    case ir::Scalar::U64: return "BigUint64Array";
    case ir::Scalar::F32: return "Float32Array";
    case ir::Scalar::F64: return "Float64Array";
    default: return "Uint8Array";
  }
}

std::string ts_type(const ir::Type& t, bool input, const ir::Lifetime* life) {
  switch (t.kind) {
    case ir::TypeKind::Void: return "void";
    case ir::TypeKind::Scalar:
      if (t.scalar == ir::Scalar::Bool) return "boolean";
      if (t.scalar == ir::Scalar::Char) return "string";
      if (is64(t.scalar)) return input ? "number | bigint" : is_exact64(t) ? "bigint" : "number";
      return "number";
    case ir::TypeKind::Str: return "string";
    case ir::TypeKind::Bytes:
      if (input) return "ArrayBufferView | ArrayBuffer";
      return life && life->own == ir::Own::Borrowed && life->until == ir::Until::Owner ? "Uint8Array" : "Buffer";
    case ir::TypeKind::Slice:
      if (!input && is_byte_slice(t))
        return life && life->own == ir::Own::Borrowed && life->until == ir::Until::Owner ? "Uint8Array" : "Buffer";
      if (!input) return typed_array_name(t.scalar);
      return std::string(typed_array_name(t.scalar)) + (is64(t.scalar) ? " | Array<number | bigint>" : " | number[]");
    case ir::TypeKind::Callback: return "(...args: any[]) => unknown";
    case ir::TypeKind::HostValue: return input ? "{}" : "unknown";  // any value in; null stays "absent"
    case ir::TypeKind::Handle:
    case ir::TypeKind::Enum:
    case ir::TypeKind::Record: return t.name;
    default: return "unknown";
  }
}

// A callback's JS function type: its parameters as the trampoline converts them (nullable ones may be null),
// its result as the trampoline reads it (a number, or true/false for a C truth value).
std::string callback_type(const ir::Callback& cb) {
  std::string args;
  for (const auto& q : cb.params) {
    if (hidden_in_callback(cb, q)) continue;
    // Bytes and slices arrive as copies: a Buffer (bytes) or a TypedArray of the element type.
    // An array of handles (`T **argv`): a plain array of objects lent for the call.
    std::string t = q.type.kind == ir::TypeKind::Slice && !q.type.name.empty() ? q.type.name + "[]"
                                                                                : ts_type(q.type, false, nullptr);
    if (q.nullable) t += " | null";  // the library may pass NULL here (`callback: {nullable: [...]}`)
    args += fmt::format("{}{}: {}", args.empty() ? "" : ", ", js_local(q.name), t);
  }
  std::string ret = "void";
  if (cb.ret && cb.ret->type.kind != ir::TypeKind::Void) {
    ret = ts_type(cb.ret->type, true, nullptr);
    if (ret != "boolean") ret += " | boolean";
  }
  return fmt::format("(({}) => {})", args, ret);
}

bool may_be_null(const ir::Type& t, const ir::Lifetime& l) {
  return (t.kind == ir::TypeKind::Str || t.kind == ir::TypeKind::Bytes || t.kind == ir::TypeKind::Slice ||
          t.kind == ir::TypeKind::Handle) &&
         l.null == ir::NullMeaning::Absent;
}

// What a registration takes: the implementing object, or (per-group objects) a function making one.
std::string implementation_type(const ir::Interface& i) {
  for (const auto& m : i.methods)
    if (!m.receiver_factory.empty()) return "() => " + i.name;
  return i.name;
}

std::string params(const ModulePlan& plan, const FnPlan& f) {
  // The object a registration passes with an interface's table is that interface's implementation.
  const ir::Interface* implemented = implemented_by(*plan.module, *f.fn);
  std::string s;
  if (f.field_buffers && !f.field_buffers->in_pointer.empty()) s += "input: ArrayBufferView | ArrayBuffer";
  if (f.field_buffers && !f.field_buffers->out_pointer.empty()) s += std::string(s.empty() ? "" : ", ") + "capacity: number";
  for (size_t i = 0; i < f.inputs.size(); i++) {
    const ir::Param& p = *f.inputs[i];
    std::string t = p.role == ir::ParamRole::Buffer                                ? "number"
                    : p.type.kind == ir::TypeKind::Callback && p.callback ? callback_type(*p.callback)
                    : p.type.kind == ir::TypeKind::HostValue && implemented ? implementation_type(*implemented)
                                                                            : ts_type(p.type, true, nullptr);
    if (p.nullable) t += " | null";
    if (i >= f.required) t += " | undefined";
    s += fmt::format("{}{}{}: {}", s.empty() ? "" : ", ", host_name(*f.fn, p), i >= f.required ? "?" : "", t);
  }
  return s;
}

std::string result_type(const ModulePlan& plan, const FnPlan& f) {
  if (f.pinned_self) return f.pinned_self->type.name;
  std::vector<std::pair<std::string, std::string>> fields;
  if (f.field_buffers) {
    fields.push_back({"status", "number"});
    if (!f.field_buffers->in_pointer.empty()) fields.push_back({"consumed", "number"});
    if (!f.field_buffers->out_pointer.empty()) fields.push_back({"output", "Buffer"});
  }
  for (const auto& r : f.results) {
    if (r.param && f.fn->returns_length.kind == ir::Length::Kind::OutParam &&
        f.fn->returns_length.value == r.param->name)
      continue;
    std::string t;
    if (!r.param && (f.fn->result.kind == ir::ResultKind::Bool || f.fn->result.kind == ir::ResultKind::BoolOk)) {
      t = "boolean";
    } else {
      if (r.param && r.param->role == ir::ParamRole::Buffer) {
        fields.push_back({r.js_name, r.param->type.kind == ir::TypeKind::Str ? "string" : "Buffer"});
        continue;
      }
      const ir::Type& ty = r.param ? r.param->type : f.fn->returns;
      const ir::Lifetime& l = r.param ? r.param->lifetime : f.fn->returns_lifetime;
      t = ts_type(ty, false, &l);
      if (may_be_null(ty, l)) t += " | null";
    }
    fields.push_back({r.js_name, t});
  }
  bool eof = false;
  if (f.fn->result.kind == ir::ResultKind::Status || f.fn->result.kind == ir::ResultKind::Count) {
    const ir::ErrorConvention* conv = plan.module->find_convention(f.fn->result.convention);
    eof = !f.fn->result.eof.empty() || (conv && !conv->eof.empty());
  }
  bool soft = false;
  if (f.fn->result.kind == ir::ResultKind::Status) {
    const ir::ErrorConvention* conv = plan.module->find_convention(f.fn->result.convention);
    soft = !f.fn->result.also_ok.empty() || (conv && !conv->soft.empty());
  }
  if (fields.empty()) {
    if (!eof && !soft) return "void";
    return std::string(soft ? "number | " : "") + (eof ? "null | " : "") + "undefined";
  }
  std::string t;
  if (fields.size() == 1) {
    t = fields[0].second;
  } else {
    t = "{ ";
    for (const auto& [k, v] : fields) t += fmt::format("{}: {}; ", k, v);
    t += "}";
  }
  return eof ? t + " | null" : t;
}

std::string doc(const std::string& text, const char* indent) {
  return text.empty() ? "" : fmt::format("{}/** {} */\n", indent, text);
}

// A function's doc comment, with `@deprecated <reason>` when the IR says so (editors strike it out).
std::string fn_doc(const ir::Function& f, const char* indent) {
  if (!f.deprecated) return doc(f.doc, indent);
  std::string tag = "@deprecated" + (f.deprecated->empty() ? std::string() : " " + *f.deprecated);
  return doc(f.doc.empty() ? tag : f.doc + "\n" + tag, indent);
}

// A parameter's name in a declaration: an unnamed C parameter ("arg0") of a handle type is named
// after its class ("database", "indexInfo"; an array of them "values"), so the interface reads as
// documentation.
std::string argument_name(const ir::Param& q) {
  bool unnamed = q.name.size() > 3 && q.name.rfind("arg", 0) == 0 &&
                 q.name.find_first_not_of("0123456789", 3) == std::string::npos;
  bool handles = q.type.kind == ir::TypeKind::Slice && !q.type.name.empty();  // an array of them: "values"
  if (!unnamed || (q.type.kind != ir::TypeKind::Handle && !handles) || q.type.name.empty()) return js_local(q.name);
  std::string n = q.type.name;
  n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
  return handles ? n + "s" : n;
}

// An interface method's JS signature: its arguments as the trampoline converts them (handles lent
// for the call, arrays of strings), its result as the trampoline reads it.
std::string method_signature(const ir::Interface& i, const ir::InterfaceMethod& m) {
  std::string args;
  for (const auto* q : host_arguments(m)) {
    std::string t = is_string_array(q->type)                                         ? "string[]"
                    : q->type.kind == ir::TypeKind::Slice && !q->type.name.empty() ? q->type.name + "[]"
                                                                                     : ts_type(q->type, false, nullptr);
    if (q->nullable) t += " | null";
    args += fmt::format("{}{}: {}", args.empty() ? "" : ", ", argument_name(*q), t);
  }
  std::string ret = "void";
  if (m.makes >= 0) {
    if (const ir::ImplementedObject* o = find_object(i, m.makes_object)) ret = o->name;
  } else if (m.result_to >= 0) {
    ret = ts_type(m.params[static_cast<size_t>(m.result_to)].type, true, nullptr);
  } else if (m.returns == ir::InterfaceMethod::Returns::Bool) {
    ret = "boolean";
  } else if (m.returns == ir::InterfaceMethod::Returns::Value && m.ret) {
    ret = ts_type(m.ret->type, true, nullptr);
  }
  return fmt::format("{}{}({}): {}", camel(m.name), m.optional ? "?" : "", args, ret);
}

// What JavaScript implements for an interface: the registered object's methods, and one interface
// per object the library asks for (returned by a `makes` method). Optional methods may be absent.
std::string interfaces(const ModulePlan& plan) {
  std::string s;
  for (const ir::Interface* i : plan.interfaces) {
    auto one = [&](const std::string& name, const std::string& text, const std::string& receiver_object) {
      s += doc(text, "");
      s += fmt::format("export interface {} {{\n", name);
      for (const auto& m : i->methods)
        if (m.receiver_object == receiver_object) s += doc(m.doc, "  ") + "  " + method_signature(*i, m) + ";\n";
      s += "}\n\n";
    };
    one(i->name, i->doc, "");
    for (const auto& o : i->objects) one(o.name, o.doc, o.c_name);
  }
  return s;
}

}  // namespace

std::string emit_dts(const ModulePlan& plan) {
  const ir::Module& m = *plan.module;
  std::string s;
  s += fmt::format("// TypeScript declarations for '{}', generated by bindery. Do not edit: regenerate.\n", m.library);
  s += "/// <reference types=\"node\" />\n\n";
  s += fmt::format("export declare class {} extends Error {{\n", plan.error_class);
  s += "  constructor(message: string, code: number, errno?: number);\n";
  s += "  code: number;\n  errno?: number;\n";
  s += "  /** Set when the code has a builtin meaning (invalid_argument and out_of_range are thrown as\n";
  s += "   *  a RangeError with `code` and `kind`, which `instanceof` this class also accepts). */\n";
  s += "  kind?: 'invalid_argument' | 'out_of_range' | 'no_memory';\n}\n\n";
  for (const auto& e : m.enums) {
    s += doc(e.doc, "");
    s += fmt::format("export declare const {}: {{\n", e.name);
    for (const auto& v : e.values) s += fmt::format("  readonly {}: {};\n", v.name, v.value);
    s += "};\n";
    s += fmt::format("export type {0} = (typeof {0})[keyof typeof {0}];\n\n", e.name);
  }
  for (const auto& r : m.records) {
    s += doc(r.doc, "");
    s += fmt::format("export interface {} {{\n", r.name);
    for (const auto& f : r.fields) s += doc(f.doc, "  ") + fmt::format("  {}: {};\n", f.name, ts_type(f.type, false, nullptr));
    s += "}\n\n";
  }
  s += interfaces(plan);
  for (const auto& c : plan.classes) {
    s += doc(c.handle->doc, "");
    s += fmt::format("export declare class {} {{\n", c.handle->name);
    if (c.constructors.size() == 1)
      s += fmt::format("  constructor({});\n", params(plan, c.constructors[0]));
    else
      s += "  private constructor();\n";
    auto member = [&](const FnPlan& f, const char* prefix) {
      std::string m = fn_doc(*f.fn, "  ") +
                      fmt::format("  {}{}({}): {};\n", prefix, f.js_name, params(plan, f), result_type(plan, f));
      if (f.has_async)
        m += fmt::format("  /** {} on the libuv pool. */\n  {}{}Async({}): Promise<{}>;\n", f.js_name, prefix,
                         f.js_name, params(plan, f), result_type(plan, f));
      return m;
    };
    for (const auto& f : c.constructors) s += member(f, "static ");
    for (const auto& f : c.statics) s += member(f, "static ");
    for (const auto& f : c.methods) s += member(f, "");
    s += "  /** Releases the object now; later calls throw. Calling close() again does nothing. */\n";
    s += "  close(): void;\n";
    s += "  [Symbol.dispose](): void;\n";
    s += "  readonly closed: boolean;\n";
    s += "}\n\n";
  }
  for (const auto& f : plan.functions) {
    s += fn_doc(*f.fn, "") + fmt::format("export declare function {}({}): {};\n", f.js_name, params(plan, f), result_type(plan, f));
    if (f.has_async)
      s += fmt::format("/** {} on the libuv pool. */\nexport declare function {}Async({}): Promise<{}>;\n", f.js_name,
                       f.js_name, params(plan, f), result_type(plan, f));
  }
  if (!m.constants.empty()) s += "\n";
  for (const auto& k : m.constants) {
    const char* t = k.kind == ir::Constant::Kind::String ? "string"
                    : (k.kind == ir::Constant::Kind::Int &&
                       (k.int_value > 9007199254740991LL || k.int_value < -9007199254740991LL))
                        ? "bigint"
                        : "number";
    s += fmt::format("export declare const {}: {};\n", k.name, t);
  }
  return s;
}

}  // namespace bindery::backends::node
