#include "bindery/backends/cpp/function_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "bindery/backends/cpp/callback_arguments.hpp"
#include "bindery/backends/cpp/emit_interfaces.hpp"
#include "bindery/backends/cpp/names.hpp"

namespace bindery::backends::cpp {

namespace {

/// One value the generated function hands back (the C result, an out-parameter, a count).
struct Out {
  std::string name;
  std::string type;
  std::string expr;
  std::string doc;
};

/// A C value converted to its C++ form.
struct Converted {
  std::string type;
  std::string expr;
  std::string borrow_from;  ///< param name the view borrows from ("" = not a borrow)
  std::string note;         ///< lifetime note for the doc comment
  bool may_throw = false;
};

bool is_utf16(const ir::Type& t) { return t.kind == ir::TypeKind::Str && t.encoding == "utf16"; }

/// Text the cpp target takes and gives: UTF-8 (or the locale's bytes) as char, UTF-16 as char16_t.
bool supported_text(const ir::Type& t) {
  return t.encoding.empty() || t.encoding == "utf8" || t.encoding == "locale" || t.encoding == "utf16";
}

std::string view_type(const ir::Type& t, bool writable) {
  switch (t.kind) {
    case ir::TypeKind::Str:
      if (is_utf16(t)) return writable ? "std::span<char16_t>" : "std::u16string_view";
      return writable ? "std::span<char>" : "std::string_view";
    case ir::TypeKind::Bytes: return writable ? "std::span<std::byte>" : "std::span<const std::byte>";
    case ir::TypeKind::Slice:
      return fmt::format("std::span<{}{}>", writable ? "" : "const ", scalar_type(t.scalar));
    default: return "";
  }
}

bool is_unsigned(const ir::Type& t) {
  if (t.kind != ir::TypeKind::Scalar) return false;
  switch (t.scalar) {
    case ir::Scalar::U8:
    case ir::Scalar::U16:
    case ir::Scalar::U32:
    case ir::Scalar::U64:
    case ir::Scalar::Bool: return true;
    default: return false;
  }
}

std::string until_note(const ir::Lifetime& lt, const std::string& from) {
  switch (lt.until) {
    case ir::Until::Owner: return "";
    case ir::Until::NextCall: return fmt::format("valid until the next call on `{}`", from);
    case ir::Until::Mutation: return fmt::format("valid until `{}` is modified", from);
    case ir::Until::Calls: {
      std::string calls;
      for (const auto& c : lt.until_calls) calls += (calls.empty() ? "" : ", ") + c;
      return fmt::format("valid until one of {} is called on `{}`", calls, from);
    }
  }
  return "";
}

/// `std::move(x)` returned as is would block copy elision (-Wpessimizing-move): a named local
/// is returned by name, which moves it anyway.
std::string returned_local(const std::string& expr) {
  const std::string open = "std::move(";
  if (!expr.starts_with(open) || !expr.ends_with(")")) return expr;
  std::string inner = expr.substr(open.size(), expr.size() - open.size() - 1);
  bool identifier = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  return identifier ? inner : expr;
}

class Builder {
 public:
  Builder(const Context& ctx, const ir::Function& f, const ir::Handle* owner)
      : ctx_(ctx), f_(f), owner_(owner) {
    for (const auto& p : f.params) params_.push_back(&p);
    std::sort(params_.begin(), params_.end(),
              [](const ir::Param* a, const ir::Param* b) { return a->index < b->index; });
    args_.resize(params_.size());
    plan_.function = &f;
    pinned_init_ = owner != nullptr && owner->pinned && f.role == ir::FunctionRole::Constructor;
  }

  FunctionPlan build();

 private:
  bool fail(std::string why) {
    if (plan_.skip.empty()) plan_.skip = std::move(why);
    return false;
  }
  const ir::Param* find_param(const std::string& name) const {
    for (const auto* p : params_)
      if (p->name == name) return p;
    return nullptr;
  }
  bool is_out_local(const ir::Param& p) const {
    return p.role == ir::ParamRole::Output ||
           (std::find(hidden_.begin(), hidden_.end(), p.name) != hidden_.end() && p.c_type.find('*') != std::string::npos);
  }
  std::string out_local(const ir::Param& p) const { return p.name + "_out"; }
  std::string cxx_name(const ir::Param& p) const { return safe_identifier(p.name); }

  /// Points a C expression from the annotations at the wrapper's names.
  std::string rewrite(std::string expr) const;
  std::string subst_self_rc(std::string expr, const std::string& self, const std::string& rc) const;

  bool plan_params();
  std::string hidden_local(const ir::Param& p) const;
  bool plan_input(const ir::Param& p, std::size_t slot);
  bool plan_output(const ir::Param& p, std::size_t slot);
  bool plan_buffer(const ir::Param& p, std::size_t slot);
  bool plan_length(const ir::Param& p, std::size_t slot);
  void plan_field_buffers(const ir::Param& self, const ir::FieldBuffers& fb);
  bool plan_callback(const ir::Param& p, std::size_t slot);
  bool plan_consumed_self(const ir::Param& self);
  bool plan_host_value(const ir::Param& p, std::size_t slot);
  bool plan_registered_object(const ir::Param& p, std::size_t slot, const ir::Interface& iface);
  bool plan_allocated_copy(const ir::Param& p, std::size_t slot, const std::string& view);
  bool plan_result();
  std::optional<Converted> convert(const ir::Type& t, const ir::Lifetime& lt, const ir::Length& len,
                                   const std::string& c_value, const std::string& c_type);
  void note_borrow(const Converted& c);
  void finish();

  const Context& ctx_;
  const ir::Function& f_;
  const ir::Handle* owner_;
  FunctionPlan plan_;
  std::vector<const ir::Param*> params_;
  std::vector<std::string> args_;  // by position in params_ (sorted by C index)
  std::string self_;               // C name of the receiver param
  std::vector<ParamDecl> cxx_params_;
  std::vector<std::string> pre_, after_call_;
  std::vector<std::string> after_success_;  // after the error check (keeping an owner-scope callable)
  std::vector<std::string> checks_;  // preconditions: before the call
  // Ownership handed to the callee by the call (host-value boxes, blocks from the library's
  // allocator): made after every check, right before the call, so nothing can throw in between.
  std::vector<std::string> boxes_, blocks_;
  std::vector<std::string> errors_;  // the error check: after the call
  std::vector<Out> outs_;           // results besides the C return value
  std::vector<Out> results_;        // the C return value's share (first in a struct)
  std::vector<std::string> hidden_;  // out-params that only carry a length
  std::string eof_condition_;
  bool may_throw_ = false;
  /// A constructor of a pinned class: it initialises the class's own C struct in place, so its
  /// body runs inside the class's private constructor (see finish()).
  bool pinned_init_ = false;
};

std::string Builder::rewrite(std::string expr) const {
  for (const auto* p : params_) {
    if (p->role == ir::ParamRole::Buffer) {
      // The caller's span: C expressions (`written: "strlen(out)"`) want the C pointer.
      expr = replace_identifier(expr, p->name,
                                fmt::format("bindery::detail::pointer_cast<{}>({}.data())", p->c_type, cxx_name(*p)),
                                "");
    } else if (is_out_local(*p)) {
      expr = replace_identifier(expr, p->name, "(&" + out_local(*p) + ")", out_local(*p));
    } else if (cxx_name(*p) != p->name) {
      expr = replace_identifier(expr, p->name, cxx_name(*p), "*" + cxx_name(*p));
    }
  }
  return expr;
}

std::string Builder::subst_self_rc(std::string expr, const std::string& self,
                                   const std::string& rc) const {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = expr.find(from); at != std::string::npos; at = expr.find(from, at + to.size()))
      expr.replace(at, from.size(), to);
  };
  replace_all("${self}", self);
  replace_all("${rc}", rc);
  return rewrite(expr);
}

