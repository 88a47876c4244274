// RBS signatures for the generated module (sig/<library>.rbs), checked by `rbs validate` in tests.
#include <algorithm>
#include <set>

#include "bindery/backends/ruby/callbacks.hpp"
#include "bindery/backends/ruby/convert.hpp"
#include "bindery/backends/ruby/emit.hpp"
#include "bindery/backends/ruby/interfaces.hpp"

namespace bindery::backends::ruby {

namespace {

std::string rbs_param_name(const std::string& name) {
  static const std::set<std::string> reserved = {
      "alias", "attr_accessor", "attr_reader", "attr_writer", "bool", "bot", "class", "def", "end", "extend",
      "false", "in", "include", "instance", "interface", "module", "nil", "out", "prepend", "private",
      "public", "self", "singleton", "super", "top", "true", "type", "unchecked", "untyped", "use", "void"};
  std::string n = c_ident(name);
  if (!n.empty() && std::isupper(static_cast<unsigned char>(n[0]))) n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0])) || reserved.count(n)) n = "_" + n;
  return n;
}

// "(Integer, String)": the arguments a callback's callable receives (its user data hidden).
std::string callback_args(const Context& ctx, const ir::Callback& cb) {
  std::string out;
  for (const ir::Param& a : cb.params) {
    if (a.role == ir::ParamRole::UserData) continue;
    if (a.role == ir::ParamRole::Length && !a.length_of.empty()) continue;  // read with its buffer
    // A nullable argument (the library may pass NULL) reaches the callable as nil.
    const std::string t = is_handle_array(ctx, a) ? "Array[" + ctx.ruby_module + "::" + ctx.ruby_class(a.type.name) + "?]"
                                                  : rbs_type(ctx, a.type);
    out += (out.empty() ? "" : ", ") + t + (a.nullable ? "?" : "");
  }
  return "(" + out + ")";
}

// `skip`: a parameter left out (the one a block stands for).
std::string params_sig(const Context& ctx, const ir::Function& fn, const ir::Param* skip = nullptr) {
  std::string out;
  const ir::Interface* iface = registered_interface(ctx, fn);  // once: it scans every interface
  for (const ir::Param* p : host_params(fn)) {
    if (p == skip) continue;
    std::string t = rbs_type(ctx, p->type);
    if (iface && p->type.kind == ir::TypeKind::HostValue) {
      const bool per_group = std::any_of(iface->methods.begin(), iface->methods.end(),
                                         [](const ir::InterfaceMethod& m) { return !m.receiver_slot.empty(); });
      // The object implementing it, or (one object per group) what makes them: #call or a Class's #new.
      t = per_group ? "(^() -> _" + constant_name(iface->name) + ") | Class" : "_" + constant_name(iface->name);
    }
    if (p->callback) t = "^" + callback_args(ctx, *p->callback) + " -> untyped";
    if (p->type.kind == ir::TypeKind::Enum) t = "Integer | Symbol";
    if (p->type.kind == ir::TypeKind::Enum || p->nullable) t = "(" + t + ")";
    if (p->nullable) t += "?";
    out += (out.empty() ? "" : ", ") + std::string(p->default_value.empty() ? "" : "?") + t + " " + rbs_param_name(p->name);
  }
  return "(" + out + ")";
}

