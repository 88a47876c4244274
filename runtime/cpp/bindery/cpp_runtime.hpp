// bindery C++ runtime: the few helpers every generated C++ header uses.
//
// Copied verbatim next to each generated header by `bindery generate --target cpp`, so a generated
// binding builds offline with nothing but a C++20 compiler. Everything here is inline and small:
// the wrappers must compile to the same instructions as the direct C call plus the checks a careful
// C caller writes anyway (a NULL test, an error-code test).
#pragma once
// Also guarded by a macro: two generated bindings in one program each carry a copy of this file
// (`<out>/bindery/cpp_runtime.hpp`), and `#pragma once` only knows one path from another.
#ifndef BINDERY_CPP_RUNTIME_HPP
#define BINDERY_CPP_RUNTIME_HPP

#include <any>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <system_error>
#include <type_traits>
#include <vector>

// Borrowed results name what they borrow from; clang then diagnoses views that outlive their owner.
// GCC has no such attribute (it would warn about an unknown one), so there it expands to nothing.
#if defined(__clang__)
#define BINDERY_LIFETIMEBOUND [[clang::lifetimebound]]
#else
#define BINDERY_LIFETIMEBOUND
#endif

namespace bindery {

/// Base of every generated library's exception: the library's message read at the failure, the
/// status code it returned (0 for a NULL-pointer failure) and `errno` when the convention reads it.
class error : public std::runtime_error {
 public:
  error(const std::string& message, long long code, int sys_errno = 0)
      : std::runtime_error(message), code_(code), sys_errno_(sys_errno) {}
  long long code() const noexcept { return code_; }
  int sys_errno() const noexcept { return sys_errno_; }

 private:
  long long code_;
  int sys_errno_;
};

/// A method was called on a closed (or moved-from) handle: a programming error, never UB.
class use_after_close : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// A NUL-terminated string argument. Unlike std::string_view it guarantees the terminator the C
/// function needs, so passing it costs nothing (no copy). It never holds NULL.
class cstring_view {
 public:
  constexpr cstring_view(const char* s) noexcept : p_(s) {}  // NOLINT: implicit on purpose
  /// A std::string with an embedded NUL would be silently cut short by C: refused instead.
  cstring_view(const std::string& s) : p_(s.c_str()) {  // NOLINT: implicit on purpose
    if (std::memchr(s.data(), '\0', s.size()) != nullptr)
      throw std::invalid_argument("bindery: string argument contains an embedded NUL");
  }
  cstring_view(std::nullptr_t) = delete;
  constexpr const char* c_str() const noexcept { return p_; }
  operator std::string_view() const noexcept { return p_; }

 private:
  const char* p_;
};

/// A NUL-terminated UTF-16 string argument (native-endian code units, two zero bytes at the end):
/// the UTF-16 twin of cstring_view. Code units pass unchanged: C++ has no encoding to check, so an
/// unpaired surrogate reaches the library as it is (what the library makes of it is its business).
class u16cstring_view {
 public:
  constexpr u16cstring_view(const char16_t* s) noexcept : p_(s) {}  // NOLINT: implicit on purpose
  /// A std::u16string with an embedded NUL would be silently cut short by C: refused instead.
  u16cstring_view(const std::u16string& s) : p_(s.c_str()) {  // NOLINT: implicit on purpose
    if (s.find(u'\0') != std::u16string::npos)
      throw std::invalid_argument("bindery: string argument contains an embedded NUL");
  }
  u16cstring_view(std::nullptr_t) = delete;
  constexpr const char16_t* c_str() const noexcept { return p_; }
  operator std::u16string_view() const noexcept { return p_; }

