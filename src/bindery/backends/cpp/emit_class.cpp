#include "bindery/backends/cpp/emit_class.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "bindery/backends/cpp/emit_function.hpp"
#include "bindery/backends/cpp/names.hpp"

namespace bindery::backends::cpp {

namespace {

/// close() reports the destroy function's error only when it has a status convention.
bool close_can_throw(const ClassPlan& cls) {
  return cls.destroy != nullptr && (cls.destroy->result.kind == ir::ResultKind::Status ||
                                    cls.destroy->result.kind == ir::ResultKind::Count);
}

/// What close() throws, for its doc comment.
std::string close_reports(const ClassPlan& cls, bool kept_callbacks) {
  std::string s = close_can_throw(cls) ? " and throws its error" : "";
  if (kept_callbacks) s += (s.empty() ? " and throws" : " or") + std::string(" an exception a callback threw meanwhile");
  return s;
}

/// Whether a generated line calls C function `fn` (qualified or not).
bool calls(const std::string& line, const std::string& fn) {
  for (auto at = line.find(fn + "("); at != std::string::npos; at = line.find(fn + "(", at + 1)) {
    const char before = at == 0 ? ' ' : line[at - 1];
    if (!std::isalnum(static_cast<unsigned char>(before)) && before != '_') return true;
  }
  return false;
}

/// The members holding callables of scope `owner` that the class's methods install.
std::vector<std::string> owner_slots(const ClassPlan& cls) {
  std::vector<std::string> slots;
  for (const auto& m : cls.members) slots.insert(slots.end(), m.owner_slots.begin(), m.owner_slots.end());
  return slots;
}

/// The first statement around a destructor's destroy call (a binding with kept callbacks): an
/// exception a callback throws during it goes to bindery's handler, since a destructor cannot throw.
std::string destructor_guard(const ir::Handle& h) {
  return fmt::format("const bindery::detail::destructor_callback_errors callback_errors_({});", string_literal(h.name));
}

/// `c_type`, the C object type (not for a handle declared on a pointer typedef: its pointee, e.g.
/// `const char`, says nothing about the object), and `c_pointer`, what c_ptr() returns.
void emit_c_type_aliases(const ir::Handle& h, Writer& w) {
  if (h.pinned || h.pointer_c_type.empty() || h.pointer_c_type.ends_with("*"))
    w.line(fmt::format("using c_type = {};", h.c_name));
  if (!h.pinned) w.line(fmt::format("using c_pointer = {};", handle_pointer(h)));
}

/// `c_ptr()` and `c_ptr_or_throw()`, the same in an owner, a borrowed class and a Ref: `pointer` is
/// the C pointer type, `name` the class named in the use-after-close error.
void emit_c_ptr_accessors(const std::string& pointer, const std::string& name, const std::string& doc, Writer& w) {
  if (!doc.empty()) w.doc(doc);
  w.line(fmt::format("{} c_ptr() const noexcept {{ return p_; }}", pointer));
  w.doc("The C handle; throws bindery::use_after_close when closed.");
  w.line(fmt::format("{} c_ptr_or_throw() const {{", pointer));
  w.line(fmt::format("  if (p_ == nullptr) bindery::detail::throw_closed({});", string_literal(name)));
  w.line("  return p_;");
  w.line("}");
}

/// The destructor's doc comment and close()'s declaration, for owners and pinned classes alike
/// (`verb`: "Destroys" / "Ends").
std::string destructor_doc(const ir::Handle& h, const char* verb, bool kept_callbacks) {
  return fmt::format("{} the object with `{}` (an error there is ignored: call close() to see it{}).", verb, h.destroy,
                     kept_callbacks ? "; an exception a callback throws meanwhile goes to "
                                      "bindery::set_destructor_callback_error_handler's handler"
                                    : "");
}
void emit_close_declaration(const ir::Handle& h, const ClassPlan& cls, const char* verb, bool kept_callbacks,
                            Writer& w) {
  w.doc(fmt::format("{} the object now with `{}`{}; calling close() again does nothing, any other method throws "
                    "bindery::use_after_close.",
                    verb, h.destroy, close_reports(cls, kept_callbacks)));
  // Not noexcept even when it cannot throw: a noexcept call of the C destroy function must be
  // guarded for std::terminate, which costs its tail call (examples/tarball/cpp zero-cost test).
  w.line("void close();");
}

void emit_owner_members(const ir::Handle& h, const ClassPlan& cls, bool kept_callbacks, Writer& w) {
  const std::string& n = h.name;
  const std::string c = handle_pointer(h);  // the C pointer type
  const std::vector<std::string> slots = owner_slots(cls);
  w.doc(fmt::format("Takes ownership of `p` (NULL gives a closed {}).", n));
  w.line(fmt::format("[[nodiscard]] static {0} adopt({1} p) noexcept {{ return {0}(p); }}", n, c));
  if (slots.empty()) {
    w.line(fmt::format("{0}({0}&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {{}}", n));
  } else {
    w.line(fmt::format("{0}({0}&& other) noexcept", n));
    w.line("    : p_(std::exchange(other.p_, nullptr)),");
    for (std::size_t i = 0; i < slots.size(); ++i)
      w.line(fmt::format("      {0}(std::move(other.{0})){1}", slots[i], i + 1 < slots.size() ? "," : " {}"));
  }
  w.line(fmt::format("{0}& operator=({0}&& other) noexcept {{", n));
  if (slots.empty()) {
    w.line("  if (this != &other) replace_c_ptr(std::exchange(other.p_, nullptr));");
  } else {
    // Our object is destroyed first, then the callables it used; the other's travel with it.
    w.line("  if (this != &other) {");
    w.line("    replace_c_ptr(std::exchange(other.p_, nullptr));");
    for (const auto& s : slots) w.line(fmt::format("    {0} = std::move(other.{0});", s));
    w.line("  }");
  }
  w.line("  return *this;");
  w.line("}");
  w.line(fmt::format("{0}(const {0}&) = delete;", n));
  w.line(fmt::format("{0}& operator=(const {0}&) = delete;", n));
  w.doc(destructor_doc(h, "Destroys", kept_callbacks));
  w.line(fmt::format("~{}() {{ replace_c_ptr(nullptr); }}", n));
  w.line();
  emit_close_declaration(h, cls, "Destroys", kept_callbacks, w);
  w.doc("False once closed or moved from.");
  w.line("bool is_open() const noexcept { return p_ != nullptr; }");
  w.line("explicit operator bool() const noexcept { return p_ != nullptr; }");
  emit_c_ptr_accessors(c, n, "The C handle for calls the binding does not cover (NULL when closed); this object still owns it.", w);
  w.doc(fmt::format("Gives up ownership: the caller must destroy the returned handle with `{}`.", h.destroy));
  w.line(fmt::format("[[nodiscard]] {} release() noexcept {{ return std::exchange(p_, nullptr); }}", c));
}

void emit_pinned_members(const ir::Handle& h, const ClassPlan& cls, bool kept_callbacks, Writer& w) {
  const std::string& n = h.name;
  const std::string& c = h.c_name;
  // Deleting the copy operations deletes the moves too: the C struct may hold pointers into
  // itself (zlib's state points back at its z_stream), so it must stay where it was initialised.
  w.line(fmt::format("{0}(const {0}&) = delete;", n));
  w.line(fmt::format("{0}& operator=(const {0}&) = delete;", n));
  w.doc(destructor_doc(h, "Ends", kept_callbacks));
  w.line(fmt::format("~{}() {{", n));
  if (kept_callbacks) {
    w.line("  if (!live_) return;");
    w.line(fmt::format("  {}", destructor_guard(h)));
    w.line(fmt::format("  (void)::{}(&s_);", h.destroy));
  } else {
    w.line(fmt::format("  if (live_) (void)::{}(&s_);", h.destroy));
  }
  w.line("}");
  w.line();
  emit_close_declaration(h, cls, "Ends", kept_callbacks, w);
  w.doc("False once closed.");
  w.line("bool is_open() const noexcept { return live_; }");
  w.line("explicit operator bool() const noexcept { return live_; }");
  w.doc("The C struct for calls the binding does not cover (NULL when closed); it must not be moved or "
        "ended by the caller.");
  w.line(fmt::format("{0}* c_ptr() const noexcept {{ return live_ ? const_cast<{0}*>(&s_) : nullptr; }}", c));
  w.doc("The C struct; throws bindery::use_after_close when closed.");
  w.line(fmt::format("{}* c_ptr_or_throw() const {{", c));
  w.line(fmt::format("  if (!live_) bindery::detail::throw_closed({});", string_literal(n)));
  w.line(fmt::format("  return const_cast<{}*>(&s_);", c));
  w.line("}");
}

void emit_pinned_private(const ir::Handle& h, Writer& w) {
  w.doc("Zeroes the struct, sets the preset fields, then lets `init` (a constructor's body) initialise it "
        "in place; if `init` throws, there is nothing to end.");
  w.line("template <class Init>");
  w.line(fmt::format("{}(bindery::detail::pinned_init_t, Init&& init) {{", h.name));
  for (const auto& [field, value] : h.fields_preset) w.line(fmt::format("  s_.{} = {};", field, value));
  w.line("  init(&s_);");
  w.line("  live_ = true;");
  w.line("}");
  w.line(fmt::format("{} s_{{}};", h.c_name));
  w.line("bool live_ = false;");
}

void emit_borrowed_members(const ir::Handle& h, Writer& w) {
  const std::string& n = h.name;
  const std::string c = handle_pointer(h);  // the C pointer type
  w.doc(fmt::format("Wraps `p` without owning it: the library keeps it alive (NULL gives an empty {}).", n));
  w.line(fmt::format("explicit {}({} p) noexcept : p_(p) {{}}", n, c));
  w.line("explicit operator bool() const noexcept { return p_ != nullptr; }");
  emit_c_ptr_accessors(c, n, "The C handle.", w);
}

}  // namespace

void emit_class_declaration(const Context& ctx, const ClassPlan& cls, Writer& w) {
  const ir::Handle& h = *cls.handle;
  const bool owner = h.kind == ir::Handle::Kind::Owned && !h.destroy.empty() && !h.pinned;
  w.line();
  if (!h.doc.empty()) w.doc(h.doc);
  if (h.pinned)
    w.doc(fmt::format("Holds the C `{}` itself, which must not move once initialised: neither copyable nor "
                      "movable (keep it in place, or in a std::unique_ptr).", h.c_name));
  if (!h.parent.empty()) w.doc(fmt::format("Must not outlive the {} it came from.", h.parent));
  if (h.thread == "affine") w.doc("Not thread-safe: use each object from one thread at a time.");
  w.line(fmt::format("class {} {{", h.name));
  w.line(" public:");
  w.indent();
  emit_c_type_aliases(h, w);
  w.line();
  if (h.pinned) emit_pinned_members(h, cls, ctx.has_kept_callbacks(), w);
  else if (owner) emit_owner_members(h, cls, ctx.has_kept_callbacks(), w);
  else emit_borrowed_members(h, w);
  for (const auto& m : cls.members) {
    w.line();
    emit_member_declaration(m, w);
  }
  w.dedent();
  w.line();
  w.line(" private:");
  w.indent();
  if (owner) {
    w.line(fmt::format("explicit {}({} p) noexcept : p_(p) {{}}", h.name, handle_pointer(h)));
    w.line(fmt::format("void replace_c_ptr({} p) noexcept {{", handle_pointer(h)));
    if (ctx.has_kept_callbacks()) {
      w.line(fmt::format("  {} const old = std::exchange(p_, p);", handle_pointer(h)));
      w.line("  if (old == nullptr) return;");
      w.line(fmt::format("  {}", destructor_guard(h)));
      w.line(fmt::format("  (void)::{}(old);", h.destroy));
    } else {
      w.line(fmt::format("  if ({} old = std::exchange(p_, p)) (void)::{}(old);", handle_pointer(h), h.destroy));
    }
    w.line("}");
    if (std::any_of(cls.members.begin(), cls.members.end(), [](const FunctionPlan& m) { return m.consumes_self; })) {
      w.doc("A call consumed the C object (it is destroyed): forget it, and free the callables it kept.");
      w.line("void forget_consumed_c_ptr_() noexcept {");
      w.line("  p_ = nullptr;");
      for (const auto& s : owner_slots(cls)) w.line(fmt::format("  {}.reset();", s));
      w.line("}");
    }
  }
  if (h.pinned) emit_pinned_private(h, w);
  else w.line(fmt::format("{} p_ = nullptr;", handle_pointer(h)));
  // Declared after the C object: members are destroyed in reverse order, so the destructor ends
  // the C object (which may still call its hooks while closing) before their callables go.
  const std::vector<std::string> slots = owner_slots(cls);
  if (!slots.empty())
    w.doc("Callables the C object keeps (scope owner): each replaced when set again, freed after the C object.");
  for (const auto& s : slots) w.line(fmt::format("std::unique_ptr<bindery::detail::kept_callback_base> {};", s));
  w.dedent();
  w.line("};");
}

void emit_class_definitions(const Context& ctx, const ClassPlan& cls, Writer& w) {
  const ir::Handle& h = *cls.handle;
  const bool owner = h.kind == ir::Handle::Kind::Owned && !h.destroy.empty();
  // What close() passes to the destroy function: the released pointer, or the pinned struct.
  const std::string released = h.pinned ? "(live_ = false, &s_)" : "std::exchange(p_, nullptr)";
  if (owner) {
    w.line();
    w.line(fmt::format("inline void {}::close() {{", h.name));
    w.indent();
    w.line(h.pinned ? "if (!live_) return;" : "if (p_ == nullptr) return;");
    // After the destroy call: the callables the C object kept go with it, then an exception one
    // of them threw while it was destroyed leaves close() (before the destroy function's own error).
    auto free_slots = [&] {
      for (const auto& s : owner_slots(cls)) w.line(fmt::format("{}.reset();", s));
      if (ctx.has_kept_callbacks()) w.line("bindery::detail::check_callback_error();");
    };
    if (close_can_throw(cls)) {
      // The destroy function's own plan gives the status check; its receiver is the released
      // pointer (the object counts as closed whatever the destroy function reports).
      FunctionPlan plan = plan_function(ctx, *cls.destroy, cls.handle);
      // A destroy function with extra success codes returns the code it got: close() drops it.
      if (plan.skip.empty() && plan.result_struct.empty() && !plan.body.empty() && plan.body.back() == "return ret_;") {
        plan.body.pop_back();
        plan.return_type = "void";
      }
      if (plan.skip.empty() && plan.return_type == "void") {
        for (auto line : plan.body) {
          const std::string from = "= c_ptr_or_throw();";
          if (line.ends_with(from)) line.replace(line.size() - from.size(), from.size(), "= " + released + ";");
          w.line(line);
          // The C object is gone: the callables it kept go too, before any error is thrown.
          if (calls(line, h.destroy)) free_slots();
        }
      } else {
        w.line(fmt::format("(void)::{}({});", h.destroy, released));
        free_slots();
      }
    } else {
      w.line(fmt::format("(void)::{}({});", h.destroy, released));
      free_slots();
    }
    w.dedent();
    w.line("}");
  }
  for (const auto& m : cls.members) emit_definition(m, h.name, w);
}

namespace {
/// A Ref's copy of an owner's method: a view it returns borrows from the object, not the Ref.
FunctionPlan as_ref_member(FunctionPlan plan) {
  plan.borrows_self = false;
  return plan;
}
}  // namespace

void emit_ref_declaration(const Context& ctx, const ClassPlan& cls, Writer& w) {
  const ir::Handle& h = *cls.handle;
  if (ctx.refs.count(h.name) == 0) return;
  const std::string ref = ctx.ref_type(h);
  w.line();
  w.doc(fmt::format("A borrowed {0}: never destroys it; the {0} must outlive this Ref.", h.name));
  w.line(fmt::format("class {} {{", ref));
  w.line(" public:");
  w.indent();
  emit_c_type_aliases(h, w);
  w.line();
  w.line(fmt::format("explicit {}({} p) noexcept : p_(p) {{}}", ref, handle_pointer(h)));
  w.line(fmt::format("{}(const {}& owner) noexcept : p_(owner.c_ptr()) {{}}  // NOLINT: implicit on purpose", ref,
                     h.name));
  w.doc("A Ref of a temporary owner would dangle.");
  w.line(fmt::format("{}(const {}&& owner) = delete;", ref, h.name));
  w.line("explicit operator bool() const noexcept { return p_ != nullptr; }");
  emit_c_ptr_accessors(handle_pointer(h), ref, "The C handle, which the owner still owns.", w);
  for (const auto& m : cls.members) {
    // A Ref has nowhere to keep a callable, and must not destroy what its owner owns.
    if (!m.is_member || !m.owner_slots.empty() || m.consumes_self) continue;
    w.line();
    emit_member_declaration(as_ref_member(m), w);
  }
  w.dedent();
  w.line();
  w.line(" private:");
  w.line(fmt::format("  {} p_ = nullptr;", handle_pointer(h)));
  w.line("};");
}

void emit_ref_definitions(const Context& ctx, const ClassPlan& cls, Writer& w) {
  const ir::Handle& h = *cls.handle;
  if (ctx.refs.count(h.name) == 0) return;
  for (const auto& m : cls.members)
    if (m.is_member && m.owner_slots.empty() && !m.consumes_self) emit_definition(as_ref_member(m), ctx.ref_type(h), w);
}

}  // namespace bindery::backends::cpp