// Mirrors FunctionEmitter::emit_return: what the method gives back.
std::string return_sig(const Context& ctx, const ir::Function& fn) {
  std::vector<std::string> values;
  const auto kind = fn.result.kind;
  bool returns = kind != ir::ResultKind::Void && fn.returns.kind != ir::TypeKind::Void;
  const ir::ErrorConvention* conv = ctx.module.find_convention(fn.result.convention);
  bool buffer_takes_count = std::any_of(fn.params.begin(), fn.params.end(), [](const ir::Param& p) {
    return p.role == ir::ParamRole::Buffer && p.written.kind == ir::Written::Kind::Return;
  });
  auto nullable = [](const ir::Type& t, const ir::Lifetime& lt, std::string s) {
    bool ptr = t.kind == ir::TypeKind::Str || t.kind == ir::TypeKind::Bytes || t.kind == ir::TypeKind::Handle ||
               t.kind == ir::TypeKind::Slice;
    return ptr && lt.null == ir::NullMeaning::Absent ? s + "?" : s;
  };
  if (field_buffers_self(fn)) {
    values.push_back("String");  // what the calls produced (emit_function.cpp's field-buffer loop)
  } else if (constructed_self(fn)) {
    values.push_back(ctx.ruby_module + "::" + ctx.ruby_class(fn.class_name));
  } else if (kind == ir::ResultKind::Bool || kind == ir::ResultKind::BoolOk) {
    values.push_back("bool");
  } else if (kind == ir::ResultKind::Status) {
    bool outputs = std::any_of(fn.params.begin(), fn.params.end(), [&](const ir::Param& p) {
      auto hidden = hidden_outputs(fn);
      bool is_hidden = std::find(hidden.begin(), hidden.end(), p.name) != hidden.end();
      return (p.role == ir::ParamRole::Output && !is_hidden) || p.role == ir::ParamRole::Buffer;
    });
    if (returns && !outputs && (!fn.result.also_ok.empty() || (conv && !conv->soft.empty()))) values.push_back("Integer?");
  } else if ((kind == ir::ResultKind::Value || kind == ir::ResultKind::NullError ||
              kind == ir::ResultKind::Count) && !buffer_takes_count && returns) {
    values.push_back(nullable(fn.returns, fn.returns_lifetime, rbs_type(ctx, fn.returns)));
  }
  auto hidden = hidden_outputs(fn);
  for (const ir::Param& p : fn.params) {
    bool is_hidden = std::find(hidden.begin(), hidden.end(), p.name) != hidden.end();
    if (p.role == ir::ParamRole::Output && !is_hidden) {
      // A byte slice comes back as a binary String (values.cpp).
      bool bytes = p.type.kind == ir::TypeKind::Slice && (p.type.scalar == ir::Scalar::U8 || p.type.scalar == ir::Scalar::I8);
      values.push_back(nullable(p.type, p.lifetime, bytes ? "String" : rbs_type(ctx, p.type)));
    }
    if (p.role == ir::ParamRole::Buffer) values.push_back("String");
  }
  bool eof = !fn.result.eof.empty() || (conv && !conv->eof.empty());
  std::string out;
  if (values.empty()) {
    out = eof ? "bool" : "nil";
  } else if (values.size() == 1) {
    out = values[0];
  } else {
    for (const auto& v : values) out += (out.empty() ? "[" : ", ") + v;
    out += "]";
  }
  if (eof && !values.empty() && out.back() != '?') out = (values.size() == 1 && out.find('|') == std::string::npos ? out : "(" + out + ")") + "?";
  return out;
}

// The RBS interface types of a supported interface: one for the registered object (`_Source`) and
// one per object the binding allocates (`_Table`, `_Cursor`), each listing the methods called on it.
// RBS cannot mark a method optional: an optional one is written as a comment.
void emit_interface_types(const Context& ctx, const ir::Interface& iface, Code& code) {
  auto type_of = [&](const std::string& object_c_name) {
    for (const ir::ImplementedObject& o : iface.objects) {
      if (o.c_name == object_c_name) return "_" + constant_name(o.name);
    }
    return "_" + constant_name(iface.name);
  };
  std::vector<std::pair<std::string, std::string>> receivers = {{"", type_of("")}};
  for (const ir::ImplementedObject& o : iface.objects) receivers.push_back({o.c_name, type_of(o.c_name)});
  for (const auto& [c_name, type] : receivers) {
    code.open("interface " + type);
    for (const ir::InterfaceMethod& m : iface.methods) {
      if (m.receiver_object != c_name) continue;
      std::string args;
      for (const ir::Param& p : m.params) {
        if (p.index == m.receiver || p.index == m.makes || p.index == m.result_to || p.index == m.error_out) continue;
        if (p.role != ir::ParamRole::Input) continue;
        // Arrays of handles are lent objects, as for callbacks (callback_args).
        const std::string t = is_handle_array(ctx, p) ? "Array[" + ctx.ruby_module + "::" + ctx.ruby_class(p.type.name) + "?]"
                                                      : rbs_type(ctx, p.type);
        args += (args.empty() ? "" : ", ") + t + (p.nullable ? "?" : "") + " " + rbs_param_name(p.name);
      }
      std::string ret = "void";
      if (m.makes >= 0) {
        ret = type_of(m.makes_object);
      } else if (m.result_to >= 0) {
        for (const ir::Param& p : m.params) {
          if (p.index == m.result_to) ret = rbs_type(ctx, p.type);
        }
      } else if (m.returns == ir::InterfaceMethod::Returns::Bool) {
        ret = "boolish";
      } else if (m.returns == ir::InterfaceMethod::Returns::Value && m.ret) {
        ret = rbs_type(ctx, m.ret->type);
      }
      const std::string def = "def " + m.name + ": (" + args + ") -> " + ret;
      code.line(m.optional ? "# optional: " + def : def);
    }
    code.close("end");
  }
}

}  // namespace