 private:
  const char16_t* p_;
};

template <class Signature>
class function_ref;

/// A non-owning reference to any callable with this signature: a lambda (captures included), a
/// functor, a function pointer. Two pointers, no allocation; it must not outlive the callable,
/// which is why the generated API takes it only for callbacks used during the call (scope `call`).
template <class R, class... Args>
class function_ref<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, function_ref> && std::is_invocable_r_v<R, F&, Args...>)
  function_ref(F&& f) noexcept  // NOLINT: implicit on purpose, like std::function
      : call_(&invoke<std::remove_reference_t<F>>) {
    if constexpr (std::is_function_v<std::remove_reference_t<F>>)
      target_.fn = reinterpret_cast<void (*)()>(&f);  // function pointers round-trip through any other
    else
      target_.obj = const_cast<void*>(static_cast<const void*>(std::addressof(f)));
  }
  R operator()(Args... args) const { return call_(target_, std::forward<Args>(args)...); }

 private:
  /// A callable object's address, or a function's (ISO C++ keeps the two kinds of pointer apart).
  union Target {
    void* obj;
    void (*fn)();
  };
  template <class F>
  static R invoke(Target t, Args... args) {
    F& f = [&]() -> F& {
      if constexpr (std::is_function_v<F>)
        return *reinterpret_cast<F*>(t.fn);
      else
        return *static_cast<F*>(t.obj);
    }();
    if constexpr (std::is_void_v<R>)
      std::invoke(f, std::forward<Args>(args)...);  // a result the C side does not take is dropped
    else
      return std::invoke(f, std::forward<Args>(args)...);
  }
  Target target_{};
  R (*call_)(Target, Args...) = nullptr;
};

namespace detail {

template <class Signature>
class call_scope;

/// What a `call`-scope callback's user data points at during the C call. An exception thrown by
/// the callable must not unwind through the C library's frames: it is caught here, the C library
/// gets a value-initialised result (0 / false), later calls do not reach the callable any more, and
/// the wrapper rethrows it once the C function has returned.
template <class R, class... Args>
class call_scope<R(Args...)> {
 public:
  explicit call_scope(function_ref<R(Args...)> f) noexcept : f_(f) {}
  call_scope(const call_scope&) = delete;
  call_scope& operator=(const call_scope&) = delete;

  static call_scope& from(void* user_data) noexcept { return *static_cast<call_scope*>(user_data); }

  template <class... A>
  R call(A&&... args) noexcept {
    if (error_) return R();
    try {
      return f_(std::forward<A>(args)...);
    } catch (...) {
      error_ = std::current_exception();
      return R();
    }
  }
  /// After the C call: the callable's exception, if it threw.
  void rethrow_if_failed() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  function_ref<R(Args...)> f_;
  std::exception_ptr error_;
};

// ---- callbacks kept after the call (scopes notified, owner, forever) ----------------------------
//
// The library calls them later, from inside some other C call, so an exception they throw cannot
// reach the code that registered them, and it must not unwind through the library's C frames
// either. It is caught at the C boundary and parked in this thread's pending slot; every generated
// wrapper of a binding with kept callbacks looks at the slot after its C call and rethrows it, so
// the exception leaves the C++ call during which the library ran the callback (for SQLite, the
// step() that committed; for an emitter, emit()). While an exception is pending, kept callbacks
// on this thread are not run (the library gets a value-initialised result: 0 / false).
// docs/adr/cpp-kept-callback-errors.md records the choice.

/// Set while this thread holds an exception from a kept callback. A plain bool with a constant
/// initialiser: the wrappers' hot-path test is one thread-local load and a branch.
inline constinit thread_local bool callback_failed = false;

/// The parked exception itself (touched only on the cold paths).
inline std::exception_ptr& pending_callback_error() noexcept {
  thread_local std::exception_ptr error;
  return error;
}

/// Rethrows (and clears) the exception a kept callback left on this thread.
[[noreturn, gnu::cold, gnu::noinline]] inline void rethrow_callback_error() {
  callback_failed = false;
  std::exception_ptr error = std::exchange(pending_callback_error(), nullptr);
  std::rethrow_exception(error);
}

/// What a wrapper calls after its C call: free of cost unless a kept callback threw.
inline void check_callback_error() {
  if (callback_failed) [[unlikely]]
    rethrow_callback_error();
}

}  // namespace detail

/// Hears about an exception that a kept callback threw while a destructor (or a move assignment)
/// destroyed the C object: a destructor must not throw, and the exception must not wait for an
/// unrelated later call either. `class_name` names the class whose destructor ran.
using destructor_callback_error_handler = void (*)(std::exception_ptr error, const char* class_name) noexcept;