std::string Builder::hidden_local(const ir::Param& p) const {
  // An in/out count (`written: {inout: n}`) starts as the buffer's capacity; others start at 0.
  std::string type = pointee_type(without_const(p.c_type));
  for (const auto* b : params_)
    if (b->role == ir::ParamRole::Buffer && b->written.kind == ir::Written::Kind::InOut && b->written.value == p.name)
      return fmt::format("{0} {1} = bindery::detail::checked_length<{0}>({2}.size());", type, out_local(p),
                         cxx_name(*b));
  return fmt::format("{} {}{{}};", type, out_local(p));
}

bool Builder::plan_params() {
  // Hidden out-parameters that only report a length (`length: {out: size}`, `written: {out: n}`).
  if (f_.returns_length.kind == ir::Length::Kind::OutParam) hidden_.push_back(f_.returns_length.value);
  for (const auto* p : params_)  // an output's own count (`length: {out: n}` on a `T **` output)
    if (p->role == ir::ParamRole::Output && !p->size.empty()) hidden_.push_back(p->size);
  for (const auto* p : params_)
    if (p->role == ir::ParamRole::Buffer &&
        (p->written.kind == ir::Written::Kind::OutParam || p->written.kind == ir::Written::Kind::InOut))
      hidden_.push_back(p->written.value);

  for (std::size_t i = 0; i < params_.size(); ++i) {
    const ir::Param& p = *params_[i];
    bool ok = true;
    const bool hidden_out = std::find(hidden_.begin(), hidden_.end(), p.name) != hidden_.end() &&
                            p.c_type.find('*') != std::string::npos && p.role != ir::ParamRole::Output;
    if (hidden_out) {
      // A length written by the callee (`length: {out: len}`), lowered as a Length parameter.
      pre_.push_back(hidden_local(p));
      args_[i] = "&" + out_local(p);
      continue;
    }
    switch (p.role) {
      case ir::ParamRole::Self:
        if (owner_ == nullptr || !self_.empty()) {
          ok = plan_input(p, i);
        } else {
          self_ = p.name;
          args_[i] = p.name;
          if (pinned_init_) break;  // the struct being initialised: the init lambda's parameter
          may_throw_ = true;  // closed-handle check
          plan_.is_member = true;
          plan_.is_const = p.c_type.find("const") != std::string::npos;
          pre_.insert(pre_.begin(), fmt::format("{} const {} = c_ptr_or_throw();", handle_pointer(*owner_), p.name));
          if (p.field_buffers) plan_field_buffers(p, *p.field_buffers);
          if (p.lifetime.own == ir::Own::Consumed && !plan_consumed_self(p)) return false;
        }
        break;
      case ir::ParamRole::Input: ok = plan_input(p, i); break;
      case ir::ParamRole::Output: ok = plan_output(p, i); break;
      case ir::ParamRole::Buffer: ok = plan_buffer(p, i); break;
      case ir::ParamRole::Length:
      case ir::ParamRole::Capacity: ok = plan_length(p, i); break;
      case ir::ParamRole::Fixed:
        // `implements:`: the address of an interface's table, defined before every wrapper.
        if (const ir::Interface* iface = ctx_.module.interface_passed_by(p)) {
          const std::string why = interface_failure(ctx_, *iface);
          if (!why.empty()) return fail(fmt::format("parameter `{}`: {}", p.name, why));
        }
        args_[i] = rewrite(p.fixed);
        break;
      case ir::ParamRole::Release:
        // The library calls it once when done with the box (also when the call fails).
        args_[i] = "&bindery::detail::release_host_value";
        break;
      case ir::ParamRole::HostTag: {
        // This binding's own tag: a box another binding made (another tag) is never unboxed here.
        const std::string tag = string_literal("bindery:cpp:" + ctx_.module.library);
        args_[i] = p.c_type.find("const") != std::string::npos ? tag : fmt::format("const_cast<char*>({})", tag);
        break;
      }
      case ir::ParamRole::UserData: {
        // The user data of a callback: its call scope (plan_callback), whatever the order.
        const ir::Param* cb = find_param(p.length_of);
        if (cb == nullptr || !cb->callback)
          return fail(fmt::format("parameter `{}`: user data of no callback", p.name));
        if (cb->callback->destroy == p.name)
          args_[i] = cb->name + "_destroy";  // the destroy-notify plan_callback declares
        else if (cb->callback->scope == ir::Callback::Scope::Call)
          args_[i] = fmt::format("&{}_scope", cb->name);
        else
          args_[i] = cb->name + "_kept.get()";  // the heap callable plan_callback makes
        break;
      }
    }
    if (!ok) return false;
    if (!p.precondition.empty()) {
      checks_.push_back(fmt::format("if (!({}))", rewrite(p.precondition)));
      checks_.push_back(fmt::format("  throw std::invalid_argument({});",
                                    string_literal(f_.c_name + ": precondition failed: " + p.precondition)));
      may_throw_ = true;
    }
  }
  return true;
}

