#include "bindery/infer/init.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>

#include "bindery/frontend/c_frontend.hpp"

namespace bindery::infer {

namespace {

namespace fs = std::filesystem;
using frontend::CType;
using K = frontend::CType::Kind;

// `lib_new`, `lib_open_v2`, and a short unseparated prefix: zlib's `gzopen`, `lib_fopen`.
const std::regex kCreate(R"((.*_)?[a-z]{0,3}(new|create|open|alloc|init|make)(_.*)?)");
const std::regex kDestroy(R"((.*_)?[a-z]{0,3}(free|destroy|close|release|delete|unref|dispose|finalize|finish)(_.*)?)");
// A length's name: `len`, `size`, `n`, `out_len`, `nByte`, `dataLen`. Not `nArg` or `nParam`: a
// count of something else next to a string is not its length.
const std::regex kLength(R"((.*_)?(len|length|size|n|nbytes|nbyte|count|bytes|sz)|n(Byte|Bytes|Len|Length|Size|Count)|.*(Len|Length|Size|Bytes))");
// An int-returning function named like this returns a value, not a status: a count, a size, a
// flag, a comparison, a version.
const std::regex kValueGetter(
    R"(.*_(count|changes|changes64|bytes|bytes16|size|len|length|type|id|index|number|remaining|pagecount|errcode|offset|eof|version|readonly|busy|cmp|compare|hash|get|is[a-z_]*|has[a-z_]*|[a-z]*cmp|glob|like|sleep|limit|encoding|subtype|nochange|frombind|threadsafe|autocommit|errno))");

/// The handle type a pointer names: a pointer typedef to a struct (zlib's `gzFile`), or the opaque
/// record a `T *` points to (its first name); "" when it is neither.
std::string opaque_pointee(const frontend::TranslationUnit& tu, const CType& type) {
  if (type.kind != K::Pointer || type.element->kind != K::Record) return "";
  for (const auto& name : type.names)
    for (const auto& td : tu.typedefs)
      if (td.name == name && td.underlying.kind == K::Pointer && td.underlying.element->kind == K::Record) return name;
  if (type.element->names.empty()) return "";
  const auto* record = tu.find_record(type.element->names.front());
  if (!record || record->complete) return "";
  return type.element->names.front();
}

bool is_byte_pointer(const CType& t) {
  if (t.kind != K::Pointer || !t.element->is_const) return false;
  const CType& e = *t.element;
  return e.kind == K::Void || e.kind == K::Char || (e.kind == K::Int && e.bits == 8);
}

std::string common_function_prefix(const frontend::TranslationUnit& tu) {
  if (tu.functions.empty()) return "";
  std::string prefix = tu.functions.front().name;
  for (const auto& f : tu.functions) {
    size_t i = 0;
    while (i < prefix.size() && i < f.name.size() && prefix[i] == f.name[i]) ++i;
    prefix.resize(i);
  }
  auto cut = prefix.rfind('_');
  return cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
}

/// A status-code family: a macro `<PREFIX>OK` (or `*_OK`) equal to 0.
std::string ok_macro(const frontend::TranslationUnit& tu) {
  for (const auto& m : tu.macros)
    if (m.kind == frontend::MacroConstant::Kind::Int && m.int_value == 0 &&
        (m.name == "OK" || (m.name.size() > 3 && m.name.compare(m.name.size() - 3, 3, "_OK") == 0)))
      return m.name;
  return "";
}

/// Each function's documentation, or the one its group shares: C headers often document a family
/// once, above its first function (SQLite's `sqlite3_bind_*`).
std::map<std::string, std::string> effective_docs(const frontend::TranslationUnit& tu) {
  std::map<std::string, std::string> docs;
  std::string last;
  for (const auto& f : tu.functions) {
    if (!f.doc.empty()) last = f.doc;
    docs[f.name] = f.doc.empty() ? last : f.doc;
  }
  return docs;
}

/// Whether an int-returning function reports a status: its documentation (or its group's) names
/// the OK code, or, in a library that never does, it takes arguments; and it is not named like a
/// value getter.
bool returns_status(const frontend::FunctionDecl& f, const std::string& ok, const std::string& doc, bool docs_name_ok) {
  const auto& r = f.signature.result;
  if (ok.empty() || r.kind != K::Int || r.bits != 32 || !r.is_signed || f.signature.params.empty()) return false;
  if (std::regex_match(f.name, kValueGetter)) return false;
  return docs_name_ok ? doc.find(ok) != std::string::npos : true;
}

/// The `void *` next to a callback parameter: the user data it is called with.
std::string user_data_beside(const frontend::FunctionSignature& sig, size_t i) {
  auto is_void_pointer = [&](size_t j) {
    const auto& t = sig.params[j].type;
    return t.kind == K::Pointer && t.element->kind == K::Void && !t.element->is_const && !sig.params[j].name.empty();
  };
  if (i + 1 < sig.params.size() && is_void_pointer(i + 1)) return sig.params[i + 1].name;
  if (i > 0 && is_void_pointer(i - 1)) return sig.params[i - 1].name;
  return "";
}

struct Proposal {
  std::map<std::string, std::string> handle_destroy;  ///< opaque type → destroy function
  std::vector<std::string> library_owned;  ///< opaque types no function frees, passed first to several
  std::map<std::string, std::string> constructors;    ///< function → type
  std::map<std::string, std::vector<std::string>> function_lines;  ///< function → YAML lines (params…)
  std::map<std::string, std::vector<std::string>> borrowed_text_getters;  ///< handle → functions
  std::vector<std::string> status_functions;
  std::string ok;
  std::string free_function;  ///< the library's `void xxx_free(void *)`, if it has one
  bool host_value_setters = false;  ///< some function takes a host value (then `void *` getters may return one)
};

/// The library's general-purpose free (`void lib_free(void *p)`), which output arrays are released with.
std::string free_function(const frontend::TranslationUnit& tu) {
  static const std::regex kFree(R"((.*_)?free)");
  for (const auto& f : tu.functions) {
    const auto& sig = f.signature;
    if (sig.result.kind == K::Void && sig.params.size() == 1 && sig.params[0].type.kind == K::Pointer &&
        sig.params[0].type.element->kind == K::Void && std::regex_match(f.name, kFree))
      return f.name;
  }
  return "";
}

/// `T **` where T is text, bytes or a scalar (not a handle): an output array the function allocates.
bool is_output_array(const frontend::TranslationUnit& tu, const frontend::CType& t) {
  if (t.kind != K::Pointer || t.element->kind != K::Pointer || t.element->element->kind == K::Pointer) return false;
  const auto& target = *t.element->element;
  bool scalar = target.kind == K::Void || target.kind == K::Char || target.kind == K::Int || target.kind == K::Double ||
                target.kind == K::Float;
  return scalar && opaque_pointee(tu, *t.element).empty();
}

/// A writable integer pointer named like a length (`size_t *out_len`).
bool is_count_pointer(const frontend::ParamDecl& p) {
  return p.type.kind == K::Pointer && !p.type.element->is_const && p.type.element->kind == K::Int && !p.name.empty() &&
         std::regex_match(p.name, kLength);
}

/// `void (*)(void *)`: a destroy-notify for user data.
bool is_destroy_notify(const CType& t) {
  if (t.kind != K::Pointer || t.element->kind != K::Function) return false;
  const auto& fn = *t.element->function;
  return fn.result.kind == K::Void && fn.params.size() == 1 && fn.params[0].type.kind == K::Pointer &&
         fn.params[0].type.element->kind == K::Void;
}

/// `void *value, …, void (*release)(void *)` as the last parameter, with no other function pointer:
/// the library keeps a value the caller gives it and releases it when done (SQLite's set_auxdata
/// and bind_pointer) — a host value. A callback's user data comes *after* its function pointer
/// (`set_hook(db, hook, arg)`), so that order stays a callback. Returns the value's index, or -1.
int host_value_before_release(const frontend::FunctionSignature& sig) {
  const size_t n = sig.params.size();
  if (n < 2 || !is_destroy_notify(sig.params[n - 1].type)) return -1;
  int value = -1;
  for (size_t i = 0; i + 1 < n; ++i) {
    const auto& t = sig.params[i].type;
    if (t.kind == K::Pointer && t.element->kind == K::Function) return -1;  // a real callback is here
    if (t.kind == K::Pointer && t.element->kind == K::Void && !t.element->is_const) value = static_cast<int>(i);
  }
  return value;
}

/// A parameter's key in a proposal: its name, or `$N` when the header leaves it unnamed.
std::string param_key(const frontend::FunctionSignature& sig, size_t i) {
  return sig.params[i].name.empty() ? fmt::format("${}", i) : sig.params[i].name;
}

/// Callback parameters with their user data, and a destroy-notify after the user data when there
/// is one (then the scope is `notified`). Otherwise `forever` is the guess that can never free a
/// host function the library still calls (at worst it keeps it); `call` when it is used only
/// during the call.
void propose_callbacks(const frontend::FunctionDecl& f, Proposal& p) {
  const auto& sig = f.signature;
  if (int value = host_value_before_release(sig); value >= 0) {
    p.function_lines[f.name].push_back(fmt::format(
        "{}: {{host_value: true, release: {}}}  # review: the library keeps it and calls '{}' when done; a type-string "
        "parameter beside it is host_tag: true",
        param_key(sig, static_cast<size_t>(value)), param_key(sig, sig.params.size() - 1), param_key(sig, sig.params.size() - 1)));
    p.host_value_setters = true;
    return;
  }
  std::vector<std::string> used;  // user data and destroy-notify already given to a callback
  auto is_used = [&](const std::string& name) { return std::find(used.begin(), used.end(), name) != used.end(); };
  for (size_t i = 0; i < sig.params.size(); ++i) {
    const auto& param = sig.params[i];
    if (param.type.kind != K::Pointer || param.type.element->kind != K::Function || param.name.empty() || is_used(param.name))
      continue;
    std::string user_data = user_data_beside(sig, i);
    if (is_used(user_data)) user_data.clear();
    std::string destroy;
    for (size_t j = i + 1; j < sig.params.size() && !user_data.empty(); ++j)
      if (is_destroy_notify(sig.params[j].type) && !sig.params[j].name.empty()) destroy = sig.params[j].name;
    if (user_data.empty()) {
      p.function_lines[f.name].push_back(fmt::format(
          "{}: {{callback: {{scope: call}}}}  # review: without user data only a call-scope callback can be bound", param.name));
      continue;
    }
    used.push_back(user_data);
    if (!destroy.empty()) {
      used.push_back(destroy);
      p.function_lines[f.name].push_back(fmt::format(
          "{}: {{callback: {{scope: notified, user_data: {}, destroy: {}}}, nullable: true}}  # review: '{}' releases the user data",
          param.name, user_data, destroy, destroy));
      continue;
    }
    p.function_lines[f.name].push_back(fmt::format(
        "{}: {{callback: {{scope: forever, user_data: {}}}, nullable: true}}  # review: scope call if used only "
        "during the call, owner if kept until replaced",
        param.name, user_data));
  }
}

Proposal propose(const frontend::TranslationUnit& tu) {
  Proposal p;
  p.ok = ok_macro(tu);
  p.free_function = free_function(tu);
  std::map<std::string, std::string> docs = effective_docs(tu);
  bool docs_name_ok = !p.ok.empty() && std::any_of(docs.begin(), docs.end(), [&](const auto& d) {
    return d.second.find(p.ok) != std::string::npos;
  });
  for (const auto& f : tu.functions) {
    const auto& sig = f.signature;
    // create/destroy pairs
    if (sig.params.size() == 1 && std::regex_match(f.name, kDestroy)) {
      std::string type = opaque_pointee(tu, sig.params[0].type);
      if (!type.empty() && !p.handle_destroy.count(type)) p.handle_destroy[type] = f.name;
    }
  }
  // An opaque type that functions take first but none frees belongs to the library (SQLite's
  // sqlite3_context, which exists only during a callback).
  std::map<std::string, int> first_uses;
  for (const auto& f : tu.functions)
    if (!f.signature.params.empty())
      if (std::string type = opaque_pointee(tu, f.signature.params[0].type); !type.empty() && !p.handle_destroy.count(type))
        ++first_uses[type];
  for (const auto& [type, uses] : first_uses)
    if (uses >= 2) p.library_owned.push_back(type);
  for (const auto& f : tu.functions) {
    const auto& sig = f.signature;
    std::string returned = opaque_pointee(tu, sig.result);
    if (!returned.empty() && p.handle_destroy.count(returned) && std::regex_match(f.name, kCreate))
      p.constructors[f.name] = returned;
    for (size_t i = 0; i < sig.params.size(); ++i) {
      const auto& param = sig.params[i];
      // out-parameter handles: `T **out` — a create function's is its constructor's result;
      // any other function's is still an output, most often a new object (SQLite's prepare)
      if (param.type.kind == K::Pointer && param.type.element->kind == K::Pointer) {
        std::string inner = opaque_pointee(tu, *param.type.element);
        if (!inner.empty() && p.handle_destroy.count(inner) && std::regex_match(f.name, kCreate))
          p.constructors[f.name] = inner;
        else if (!inner.empty() && p.handle_destroy.count(inner) && !param.name.empty())
          p.function_lines[f.name].push_back(fmt::format(
              "{}: {{dir: out, own: full}}  # review: a new {} the caller destroys (or own: borrow, from: P)", param.name, inner));
      }

      // an output array or text and its count: `T **out, size_t *out_len`
      bool is_output_count = i > 0 && is_output_array(tu, sig.params[i - 1].type) && is_count_pointer(param);
      if (is_output_array(tu, param.type) && i + 1 < sig.params.size() && is_count_pointer(sig.params[i + 1]) &&
          !param.name.empty() && !p.free_function.empty())
        p.function_lines[f.name].push_back(fmt::format(
            "{}: {{dir: out, own: full, free: {}, length: {{out: {}}}}}  # review: is it freed by {}? ('{}' receives its length)",
            param.name, p.free_function, sig.params[i + 1].name, p.free_function, sig.params[i + 1].name));
      // out-parameters: a writable pointer to one scalar is written by the function
      if (!is_output_count && param.type.kind == K::Pointer && !param.type.element->is_const && !param.name.empty() &&
          (param.type.element->kind == K::Int || param.type.element->kind == K::Double ||
           param.type.element->kind == K::Float || param.type.element->kind == K::Bool))
        p.function_lines[f.name].push_back(fmt::format(
            "{}: {{dir: out}}  # review: written by the function (or size:/capacity: if it is an array)", param.name));
      // pointer + length pairs
      if (is_byte_pointer(param.type) && i + 1 < sig.params.size()) {
        const auto& next = sig.params[i + 1];
        if (next.type.kind == K::Int && !next.name.empty() && std::regex_match(next.name, kLength) && !param.name.empty())
          p.function_lines[f.name].push_back(fmt::format(
              "{}: {{size: {}{}}}  # review: '{}' is the length of '{}'", param.name, next.name,
              param.type.element->kind == K::Char && param.type.element->is_plain_char ? "" : ", string: bytes",
              next.name, param.name));
      }
    }
    propose_callbacks(f, p);
    // status-code returns
    if (returns_status(f, p.ok, docs[f.name], docs_name_ok)) p.status_functions.push_back(f.name);
    // a handle returned by a function that is not its constructor: borrowed from the first argument
    if (std::string returned_handle = opaque_pointee(tu, sig.result);
        !returned_handle.empty() && p.handle_destroy.count(returned_handle) && !p.constructors.count(f.name) &&
        !std::regex_match(f.name, kCreate) && !sig.params.empty() && !opaque_pointee(tu, sig.params[0].type).empty())
      p.function_lines[f.name + "#returns"].push_back(fmt::format(
          "returns: {{own: borrow, from: $0, nullable: absent}}  # review: a {} owned by the first argument (or own: full)",
          returned_handle));
    // borrowed text from a handle
    if (sig.result.kind == K::Pointer && sig.result.element->kind == K::Char && sig.result.element->is_const) {
      std::string self = sig.params.empty() ? "" : opaque_pointee(tu, sig.params[0].type);
      if (!self.empty() && p.handle_destroy.count(self)) p.borrowed_text_getters[self].push_back(f.name);
      else p.function_lines[f.name + "#returns"].push_back("returns: {own: static}  # review: or own: full + free, or a borrow");
    }
  }
  // Once the library keeps host values, a function returning a plain `void *` (not an allocator)
  // most likely hands one back: a guess, marked for review.
  static const std::regex kAllocator(R"(.*(alloc|realloc|malloc|dup|copy|new|create).*)");
  if (p.host_value_setters)
    for (const auto& f : tu.functions) {
      const auto& r = f.signature.result;
      // A function that also takes a callback returns the previous user data (SQLite's hooks).
      bool takes_callback = std::any_of(f.signature.params.begin(), f.signature.params.end(), [](const auto& param) {
        return param.type.kind == K::Pointer && param.type.element->kind == K::Function;
      });
      if (r.kind == K::Pointer && r.element->kind == K::Void && !r.element->is_const && !takes_callback &&
          !std::regex_match(f.name, kAllocator))
        p.function_lines[f.name + "#returns"].push_back(
            "returns: {host_value: true}  # review: only if it hands back what a host_value parameter stored");
    }
  return p;
}

}  // namespace

std::string propose_config(const frontend::TranslationUnit& tu, const std::vector<std::string>& header_paths,
                           const std::vector<std::string>& include_dirs, const std::string& library) {
  Proposal p = propose(tu);
  std::string out;
  out += "# Written by `bindery init`. Every guess is marked `review:`; check it against the library's\n";
  out += "# documentation, then run `bindery check` (docs/bindery-yaml.md lists every key).\n";
  out += "bindery: 1\n";
  out += fmt::format("library: {}\n", library);
  out += fmt::format("headers: [{}]\n", fmt::join(header_paths, ", "));
  if (!include_dirs.empty()) out += fmt::format("include_dirs: [{}]\n", fmt::join(include_dirs, ", "));
  std::string prefix = common_function_prefix(tu);
  if (!prefix.empty()) out += fmt::format("prefix_strip: {}\n", prefix);

  auto key = [](const std::string& type) { return type.find(' ') == std::string::npos ? type : "\"" + type + "\""; };
  if (!p.handle_destroy.empty() || !p.library_owned.empty()) {
    out += "\ntypes:\n";
    for (const auto& [type, destroy] : p.handle_destroy)
      out += fmt::format("  {}: {{kind: handle, destroy: {}}}  # review: '{}' frees it (create/destroy pair)\n", key(type),
                         destroy, destroy);
    for (const auto& type : p.library_owned)
      out += fmt::format("  {}: {{kind: opaque_borrowed}}  # review: no function frees it: the library owns it (or add destroy:)\n",
                         key(type));
  }
  if (!p.status_functions.empty()) {
    out += "\nresults:\n";
    out += fmt::format("  status: {{type: int, ok: [{}]}}  # review: add message: to read the library's error text\n", p.ok);
  }

  std::vector<std::string> rules;
  if (p.status_functions.size() >= 2)
    rules.push_back(fmt::format("  - match: \"{{{}}}\"\n    result: status  # review: these return a status code\n",
                                fmt::join(p.status_functions, ",")));
  for (const auto& [handle, getters] : p.borrowed_text_getters)
    rules.push_back(fmt::format("  - match: \"{{{}}}\"\n    returns: {{own: borrow, from: $0, nullable: absent}}"
                                "  # review: text owned by the {} (or own: static)\n",
                                fmt::join(getters, ","), handle));
  if (!rules.empty()) {
    out += "\nrules:\n";
    for (const auto& r : rules) out += r;
  }

  std::map<std::string, std::vector<std::string>> functions;
  for (const auto& [fn, type] : p.constructors)
    functions[fn].push_back(fmt::format("role: constructor  # review: creates a {}", type));
  if (p.status_functions.size() == 1)
    functions[p.status_functions.front()].push_back("result: status  # review: returns a status code");
  if (!p.free_function.empty())
    functions[p.free_function].push_back(
        "skip: \"releases what the library allocates: bindings call it (free:)\"  # review");
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [key, lines] : p.function_lines) {
    auto hash = key.find('#');
    if (hash == std::string::npos) params[key] = lines;
    else
      for (const auto& l : lines) functions[key.substr(0, hash)].push_back(l);
  }
  for (const auto& [fn, lines] : params) functions[fn];
  if (!functions.empty()) {
    out += "\nfunctions:\n";
    for (const auto& [fn, lines] : functions) {
      out += fmt::format("  {}:\n", fn);
      for (const auto& l : lines) out += fmt::format("    {}\n", l);
      if (auto it = params.find(fn); it != params.end()) {
        out += "    params:\n";
        for (const auto& l : it->second) out += fmt::format("      {}\n", l);
      }
    }
  }
  return out;
}

std::string write_starting_config(const std::vector<std::string>& headers, const std::vector<std::string>& include_dirs,
                                  const std::string& library, const fs::path& output, Diagnostics& diags) {
  frontend::ParseOptions options;
  for (const auto& h : headers) options.headers.push_back(fs::absolute(h).lexically_normal().string());
  for (const auto& d : include_dirs) options.include_dirs.push_back(fs::absolute(d).lexically_normal().string());
  options.annotate_include_dir = fs::path(BINDERY_SOURCE_DIR) / "include";
  frontend::TranslationUnit tu = frontend::parse_c_headers(options, diags);
  fs::path base = fs::absolute(output).parent_path();
  auto relative = [&](const std::string& path) {
    fs::path rel = fs::path(path).lexically_relative(base);
    return rel.empty() || rel.native().rfind("..", 0) == 0 ? path : rel.string();
  };
  std::vector<std::string> header_paths, dirs;
  for (const auto& h : options.headers) header_paths.push_back(relative(h));
  for (const auto& d : options.include_dirs) dirs.push_back(relative(d));
  std::string name = library.empty() ? fs::path(headers.front()).stem().string() : library;
  return propose_config(tu, header_paths, dirs, name);
}

}  // namespace bindery::infer