namespace detail {

/// The default handler: one line on stderr, like Python's "Exception ignored in: ...".
inline void print_destructor_callback_error(std::exception_ptr error, const char* class_name) noexcept {
  std::string what = "an exception not derived from std::exception";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  std::fprintf(stderr, "bindery: exception ignored in ~%s(): a callback threw while the C object was destroyed: %s\n",
               class_name, what.c_str());
}

inline std::atomic<destructor_callback_error_handler>& destructor_callback_error_slot() noexcept {
  static std::atomic<destructor_callback_error_handler> handler{&print_destructor_callback_error};
  return handler;
}

/// Takes the exception parked on this thread and hands it to the handler.
[[gnu::cold, gnu::noinline]] inline void report_destructor_callback_error(const char* class_name) noexcept {
  callback_failed = false;
  std::exception_ptr error = std::exchange(pending_callback_error(), nullptr);
  destructor_callback_error_slot().load()(std::move(error), class_name);
}

/// Wraps the C destroy call of a destructor or a move assignment: an exception a kept callback
/// throws during it goes to the handler when the call is over. One parked before it is not the
/// destructor's: it stays parked, for the next wrapper called on this thread.
class destructor_callback_errors {
 public:
  explicit destructor_callback_errors(const char* class_name) noexcept
      : class_name_(class_name), pending_before_(callback_failed) {}
  destructor_callback_errors(const destructor_callback_errors&) = delete;
  destructor_callback_errors& operator=(const destructor_callback_errors&) = delete;
  ~destructor_callback_errors() {
    if (callback_failed && !pending_before_) [[unlikely]]
      report_destructor_callback_error(class_name_);
  }

 private:
  const char* class_name_;
  bool pending_before_;
};

/// The heap-allocated callable behind a kept callback's user data. Its address is what the library
/// stores, so it never moves; who deletes it depends on the scope (the destroy-notify, the owning
/// object, or nobody).
class kept_callback_base {
 public:
  kept_callback_base() = default;
  kept_callback_base(const kept_callback_base&) = delete;
  kept_callback_base& operator=(const kept_callback_base&) = delete;
  virtual ~kept_callback_base() = default;
};

template <class Signature>
class kept_callback;

template <class R, class... Args>
class kept_callback<R(Args...)> final : public kept_callback_base {
 public:
  explicit kept_callback(std::function<R(Args...)> f) : f_(std::move(f)) {}

  static kept_callback& from(void* user_data) noexcept { return *static_cast<kept_callback*>(user_data); }
  /// The destroy-notify of scope `notified`: the library is done with the user data.
  static void destroy(void* user_data) noexcept { delete static_cast<kept_callback*>(user_data); }

  template <class... A>
  R call(A&&... args) noexcept {
    if (callback_failed) return R();  // an earlier exception waits for the caller: do not run again
    try {
      return f_(std::forward<A>(args)...);
    } catch (...) {
      pending_callback_error() = std::current_exception();
      callback_failed = true;
      return R();
    }
  }

 private:
  std::function<R(Args...)> f_;
};

/// A new kept callable, or none for an empty std::function (the C side then gets NULL).
template <class R, class... Args>
std::unique_ptr<kept_callback<R(Args...)>> keep(std::function<R(Args...)> f) {
  if (!f) return nullptr;
  return std::make_unique<kept_callback<R(Args...)>>(std::move(f));
}

/// Scope `forever`: the library never says when it is done, so the callable is never freed. It is
/// parked in a process-wide list that is itself never freed (still reachable, so leak checkers
/// stay quiet, and a library calling back during exit finds it alive).
struct forever_list {
  std::mutex lock;
  std::vector<std::unique_ptr<kept_callback_base>> items;

  static forever_list& get() {
    static forever_list* const list = new forever_list;  // never deleted, on purpose
    return *list;
  }
};

/// Parks `kept` for the process's lifetime; returns the user data for C (NULL for none).
template <class Signature>
void* keep_forever(std::unique_ptr<kept_callback<Signature>> kept) {
  if (!kept) return nullptr;
  kept_callback<Signature>* const user_data = kept.get();
  forever_list& list = forever_list::get();
  const std::lock_guard<std::mutex> guard(list.lock);
  list.items.push_back(std::move(kept));
  return user_data;
}

}  // namespace detail