bool Builder::plan_input(const ir::Param& p, std::size_t slot) {
  const std::string name = cxx_name(p);
  const ir::Type& t = p.type;
  auto add = [&](std::string type) { cxx_params_.push_back({std::move(type), name, p.default_value, false}); };
  // A host value is kept by the library (Captured) too, in a box it releases: the switch's
  // plan_host_value.
  if (p.lifetime.own == ir::Own::Captured && t.kind != ir::TypeKind::HostValue) {
    // NUL-terminated text the library keeps: passed as it is (the caller's pointer is what C
    // wants), the doc comment saying the caller keeps it alive, as a C++ API taking a
    // `const char *` it stores says. Other captured kinds have no such idiom yet.
    if (t.kind != ir::TypeKind::Str || !p.size.empty())
      return fail(fmt::format("parameter `{}` is captured beyond the call: not supported by the cpp target yet", p.name));
    plan_.notes.push_back(fmt::format("The library keeps `{}` itself, not a copy: the caller keeps the text alive and "
                                      "unchanged until it is replaced or the object is destroyed.", cxx_name(p)));
  }
  switch (t.kind) {
    case ir::TypeKind::Scalar:
      add(scalar_type(t.scalar));
      args_[slot] = name;
      return true;
    case ir::TypeKind::Enum: {
      if (ctx_.enumeration(t.name) == nullptr) return fail(fmt::format("unknown enum `{}`", t.name));
      add(t.name);
      args_[slot] = fmt::format("static_cast<{}>({})", p.c_type, name);
      return true;
    }
    case ir::TypeKind::Record: {
      if (ctx_.record(t.name) == nullptr) return fail(fmt::format("unknown record `{}`", t.name));
      add(fmt::format("const {}&", t.name));
      if (p.c_type.find('*') != std::string::npos) {
        pre_.push_back(fmt::format("const auto {}_c = {}.to_c();", p.name, name));
        args_[slot] = fmt::format("const_cast<{}>(&{}_c)", without_const(p.c_type), p.name);
      } else {
        args_[slot] = name + ".to_c()";
      }
      return true;
    }
    case ir::TypeKind::Str:
      if (!supported_text(t))
        return fail(fmt::format("parameter `{}`: {} text is not supported by the cpp target yet", p.name, t.encoding));
      if (p.size.empty() && is_utf16(t)) {
        // NUL-terminated UTF-16 (two zero bytes): u16cstring_view guarantees them, nothing is copied.
        if (p.nullable) {
          add("std::optional<bindery::u16cstring_view>");
          args_[slot] = fmt::format("{0} ? bindery::detail::pointer_cast<{1}>({0}->c_str()) : nullptr", name, p.c_type);
        } else {
          add("bindery::u16cstring_view");
          args_[slot] = fmt::format("bindery::detail::pointer_cast<{}>({}.c_str())", p.c_type, name);
        }
        return true;
      }
      if (p.size.empty()) {
        // NUL-terminated: cstring_view guarantees the terminator, so nothing is copied.
        if (p.nullable) {
          add("std::optional<bindery::cstring_view>");
          args_[slot] = fmt::format("{0} ? {0}->c_str() : nullptr", name);
        } else {
          add("bindery::cstring_view");
          args_[slot] = name + ".c_str()";
        }
        if (p.c_type.find("const") == std::string::npos)
          args_[slot] = fmt::format("const_cast<char*>({})", args_[slot]);
        return true;
      }
      [[fallthrough]];
    case ir::TypeKind::Bytes:
    case ir::TypeKind::Slice: {
      std::string vt = view_type(t, false);
      if (p.lifetime.own == ir::Own::Consumed && !p.lifetime.alloc.empty()) return plan_allocated_copy(p, slot, vt);
      if (p.lifetime.own == ir::Own::Consumed)
        return fail(fmt::format("parameter `{}`: a buffer the callee takes over needs `alloc:`", p.name));
      if (p.nullable) {
        add(fmt::format("std::optional<{}>", vt));
        args_[slot] = fmt::format("{0} ? bindery::detail::pointer_cast<{1}>({0}->data()) : nullptr", name, p.c_type);
      } else {
        add(vt);
        // A default-constructed view has data() == nullptr; C callers never pass NULL for a
        // non-nullable buffer, so neither do we (an empty buffer gets a valid pointer).
        args_[slot] = fmt::format("bindery::detail::pointer_cast<{}>(bindery::detail::non_null_data({}))",
                                  p.c_type, name);
      }
      return true;
    }
    case ir::TypeKind::Handle: {
      const ir::Handle* h = ctx_.handle(t.name);
      if (h == nullptr) return fail(fmt::format("unknown handle `{}`", t.name));
      may_throw_ = true;  // closed-handle check
      if (p.lifetime.own == ir::Own::Consumed) {
        if (h->pinned) return fail(fmt::format("parameter `{}`: a pinned {} cannot be taken over", p.name, h->name));
        pre_.push_back(fmt::format("{} const {}_c = {}.c_ptr_or_throw();", handle_pointer(*h), p.name, name));
        args_[slot] = p.name + "_c";
        if (p.lifetime.consumed_on_success) {
          // Taken over only when the call succeeds: an lvalue reference, emptied after the error
          // check, so that on failure the caller's object is still open and usable.
          add(h->name + "&");
          after_success_.push_back(fmt::format("(void){}.release();", name));
          plan_.notes.push_back(fmt::format("`{}` is taken over when the call succeeds (it is closed afterwards); "
                                            "on failure it stays open and usable.", name));
          return true;
        }
        add(h->name + "&&");
        // The callee owns it now, whatever the call returns.
        after_call_.push_back(fmt::format("(void){}.release();", name));
        return true;
      }
      // A handle with a Ref class is taken as a Ref (the owner converts to it implicitly).
      const bool by_ref = ctx_.refs.count(h->name) != 0;
      if (p.nullable) {
        if (by_ref) {
          add(fmt::format("std::optional<{}>", ctx_.ref_type(*h)));
          args_[slot] = fmt::format("{0} ? {0}->c_ptr_or_throw() : nullptr", name);
        } else {
          add(fmt::format("const {}*", h->name));
          args_[slot] = fmt::format("{0} != nullptr ? {0}->c_ptr_or_throw() : nullptr", name);
        }
      } else {
        add(by_ref ? ctx_.ref_type(*h) : fmt::format("const {}&", h->name));
        args_[slot] = name + ".c_ptr_or_throw()";
      }
      return true;
    }
    case ir::TypeKind::Callback: return plan_callback(p, slot);
    case ir::TypeKind::HostValue: return plan_host_value(p, slot);
    case ir::TypeKind::Void:
      return fail(fmt::format("parameter `{}` has type void", p.name));
  }
  return fail("unknown parameter kind");
}

bool Builder::plan_consumed_self(const ir::Param& self) {
  if (owner_->pinned || owner_->kind != ir::Handle::Kind::Owned)
    return fail(fmt::format("parameter `{}`: only an owned, movable {} can be taken over", self.name, owner_->name));
  plan_.consumes_self = true;
  if (self.lifetime.consumed_on_success) {
    // An lvalue member, like close(): `std::move(db).close_strict()` would say "db is gone" where a
    // failure leaves it open, and every use-after-move check would flag the retry.
    after_success_.push_back("forget_consumed_c_ptr_();");
    plan_.notes.push_back("On success the C object is destroyed and this object is closed (as after close()); on "
                          "failure this throws and the object stays open and usable.");
  } else {
    after_call_.push_back("forget_consumed_c_ptr_();");
    plan_.notes.push_back("The C object is destroyed by this call whatever it returns: this object is closed "
                          "afterwards.");
  }
  return true;
}

bool Builder::plan_host_value(const ir::Param& p, std::size_t slot) {
  // Any C++ value, boxed in a heap std::any whose address the library carries; the library frees
  // the box through the Release param, which must exist (else nothing would ever free it).
  const bool released = std::any_of(params_.begin(), params_.end(), [&](const ir::Param* q) {
    return q->role == ir::ParamRole::Release && q->length_of == p.name;
  });
  if (!released) return fail(fmt::format("parameter `{}`: a host value without its release parameter", p.name));
  const std::string name = cxx_name(p);
  // The user data of an interface's table (the function passes `&table` too): the object
  // implementing it, shared with the library until it drops the registration.
  const ir::Interface* iface = nullptr;
  for (const auto* q : params_)
    if (const ir::Interface* passed = ctx_.module.interface_passed_by(*q)) iface = passed;
  if (iface != nullptr) return plan_registered_object(p, slot, *iface);
  cxx_params_.push_back({"std::any", name, "", false});
  if (!p.nullable) {
    // An empty std::any is C++'s "no value": refused before C is called, as other hosts refuse null.
    checks_.push_back(fmt::format("if (!{}.has_value())", name));
    checks_.push_back(fmt::format("  throw std::invalid_argument({});",
                                  string_literal(f_.c_name + ": `" + p.name + "` must hold a value")));
    boxes_.push_back(fmt::format("auto {}_box = bindery::detail::box_host_value(std::move({}));", p.name, name));
  } else {
    boxes_.push_back(fmt::format("auto {0}_box = {1}.has_value() ? bindery::detail::box_host_value(std::move({1})) "
                                 ": nullptr;", p.name, name));
  }
  // The library owns the box from the call on (it releases it even when the call fails).
  args_[slot] = fmt::format("static_cast<{}>({}_box.release())", p.c_type, p.name);
  plan_.notes.push_back(fmt::format("`{}` is moved into a box the library keeps (a copy is what get functions "
                                    "return: store a std::shared_ptr to share one object).", name));
  may_throw_ = true;
  return true;
}

bool Builder::plan_registered_object(const ir::Param& p, std::size_t slot, const ir::Interface& iface) {
  // A std::shared_ptr: the caller may keep and inspect the object, the library holds its own
  // reference (a std::unique_ptr converts). Boxed in a std::any like any host value, so the
  // library's release is the same bindery::detail::release_host_value.
  const std::string name = cxx_name(p);
  const std::string cls = interface_class(iface);
  // An interface made of a function's parameters keeps one object per group: the registration
  // takes the factory that makes them.
  const bool factory = !iface.function.empty();
  const std::string type = factory ? fmt::format("bindery::object_factory<{}>", cls)
                                   : fmt::format("std::shared_ptr<{}>", cls);
  cxx_params_.push_back({type, name, "", false});
  if (p.nullable) return fail(fmt::format("parameter `{}`: an optional object implementing {}", p.name, cls));
  checks_.push_back(factory ? fmt::format("if (!{})", name) : fmt::format("if ({} == nullptr)", name));
  checks_.push_back(fmt::format("  throw std::invalid_argument({});",
                                string_literal(f_.c_name + ": `" + p.name + "` must be an object, not null")));
  boxes_.push_back(fmt::format("auto {}_box = bindery::detail::box_host_value(std::any(std::move({})));", p.name, name));
  args_[slot] = fmt::format("static_cast<{}>({}_box.release())", p.c_type, p.name);
  plan_.notes.push_back(fmt::format("The library keeps `{}` (its {} implement `{}`) until it drops it; it is "
                                    "released even when this call fails.", name, factory ? "objects" : "methods",
                                    interface_class(iface)));
  may_throw_ = true;
  return true;
}