std::string emit_rbs(const Context& ctx, const std::vector<const ir::Function*>& bound) {
  Code code;
  code.line("# Generated by bindery from " + ctx.module.library + ": do not edit.");
  code.open("module " + ctx.ruby_module);
  code.open("class Error < StandardError");
  code.line("attr_reader code: Integer?");
  code.line("attr_reader errno: Integer?");
  code.line("attr_reader function: String");
  code.close("end");
  for (const char* builtin : {"ArgumentError", "IndexError", "NoMemoryError"}) {
    code.open("class " + std::string(builtin) + " < ::" + builtin);  // error kinds (bindery_ruby.h)
    code.line("attr_reader code: Integer?");
    code.line("attr_reader errno: Integer?");
    code.line("attr_reader function: String");
    code.close("end");
  }
  code.line("class ClosedError < IOError");
  code.line("end");
  code.line("class BusyError < IOError");
  code.line("end");
  if (offers_views(bound)) {
    code.open("class View");  // bindery_rb_define_view_class (bindery_ruby.h)
    code.line("def size: () -> Integer");
    code.line("def get_string: (?Integer offset, ?Integer? length) -> String");
    code.line("def getbyte: (Integer offset) -> Integer?");
    code.line("def slice: (Integer offset, Integer length) -> View");
    code.line("def closed?: () -> bool");
    code.line("def readonly?: () -> bool");
    code.close("end");
  }
  for (const ir::Interface& iface : ctx.module.interfaces) {
    std::string why;
    if (interface_supported(ctx, iface, why)) emit_interface_types(ctx, iface, code);
  }
  for (const ir::Constant& c : ctx.module.constants) {
    const char* t = c.kind == ir::Constant::Kind::Int ? "Integer" : c.kind == ir::Constant::Kind::Float ? "Float" : "String";
    code.line(constant_name(c.name) + ": " + t);
  }
  for (const ir::Enum& e : ctx.module.enums) {
    code.open("module " + ctx.ruby_class(e.name));
    for (const ir::EnumValue& v : e.values) code.line(constant_name(v.name) + ": Integer");
    code.line("def self.to_h: () -> Hash[Symbol, Integer]");
    code.close("end");
  }
  for (const ir::Record& r : ctx.module.records) {
    code.open("class " + ctx.ruby_class(r.name) + " < Struct[untyped]");
    std::string init;
    for (const ir::Field& f : r.fields) {
      std::string t = rbs_type(ctx, f.type);
      code.line("attr_accessor " + rbs_param_name(f.name) + ": " + t);
      init += (init.empty() ? "" : ", ") + t + " " + rbs_param_name(f.name);
    }
    code.line("def initialize: (" + init + ") -> void");
    code.close("end");
  }
  for (const ir::Handle& h : ctx.module.handles) {
    const std::string cls = ctx.ruby_class(h.name);
    code.open("class " + cls);
    for (const ir::Function* fn : bound) {
      if (fn->class_name != h.name || fn->role == ir::FunctionRole::Destructor) continue;
      bool singleton = fn->role == ir::FunctionRole::Constructor || fn->role == ir::FunctionRole::Static;
      std::string sig = params_sig(ctx, *fn);
      std::string def = "def " + std::string(singleton ? "self." : "") + method_name(*fn) + ": " + sig + " -> " + return_sig(ctx, *fn);
      code.line(def);
      if (offers_view(*fn)) {
        const std::string ret = return_sig(ctx, *fn);
        code.line("def " + method_name(*fn) + "_view: " + sig + " -> View" + (ret.back() == '?' ? "?" : ""));
      }
      if (const ir::Param* b = block_param(*fn, host_params(*fn))) {
        code.line("    | " + params_sig(ctx, *fn, b) + " { " + callback_args(ctx, *b->callback) + " -> untyped } -> " +
                  return_sig(ctx, *fn));
      }
      if (constructed_handle(*fn)) {
        code.line("    | [T] " + sig + " { (" + cls + ") -> T } -> T");  // the block form closes at the end
      }
    }
    code.line("def close: () -> nil");
    code.line("def closed?: () -> bool");
    code.line("def busy?: () -> bool");
    code.close("end");
  }
  for (const ir::Function* fn : bound) {
    if (fn->role != ir::FunctionRole::Free) continue;
    code.line("def self?." + method_name(*fn) + ": " + params_sig(ctx, *fn) + " -> " + return_sig(ctx, *fn));
    if (const ir::Param* b = block_param(*fn, host_params(*fn))) {
      code.line("          | " + params_sig(ctx, *fn, b) + " { " + callback_args(ctx, *b->callback) + " -> untyped } -> " +
                return_sig(ctx, *fn));
    }
  }
  code.close("end");
  return code.str();
}

}  // namespace bindery::backends::ruby