/// How many callables of scope `forever` this process has parked (each costs one allocation that
/// is never freed; tests use it to account for them).
inline std::size_t forever_callback_count() {
  detail::forever_list& list = detail::forever_list::get();
  const std::lock_guard<std::mutex> guard(list.lock);
  return list.items.size();
}

/// Installs the handler that hears about exceptions kept callbacks throw while a destructor runs
/// (nullptr restores the default, which prints one line on stderr); returns the previous one.
inline destructor_callback_error_handler set_destructor_callback_error_handler(
    destructor_callback_error_handler handler) noexcept {
  if (handler == nullptr) handler = &detail::print_destructor_callback_error;
  return detail::destructor_callback_error_slot().exchange(handler);
}

/// Rethrows an exception a kept callback threw on this thread that no wrapper has reported yet
/// (the library ran it from a call made outside the binding, e.g. through c_ptr()); else nothing.
inline void rethrow_pending_callback_error() {
  if (detail::callback_failed) detail::rethrow_callback_error();
}

namespace detail {

// The throwing paths are out of line and cold: a wrapper's hot path then needs no stack frame
// for building the message, and costs what the careful C caller's checks cost.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_closed(const char* class_name) {
  throw use_after_close(std::string("bindery: ") + class_name + " is closed");
}

/// The library's message when it has one (it may return NULL), else a generic one.
inline std::string message_or(const char* message, const char* fallback) {
  return message != nullptr ? std::string(message) : std::string(fallback);
}

/// Throws the library's exception `E`: the message was read by the caller at the failure.
template <class E>
[[noreturn, gnu::cold, gnu::noinline]] void throw_error(const char* message, const char* fallback, long long code,
                                                        int sys_errno) {
  throw E(message_or(message, fallback), code, sys_errno);
}

/// A code whose kind is no_memory: C++'s own out-of-memory exception.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_no_memory() { throw std::bad_alloc(); }

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_system_error(int code, const char* message,
                                                                      const char* fallback) {
  throw std::system_error(code, std::generic_category(), message_or(message, fallback));
}

/// A C length parameter narrower than size_t: a longer buffer is refused, never truncated.
/// For size_t (the common case) this compiles to nothing.
template <class To>
inline To checked_length(std::size_t n) {
  if constexpr (std::numeric_limits<To>::max() < std::numeric_limits<std::size_t>::max()) {
    if (n > static_cast<std::size_t>(std::numeric_limits<To>::max()))
      throw std::length_error("bindery: buffer too long for the C length parameter");
  }
  return static_cast<To>(n);
}

/// Converts a C++ view's data pointer to the C parameter's pointer type. C APIs often lack
/// `const` on inputs they only read; the IR has classified the parameter as read-only input.
template <class CPtr>
inline CPtr pointer_cast(const void* p) noexcept {
  return static_cast<CPtr>(const_cast<void*>(p));
}

/// Bytes the callee takes over and frees with its own allocator (`own: full, alloc: FN`): a block
/// from `alloc` (at least one byte, its size checked against the allocator's parameter type) holding
/// a copy of `n` bytes at `data`. NULL from the allocator throws std::bad_alloc; C is not called.
template <class R, class N>
inline void* library_block(R* (*alloc)(N), const void* data, std::size_t n) {
  void* const block = alloc(checked_length<N>(n == 0 ? 1 : n));
  if (block == nullptr) throw_no_memory();
  if (n != 0) std::memcpy(block, data, n);
  return block;
}

/// A handle the library lends only briefly, passed at once through its copy function
/// (`returns: {copy: FN}`): the copy's NULL means out of memory.
template <class P>
inline P copied_or_throw(P copy) {
  if (copy == nullptr) throw_no_memory();
  return copy;
}

/// The box a host value travels in through the library (TypeKind::HostValue): a heap std::any,
/// whose address is the C `void *`. The library frees it through release_host_value.
inline std::unique_ptr<std::any> box_host_value(std::any&& value) { return std::make_unique<std::any>(std::move(value)); }