bool Builder::plan_allocated_copy(const ir::Param& p, std::size_t slot, const std::string& view) {
  // The callee takes the buffer over and frees it with its allocator's free, on success and on
  // failure: the caller's bytes are copied into a block from that allocator, made last.
  const std::string name = cxx_name(p);
  auto copy = [&](const std::string& v) {  // `v`: the view; its length in bytes
    const std::string n = p.type.kind == ir::TypeKind::Str ? v + (is_utf16(p.type) ? ".size() * 2" : ".size()")
                                                           : v + ".size_bytes()";
    return fmt::format("bindery::detail::library_block(&::{}, {}.data(), {})", p.lifetime.alloc, v, n);
  };
  if (p.nullable) {
    cxx_params_.push_back({fmt::format("std::optional<{}>", view), name, p.default_value, false});
    blocks_.push_back(fmt::format("void* const {}_block = {} ? {} : nullptr;", p.name, name, copy("(*" + name + ")")));
  } else {
    cxx_params_.push_back({view, name, p.default_value, false});
    blocks_.push_back(fmt::format("void* const {}_block = {};", p.name, copy(name)));
  }
  // The block is a `void *` already: a cast only for a parameter typed otherwise.
  const bool void_pointer = p.c_type == "void *" || p.c_type == "void*";
  args_[slot] = void_pointer ? p.name + "_block" : fmt::format("static_cast<{}>({}_block)", p.c_type, p.name);
  plan_.notes.push_back(fmt::format("`{}` is copied into memory from `{}`, which the library takes over.", name,
                                    p.lifetime.alloc));
  may_throw_ = true;
  return true;
}

void Builder::plan_field_buffers(const ir::Param& self, const ir::FieldBuffers& fb) {
  // The buffers travel in fields of the pinned struct (zlib's next_in/avail_in): the caller passes
  // spans, the wrapper points the fields at them, and reports how much of each the call used.
  auto bind = [&](const std::string& ptr, const std::string& len, const std::string& name, bool writable) {
    if (ptr.empty() || len.empty()) return;
    cxx_params_.push_back({writable ? "std::span<std::byte>" : "std::span<const std::byte>", name, "", false});
    pre_.push_back(fmt::format("{0}->{1} = bindery::detail::pointer_cast<decltype({0}->{1})>("
                               "bindery::detail::non_null_data({2}));", self.name, ptr, name));
    pre_.push_back(fmt::format("{0}->{1} = bindery::detail::checked_length<decltype({0}->{1})>({2}.size());",
                               self.name, len, name));
    const char* what = writable ? "produced" : "consumed";
    outs_.push_back({what, "std::size_t",
                     fmt::format("{}.size() - static_cast<std::size_t>({}->{})", name, self.name, len),
                     fmt::format("bytes of `{}` {}", name, what)});
    may_throw_ = true;  // a span longer than the length field is refused
  };
  bind(fb.in_pointer, fb.in_length, "input", false);
  bind(fb.out_pointer, fb.out_length, "output", true);
}

bool Builder::plan_callback(const ir::Param& p, std::size_t slot) {
  if (!p.callback) return fail(fmt::format("parameter `{}`: a callback without its description", p.name));
  const ir::Callback& cb = *p.callback;
  const bool kept = cb.scope != ir::Callback::Scope::Call;
  if (p.nullable && !kept)
    return fail(fmt::format("parameter `{}`: an optional callback of scope call is not supported by the cpp target yet", p.name));
  if (cb.user_data.empty())
    return fail(fmt::format("parameter `{}`: a callback without user data cannot reach a C++ callable", p.name));
  if (cb.scope == ir::Callback::Scope::Notified && cb.destroy.empty())
    return fail(fmt::format("parameter `{}`: scope notified without its destroy-notify parameter", p.name));
  if (cb.scope == ir::Callback::Scope::Owner && (owner_ == nullptr || self_.empty() || owner_->kind != ir::Handle::Kind::Owned))
    return fail(fmt::format("parameter `{}`: scope owner needs a method of an owned handle to keep the callable in", p.name));

  // The C++ signature the caller's callable gets, and the trampoline (a captureless lambda with
  // the C signature) that finds the callable through the user data and converts each argument.
  CallbackArguments converted = convert_callback_arguments(ctx_, cb);
  if (!converted.failure.empty()) return fail(fmt::format("parameter `{}`: {}", p.name, converted.failure));
  const std::vector<std::string>& cxx_args = converted.types;
  const std::vector<std::string>& call_args = converted.conversions;
  const std::string& user_data_arg = converted.user_data;
  std::vector<std::string> lambda_params;
  // C spells bool `_Bool` (what libclang reports under <stdbool.h>); C++ knows only `bool`, the same type.
  auto cxx_spelling = [](const std::string& c_type) { return replace_identifier(c_type, "_Bool", "bool", ""); };
  for (std::size_t k = 0; k < cb.params.size(); ++k)
    lambda_params.push_back(fmt::format("{} a{}", cxx_spelling(cb.params[k].c_type), k));
  if (converted.lends_views)
    plan_.notes.push_back(fmt::format("The text, buffers and handle arrays `{}` receives are valid only while it runs: copy what it keeps.",
                                      cxx_name(p)));
  if (user_data_arg.empty()) return fail(fmt::format("parameter `{}`: the callback has no user-data argument", p.name));
  const ir::Type ret = cb.ret ? cb.ret->type : ir::Type{};
  std::string cxx_ret = "void", c_ret = "void";
  if (ret.kind == ir::TypeKind::Scalar) {
    cxx_ret = scalar_type(ret.scalar);
  } else if (ret.kind == ir::TypeKind::Enum && ctx_.enumeration(ret.name) != nullptr) {
    cxx_ret = ret.name;
  } else if (ret.kind != ir::TypeKind::Void) {
    return fail(fmt::format("parameter `{}`: the callback's result is not a scalar or enum", p.name));
  }
  if (ret.kind != ir::TypeKind::Void) c_ret = cxx_spelling(cb.ret->c_type.empty() ? ret.c_type : cb.ret->c_type);

  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  const std::string sig = fmt::format("{}({})", cxx_ret, join(cxx_args));
  const std::string name = cxx_name(p);
  may_throw_ = true;
  // The trampoline: a captureless lambda with the C signature, one statement per line.
  auto push_thunk = [&](const std::string& cb, const std::string& params, const std::string& ret,
                        const std::string& statement) {
    pre_.push_back(fmt::format("constexpr auto {}_thunk = []({}) -> {} {{", cb, params, ret));
    pre_.push_back("  " + statement);
    pre_.push_back("};");
  };
  if (!kept) {
    cxx_params_.push_back({fmt::format("bindery::function_ref<{}>", sig), name, "", false});
    pre_.push_back(fmt::format("bindery::detail::call_scope<{}> {}_scope{{{}}};", sig, p.name, name));
    std::string invoke = fmt::format("bindery::detail::call_scope<{}>::from({}).call({})", sig, user_data_arg,
                                     join(call_args));
    std::string body = ret.kind == ir::TypeKind::Void ? invoke + ";" : fmt::format("return static_cast<{}>({});", c_ret, invoke);
    push_thunk(p.name, join(lambda_params), c_ret, body);
    args_[slot] = p.name + "_thunk";
    // The callable's exception, caught in the thunk, is thrown again once C has returned.
    after_call_.push_back(fmt::format("{}_scope.rethrow_if_failed();", p.name));
    return true;
  }

  // Kept after the call: the callable moves to the heap (a std::function, so any copyable
  // callable fits); the user data is its address, which never changes. Who frees it is the scope's
  // business: the library through the destroy-notify, the receiver object, or nobody.
  const std::string kept_type = fmt::format("bindery::detail::kept_callback<{}>", sig);
  cxx_params_.push_back({fmt::format("std::function<{}>", sig), name, "", false});
  if (!p.nullable) {
    // Checked before the callable moves: the library must never receive a NULL it cannot take.
    pre_.push_back(fmt::format("if (!{})", name));
    pre_.push_back(fmt::format("  throw std::invalid_argument({});",
                               string_literal(f_.c_name + ": `" + p.name + "` must be a callable, not empty")));
  }
  pre_.push_back(fmt::format("auto {}_kept = bindery::detail::keep(std::move({}));", p.name, name));
  std::string invoke = fmt::format("{}::from({}).call({})", kept_type, user_data_arg, join(call_args));
  std::string body = ret.kind == ir::TypeKind::Void ? invoke + ";" : fmt::format("return static_cast<{}>({});", c_ret, invoke);
  push_thunk(p.name, join(lambda_params), c_ret, body);
  // No callable (an empty std::function where the library allows NULL) passes NULL, which
  // removes the library's callback.
  args_[slot] = p.nullable ? fmt::format("{0}_kept ? +{0}_thunk : nullptr", p.name) : p.name + "_thunk";
  switch (cb.scope) {
    case ir::Callback::Scope::Notified:
      pre_.push_back(fmt::format("constexpr auto {}_destroy = &{}::destroy;", p.name, kept_type));
      // From here on the library owns it and frees it through the destroy-notify.
      after_call_.push_back(fmt::format("(void){}_kept.release();", p.name));
      break;
    case ir::Callback::Scope::Owner: {
      const std::string member = fmt::format("{}_{}_kept_", f_.name, p.name);
      plan_.owner_slots.push_back(member);
      // Only once the library has taken the new one is the one it replaced freed.
      after_success_.push_back(fmt::format("{} = std::move({}_kept);", member, p.name));
      break;
    }
    case ir::Callback::Scope::Forever:
      // Never released by the library: parked for the process's lifetime (documented leak).
      after_call_.push_back(fmt::format("(void)bindery::detail::keep_forever(std::move({}_kept));", p.name));
      break;
    case ir::Callback::Scope::Call: break;
  }
  return true;
}

