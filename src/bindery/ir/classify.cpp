#include "bindery/ir/classify.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "bindery/ir/scalars.hpp"
#include "bindery/support/naming.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::ir {

namespace {

using frontend::CType;
using K = frontend::CType::Kind;

bool is_value_kind(K k) { return k == K::Bool || k == K::Char || k == K::Int || k == K::Float || k == K::Double; }

/// What `string: utf16` may point at: untyped memory or 16-bit code units (uint16_t, char16_t).
bool is_utf16_unit(const frontend::CType& t) { return t.kind == K::Void || (t.kind == K::Int && t.bits == 16); }

/// `string:` values: the text encodings, or raw bytes.
bool known_string_kind(const std::string& s) { return s.empty() || s == "utf8" || s == "utf16" || s == "locale" || s == "bytes"; }

/// Stops lowering one function: it is not bound, for `reason`.
struct NotBound {
  Unbound::Kind kind;
  std::string reason;
  std::string suggestion;
  SourceLocation location;
};

}  // namespace

bool names_record(const CType& type, const frontend::RecordDecl& record) {
  return std::any_of(record.names.begin(), record.names.end(), [&](const std::string& n) {
    return std::find(type.names.begin(), type.names.end(), n) != type.names.end();
  });
}

bool counts_elements(const Type& t) {
  return t.kind == TypeKind::Scalar && t.scalar != Scalar::Bool && t.scalar != Scalar::Char && t.scalar != Scalar::F32 &&
         t.scalar != Scalar::F64;
}

void tie_length(Param& buffer, Param& count) {
  buffer.size = count.name;
  count.role = ParamRole::Length;
  count.length_of = buffer.name;
}

void classify_lent_argument(const LoweringContext& ctx, const CType& t, const std::string& function, Param& p) {
  if (auto handle = t.kind == K::Pointer ? ctx.handle_of_pointer(t, function) : std::nullopt) {
    p.type = {TypeKind::Handle, Scalar::I32, *handle, t.spelling, ""};
    p.lifetime.own = Own::Borrowed;
  } else if (t.kind == K::Pointer && t.element && t.element->kind == K::Char && t.element->is_plain_char && t.element->is_const) {
    p.type = {TypeKind::Str, Scalar::Char, "", t.spelling, "utf8"};
    p.lifetime.own = Own::Borrowed;
  } else {
    p.type = value_type(ctx, t);
  }
}

Type buffer_argument_type(const LoweringContext& ctx, const CType& t, const config::CallbackArgSpec& spec,
                          const std::string& function, BufferArgumentProblem& problem) {
  auto fail = [&](BufferArgumentProblem::Kind kind, std::string message) {
    if (problem.kind == BufferArgumentProblem::Kind::None) problem = {kind, std::move(message)};
    return value_type(ctx, t);
  };
  if (t.kind != K::Pointer || !t.element)
    return fail(BufferArgumentProblem::Kind::Error,
                fmt::format("callback argument '{}' of type '{}' is not a pointer: it cannot be a buffer", spec.arg, t.spelling));
  const CType& elem = *t.element;
  const std::string& string = spec.string;
  if (elem.kind == K::Pointer && elem.element) {
    // An array the library lends for the call, with a length: of handles (`sqlite3_value **argv`)
    // or of NUL-terminated strings (`const char *const *argv`).
    if (auto handle = ctx.handle_of_pointer(elem, function); handle && string.empty() && !spec.length.empty())
      return {TypeKind::Slice, Scalar::U8, *handle, t.spelling, ""};
    if (elem.element->kind == K::Char && elem.element->is_plain_char && !spec.length.empty() && (string.empty() || string == "utf8"))
      return {TypeKind::Slice, Scalar::Char, "", t.spelling, "utf8"};
    return fail(BufferArgumentProblem::Kind::NoMapping,
                fmt::format("callback argument '{}' of type '{}': only an array of handles or of strings with a length is supported",
                            spec.arg, t.spelling));
  }
  if (!string.empty() && string != "utf8" && string != "utf16" && string != "bytes")
    fail(BufferArgumentProblem::Kind::Error, fmt::format("unknown string '{}' for callback argument '{}'", string, spec.arg));
  bool byte_sized = elem.kind == K::Void || elem.kind == K::Char || (elem.kind == K::Int && elem.bits == 8);
  if (string == "utf16") {
    if (!is_utf16_unit(elem))
      fail(BufferArgumentProblem::Kind::Error,
           fmt::format("callback argument '{}' is '{}': string: utf16 needs a 'const void *' or 16-bit units", spec.arg, t.spelling));
    return {TypeKind::Str, Scalar::U16, "", t.spelling, "utf16"};
  }
  if (string == "utf8" || (string.empty() && elem.kind == K::Char && elem.is_plain_char)) {
    if (!byte_sized)
      fail(BufferArgumentProblem::Kind::Error,
           fmt::format("callback argument '{}' is '{}': UTF-8 text needs 8-bit units", spec.arg, t.spelling));
    return {TypeKind::Str, Scalar::Char, "", t.spelling, "utf8"};
  }
  if (byte_sized) return {TypeKind::Bytes, Scalar::U8, "", t.spelling, ""};
  if (string.empty() && is_value_kind(elem.kind)) return {TypeKind::Slice, value_type(ctx, elem).scalar, "", t.spelling, ""};
  return fail(BufferArgumentProblem::Kind::NoMapping,
              fmt::format("callback argument '{}' of type '{}' has no buffer mapping", spec.arg, t.spelling));
}

namespace {

class FunctionLowering {
 public:
  FunctionLowering(LoweringContext& ctx, const frontend::FunctionDecl& decl, const config::FunctionSpec& spec,
                   const std::vector<std::string>& names)
      : ctx_(ctx), decl_(decl), spec_(spec), names_(names) {
    specs_.resize(decl.signature.params.size());
    for (const auto& [key, p] : spec.params) specs_[static_cast<size_t>(std::stoi(key.substr(1)))] = p;
  }

  void run() {
    fn_.c_name = decl_.name;
    fn_.location = ctx_.relative(decl_.location);
    fn_.doc = spec_.doc ? *spec_.doc : decl_.doc;
    fn_.nodiscard = decl_.attributes.warn_unused_result;
    fn_.blocking = spec_.blocking.value.value_or(false);
    fn_.same_thread = spec_.same_thread.value.value_or(false);
    if (fn_.same_thread && !fn_.blocking)
      error(spec_.same_thread.where, fmt::format("'{}' says same_thread but is not blocking", decl_.name),
                "same_thread only restricts where a blocking: true function may run");
    if (spec_.deprecated) fn_.deprecated = *spec_.deprecated;
    else if (decl_.attributes.deprecated) fn_.deprecated = *decl_.attributes.deprecated;
    fn_.invalidates = spec_.invalidates.value.value_or(std::vector<std::string>{});
    try {
      if (spec_.skip) throw NotBound{Unbound::Kind::Skipped, *spec_.skip, "", fn_.location};
      if (decl_.signature.variadic)
        throw NotBound{Unbound::Kind::Skipped, "variadic: hosts cannot pass a typed argument list safely", "", fn_.location};
      if (takes_va_list())
        throw NotBound{Unbound::Kind::Skipped, "takes a va_list: hosts cannot build one", "", fn_.location};
      import_attributes();
      decide_role();
      for (size_t i = 0; i < specs_.size(); ++i) init_param(i);
      mark_hidden_params();
      for (size_t i = 0; i < specs_.size(); ++i)
        if (!hidden_[i]) classify_param(i);
      classify_result();
      check_references();
      name_function();
      ctx_.module.functions.push_back(std::move(fn_));
    } catch (const NotBound& nb) {
      ctx_.module.unbound.push_back({decl_.name, nb.kind, nb.reason, nb.suggestion, nb.location,
                                     decl_.signature.variadic || takes_va_list(), fn_.deprecated.has_value()});
    }
  }

 private:
  bool takes_va_list() const {
    return std::any_of(decl_.signature.params.begin(), decl_.signature.params.end(),
                       [](const auto& p) { return p.type.spelling.find("va_list") != std::string::npos; });
  }

 public:

 private:
  // ---- imported attributes: defaults the annotations may override ----------------------------
  void import_attributes() {
    const auto& attrs = decl_.attributes;
    for (size_t i = 0; i < specs_.size(); ++i) {
      auto& s = specs_[i];
      const auto& type = decl_.signature.params[i].type;
      bool nonnull = attrs.nonnull_all ||
                     std::find(attrs.nonnull.begin(), attrs.nonnull.end(), static_cast<int>(i + 1)) != attrs.nonnull.end() ||
                     type.nullability == CType::Nullability::NonNull;
      if (!s.nullable) {
        if (type.nullability == CType::Nullability::Nullable) s.nullable = {true, {}};
        else if (nonnull) s.nullable = {false, {}};
      }
      if (type.kind == K::Array && type.array_size >= 0 && !s.size)
        s.size = {std::to_string(type.array_size), {}};
    }
    for (const auto& access : attrs.access) {
      if (access.ref_index < 1 || static_cast<size_t>(access.ref_index) > specs_.size()) continue;
      auto& s = specs_[static_cast<size_t>(access.ref_index - 1)];
      bool writes = access.mode == "write_only" || access.mode == "read_write";
      std::string size = access.size_index > 0 && static_cast<size_t>(access.size_index) <= names_.size()
                             ? names_[static_cast<size_t>(access.size_index - 1)] : "";
      if (!s.dir) s.dir = {access.mode == "write_only" ? "out" : access.mode == "read_write" ? "inout" : "in", {}};
      if (!size.empty()) {
        if (writes && !s.capacity && !s.size) s.capacity = {size, {}};
        else if (!writes && !s.size) s.size = {size, {}};
      }
    }
  }

  // ---- role and class ------------------------------------------------------------------------
  void decide_role() {
    std::string role = spec_.role.value.value_or("");
    static const std::vector<std::string> roles = {"constructor", "destructor", "method", "static", "getter", "free", ""};
    if (std::find(roles.begin(), roles.end(), role) == roles.end())
      error(spec_.role.where, fmt::format("unknown role '{}'", role),
            "role: constructor | destructor | method | static | getter | free");
    std::optional<std::string> first_handle;
    if (!decl_.signature.params.empty()) {
      const auto& t = decl_.signature.params[0].type;
      if (t.kind == K::Pointer) first_handle = ctx_.handle_of_pointer(t, decl_.name);
    }
    if (role.empty()) {
      if (auto it = ctx_.destroy_of.find(decl_.name); it != ctx_.destroy_of.end()) role = "destructor";
      else if (ctx_.init_of.count(decl_.name)) role = "constructor";
      else if (first_handle) role = "method";
      else role = "free";
    }
    if (role == "constructor") fn_.role = FunctionRole::Constructor;
    else if (role == "destructor") fn_.role = FunctionRole::Destructor;
    else if (role == "method") fn_.role = FunctionRole::Method;
    else if (role == "getter") fn_.role = FunctionRole::Getter;
    else if (role == "static") fn_.role = FunctionRole::Static;
    else fn_.role = FunctionRole::Free;

    if (spec_.of) {
      if (auto handle = ctx_.handle_named(*spec_.of, decl_.name)) fn_.class_name = *handle;  // or the role claiming it
      else if (ctx_.module.find_handle(*spec_.of)) fn_.class_name = *spec_.of;  // a role's class name
      else
        error(spec_.of.where, fmt::format("of: '{}' is not a handle type", *spec_.of),
              "declare it under types: with kind: handle");
    }
    bool needs_self = fn_.role == FunctionRole::Method || fn_.role == FunctionRole::Destructor || fn_.role == FunctionRole::Getter;
    if (needs_self) {
      if (!first_handle)
        throw NotBound{Unbound::Kind::NeedsAnnotation,
                       fmt::format("role {} needs a handle as the first parameter", role),
                       fmt::format("{}: {{role: free}}  # or declare the first parameter's type under types:", decl_.name),
                       fn_.location};
      fn_.class_name = *first_handle;
    }
    if (fn_.role == FunctionRole::Constructor && fn_.class_name.empty())
      if (auto it = ctx_.init_of.find(decl_.name); it != ctx_.init_of.end()) fn_.class_name = it->second;
    if (fn_.role == FunctionRole::Constructor && fn_.class_name.empty()) {
      const auto& r = decl_.signature.result;
      if (r.kind == K::Pointer) {
        if (auto h = ctx_.handle_of_pointer(r, decl_.name)) fn_.class_name = *h;
      }
      for (const auto& p : decl_.signature.params)
        if (fn_.class_name.empty() && p.type.kind == K::Pointer && p.type.element->kind == K::Pointer)
          if (auto h = ctx_.handle_of_pointer(*p.type.element, decl_.name)) fn_.class_name = *h;
      if (fn_.class_name.empty())
        throw NotBound{Unbound::Kind::NeedsAnnotation, "constructor of which handle type?",
                       fmt::format("{}: {{role: constructor, of: <handle type>}}", decl_.name), fn_.location};
    }
    if (fn_.role == FunctionRole::Static && fn_.class_name.empty())
      error(spec_.role.where, "role: static needs 'of: <handle type>'");
  }

  // ---- parameters ----------------------------------------------------------------------------
  void init_param(size_t i) {
    const auto& d = decl_.signature.params[i];
    Param p;
    p.name = names_[i];
    p.index = static_cast<int>(i);
    p.c_type = d.type.spelling;
    p.location = ctx_.relative(d.location.known() ? d.location : decl_.location);
    fn_.params.push_back(std::move(p));
    hidden_.push_back(false);
  }

  int index_of(const std::string& name) const { return param_index(name, names_); }

  /// A param named by another's size/capacity/written/len_of/user_data, or by the result's
  /// `length: {out: P}`, is computed by the binding and hidden from hosts.
  void hide(const std::string& name, ParamRole role, const std::string& serves, const SourceLocation& where) {
    int i = index_of(name);
    if (i < 0) return;  // an expression, not a parameter: checked later
    auto& p = fn_.params[static_cast<size_t>(i)];
    if (hidden_[static_cast<size_t>(i)] && p.length_of != serves)
      error(where, fmt::format("parameter '{}' already serves '{}'", name, p.length_of));
    hidden_[static_cast<size_t>(i)] = true;
    p.role = role;
    p.length_of = serves;
    p.type = value_type(ctx_, decl_.signature.params[static_cast<size_t>(i)].type);
    if (p.type.kind == TypeKind::Void && decl_.signature.params[static_cast<size_t>(i)].type.kind == K::Pointer)
      p.type = value_type(ctx_, *decl_.signature.params[static_cast<size_t>(i)].type.element);
  }

  void mark_hidden_params() {
    for (size_t i = 0; i < specs_.size(); ++i) {
      const auto& s = specs_[i];
      const std::string& me = names_[i];
      if (s.size && is_identifier(*s.size)) hide(*s.size, ParamRole::Length, me, s.size.where);
      if (s.capacity && is_identifier(*s.capacity)) hide(*s.capacity, ParamRole::Capacity, me, s.capacity.where);
      if (s.written && (s.written->kind == "out")) hide(s.written->value, ParamRole::Length, me, s.written.where);
      if (s.written && (s.written->kind == "inout")) hide(s.written->value, ParamRole::Capacity, me, s.written.where);
      if (s.len_of) {
        int target = index_of(*s.len_of);
        if (target < 0) error(s.len_of.where, fmt::format("len_of: '{}' is not a parameter", *s.len_of));
        else {
          specs_[static_cast<size_t>(target)].size = {me, s.len_of.where};
          hide(me, ParamRole::Length, names_[static_cast<size_t>(target)], s.len_of.where);
        }
      }
      if (s.callback) {
        for (const auto* ud : {&s.callback->user_data, &s.callback->destroy}) {
          if (ud->empty()) continue;
          if (index_of(*ud) < 0)
            error(s.callback.where, fmt::format("callback of '{}' names '{}', which is not a parameter", me, *ud));
          else hide(*ud, ParamRole::UserData, me, s.callback.where);
        }
      }
      if (s.fixed) {
        if (s.dir && *s.dir != "in")
          error(s.fixed.where, fmt::format("parameter '{}' is both fixed and dir: {}", me, *s.dir),
                "a fixed parameter is an input the binding always passes; remove one of them");
        if (s.default_value)
          error(s.fixed.where, fmt::format("parameter '{}' has both fixed and default", me), "keep one of them");
        hidden_[i] = true;
        fn_.params[i].role = ParamRole::Fixed;
        fn_.params[i].fixed = *s.fixed;
        fn_.params[i].type = value_type(ctx_, decl_.signature.params[i].type);
      }
      if (s.size && s.capacity)
        error(s.capacity.where, fmt::format("parameter '{}' has both size and capacity", me),
              "size is for input buffers, capacity for caller-allocated output buffers");
      if (s.release) hide_release(i);
      if (s.host_tag.value.value_or(false)) hide_host_tag(i);
      if (s.implements) hide_implements(i);
    }
    if (spec_.returns.length && spec_.returns.length->kind == "out")
      hide(spec_.returns.length->value, ParamRole::Length, "return", spec_.returns.length.where);
    // An output's `length: {out: P}`: P is written with the output's element count.
    for (size_t i = 0; i < specs_.size(); ++i) {
      const auto& length = specs_[i].transfer.length;
      if (length && length->kind == "out") hide(length->value, ParamRole::Length, names_[i], length.where);
    }
  }