/// The release function the library calls exactly once when it is done with a box (NULL is
/// allowed: SQLite passes the pointer it was given, which may be NULL).
inline void release_host_value(void* box) noexcept { delete static_cast<std::any*>(box); }

/// A box this binding made, handed back by the library: a copy of its value (std::any copies what
/// it holds; share state by storing a std::shared_ptr). NULL is absent.
inline std::optional<std::any> unbox_host_value(const void* box) {
  if (box == nullptr) return std::nullopt;
  return *static_cast<const std::any*>(box);
}

/// A C result length to size_t; a negative length (a library bug) becomes an empty view.
template <class T>
constexpr std::size_t result_length(T n) noexcept {
  if constexpr (std::is_signed_v<T>) {
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  } else {
    return static_cast<std::size_t>(n);
  }
}

/// The data pointer of a view, never NULL: an empty default-constructed view has none, and a C
/// function whose buffer argument is not nullable must not receive NULL even with length 0.
template <class View>
inline auto non_null_data(const View& v) noexcept {
  using T = std::remove_const_t<std::remove_reference_t<decltype(*v.data())>>;
  static T empty{};
  return v.data() != nullptr ? v.data() : &empty;
}

/// A NUL-terminated result as a view (an unexpected NULL gives an empty view, never UB). `P` is
/// `char`, or `unsigned char` for libraries that type UTF-8 that way (sqlite3_column_text).
template <class P>
inline std::string_view string_view_of(const P* p) noexcept {
  static_assert(sizeof(P) == 1, "bindery: text units must be bytes");
  return p != nullptr ? std::string_view(reinterpret_cast<const char*>(p)) : std::string_view();
}

/// A result of `n` text units as a view.
template <class P>
inline std::string_view string_view_of(const P* p, std::size_t n) noexcept {
  static_assert(sizeof(P) == 1, "bindery: text units must be bytes");
  return p != nullptr ? std::string_view(reinterpret_cast<const char*>(p), n) : std::string_view();
}

/// Text the C side types as `const void *` (a callback's argument, SQLite's collation strings).
inline std::string_view string_view_of(const void* p) noexcept { return string_view_of(static_cast<const char*>(p)); }
inline std::string_view string_view_of(const void* p, std::size_t n) noexcept {
  return string_view_of(static_cast<const char*>(p), n);
}

/// A NUL-terminated UTF-16 result (ends at a two-byte zero) as a view; NULL gives an empty view.
inline std::u16string_view u16string_view_of(const void* p) noexcept {
  return p != nullptr ? std::u16string_view(static_cast<const char16_t*>(p)) : std::u16string_view();
}

/// A UTF-16 result of `bytes` bytes (every Str length is in bytes, whatever the encoding).
inline std::u16string_view u16string_view_of(const void* p, std::size_t bytes) noexcept {
  return p != nullptr ? std::u16string_view(static_cast<const char16_t*>(p), bytes / sizeof(char16_t))
                      : std::u16string_view();
}

}  // namespace detail

/// An array of handles the library lends to a callback (SQLite's `sqlite3_value **argv`): each
/// element is a non-owning `Ref`, made on access; valid only while the callback runs. Random
/// access, a range for `for (auto arg : args)`, no allocation.
template <class Ref>
class borrowed_handles {
 public:
  using pointer = typename Ref::c_pointer;
  borrowed_handles(const pointer* items, std::size_t n) noexcept : items_(n == 0 ? nullptr : items), n_(n) {}
  std::size_t size() const noexcept { return n_; }
  bool empty() const noexcept { return n_ == 0; }
  Ref operator[](std::size_t i) const noexcept { return Ref(items_[i]); }

  class iterator {
   public:
    using value_type = Ref;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(const pointer* at) noexcept : at_(at) {}
    Ref operator*() const noexcept { return Ref(*at_); }
    iterator& operator++() noexcept {
      ++at_;
      return *this;
    }
    iterator operator++(int) noexcept { return iterator(at_++); }
    bool operator==(const iterator&) const = default;

   private:
    const pointer* at_ = nullptr;
  };
  iterator begin() const noexcept { return iterator(items_); }
  iterator end() const noexcept { return iterator(items_ + n_); }

 private:
  const pointer* items_;
  std::size_t n_;
};