bool Builder::plan_length(const ir::Param& p, std::size_t slot) {
  // The length of an input view, or the capacity of an output buffer: taken from the C++ view.
  const ir::Param* of = p.length_of.empty() ? nullptr : find_param(p.length_of);
  if (of == nullptr) {
    for (const auto* q : params_)
      if (q->size == p.name || q->capacity == p.name) of = q;
  }
  if (of == nullptr) return fail(fmt::format("length parameter `{}` measures no parameter", p.name));
  std::string c_type = without_const(p.c_type);
  // Every text length is in bytes, whatever the encoding (SQLite's nBytes): UTF-16 counts two per unit.
  const std::string unit = is_utf16(of->type) ? " * sizeof(char16_t)" : "";
  std::string size_expr = of->nullable && of->role != ir::ParamRole::Buffer
                              ? fmt::format("({0} ? {0}->size(){1} : 0)", cxx_name(*of), unit)
                              : cxx_name(*of) + ".size()" + unit;
  if (c_type.find('*') != std::string::npos) {
    // In/out capacity (`written: {inout: n}`): capacity in, count out.
    std::string value_type = pointee_type(c_type);
    pre_.push_back(fmt::format("{} {} = bindery::detail::checked_length<{}>({});", value_type, out_local(p),
                               value_type, size_expr));
    args_[slot] = "&" + out_local(p);
    may_throw_ = may_throw_ || value_type != "size_t";
    return true;
  }
  pre_.push_back(fmt::format("const {} {} = bindery::detail::checked_length<{}>({});", c_type, p.name,
                             c_type, size_expr));
  args_[slot] = p.name;
  if (c_type != "size_t" && c_type != "std::size_t") may_throw_ = true;
  return true;
}

bool Builder::plan_output(const ir::Param& p, std::size_t slot) {
  std::string value_type = pointee_type(p.c_type);
  if (value_type == p.c_type) return fail(fmt::format("out-parameter `{}` is not a pointer", p.name));
  const bool hidden = std::find(hidden_.begin(), hidden_.end(), p.name) != hidden_.end();
  if (p.inout && !hidden && p.type.kind == ir::TypeKind::Record) {
    // Updated in place: the caller's value goes in, the updated one comes back.
    if (ctx_.record(p.type.name) == nullptr) return fail(fmt::format("unknown record `{}`", p.type.name));
    cxx_params_.push_back({fmt::format("const {}&", p.type.name), cxx_name(p), "", false});
    pre_.push_back(fmt::format("{} {} = {}.to_c();", value_type, out_local(p), cxx_name(p)));
  } else if (p.inout && !hidden) {
    if (p.type.kind != ir::TypeKind::Scalar && p.type.kind != ir::TypeKind::Enum)
      return fail(fmt::format("in/out parameter `{}`: only scalars, enums and records are supported", p.name));
    std::string cxx_type = p.type.kind == ir::TypeKind::Scalar ? scalar_type(p.type.scalar) : p.type.name;
    cxx_params_.push_back({cxx_type, cxx_name(p), "", false});
    pre_.push_back(fmt::format("{} {} = static_cast<{}>({});", value_type, out_local(p), value_type, cxx_name(p)));
  } else if (hidden) {
    pre_.push_back(hidden_local(p));
  } else if (value_type.find('*') != std::string::npos) {
    pre_.push_back(fmt::format("{} {} = nullptr;", value_type, out_local(p)));
  } else {
    pre_.push_back(fmt::format("{} {}{{}};", value_type, out_local(p)));
  }
  args_[slot] = "&" + out_local(p);
  if (hidden) return true;

  // An owned handle is adopted at once, before the error check: with `valid_on_error` the
  // library may hand one back even on failure, and it must still be destroyed.
  if (p.type.kind == ir::TypeKind::Handle && p.lifetime.own == ir::Own::Owned) {
    const ir::Handle* h = ctx_.handle(p.type.name);
    if (h == nullptr) return fail(fmt::format("unknown handle `{}`", p.type.name));
    if (h->pinned) return fail(fmt::format("out-parameter `{}`: a pinned {} is made by its constructors only", p.name, h->name));
    after_call_.push_back(fmt::format("{0} {1}_owner = {0}::adopt({2});", h->name, p.name, out_local(p)));
    std::string type = h->name, expr = fmt::format("std::move({}_owner)", p.name);
    if (p.lifetime.null == ir::NullMeaning::Absent) {
      type = fmt::format("std::optional<{}>", h->name);
      expr = fmt::format("{0}_owner ? {1}(std::move({0}_owner)) : std::nullopt", p.name, type);
    }
    outs_.push_back({p.name, type, expr, p.doc});
    return true;
  }
  // Text, bytes or a slice whose count comes back through a hidden out-parameter: exactly that long.
  ir::Length length;
  if (!p.size.empty()) length = {ir::Length::Kind::OutParam, p.size};
  auto c = convert(p.type, p.lifetime, length, out_local(p), value_type);
  if (!c) return false;
  may_throw_ = may_throw_ || c->may_throw;
  note_borrow(*c);
  outs_.push_back({p.name, c->type, c->expr, p.doc});
  return true;
}