  /// `release: R` on a host value: R receives the binding's release function, hidden from hosts.
  void hide_release(size_t i) {
    const auto& s = specs_[i];
    int r = index_of(*s.release);
    if (!s.transfer.host_value.value.value_or(false))
      error(s.release.where, fmt::format("release: belongs on a host_value parameter, and '{}' is not one", names_[i]),
            "add host_value: true");
    else if (r < 0)
      error(s.release.where, fmt::format("release: '{}' is not a parameter of '{}'", *s.release, decl_.name));
    else if (const CType& t = decl_.signature.params[static_cast<size_t>(r)].type;
             t.kind != K::Pointer || t.element->kind != K::Function)
      error(s.release.where, fmt::format("release: '{}' is '{}', not a function pointer", *s.release, t.spelling),
            "release: names the void (*)(void *) parameter the library calls when it is done with the value");
    else {
      hide(*s.release, ParamRole::Release, names_[i], s.release.where);
      fn_.params[static_cast<size_t>(r)].type = {TypeKind::Void, Scalar::I32, "", t.spelling, ""};
    }
  }

  /// `implements: S`: a `const S *` the binding fills with its static table of interface S, or,
  /// when S is made of this function's parameters, a function pointer filled with its trampoline.
  void hide_implements(size_t i) {
    const auto& s = specs_[i];
    const CType& t = decl_.signature.params[i].type;
    const Interface* interface = nullptr;
    for (const auto& candidate : ctx_.module.interfaces)
      if (candidate.key == *s.implements) interface = &candidate;
    hidden_[i] = true;
    fn_.params[i].role = ParamRole::Fixed;
    fn_.params[i].fixed = "NULL";
    fn_.params[i].type = {TypeKind::Void, Scalar::I32, "", t.spelling, ""};
    if (!interface) {
      error(s.implements.where, fmt::format("implements: '{}' is not an interface", *s.implements),
            "declare it under interfaces: {STRUCT: {methods: …}}");
    } else if (!interface->function.empty()) {
      const InterfaceMethod* method = nullptr;
      for (const auto& m : interface->methods)
        if (interface->function == decl_.name && (m.field == decl_.signature.params[i].name || m.field == fmt::format("${}", i)))
          method = &m;
      if (!method)
        error(s.implements.where, fmt::format("implements: '{}' of '{}' is not a method of interface {}", names_[i], decl_.name, *s.implements),
              fmt::format("interface {} is made of the function-pointer parameters of {}", *s.implements, interface->function));
      else
        fn_.params[i].fixed = method->trampoline;
    } else {
      const auto* record = ctx_.tu.find_record(interface->key);
      bool points_to_it = t.kind == K::Pointer && t.element && record && names_record(*t.element, *record);
      if (!points_to_it)
        error(s.implements.where, fmt::format("implements: '{}' is '{}', not a pointer to {}", names_[i], t.spelling, *s.implements));
      else
        fn_.params[i].fixed = "&" + interface->table;
    }
  }

  /// `host_tag: true`: a `const char *` each backend fills with its own static tag string.
  void hide_host_tag(size_t i) {
    const CType& t = decl_.signature.params[i].type;
    if (t.kind != K::Pointer || t.element->kind != K::Char)
      error(specs_[i].host_tag.where, fmt::format("host_tag: '{}' is '{}', not a 'const char *'", names_[i], t.spelling));
    hidden_[i] = true;
    fn_.params[i].role = ParamRole::HostTag;
    fn_.params[i].type = {TypeKind::Str, Scalar::Char, "", t.spelling, "utf8"};
  }

  /// `host_value: true` on a `void *` input: the binding boxes a host value, which the library
  /// keeps until it calls the `release:` function.
  void classify_host_value_input(size_t i, const std::string& dir, const CType& type) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    if (type.element->kind != K::Void)
      error(s.transfer.host_value.where, fmt::format("host_value: '{}' is '{}', not a 'void *'", p.name, type.spelling));
    if (!dir.empty() && dir != "in")
      error(s.dir.where, fmt::format("'{}': a host value is an input here; results take returns: {{host_value: true}}", p.name));
    if (!s.release)
      error(s.transfer.host_value.where, fmt::format("host value '{}' has no release:", p.name),
            "release: names the void (*)(void *) parameter the library calls when it is done with the value");
    p.role = ParamRole::Input;
    p.type = {TypeKind::HostValue, Scalar::I32, "", type.spelling, ""};
    p.lifetime.own = Own::Captured;
  }

  void classify_param(size_t i) {
    const auto& s = specs_[i];
    const CType& type = decl_.signature.params[i].type;
    Param& p = fn_.params[i];
    p.nullable = s.nullable.value.value_or(false);
    p.precondition = s.precondition.value.value_or("");
    p.default_value = s.default_value.value.value_or("");
    p.valid_on_error = s.valid_on_error.value.value_or(false);
    std::string dir = s.dir.value.value_or("");
    if (!dir.empty() && dir != "in" && dir != "out" && dir != "inout")
      error(s.dir.where, fmt::format("unknown dir '{}'", dir), "dir: in | out | inout");

    if (s.enum_name || s.flags_name) {
      if (type.kind != K::Int && type.kind != K::Enum && !(type.kind == K::Pointer && type.element->kind == K::Int))
        error((s.enum_name ? s.enum_name : s.flags_name).where, fmt::format("enum/flags on '{}', which is not an integer", p.name));
    }
    if (type.kind == K::Pointer) return classify_pointer(i, dir);
    if (type.kind == K::Array) {
      // A sized array parameter `T p[N]` is a pointer with size N (imported above).
      CType pointer = type;
      pointer.kind = K::Pointer;
      return classify_pointer_as(i, dir, pointer);
    }
    if (!dir.empty() && dir != "in")
      error(s.dir.where, fmt::format("'{}' is passed by value and cannot be dir: {}", p.name, dir));
    for (const auto* key : {&s.size, &s.capacity})
      if (*key) error(key->where, fmt::format("'{}' is not a pointer: size/capacity do not apply", p.name));
    p.role = ParamRole::Input;
    p.type = input_value_type(i, type);
  }

  Type input_value_type(size_t i, const CType& type) {
    const auto& s = specs_[i];
    Type t = value_type(ctx_, type);
    if (s.enum_name || s.flags_name) {
      const auto& named = s.enum_name ? s.enum_name : s.flags_name;
      if (!ctx_.module.find_enum(*named))
        error(named.where, fmt::format("enum '{}' is not declared", *named), "declare it under enums:");
      t.kind = TypeKind::Enum;
      t.name = *named;
    }
    if (t.kind == TypeKind::Void) {
      if (type.kind == K::Record) {
        auto why = unbindable_record(type);
        throw NotBound{Unbound::Kind::Skipped, fmt::format("parameter '{}': {}", names_[i], why), "", fn_.params[i].location};
      }
      throw NotBound{Unbound::Kind::Skipped,
                     fmt::format("parameter '{}' of type '{}' has no host mapping", names_[i], type.spelling), "",
                     fn_.params[i].location};
    }
    return t;
  }

  std::string unbindable_record(const CType& type) {
    for (const auto& n : type.names)
      if (auto it = ctx_.unbindable_records.find(n); it != ctx_.unbindable_records.end())
        return fmt::format("struct '{}' cannot be passed by value: {}", type.spelling, it->second);
    return fmt::format("'{}' is not a bindable struct", type.spelling);
  }