/// An array of NUL-terminated strings the library lends (`const char *const *argv` with its count,
/// the arguments of a virtual table): each element a std::string_view made on access; valid only
/// while the method that received it runs (copy what you keep). Random access, a range, no allocation.
class borrowed_strings {
 public:
  borrowed_strings(const char* const* items, std::size_t n) noexcept : items_(n == 0 ? nullptr : items), n_(n) {}
  std::size_t size() const noexcept { return n_; }
  bool empty() const noexcept { return n_ == 0; }
  /// A NULL element (a library bug) is the empty string, never UB.
  std::string_view operator[](std::size_t i) const noexcept {
    return items_[i] != nullptr ? std::string_view(items_[i]) : std::string_view();
  }

  class iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(const char* const* at) noexcept : at_(at) {}
    std::string_view operator*() const noexcept { return *at_ != nullptr ? std::string_view(*at_) : std::string_view(); }
    iterator& operator++() noexcept {
      ++at_;
      return *this;
    }
    iterator operator++(int) noexcept { return iterator(at_++); }
    bool operator==(const iterator&) const = default;

   private:
    const char* const* at_ = nullptr;
  };
  iterator begin() const noexcept { return iterator(items_); }
  iterator end() const noexcept { return iterator(items_ + n_); }

 private:
  const char* const* items_;
  std::size_t n_;
};

// ---- interfaces: structs of function pointers the application implements (docs/adr/cpp-interfaces.md)

/// What registers an interface made of a function's parameters (an aggregate): a factory making
/// one object per group (`[] { return std::make_unique<Sum>(); }`).
template <class T>
using object_factory = std::function<std::unique_ptr<T>()>;

namespace detail {

/// Parks an exception a method of an implemented interface threw, as a kept callback's (the
/// wrapper that made the C call rethrows it when C returns). The first one wins; a later one (only
/// a releasing method runs while one is parked: the object's end of life, like a destructor during
/// unwinding) goes to the destructor handler, as "ignored in ~`object`()", never silently lost.
inline void park_callback_error(std::exception_ptr error, const char* object) noexcept {
  if (callback_failed) {
    destructor_callback_error_slot().load()(std::move(error), object);
    return;
  }
  pending_callback_error() = std::move(error);
  callback_failed = true;
}

/// The message of the exception pending on this thread, for the library's own error channel.
/// Points into the exception object, which stays alive (parked) until it is rethrown: no copy, no
/// allocation, so it is safe inside a trampoline's failure path.
inline const char* pending_callback_message() noexcept {
  try {
    if (pending_callback_error()) std::rethrow_exception(pending_callback_error());
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "a C++ exception not derived from std::exception";
  }
  return "a C++ exception is pending";
}

/// The registered object behind a registration's box (a std::any holding std::shared_ptr<T>).
template <class T>
inline T& registered_object(void* box) {
  auto* const held = std::any_cast<std::shared_ptr<T>>(static_cast<std::any*>(box));
  if (held == nullptr || *held == nullptr)
    throw std::logic_error("bindery: the library passed user data this binding did not register");
  return **held;
}

/// The object of a per-group slot (`receiver: {slot, factory}`): made on the group's first call by
/// the factory in `factory_box` (a std::any holding object_factory<T>) and kept in the slot, a
/// `void **` the library gives (NULL: out of memory). The factory must make one: null is refused.
template <class T>
inline T& slot_object(void** slot, void* factory_box, const char* refusal) {
  if (slot == nullptr) throw std::bad_alloc();
  if (*slot == nullptr) {
    auto* const factory = std::any_cast<bindery::object_factory<T>>(static_cast<std::any*>(factory_box));
    if (factory == nullptr || !*factory)
      throw std::logic_error("bindery: the library passed user data this binding did not register");
    std::unique_ptr<T> made = (*factory)();
    if (made == nullptr) throw std::invalid_argument(refusal);
    *slot = made.release();  // the slot owns it until the releasing method
  }
  return *static_cast<T*>(*slot);
}

/// Deletes a group's object when its releasing method (an aggregate's final) returns, and empties
/// the slot; nothing when the group never made one.
template <class T>
class release_slot_on_return {
 public:
  explicit release_slot_on_return(void** slot) noexcept : slot_(slot) {}
  release_slot_on_return(const release_slot_on_return&) = delete;
  release_slot_on_return& operator=(const release_slot_on_return&) = delete;
  ~release_slot_on_return() {
    if (slot_ != nullptr) delete static_cast<T*>(std::exchange(*slot_, nullptr));
  }