bool Builder::plan_buffer(const ir::Param& p, std::size_t slot) {
  if (is_utf16(p.type)) return fail(fmt::format("buffer `{}`: a UTF-16 output buffer is not supported by the cpp target yet", p.name));
  // The zero-cost form: the caller provides the storage as a span; the count written is returned.
  std::string vt = view_type(p.type, true);
  if (vt.empty()) return fail(fmt::format("buffer `{}`: element type not supported", p.name));
  cxx_params_.push_back({vt, cxx_name(p), "", false});
  args_[slot] = fmt::format("bindery::detail::pointer_cast<{}>(bindery::detail::non_null_data({}))", p.c_type,
                            cxx_name(p));
  // A capacity that is an expression rather than a hidden parameter: the span must hold it.
  bool capacity_param = false;
  for (const auto* q : params_)
    if (q->role == ir::ParamRole::Capacity && (q->length_of == p.name || q->name == p.capacity)) capacity_param = true;
  if (!capacity_param && !p.capacity.empty()) {
    checks_.push_back(fmt::format("if ({}.size() < static_cast<std::size_t>({}))", cxx_name(p), rewrite(p.capacity)));
    checks_.push_back(fmt::format("  throw std::length_error({});",
                                  string_literal(f_.c_name + ": buffer `" + p.name + "` is smaller than " + p.capacity)));
    may_throw_ = true;
  }
  switch (p.written.kind) {
    case ir::Written::Kind::All: break;
    case ir::Written::Kind::Return: break;  // plan_result returns the count
    case ir::Written::Kind::OutParam:
    case ir::Written::Kind::InOut: {
      const ir::Param* n = find_param(p.written.value);
      if (n == nullptr) return fail(fmt::format("buffer `{}`: written count `{}` is no parameter", p.name, p.written.value));
      outs_.push_back({"written", "std::size_t",
                       fmt::format("bindery::detail::result_length({})", out_local(*n)),
                       "elements written to `" + p.name + "`"});
      break;
    }
    case ir::Written::Kind::Expr:
      outs_.push_back({"written", "std::size_t",
                       fmt::format("bindery::detail::result_length({})", rewrite(p.written.value)),
                       "elements written to `" + p.name + "`"});
      break;
  }
  return true;
}

std::optional<Converted> Builder::convert(const ir::Type& t, const ir::Lifetime& lt, const ir::Length& len,
                                          const std::string& v, const std::string& c_type) {
  Converted c;
  switch (t.kind) {
    case ir::TypeKind::Void:
      fail("a void value cannot be returned");
      return std::nullopt;
    case ir::TypeKind::Scalar:
      c.type = scalar_type(t.scalar);
      c.expr = t.scalar == ir::Scalar::Bool ? fmt::format("{} != 0", v) : fmt::format("static_cast<{}>({})", c.type, v);
      return c;
    case ir::TypeKind::Enum:
      if (ctx_.enumeration(t.name) == nullptr) {
        fail(fmt::format("unknown enum `{}`", t.name));
        return std::nullopt;
      }
      c.type = t.name;
      c.expr = fmt::format("static_cast<{}>({})", t.name, v);
      return c;
    case ir::TypeKind::Record:
      if (ctx_.record(t.name) == nullptr || c_type.find('*') != std::string::npos) {
        fail(fmt::format("record result `{}` by pointer is not supported by the cpp target yet", t.name));
        return std::nullopt;
      }
      c.type = t.name;
      c.expr = fmt::format("{}::from_c({})", t.name, v);
      return c;
    case ir::TypeKind::Handle: {
      const ir::Handle* h = ctx_.handle(t.name);
      if (h == nullptr) {
        fail(fmt::format("unknown handle `{}`", t.name));
        return std::nullopt;
      }
      if (lt.own != ir::Own::Owned) {
        // Borrowed: a non-owning Ref that never destroys.
        c.type = ctx_.ref_type(*h);
        c.expr = fmt::format("{}({})", c.type, v);
        if (lt.null == ir::NullMeaning::Absent) {
          c.expr = fmt::format("{0} != nullptr ? std::optional<{1}>({1}({0})) : std::nullopt", v, c.type);
          c.type = fmt::format("std::optional<{}>", c.type);
        }
        if (lt.own == ir::Own::Borrowed && !lt.from.empty()) {
          c.borrow_from = lt.from;
          c.note = until_note(lt, lt.from);
        }
        return c;
      }
      if (h->pinned) {
        fail(fmt::format("a pinned {} is made by its constructors only, not returned", h->name));
        return std::nullopt;
      }
      // A handle the library only lends (`copy:`): its copy, made at once, is what this binding owns.
      const std::string owned = lt.copy.empty() ? v : fmt::format("bindery::detail::copied_or_throw(::{}({}))", lt.copy, v);
      if (!lt.copy.empty()) c.may_throw = true;
      c.type = h->name;
      c.expr = fmt::format("{}::adopt({})", h->name, owned);
      if (lt.null == ir::NullMeaning::Absent) {
        c.type = fmt::format("std::optional<{}>", h->name);
        c.expr = fmt::format("{0} != nullptr ? {1}({2}::adopt({3})) : std::nullopt", v, c.type, h->name, owned);
      }
      return c;
    }
    case ir::TypeKind::Callback:
      fail("callback results are not supported by the cpp target");
      return std::nullopt;
    case ir::TypeKind::HostValue:
      // A box this binding made (the library checked the tag, if any): a copy of its value.
      c.type = "std::optional<std::any>";
      c.expr = fmt::format("bindery::detail::unbox_host_value({})", v);
      c.may_throw = true;  // the copy allocates
      return c;
    case ir::TypeKind::Str:
      if (!supported_text(t)) {
        fail(fmt::format("{} text results are not supported by the cpp target yet", t.encoding));
        return std::nullopt;
      }
      break;
    case ir::TypeKind::Bytes:
    case ir::TypeKind::Slice: break;
  }

  // Text and buffers: a pointer plus a length.
  std::string n;
  switch (len.kind) {
    case ir::Length::Kind::None:
    case ir::Length::Kind::Nul:
      if (t.kind != ir::TypeKind::Str) {
        fail("a byte buffer result needs a `length:`");
        return std::nullopt;
      }
      break;
    case ir::Length::Kind::Expr:
    case ir::Length::Kind::Call: n = fmt::format("bindery::detail::result_length({})", rewrite(len.value)); break;
    case ir::Length::Kind::OutParam: {
      const ir::Param* q = find_param(len.value);
      if (q == nullptr) {
        fail(fmt::format("length out-parameter `{}` not found", len.value));
        return std::nullopt;
      }
      n = fmt::format("bindery::detail::result_length({})", out_local(*q));
      break;
    }
  }

  std::string elem = t.kind == ir::TypeKind::Slice ? scalar_type(t.scalar) : "";
  if (lt.own == ir::Own::Owned) {
    if (lt.free.empty()) {
      fail("an owned text or buffer result needs `free:`");
      return std::nullopt;
    }
    c.may_throw = true;  // the copy allocates
    std::string deleter = "&::" + lt.free;
    if (is_utf16(t)) {
      c.type = "std::u16string";
      c.expr = n.empty() ? fmt::format("bindery::detail::take_u16string({}, {})", v, deleter)
                         : fmt::format("bindery::detail::take_u16string({}, {}, {})", v, n, deleter);
    } else if (t.kind == ir::TypeKind::Str) {
      c.type = "std::string";
      c.expr = n.empty() ? fmt::format("bindery::detail::take_string({}, {})", v, deleter)
                         : fmt::format("bindery::detail::take_string({}, {}, {})", v, n, deleter);
    } else if (t.kind == ir::TypeKind::Bytes) {
      c.type = "std::vector<std::byte>";
      c.expr = fmt::format("bindery::detail::take_bytes({}, {}, {})", v, n, deleter);
    } else {
      c.type = fmt::format("std::vector<{}>", elem);
      c.expr = fmt::format("bindery::detail::take_slice<{}>({}, {}, {})", elem, v, n, deleter);
    }
  } else {
    // Borrowed or static: a view, no copy.
    c.type = view_type(t, false);
    if (is_utf16(t)) {
      // A UTF-16 view: NUL-terminated (a two-byte zero), or `n` bytes long.
      c.expr = n.empty() ? fmt::format("bindery::detail::u16string_view_of({})", v)
                         : fmt::format("bindery::detail::u16string_view_of({}, {})", v, n);
    } else if (t.kind == ir::TypeKind::Str) {
      c.expr = n.empty() ? fmt::format("bindery::detail::string_view_of({})", v)
                         : fmt::format("bindery::detail::string_view_of({}, {})", v, n);
    } else if (t.kind == ir::TypeKind::Bytes) {
      c.expr = fmt::format("bindery::detail::byte_view({}, {})", v, n);
    } else {
      c.expr = fmt::format("bindery::detail::slice_view<{}>({}, {})", elem, v, n);
    }
    if (lt.own == ir::Own::Borrowed && !lt.from.empty()) {
      c.borrow_from = lt.from;
      c.note = until_note(lt, lt.from);
    }
  }
  switch (lt.null) {
    case ir::NullMeaning::Absent:
      c.expr = fmt::format("{} != nullptr ? std::optional<{}>({}) : std::nullopt", v, c.type, c.expr);
      c.type = fmt::format("std::optional<{}>", c.type);
      break;
    case ir::NullMeaning::Empty:
      if (!n.empty()) c.expr = fmt::format("{} != nullptr ? {} : {}{{}}", v, c.expr, c.type);
      break;
    case ir::NullMeaning::Never:
    case ir::NullMeaning::Error: break;
  }
  return c;
}