  /// `own: full, alloc: FN` on an input buffer: the callee frees it with its allocator's free, so
  /// the binding hands it a copy made with FN.
  void take_over_buffer(size_t i) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    if (s.transfer.own.value.value_or("") != "full" || !s.transfer.alloc) {
      error(s.transfer.alloc ? s.transfer.alloc.where : s.transfer.own.where,
            fmt::format("'{}': a buffer the callee takes over needs both own: full and alloc:", p.name),
            "alloc: names the allocator whose memory the callee frees (own: full, alloc: sqlite3_malloc64)");
      return;
    }
    if (p.type.kind != TypeKind::Bytes)
      error(s.transfer.alloc.where, fmt::format("'{}': alloc applies to a byte buffer", p.name), "add string: bytes");
    if (!ctx_.tu.find_function(*s.transfer.alloc))
      error(s.transfer.alloc.where, fmt::format("alloc function '{}' is not declared in the headers", *s.transfer.alloc));
    p.lifetime.own = Own::Consumed;
    p.lifetime.alloc = *s.transfer.alloc;
  }

  void classify_pointer(size_t i, const std::string& dir) { classify_pointer_as(i, dir, decl_.signature.params[i].type); }

  [[noreturn]] void needs_annotation(size_t i, const std::string& reason, const std::string& suggestion) {
    // A trailing `# comment` in the suggestion goes after the closing braces, so the snippet pastes.
    auto comment = suggestion.find("  #");
    std::string value = suggestion.substr(0, comment);
    std::string remark = comment == std::string::npos ? "" : suggestion.substr(comment);
    throw NotBound{Unbound::Kind::NeedsAnnotation, fmt::format("parameter '{}' ({}): {}", names_[i], decl_.signature.params[i].type.spelling, reason),
                   fmt::format("{}: {{params: {{{}: {}}}}}{}", decl_.name, names_[i], value, remark), fn_.params[i].location};
  }

  void classify_pointer_as(size_t i, const std::string& dir, const CType& type) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    const CType& elem = *type.element;
    std::string own = s.transfer.own.value.value_or("");

    if (elem.kind == K::Function) return classify_callback(i, elem);
    if (s.transfer.host_value.value.value_or(false)) return classify_host_value_input(i, dir, type);

    if (std::vector<std::string> roles = ctx_.roles_of(elem); !roles.empty() && !ctx_.handle_for(elem, decl_.name))
      throw NotBound{Unbound::Kind::NeedsAnnotation,
                     fmt::format("parameter '{}': '{}' is bound as {}, and no role claims '{}'", p.name, elem.spelling,
                                 fmt::join(roles, " and "), decl_.name),
                     fmt::format("types: {{{}: {{roles: {{{}: {{functions: \"{}\"}}}}}}}}  # or skip it", elem.spelling, roles.front(), decl_.name),
                     p.location};
    if (auto handle = ctx_.handle_of_pointer(type, decl_.name)) {
      if (dir == "out" || dir == "inout")
        error(s.dir.where, fmt::format("'{}' is a handle passed by pointer; an output handle is written through '{} **'", p.name, elem.spelling));
      p.type = {TypeKind::Handle, Scalar::I32, *handle, type.spelling, ""};
      const Handle* h = ctx_.module.find_handle(*handle);
      bool pinned_init = fn_.role == FunctionRole::Constructor && h && h->pinned;  // storage to initialise
      bool is_self = self_index_ < 0 && *handle == fn_.class_name &&
                     (pinned_init || fn_.role == FunctionRole::Method || fn_.role == FunctionRole::Destructor ||
                      fn_.role == FunctionRole::Getter);
      if (is_self) {
        self_index_ = static_cast<int>(i);
        p.role = ParamRole::Self;
        if (s.field_buffers) p.field_buffers = field_buffers_of(s, elem, h);
      } else {
        if (s.field_buffers)
          error(s.field_buffers.where, fmt::format("field_buffers apply to the receiver of a method, not to '{}'", p.name));
        p.role = ParamRole::Input;
      }
      if (own.empty() || own == "borrow") p.lifetime.own = Own::Borrowed;
      else if (own == "full") p.lifetime.own = Own::Consumed;
      else if (own == "capture") p.lifetime.own = Own::Captured;
      else error(s.transfer.own.where, fmt::format("unknown own '{}' for an input handle", own), "own: borrow | full | capture");
      if (s.transfer.when) {
        if (*s.transfer.when != "ok")
          error(s.transfer.when.where, fmt::format("unknown when '{}'", *s.transfer.when), "when: ok (consumed only when the call succeeds)");
        else if (p.lifetime.own != Own::Consumed)
          error(s.transfer.when.where, fmt::format("'{}' has when: ok but is not taken over", p.name),
                "when: ok qualifies own: full (the callee frees it only on success)");
        p.lifetime.consumed_on_success = true;
      }
      if (s.transfer.alloc)
        error(s.transfer.alloc.where, fmt::format("'{}' is a handle: alloc applies to a buffer the callee takes over", p.name));
      return;
    }

    if (elem.kind == K::Pointer) return classify_double_pointer(i, dir, elem);

    bool is_text_unit = elem.kind == K::Char && elem.is_plain_char;
    bool is_byte = elem.kind == K::Void || (elem.kind == K::Char) || (elem.kind == K::Int && elem.bits == 8);
    std::string string = s.transfer.string.value.value_or("");
    if (!known_string_kind(string))
      error(s.transfer.string.where, fmt::format("unknown string '{}'", string), "string: utf8 | utf16 | locale | bytes");
    if (string == "utf16") return classify_utf16_input(i, dir, elem);
    bool wants_bytes = string == "bytes" || (!is_text_unit && is_byte);

    if (s.capacity) {  // caller-allocated output buffer
      if (elem.is_const) error(s.capacity.where, fmt::format("'{}' is const: it cannot be an output buffer", p.name));
      p.role = ParamRole::Buffer;
      p.capacity = *s.capacity;
      p.written = written_of(s);
      p.type = buffer_type(i, elem, wants_bytes, is_text_unit);
      return;
    }
    if (s.size || (elem.is_const && is_text_unit && string != "bytes")) {  // input buffer or text
      if (dir == "out" || dir == "inout")
        error(s.dir.where, fmt::format("'{}' has a size: an output buffer takes capacity instead", p.name));
      if (!elem.is_const && dir != "in")  // writable: an input only when the annotation says so
        needs_annotation(i, "a writable buffer", "{dir: in, size: LEN}  # or {dir: out, capacity: LEN} when the function fills it");
      p.role = ParamRole::Input;
      p.lifetime.own = own == "capture" ? Own::Captured : Own::Borrowed;
      p.size = s.size.value.value_or("");
      p.type = buffer_type(i, elem, wants_bytes, is_text_unit);
      if (p.type.kind == TypeKind::Str) p.type.encoding = string.empty() || string == "bytes" ? "utf8" : string;
      if (own == "full" || s.transfer.alloc) take_over_buffer(i);
      return;
    }
    if (is_text_unit && !elem.is_const) {
      if (dir == "out" || dir == "inout") {  // a single char written through the pointer
        p.role = ParamRole::Output;
        p.inout = dir == "inout";
        p.type = {TypeKind::Scalar, Scalar::Char, "", elem.spelling, ""};
        p.nullable = s.optional.value.value_or(false);
        return;
      }
      if (dir == "in") {
        p.role = ParamRole::Input;
        p.lifetime.own = Own::Borrowed;
        p.type = {TypeKind::Str, Scalar::Char, "", type.spelling, "utf8"};
        return;
      }
      needs_annotation(i, "a writable char buffer", "{dir: out, capacity: N, written: return}  # or {dir: in} for text the function only reads");
    }
    if (elem.kind == K::Void || (is_byte && elem.is_const)) {
      needs_annotation(i, "a buffer without a length", "{size: LENGTH_PARAM}  # or dir: out + capacity for an output buffer");
    }
    if (elem.kind == K::Record) {
      Type t = value_type(ctx_, elem);
      if (t.kind == TypeKind::Void)
        throw NotBound{Unbound::Kind::Skipped, fmt::format("parameter '{}': {}", p.name, unbindable_record(elem)), "", p.location};
      t.c_type = type.spelling;
      if (elem.is_const) {
        p.role = ParamRole::Input;
        p.by_pointer = true;
      } else {
        p.role = ParamRole::Output;
        p.inout = dir == "inout";
        if (dir == "in") { p.role = ParamRole::Input; p.by_pointer = true; }
      }
      p.type = t;
      p.nullable = p.nullable || s.optional.value.value_or(false);
      return;
    }
    if (is_value_kind(elem.kind) || elem.kind == K::Enum) {
      if (elem.is_const)
        needs_annotation(i, "a pointer to constant values without a length", "{size: N}  # the number of elements");
      p.role = ParamRole::Output;
      p.inout = dir == "inout";
      p.type = input_value_type(i, elem);
      p.type.c_type = elem.spelling;
      p.nullable = s.optional.value.value_or(false) || (s.nullable.value.value_or(false));
      return;
    }
    needs_annotation(i, "a pointer nothing classifies", "{dir: in|out, size: …}");
  }

  /// UTF-16 text in: NUL-terminated (two zero bytes) unless a `size` gives its length in bytes.
  void classify_utf16_input(size_t i, const std::string& dir, const CType& elem) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    if (!is_utf16_unit(elem))
      error(s.transfer.string.where, fmt::format("'{}' is '{}': string: utf16 needs a 'const void *' or a pointer to 16-bit units", p.name, fn_.params[i].c_type));
    if (dir == "out" || dir == "inout" || s.capacity)
      error(s.transfer.string.where, fmt::format("'{}': UTF-16 output buffers are not supported", p.name),
            "bind the UTF-8 twin, or skip the function");
    if (!elem.is_const && dir != "in")
      needs_annotation(i, "writable UTF-16 text", "{dir: in, string: utf16}  # when the function only reads it");
    p.role = ParamRole::Input;
    p.lifetime.own = Own::Borrowed;
    p.size = s.size.value.value_or("");
    p.type = {TypeKind::Str, Scalar::U16, "", fn_.params[i].c_type, "utf16"};
  }

  FieldBuffers field_buffers_of(const config::ParamSpec& s, const CType& elem, const Handle* h) {
    FieldBuffers fb;
    if (!h || !h->pinned) {
      error(s.field_buffers.where, "field_buffers need a pinned type (the binding owns its fields)");
      return fb;
    }
    const auto* record = ctx_.tu.find_record(elem.names.empty() ? "" : elem.names.front());
    auto check = [&](const std::string& field) {
      if (!record) return;
      bool exists = std::any_of(record->fields.begin(), record->fields.end(), [&](const auto& f) { return f.name == field; });
      if (!exists) error(s.field_buffers.where, fmt::format("'{}' has no field '{}'", h->c_name, field));
    };
    const auto& spec = *s.field_buffers;
    if (spec.in.size() == 2) {
      fb.in_pointer = spec.in[0];
      fb.in_length = spec.in[1];
    }
    if (spec.out.size() == 2) {
      fb.out_pointer = spec.out[0];
      fb.out_length = spec.out[1];
    }
    for (const auto* f : {&fb.in_pointer, &fb.in_length, &fb.out_pointer, &fb.out_length})
      if (!f->empty()) check(*f);
    return fb;
  }

  Type buffer_type(size_t i, const CType& elem, bool bytes, bool text) {
    Type t;
    t.c_type = decl_.signature.params[i].type.spelling;
    if (text && !bytes) {
      t.kind = TypeKind::Str;
      t.scalar = Scalar::Char;
      t.encoding = "utf8";
    } else if (bytes) {
      t.kind = TypeKind::Bytes;
      t.scalar = Scalar::U8;
    } else {
      Type element = value_type(ctx_, elem);
      if (element.kind != TypeKind::Scalar)
        needs_annotation(i, "a buffer of non-scalar elements", "skip: \"arrays of structs are not supported\"");
      t.kind = TypeKind::Slice;
      t.scalar = element.scalar;
    }
    return t;
  }

  Written written_of(const config::ParamSpec& s) {
    Written w;
    if (!s.written) return w;
    const auto& spec = *s.written;
    if (spec.kind == "return") w.kind = Written::Kind::Return;
    else if (spec.kind == "out") w.kind = Written::Kind::OutParam;
    else if (spec.kind == "inout") w.kind = Written::Kind::InOut;
    else w.kind = Written::Kind::Expr;
    w.value = spec.value;
    if (w.kind == Written::Kind::Return) written_by_return_ = true;
    return w;
  }

  void classify_double_pointer(size_t i, const std::string& dir, const CType& inner) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    const CType& target = *inner.element;
    if (!dir.empty() && dir != "out")
      error(s.dir.where, fmt::format("'{}' is a pointer to a pointer: only dir: out is supported", p.name));
    p.role = ParamRole::Output;
    p.nullable = s.optional.value.value_or(false);
    if (auto handle = ctx_.handle_of_pointer(inner, decl_.name)) {
      p.type = {TypeKind::Handle, Scalar::I32, *handle, inner.spelling, ""};
      std::string own = s.transfer.own.value.value_or(fn_.role == FunctionRole::Constructor ? "full" : "");
      if (own.empty())
        needs_annotation(i, "an output handle: who owns it?", "{dir: out, own: full}  # or {own: borrow, from: P}");
      p.lifetime = lifetime_of(s.transfer, own, /*handle=*/true, s.transfer.own.where);
      return;
    }
    bool text = target.kind == K::Char && target.is_plain_char;
    std::string out_length = output_length(i);
    bool elements = !text && (target.kind == K::Void || is_value_kind(target.kind)) && !out_length.empty();
    if (text || elements) {
      std::string own = s.transfer.own.value.value_or("");
      if (own.empty())
        needs_annotation(i, text ? "an output string: who owns it?" : "an output array: who owns it?",
                         "{dir: out, own: full, free: FREE_FN}  # or own: static / own: borrow, from: P");
      std::string string = s.transfer.string.value.value_or("");
      if (text) {
        p.type = {TypeKind::Str, Scalar::Char, "", inner.spelling, string.empty() || string == "bytes" ? "utf8" : string};
        if (string == "bytes") p.type.kind = TypeKind::Bytes;
      } else if (target.kind == K::Void || string == "bytes") {
        p.type = {TypeKind::Bytes, Scalar::U8, "", inner.spelling, ""};
      } else {
        Type element = value_type(ctx_, target);
        if (element.kind != TypeKind::Scalar)
          needs_annotation(i, "an output array of non-scalar elements", "skip: \"arrays of structs are not supported\"");
        p.type = {TypeKind::Slice, element.scalar, "", inner.spelling, ""};
      }
      p.size = out_length;
      p.lifetime = lifetime_of(s.transfer, own, false, s.transfer.own.where);
      return;
    }
    needs_annotation(i, "a pointer to a pointer",
                     "{dir: out, own: full, free: FREE_FN}  # an array: add length: {out: COUNT_PARAM}");
  }

  /// The hidden param that receives output `i`'s element count (`length: {out: P}`), or "".
  std::string output_length(size_t i) {
    const auto& length = specs_[i].transfer.length;
    if (!length) return "";
    if (length->kind != "out") {
      error(length.where, fmt::format("'{}' is an output: its length can only be length: {{out: PARAM}}", names_[i]),
            "the function writes the element count through PARAM");
      return "";
    }
    int count = index_of(length->value);
    if (count < 0) {
      error(length.where, fmt::format("length: {{out: {}}} is not a parameter of '{}'", length->value, decl_.name));
      return "";
    }
    if (decl_.signature.params[static_cast<size_t>(count)].type.kind != K::Pointer)
      error(length.where, fmt::format("'{}' receives a length, so it must be a pointer", length->value),
            "the function writes the element count through it: size_t *, int *, …");
    return names_[static_cast<size_t>(count)];
  }

  Lifetime lifetime_of(const config::TransferSpec& t, const std::string& own, bool handle, const SourceLocation& where) {
    Lifetime l;
    for (const auto* input_only : {&t.when, &t.alloc})
      if (*input_only)
        error(input_only->where, "when: and alloc: apply to inputs the callee takes over, not to results");
    if (auto null = stated_null_meaning(t)) l.null = *null;  // an output's `nullable:` (results: null_meaning)
    if (own == "full") {
      l.own = Own::Owned;
      if (t.free) {
        if (!ctx_.tu.find_function(*t.free))
          error(t.free.where, fmt::format("free function '{}' is not declared in the headers", *t.free));
        l.free = *t.free;
      } else if (!handle) {
        error(where, "an owned result needs 'free:' (the function that releases it)");
      }
    } else if (own == "borrow") {
      l.own = Own::Borrowed;
      l.from = t.from.value.value_or("");
      if (!l.from.empty()) {
        int src = index_of(l.from);
        if (src < 0) error(t.from.where, fmt::format("from: '{}' is not a parameter of '{}'", l.from, decl_.name));
        else l.from = names_[static_cast<size_t>(src)];
      }
      l.group = t.group.value.value_or("");
      if (t.until) {
        const auto& until = *t.until;
        if (until.size() == 1 && until[0] == "owner") l.until = Until::Owner;
        else if (until.size() == 1 && until[0] == "next_call") l.until = Until::NextCall;
        else if (until.size() == 1 && until[0] == "mutation") l.until = Until::Mutation;
        else {
          l.until = Until::Calls;
          for (const auto& f : until) {
            if (f == "type_conversion") continue;  // SQLite's implicit invalidation: copying covers it
            if (!ctx_.tu.find_function(f))
              error(t.until.where, fmt::format("until: '{}' is not a function in the headers", f));
            l.until_calls.push_back(f);
          }
        }
      }
    } else if (own == "static") {
      l.own = Own::Static;
    } else {
      error(where, fmt::format("unknown own '{}'", own), "own: full | borrow | static");
    }
    return l;
  }

  void classify_callback(size_t i, const CType& fn_type) {
    const auto& s = specs_[i];
    Param& p = fn_.params[i];
    if (!s.callback) {
      std::string user_data;
      for (size_t j = 0; j < names_.size(); ++j) {
        const auto& t = decl_.signature.params[j].type;
        if (t.kind == K::Pointer && t.element->kind == K::Void) user_data = names_[j];
      }
      needs_annotation(i, "a callback: how long may the library keep it?",
                       user_data.empty() ? "{callback: {scope: call}}" : fmt::format("{{callback: {{scope: call, user_data: {}}}}}", user_data));
    }
    Callback cb;
    const std::string& scope = s.callback->scope;
    if (scope == "call") cb.scope = Callback::Scope::Call;
    else if (scope == "notified") cb.scope = Callback::Scope::Notified;
    else if (scope == "owner") cb.scope = Callback::Scope::Owner;
    else if (scope == "forever") cb.scope = Callback::Scope::Forever;
    else error(s.callback.where, fmt::format("unknown callback scope '{}'", scope), "scope: call | notified | owner | forever");
    if (cb.scope == Callback::Scope::Notified && s.callback->destroy.empty())
      error(s.callback.where, "scope: notified needs 'destroy:' (the parameter that takes the destroy notifier)");
    cb.user_data = s.callback->user_data;
    cb.destroy = s.callback->destroy;
    if (!cb.user_data.empty()) {
      int ud = index_of(cb.user_data);
      const auto& ut = decl_.signature.params[static_cast<size_t>(std::max(ud, 0))].type;
      if (ud >= 0 && !(ut.kind == K::Pointer && ut.element->kind == K::Void))
        error(s.callback.where, fmt::format("user_data '{}' is not a void * parameter", cb.user_data));
    } else if (cb.scope != Callback::Scope::Call) {
      error(s.callback.where, "a callback kept after the call needs user_data, so the binding can find the host function");
    }
    const auto& sig = *fn_type.function;
    cb.typedef_name = decl_.signature.params[i].type.names.empty() ? "" : decl_.signature.params[i].type.names.front();
    auto arg_name = [&](size_t j) { return sig.params[j].name.empty() ? fmt::format("arg{}", j) : sig.params[j].name; };
    auto names_arg = [&](const std::string& name, size_t j) { return name == arg_name(j) || name == fmt::format("${}", j); };
    auto buffer_spec = [&](size_t j) -> const config::CallbackArgSpec* {
      for (const auto& a : s.callback->args)
        if (names_arg(a.arg, j)) return &a;
      return nullptr;
    };
    for (size_t j = 0; j < sig.params.size(); ++j) {
      const CType& t = sig.params[j].type;
      Param cp;
      cp.name = arg_name(j);
      cp.index = static_cast<int>(j);
      cp.c_type = t.spelling;
      if (const auto* buffer = buffer_spec(j)) {
        cp.type = callback_buffer_type(i, t, *buffer);
        cp.lifetime.own = Own::Borrowed;
      } else if (t.kind == K::Pointer && t.element->kind == K::Void && cb.user_data_index < 0 && !cb.user_data.empty() &&
                 s.callback->user_data_from.empty()) {
        cb.user_data_index = static_cast<int>(j);
        cp.role = ParamRole::UserData;
      } else {
        classify_lent_argument(ctx_, t, decl_.name, cp);
        if (cp.type.kind == TypeKind::Void)
          needs_annotation(i, fmt::format("callback argument {} of type '{}' has no host mapping", j, t.spelling),
                           "skip: \"callback signature not supported\"");
      }
      cb.params.push_back(std::move(cp));
    }
    if (!s.callback->user_data_from.empty()) {
      if (cb.user_data.empty())
        error(s.callback.where, "user_data_from: recovers the user data given by user_data:, which is missing");
      substitute_positions(s.callback->user_data_from, [&](size_t n) {
        if (n >= sig.params.size())
          error(s.callback.where, fmt::format("user_data_from: '${}' names an argument the callback does not have", n),
                fmt::format("the callback has {} arguments: $0 … ${}", sig.params.size(), sig.params.size() - 1));
        return std::string();
      });
      cb.user_data_from = s.callback->user_data_from;
    }
    for (const auto& a : s.callback->args) {
      auto arg = std::find_if(cb.params.begin(), cb.params.end(), [&](const Param& cp) { return names_arg(a.arg, static_cast<size_t>(cp.index)); });
      if (arg == cb.params.end()) {
        error(a.where, fmt::format("the callback of '{}' has no argument '{}'", p.name, a.arg),
              "args: keys are the callback's own argument names (or $N, from 0)");
        continue;
      }
      if (a.length.empty()) {
        if (arg->type.kind != TypeKind::Str)
          error(a.where, fmt::format("callback argument '{}' is a buffer: it needs length: <the argument holding its length>", a.arg));
        continue;
      }
      auto count = std::find_if(cb.params.begin(), cb.params.end(), [&](const Param& cp) { return names_arg(a.length, static_cast<size_t>(cp.index)); });
      if (count == cb.params.end() || count == arg) {
        error(a.where, fmt::format("length '{}' of callback argument '{}' is not another argument of the callback", a.length, a.arg));
        continue;
      }
      if (count->role != ParamRole::Input || !counts_elements(count->type)) {
        error(a.where, fmt::format("length '{}' of callback argument '{}' is not an integer", a.length, a.arg));
        continue;
      }
      tie_length(*arg, *count);
    }
    for (const auto& name : s.callback->nullable) {
      auto arg = std::find_if(cb.params.begin(), cb.params.end(), [&](const Param& a) {
        return a.name == name || name == fmt::format("${}", a.index);
      });
      if (arg == cb.params.end())
        error(s.callback.where, fmt::format("the callback of '{}' has no argument '{}'", p.name, name),
              "nullable: lists the callback's own argument names (or $N)");
      else if (arg->type.kind != TypeKind::Str && arg->type.kind != TypeKind::Handle)
        error(s.callback.where, fmt::format("callback argument '{}' is not a pointer the host sees: it cannot be nullable", name));
      else
        arg->nullable = true;
    }
    auto ret = std::make_shared<Param>();
    ret->name = "return";
    ret->c_type = sig.result.spelling;
    ret->type = sig.result.kind == K::Void ? Type{TypeKind::Void, Scalar::I32, "", "void", ""} : value_type(ctx_, sig.result);
    if (sig.result.kind != K::Void && ret->type.kind == TypeKind::Void)
      needs_annotation(i, fmt::format("the callback returns '{}', which has no host mapping", sig.result.spelling),
                       "skip: \"callback signature not supported\"");
    cb.ret = ret;
    p.role = ParamRole::Input;
    p.type = {TypeKind::Callback, Scalar::I32, cb.typedef_name, decl_.signature.params[i].type.spelling, ""};
    p.callback = std::move(cb);
  }

  /// A callback argument named in `args:` (see buffer_argument_type).
  Type callback_buffer_type(size_t i, const CType& t, const config::CallbackArgSpec& spec) {
    BufferArgumentProblem problem;
    Type type = buffer_argument_type(ctx_, t, spec, decl_.name, problem);
    if (problem.kind == BufferArgumentProblem::Kind::Error) error(spec.where, problem.message);
    if (problem.kind == BufferArgumentProblem::Kind::NoMapping) needs_annotation(i, problem.message, "skip: \"callback signature not supported\"");
    return type;
  }

  // ---- the result ----------------------------------------------------------------------------
  void classify_result() {
    const CType& r = decl_.signature.result;
    std::string kind_name = spec_.result ? spec_.result->name : "";
    const ErrorConvention* convention = nullptr;
    static const std::vector<std::string> builtin = {"value", "void", "ignore", "bool", "bool_ok"};
    if (!kind_name.empty() && std::find(builtin.begin(), builtin.end(), kind_name) == builtin.end()) {
      convention = ctx_.module.find_convention(kind_name);
      if (!convention) {
        std::vector<std::string> known = builtin;
        for (const auto& c : ctx_.module.conventions) known.push_back(c.name);
        error(spec_.result.where, fmt::format("unknown result convention '{}'", kind_name),
              fmt::format("declare it under results:, or use one of: {}", fmt::join(known, ", ")));
        kind_name.clear();
      }
    }
    Result& res = fn_.result;
    if (spec_.result) {
      res.also_ok = spec_.result->also_ok;
      res.eof = spec_.result->eof;
      res.errors_from = spec_.result->errors_from;
    }
    bool is_integer = r.kind == K::Int || r.kind == K::Enum || r.kind == K::Bool || r.kind == K::Char;
    if (convention) {
      res.convention = convention->name;
      if (convention->on == ErrorConvention::On::Pointer) {
        if (r.kind != K::Pointer)
          error(spec_.result.where, fmt::format("convention '{}' is for pointer results, but '{}' returns '{}'", kind_name, decl_.name, r.spelling));
        res.kind = ResultKind::NullError;
      } else {
        if (!is_integer)
          error(spec_.result.where, fmt::format("convention '{}' reads a status code, but '{}' returns '{}'", kind_name, decl_.name, r.spelling));
        bool count = convention->negative_is_error || (spec_.result && spec_.result->negative_is_error);
        res.kind = count && convention->ok.empty() ? ResultKind::Count : ResultKind::Status;
        if (spec_.result && spec_.result->negative_is_error) res.kind = ResultKind::Count;
      }
    } else if (kind_name == "void" || (kind_name.empty() && r.kind == K::Void)) {
      res.kind = ResultKind::Void;
    } else if (kind_name == "ignore") {
      res.kind = ResultKind::Ignore;
    } else if (kind_name == "bool" || kind_name == "bool_ok") {
      if (!is_integer) error(spec_.result.where, fmt::format("result: {} needs an integer return, not '{}'", kind_name, r.spelling));
      res.kind = kind_name == "bool" ? ResultKind::Bool : ResultKind::BoolOk;
    } else {
      res.kind = ResultKind::Value;
    }
    if (res.kind == ResultKind::Void && r.kind != K::Void && kind_name == "void") res.kind = ResultKind::Ignore;

    fn_.returns.c_type = r.spelling;
    if (r.kind == K::Void || res.kind == ResultKind::Ignore) {
      fn_.returns.kind = TypeKind::Void;
      fn_.returns.c_type = r.spelling;
      if (res.kind != ResultKind::Ignore) res.kind = ResultKind::Void;
      return;
    }
    if (r.kind != K::Pointer) {
      fn_.returns = value_type(ctx_, r);
      if (const auto& named = spec_.returns_enum ? spec_.returns_enum : spec_.returns_flags) {
        if (r.kind != K::Int && r.kind != K::Enum)
          error(named.where, fmt::format("'{}' returns '{}': enum/flags need an integer", decl_.name, r.spelling));
        else if (!ctx_.module.find_enum(*named))
          error(named.where, fmt::format("enum '{}' is not declared", *named), "declare it under enums:");
        else {
          fn_.returns.kind = TypeKind::Enum;
          fn_.returns.name = *named;
        }
      }
      if (fn_.returns.kind == TypeKind::Void)
        throw NotBound{Unbound::Kind::Skipped, fmt::format("returns '{}', which has no host mapping", r.spelling), "", fn_.location};
      return;
    }
    classify_pointer_result(r);
  }

  void classify_pointer_result(const CType& r) {
    const auto& t = spec_.returns;
    const CType& elem = *r.element;
    std::string own = t.own.value.value_or("");
    const config::TransferSpec& transfer = t;

    if (t.host_value.value.value_or(false)) return classify_host_value_result(r);
    auto handle = ctx_.handle_of_pointer(r, decl_.name);
    if (handle && own.empty() && fn_.role == FunctionRole::Constructor) own = "full";
    if (t.copy) {
      if (!handle) error(t.copy.where, fmt::format("'{}' does not return a handle: copy applies to handles", decl_.name),
                         "copy: names the function that makes an owned copy of the returned handle");
      if (!own.empty() && own != "full")
        error(t.copy.where, fmt::format("'{}': copy makes the result owned, not own: {}", decl_.name, own), "remove own:");
      if (!ctx_.tu.find_function(*t.copy))
        error(t.copy.where, fmt::format("copy function '{}' is not declared in the headers", *t.copy));
      own = "full";
    }
    if (own.empty()) {
      std::string suggestion = handle ? "{own: full}  # or {own: borrow, from: PARAM}"
                               : (elem.kind == K::Char ? "{own: static}  # or {own: borrow, from: PARAM} / {own: full, free: FREE_FN}"
                                                       : "{own: borrow, from: PARAM, length: {out: SIZE_PARAM}}");
      throw NotBound{Unbound::Kind::NeedsAnnotation,
                     fmt::format("returns '{}': who owns it, and how long does it live?", r.spelling),
                     fmt::format("{}: {{returns: {}}}", decl_.name, suggestion), fn_.location};
    }
    fn_.returns_lifetime = lifetime_of(transfer, own, handle.has_value(), t.own.where);
    fn_.returns_lifetime.copy = t.copy.value.value_or("");
    if (fn_.returns_lifetime.own == Own::Borrowed && fn_.returns_lifetime.from.empty()) {
      if (self_index_ >= 0) fn_.returns_lifetime.from = names_[static_cast<size_t>(self_index_)];
      else
        error(t.own.where.known() ? t.own.where : fn_.location,
              fmt::format("'{}' returns a borrow but says not from what", decl_.name), "add from: <the handle parameter it borrows from>");
    }
    fn_.returns_lifetime.null = null_meaning(r);

    std::string string = t.string.value.value_or("");
    if (!known_string_kind(string))
      error(t.string.where, fmt::format("unknown string '{}'", string), "string: utf8 | utf16 | locale | bytes");
    if (handle) {
      fn_.returns = {TypeKind::Handle, Scalar::I32, *handle, r.spelling, ""};
      return;
    }
    if (string == "utf16") {  // a byte length, or NUL-terminated by two zero bytes
      if (!is_utf16_unit(elem))
        error(t.string.where, fmt::format("'{}' returns '{}': string: utf16 needs a 'const void *' or 16-bit units", decl_.name, r.spelling));
      fn_.returns = {TypeKind::Str, Scalar::U16, "", r.spelling, "utf16"};
      fn_.returns_length = length_of(t, Length::Kind::Nul);
      return;
    }
    // `unsigned char *` text (SQLite's column_text) is text only when the annotation says so.
    bool byte_sized = elem.kind == K::Char || (elem.kind == K::Int && elem.bits == 8);
    bool text = byte_sized && (elem.is_plain_char ? string != "bytes" : (string == "utf8" || string == "locale"));
    if (text) {
      fn_.returns = {TypeKind::Str, Scalar::Char, "", r.spelling, string.empty() ? "utf8" : string};
      fn_.returns_length = length_of(t, Length::Kind::Nul);
      return;
    }
    bool bytes = elem.kind == K::Void || elem.kind == K::Char || (elem.kind == K::Int && elem.bits == 8) || string == "bytes";
    if (bytes) fn_.returns = {TypeKind::Bytes, Scalar::U8, "", r.spelling, ""};
    else if (is_value_kind(elem.kind)) {
      Type e = value_type(ctx_, elem);
      fn_.returns = {TypeKind::Slice, e.scalar, "", r.spelling, ""};
    } else if (elem.kind == K::Record && ctx_.record_for(elem)) {
      throw NotBound{Unbound::Kind::Skipped, "returns a pointer to a struct: not supported yet", "", fn_.location};
    } else {
      throw NotBound{Unbound::Kind::NeedsAnnotation, fmt::format("returns '{}', which nothing classifies", r.spelling),
                     fmt::format("{}: {{skip: \"…\"}}", decl_.name), fn_.location};
    }
    fn_.returns_length = length_of(t, Length::Kind::None);
    if (fn_.returns_length.kind == Length::Kind::None)
      throw NotBound{Unbound::Kind::NeedsAnnotation, fmt::format("returns a buffer '{}' without a length", r.spelling),
                     fmt::format("{}: {{returns: {{length: {{out: SIZE_PARAM}}}}}}  # or length: EXPR / {{call: EXPR}}", decl_.name),
                     fn_.location};
  }

  /// `returns: {host_value: true}`: a box this binding made; hosts get a new reference to its value.
  void classify_host_value_result(const CType& r) {
    const auto& t = spec_.returns;
    if (r.element->kind != K::Void)
      error(t.host_value.where, fmt::format("host_value: '{}' returns '{}', not a 'void *'", decl_.name, r.spelling));
    for (const auto* key : {&t.own, &t.free, &t.copy})
      if (*key) error(key->where, "a host value result belongs to the library: own/free/copy do not apply");
    fn_.returns = {TypeKind::HostValue, Scalar::I32, "", r.spelling, ""};
    fn_.returns_lifetime.own = Own::Borrowed;
    if (self_index_ >= 0) fn_.returns_lifetime.from = names_[static_cast<size_t>(self_index_)];
    fn_.returns_lifetime.null = stated_null_meaning(t).value_or(NullMeaning::Absent);
  }

  Length length_of(const config::TransferSpec& t, Length::Kind fallback) {
    Length l;
    l.kind = fallback;
    if (!t.length) return l;
    const auto& spec = *t.length;
    if (spec.kind == "nul") l.kind = Length::Kind::Nul;
    else if (spec.kind == "out") {
      l.kind = Length::Kind::OutParam;
      int i = index_of(spec.value);
      if (i < 0) error(t.length.where, fmt::format("length: {{out: {}}} is not a parameter of '{}'", spec.value, decl_.name));
      else l.value = names_[static_cast<size_t>(i)];
    } else if (spec.kind == "call") {
      l.kind = Length::Kind::Call;
      l.value = spec.value;
    } else {
      l.kind = Length::Kind::Expr;
      l.value = spec.value;
    }
    return l;
  }

  /// What `nullable:` says a NULL result or output means, when it says anything.
  std::optional<NullMeaning> stated_null_meaning(const config::TransferSpec& t) {
    if (!t.nullable) return std::nullopt;
    const std::string& n = *t.nullable;
    if (n == "absent" || n == "true") return NullMeaning::Absent;
    if (n == "empty") return NullMeaning::Empty;
    if (n == "error") return NullMeaning::Error;
    if (n == "false" || n == "never") return NullMeaning::Never;
    error(t.nullable.where, fmt::format("unknown nullable '{}' for a result", n), "nullable: absent | empty | error | false");
    return std::nullopt;
  }

  NullMeaning null_meaning(const CType& r) {
    if (auto stated = stated_null_meaning(spec_.returns)) return *stated;
    if (fn_.result.kind == ResultKind::NullError) return NullMeaning::Error;
    if (decl_.attributes.returns_nonnull || r.nullability == CType::Nullability::NonNull) return NullMeaning::Never;
    // Safe default: a NULL nobody explained is reported as absent, never dereferenced.
    return NullMeaning::Absent;
  }

  // ---- cross-references ----------------------------------------------------------------------
  void check_references() {
    auto check_from = [&](const Lifetime& l, const SourceLocation& where) {
      if (l.own != Own::Borrowed || l.from.empty()) return;
      int src = index_of(l.from);
      if (src < 0) return;
      const Param& source = fn_.params[static_cast<size_t>(src)];
      if (source.type.kind != TypeKind::Handle || (source.role != ParamRole::Self && source.role != ParamRole::Input))
        error(where, fmt::format("'{}' borrows from '{}', which is not a handle", decl_.name, l.from),
              "a borrow must come from a handle parameter that keeps the memory alive");
    };
    check_from(fn_.returns_lifetime, spec_.returns.from.where.known() ? spec_.returns.from.where : fn_.location);
    for (size_t i = 0; i < fn_.params.size(); ++i)
      check_from(fn_.params[i].lifetime, specs_[i].transfer.from.where.known() ? specs_[i].transfer.from.where : fn_.params[i].location);
    for (size_t i = 0; i < fn_.params.size(); ++i)
      if (fn_.params[i].lifetime.consumed_on_success && fn_.result.kind != ResultKind::Status &&
          fn_.result.kind != ResultKind::Count && fn_.result.kind != ResultKind::NullError)
        error(specs_[i].transfer.when.where, fmt::format("'{}' takes '{}' over when it succeeds, but its result says nothing of success",
                                                         decl_.name, names_[i]),
              "give the function a result: convention (results:) that tells success from failure");
    // A buffer whose count comes back as the return value turns the result into that count.
    if (written_by_return_ && fn_.result.kind == ResultKind::Value && fn_.returns.kind != TypeKind::Scalar)
      error(fn_.location, fmt::format("'{}' says written: return, but returns '{}'", decl_.name, decl_.signature.result.spelling));
    for (size_t i = 0; i < fn_.params.size(); ++i) {
      const auto& p = fn_.params[i];
      if ((p.role == ParamRole::Length || p.role == ParamRole::Capacity) && p.length_of != "return") {
        int target = index_of(p.length_of);
        if (target >= 0 && hidden_[static_cast<size_t>(target)] && fn_.params[static_cast<size_t>(target)].role != ParamRole::Buffer &&
            fn_.params[static_cast<size_t>(target)].role != ParamRole::Fixed)
          error(specs_[i].where, fmt::format("'{}' is the length of '{}', which is itself hidden", p.name, p.length_of));
      }
    }
  }

  void name_function() {
    if (spec_.name) {
      fn_.name = *spec_.name;
      return;
    }
    std::string name = ctx_.stripped(decl_.name);
    if (!fn_.class_name.empty()) {
      if (const Handle* h = ctx_.module.find_handle(fn_.class_name)) {
        std::string base = h->c_name;
        for (const char* keyword : {"struct ", "union "})
          if (base.rfind(keyword, 0) == 0) base = base.substr(std::string(keyword).size());
        std::string class_prefix = ctx_.stripped(strip_type_suffix(base)) + "_";
        name = strip_prefix(name, class_prefix);
      }
    }
    fn_.name = snake_case(name);
  }

  void error(const SourceLocation& where, const std::string& message, const std::string& hint = {}) {
    ctx_.diags.error(where.known() ? where : decl_.location, message, hint);
  }

  LoweringContext& ctx_;
  const frontend::FunctionDecl& decl_;
  const config::FunctionSpec& spec_;
  const std::vector<std::string>& names_;
  std::vector<config::ParamSpec> specs_;
  std::vector<bool> hidden_;
  Function fn_;
  int self_index_ = -1;
  bool written_by_return_ = false;
};

}  // namespace

int param_index(const std::string& key, const std::vector<std::string>& names) {
  if (key.size() > 1 && key[0] == '$') {
    size_t used = 0;
    int index = -1;
    try {
      index = std::stoi(key.substr(1), &used);
    } catch (const std::exception&) {
      return -1;
    }
    bool whole = used == key.size() - 1;
    return whole && index >= 0 && index < static_cast<int>(names.size()) ? index : -1;
  }
  auto it = std::find(names.begin(), names.end(), key);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

void lower_function(LoweringContext& ctx, const frontend::FunctionDecl& decl, const config::FunctionSpec& spec,
                    const std::vector<std::string>& names) {
  FunctionLowering(ctx, decl, spec, names).run();
}

}  // namespace bindery::ir