 private:
  void** slot_;
};

/// Frees an object the library is done with (a releasing method), when the trampoline returns:
/// `free_object` (the lowering's PREFIX_free) frees the C object and gives back its box, the
/// application's object, which is deleted.
template <class T, class C>
class release_on_return {
 public:
  release_on_return(C* object, void* (*free_object)(C*)) noexcept : object_(object), free_(free_object) {}
  release_on_return(const release_on_return&) = delete;
  release_on_return& operator=(const release_on_return&) = delete;
  ~release_on_return() { delete static_cast<T*>(free_(object_)); }

 private:
  C* object_;
  void* (*free_)(C*);
};

/// The box of an object a `makes` method returned: the object itself (a `T *` the binding deletes
/// when the library releases it). The host must make one: null is refused.
template <class T>
inline void* made_object_box(const std::unique_ptr<T>& made, const char* refusal) {
  if (made == nullptr) throw std::invalid_argument(refusal);
  return static_cast<void*>(made.get());
}

}  // namespace detail

namespace detail {

/// Selects the private constructor of a pinned class that initialises its C struct in place.
struct pinned_init_t {
  explicit pinned_init_t() = default;
};
inline constexpr pinned_init_t pinned_init{};

template <class P>
inline std::span<const std::byte> byte_view(P* p, std::size_t n) noexcept {
  return {static_cast<const std::byte*>(static_cast<const void*>(p)), n};
}

template <class T, class P>
inline std::span<const T> slice_view(P* p, std::size_t n) noexcept {
  static_assert(sizeof(T) == sizeof(P), "bindery: slice element size differs from the C element");
  return {reinterpret_cast<const T*>(p), n};
}

/// Frees an owned C result when the copy is done, even if the copy throws.
template <class P, class Free>
class free_on_exit {
 public:
  free_on_exit(P* p, Free free_fn) noexcept : p_(p), free_(free_fn) {}
  free_on_exit(const free_on_exit&) = delete;
  free_on_exit& operator=(const free_on_exit&) = delete;
  ~free_on_exit() {
    if (p_ != nullptr) free_(const_cast<std::remove_const_t<P>*>(p_));
  }

 private:
  P* p_;
  Free free_;
};

/// Copies an owned NUL-terminated string and frees it with `free_fn`.
template <class P, class Free>
inline std::string take_string(P* p, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  return p != nullptr ? std::string(reinterpret_cast<const char*>(p)) : std::string();
}

/// Copies an owned string of `n` chars and frees it with `free_fn`.
template <class P, class Free>
inline std::string take_string(P* p, std::size_t n, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  return p != nullptr ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
}

/// Copies an owned buffer of `n` bytes and frees it with `free_fn`.
template <class P, class Free>
inline std::vector<std::byte> take_bytes(P* p, std::size_t n, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  auto view = p != nullptr ? byte_view(p, n) : std::span<const std::byte>();
  return std::vector<std::byte>(view.begin(), view.end());
}

/// Copies an owned array of `n` elements and frees it with `free_fn`.
template <class T, class P, class Free>
inline std::vector<T> take_slice(P* p, std::size_t n, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  auto view = p != nullptr ? slice_view<T>(p, n) : std::span<const T>();
  return std::vector<T>(view.begin(), view.end());
}

/// Copies an owned UTF-16 result (NUL-terminated, or `bytes` long) and frees it with `free_fn`.
template <class P, class Free>
inline std::u16string take_u16string(P* p, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  return std::u16string(u16string_view_of(p));
}
template <class P, class Free>
inline std::u16string take_u16string(P* p, std::size_t bytes, Free free_fn) {
  free_on_exit<P, Free> guard(p, free_fn);
  return std::u16string(u16string_view_of(p, bytes));
}

}  // namespace detail
}  // namespace bindery

#endif  // BINDERY_CPP_RUNTIME_HPP