void Builder::note_borrow(const Converted& c) {
  if (!c.note.empty()) plan_.notes.push_back("The returned view is " + c.note + ".");
  if (c.borrow_from.empty()) return;
  if (c.borrow_from == self_) {
    plan_.borrows_self = true;
    return;
  }
  // Borrowed from another handle argument: mark that parameter lifetimebound.
  const ir::Param* from = find_param(c.borrow_from);
  if (from == nullptr) return;
  for (auto& decl : cxx_params_)
    if (decl.name == cxx_name(*from)) decl.lifetimebound = true;
}

bool Builder::plan_result() {
  const ir::Result& r = f_.result;
  const ir::ErrorConvention* conv = nullptr;
  if (r.kind == ir::ResultKind::Status || r.kind == ir::ResultKind::Count || r.kind == ir::ResultKind::NullError) {
    if (!r.convention.empty()) {
      conv = ctx_.convention(r.convention);
      if (conv == nullptr) return fail(fmt::format("unknown result convention `{}`", r.convention));
    }
  }
  std::string self_expr = r.errors_from.empty() ? self_ : r.errors_from;
  auto add_error_check = [&](const std::string& failed, const std::string& rc) {
    may_throw_ = true;
    ir::ErrorConvention fallback;
    fallback.name = "(none)";
    for (auto& line : error_throw(ctx_, conv != nullptr ? *conv : fallback, f_, failed, rc, self_expr))
      errors_.push_back(subst_self_rc(line, self_expr, rc));
  };
  const bool returns_void = f_.returns.kind == ir::TypeKind::Void;
  switch (r.kind) {
    case ir::ResultKind::Void:
    case ir::ResultKind::Ignore: return true;
    case ir::ResultKind::Value: {
      if (returns_void) return true;
      auto c = convert(f_.returns, f_.returns_lifetime, f_.returns_length, "ret_", f_.returns.c_type);
      if (!c) return false;
      may_throw_ = may_throw_ || c->may_throw;
      note_borrow(*c);
      results_.push_back({"result", c->type, c->expr, ""});
      return true;
    }
    case ir::ResultKind::Bool:
      results_.push_back({"result", "bool", "ret_ != 0", ""});
      return true;
    case ir::ResultKind::BoolOk:
      results_.push_back({"result", "bool", "ret_ == 0", ""});
      return true;
    case ir::ResultKind::Status: {
      std::vector<std::string> ok, eof(r.eof), soft(r.also_ok);
      if (conv != nullptr) {
        ok = conv->ok;
        eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
        soft.insert(soft.end(), conv->soft.begin(), conv->soft.end());
      }
      auto any_of = [](const std::vector<std::string>& codes) {
        std::string s;
        for (const auto& code : codes) s += (s.empty() ? "" : " || ") + fmt::format("ret_ == {}", code);
        return s;
      };
      std::string failed;
      if (!ok.empty()) {
        std::vector<std::string> fine = ok;
        fine.insert(fine.end(), soft.begin(), soft.end());
        fine.insert(fine.end(), eof.begin(), eof.end());
        failed = fmt::format("!({})", any_of(fine));
        if (fine.size() == 1) failed = fmt::format("ret_ != {}", fine[0]);
      } else if ((conv == nullptr || conv->negative_is_error) && !is_unsigned(f_.returns)) {
        failed = "ret_ < 0";
      } else {
        failed = "ret_ != 0";
      }
      if (!failed.empty()) add_error_check(failed, "ret_");
      // With out-parameters, "no more" makes the outputs absent (an iterator step); without
      // any, the non-error code itself is the answer (a poll), so it is returned.
      const bool has_outputs = std::any_of(params_.begin(), params_.end(), [&](const ir::Param* p) {
        return p->role == ir::ParamRole::Output &&
               std::find(hidden_.begin(), hidden_.end(), p->name) == hidden_.end();
      });
      if (has_outputs && !eof.empty()) eof_condition_ = any_of(eof);
      if (!has_outputs && (!soft.empty() || !eof.empty()))
        results_.push_back({"status", scalar_type(f_.returns.scalar), "ret_", "the non-error code returned"});
      return true;
    }
    case ir::ResultKind::Count: {
      // "No more" codes (e.g. -1 = not found) make the count absent instead of an error.
      std::vector<std::string> eof(r.eof);
      if (conv != nullptr) eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
      std::string not_eof;
      for (const auto& code : eof) not_eof += fmt::format(" && ret_ != {}", code);
      if (!is_unsigned(f_.returns)) add_error_check("ret_ < 0" + not_eof, "ret_");
      if (!eof.empty()) {
        std::string any;
        for (const auto& code : eof) any += (any.empty() ? "" : " || ") + fmt::format("ret_ == {}", code);
        eof_condition_ = any;
      }
      bool buffer_count = std::any_of(params_.begin(), params_.end(), [](const ir::Param* p) {
        return p->role == ir::ParamRole::Buffer && p->written.kind == ir::Written::Kind::Return;
      });
      if (buffer_count)
        results_.push_back({"written", "std::size_t", "static_cast<std::size_t>(ret_)", "elements written"});
      else
        results_.push_back({"count", scalar_type(f_.returns.scalar), "ret_", ""});
      return true;
    }
    case ir::ResultKind::NullError: {
      add_error_check("ret_ == nullptr", "");
      ir::Lifetime lt = f_.returns_lifetime;
      lt.null = ir::NullMeaning::Never;
      auto c = convert(f_.returns, lt, f_.returns_length, "ret_", f_.returns.c_type);
      if (!c) return false;
      may_throw_ = may_throw_ || c->may_throw;
      note_borrow(*c);
      results_.push_back({"result", c->type, c->expr, ""});
      return true;
    }
  }
  return true;
}

void Builder::finish() {
  // Defaults only count in a trailing run (C++ allows no default before a non-default).
  for (std::size_t i = cxx_params_.size(); i-- > 0;) {
    if (cxx_params_[i].default_value.empty()) {
      for (std::size_t j = 0; j < i; ++j) cxx_params_[j].default_value.clear();
      break;
    }
  }
  plan_.params = cxx_params_;

  std::string args;
  for (const auto& a : args_) args += (args.empty() ? "" : ", ") + a;
  // `::` keeps the C function apart from a generated one (or a parameter) of the same name, when
  // there is no prefix to strip. Otherwise the call is unqualified, so that a function-like macro
  // of the same name (zlib's gzgetc fast path) expands as it would in C; `::gzgetc(...)` would not
  // even compile.
  bool clash = ctx_.cxx_function_names.count(f_.c_name) != 0;
  for (const auto* p : params_) clash = clash || cxx_name(*p) == f_.c_name || p->name == f_.c_name;
  std::string call = fmt::format("{}{}({})", clash ? "::" : "", f_.c_name, args);

  auto& body = plan_.body;
  body.insert(body.end(), pre_.begin(), pre_.end());
  body.insert(body.end(), checks_.begin(), checks_.end());
  body.insert(body.end(), boxes_.begin(), boxes_.end());
  body.insert(body.end(), blocks_.begin(), blocks_.end());
  const bool returns_value = f_.result.kind != ir::ResultKind::Void && f_.result.kind != ir::ResultKind::Ignore &&
                             f_.returns.kind != ir::TypeKind::Void;
  if (f_.result.kind == ir::ResultKind::Ignore && f_.returns.kind != ir::TypeKind::Void)
    body.push_back("(void)" + call + ";");
  else if (returns_value)
    body.push_back("const auto ret_ = " + call + ";");
  else
    body.push_back(call + ";");
  body.insert(body.end(), after_call_.begin(), after_call_.end());
  // A kept callback the library ran during this call may have thrown: it leaves from here. A
  // destroy function is checked by close() (emit_class.cpp), and its destructor reports instead
  // of throwing. A pinned constructor checks inside its init, below.
  const bool destroys = f_.role == ir::FunctionRole::Destructor || ctx_.handle_destroyed_by(f_.c_name) != nullptr;
  const bool check_kept = ctx_.has_kept_callbacks() && !destroys && !pinned_init_;
  // An owned result gets its C++ owner before the check, so that an exception leaving here frees
  // it (the owner's destructor, or the copy already made) instead of leaking it.
  const bool owned_result = f_.returns_lifetime.own == ir::Own::Owned && f_.returns.kind != ir::TypeKind::Void;
  if (check_kept && owned_result && results_.size() == 1) {
    body.push_back(fmt::format("auto result_ = {};", results_[0].expr));
    results_[0].expr = "std::move(result_)";
  }
  // A function installing an owner-scope callable checks last: the member must hold what the
  // library now holds before anything (an exception left by another callback) is thrown.
  if (check_kept && after_success_.empty()) body.push_back("bindery::detail::check_callback_error();");
  body.insert(body.end(), errors_.begin(), errors_.end());
  body.insert(body.end(), after_success_.begin(), after_success_.end());
  if (check_kept && !after_success_.empty()) body.push_back("bindery::detail::check_callback_error();");
  if (pinned_init_ && ctx_.has_kept_callbacks() && !owner_->destroy.empty()) {
    // The struct is initialised, but the object is not made until this returns: an exception a
    // callback left must end the struct here (its destructor will never run) before it leaves.
    body.push_back("if (bindery::detail::callback_failed) [[unlikely]] {");
    body.push_back(fmt::format("  (void)::{}({});", owner_->destroy, self_));
    body.push_back("  bindery::detail::rethrow_callback_error();");
    body.push_back("}");
  }

  std::vector<Out> values = results_;
  values.insert(values.end(), outs_.begin(), outs_.end());
  std::string value_type;
  std::string value_expr;
  if (values.size() == 1) {
    value_type = values[0].type;
    value_expr = values[0].expr;
  } else if (values.size() > 1) {
    plan_.result_struct = (owner_ != nullptr ? owner_->name : std::string()) + camel_case(f_.name) + "Result";
    value_type = plan_.result_struct;
    value_expr = value_type + "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
      plan_.result_fields.push_back({values[i].type, safe_identifier(values[i].name), values[i].doc});
      value_expr += (i ? ", " : "") + values[i].expr;
    }
    value_expr += "}";
  }
  if (!eof_condition_.empty()) {
    body.push_back(fmt::format("if ({})", eof_condition_));
    if (value_type.empty()) {
      body.push_back("  return false;");
      body.push_back("return true;");
      plan_.return_type = "bool";
    } else {
      body.push_back("  return std::nullopt;");
      plan_.return_type = fmt::format("std::optional<{}>", value_type);
      body.push_back(fmt::format("return {}({});", plan_.return_type, value_expr));
    }
  } else if (!value_type.empty()) {
    plan_.return_type = value_type;
    body.push_back(fmt::format("return {};", returned_local(value_expr)));
  }
  if (pinned_init_) {
    if (plan_.return_type != "void") {
      fail("a constructor of a pinned class that also returns values is not supported by the cpp target");
      return;
    }
    // The class cannot move, so the factory returns a prvalue (guaranteed elision) built by the
    // private constructor, which presets the fields and runs this body on its own struct.
    std::vector<std::string> init = {fmt::format("return {}(bindery::detail::pinned_init, [&]({}* const {}) {{",
                                                 owner_->name, owner_->c_name, self_)};
    for (const auto& line : body) init.push_back("  " + line);
    init.push_back("});");
    body = std::move(init);
    plan_.return_type = owner_->name;
  }
  // Not `noexcept` even when nothing here throws: the C function is not known not to throw, so a
  // noexcept wrapper must guard the call for std::terminate and loses the tail call (measured by
  // examples/double_input/cpp/zero_cost.cmake). Zero cost wins; the C call itself never throws.
  (void)may_throw_;
  plan_.is_noexcept = false;
}

FunctionPlan Builder::build() {
  std::string name = f_.name.empty() ? f_.c_name : f_.name;
  // deflateInit_ -> deflate_init: a constructor's trailing `_` is C's "the macro wraps me" mark.
  if (f_.role == ir::FunctionRole::Constructor)
    while (name.size() > 1 && name.back() == '_') name.pop_back();
  plan_.name = safe_identifier(name);
  // `Foo::new_(...)` reads badly: a constructor called `new` is `create` in C++.
  if (plan_.name == "new_" && f_.role == ir::FunctionRole::Constructor) plan_.name = "create";
  plan_.is_static_member = owner_ != nullptr && (f_.role == ir::FunctionRole::Constructor ||
                                                 f_.role == ir::FunctionRole::Static);
  if (!plan_params()) return plan_;
  if (!plan_result()) return plan_;
  finish();
  if (!plan_.skip.empty()) return plan_;
  if (plan_.is_static_member) {
    plan_.is_member = false;
    plan_.borrows_self = false;
  }
  return plan_;
}

}  // namespace

std::vector<std::string> error_throw(const Context& ctx, const ir::ErrorConvention& conv, const ir::Function& f,
                                     const std::string& failed, const std::string& rc, const std::string& self) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("if ({}) {{", failed));
  // errno first: the message getter may overwrite it.
  const bool has_errno = !conv.errno_expr.empty();
  if (has_errno) lines.push_back(fmt::format("  const int errno_ = {};", conv.errno_expr));
  std::string fallback = string_literal(f.c_name + " failed");
  std::string message = "nullptr";
  const bool uses_self = conv.message.find("${self}") != std::string::npos;
  if (!conv.message.empty() && !(uses_self && self.empty())) message = conv.message;
  std::string code = !conv.code.empty() ? conv.code : (rc.empty() ? std::string("0") : rc);
  std::string cls = ctx.exception_class(conv);
  if (!conv.kinds.empty()) {
    // The code is read once; a code with a kind throws that kind's class (bad_alloc for memory).
    lines.push_back(fmt::format("  const long long code_ = static_cast<long long>({});", code));
    code = "code_";
    for (const auto& k : conv.kinds) {
      if (k.kind == ir::ErrorKind::NoMemory) {
        lines.push_back(fmt::format("  if (code_ == {}) bindery::detail::throw_no_memory();", k.code));
        continue;
      }
      const char* kind_cls = k.kind == ir::ErrorKind::InvalidArgument ? "InvalidArgument" : "OutOfRange";
      lines.push_back(fmt::format("  if (code_ == {}) bindery::detail::throw_error<{}>({}, {}, code_, {});", k.code,
                                  kind_cls, message, fallback, has_errno ? "errno_" : "0"));
    }
  }
  // The message is read here, at the failure; building and throwing the exception is out of line.
  if (cls == "std::system_error") {
    lines.push_back(fmt::format("  bindery::detail::throw_system_error({}, {}, {});",
                                has_errno ? "errno_" : fmt::format("static_cast<int>({})", code), message, fallback));
  } else {
    lines.push_back(fmt::format("  bindery::detail::throw_error<{}>({}, {}, static_cast<long long>({}), {});", cls,
                                message, fallback, code, has_errno ? "errno_" : "0"));
  }
  lines.push_back("}");
  return lines;
}

FunctionPlan plan_function(const Context& ctx, const ir::Function& f, const ir::Handle* owner) {
  return Builder(ctx, f, owner).build();
}

}  // namespace bindery::backends::cpp
