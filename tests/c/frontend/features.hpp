// Odd corners of C++ the frontend must read right (c.cxx_frontend). Not a real library.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace outer {
inline namespace v1 {
namespace inner {

enum Plain { PLAIN_A = 1, PLAIN_B = 4 };

/// A class with every kind of member.
class Widget {
 public:
  Widget() noexcept;
  explicit Widget(int size, double scale = 1.5, Plain p = PLAIN_B);
  Widget(const Widget&) = default;  // copy: never bound
  Widget(Widget&&) noexcept = default;  // move: never bound
  ~Widget();

  int get() const noexcept;
  void set(int value) noexcept(true);
  std::string_view label() const& [[clang::lifetimebound]];
  static std::optional<std::vector<float>> samples(std::span<const std::uint16_t> raw);
  void deleted(int) = delete;
  bool operator<(const Widget&) const;

 protected:
  void hidden();

 private:
  int size_ = 0;
};

/// Cannot be created or destroyed by C.
class Base {
 public:
  virtual ~Base();
  virtual int run() = 0;

 protected:
  Base() = default;
};

class Sealed {
 public:
  int value() const noexcept;

 private:
  ~Sealed();
};

std::string_view pick(std::string_view a [[clang::lifetimebound]], std::string_view b) noexcept;
void take(std::unique_ptr<Widget> w);
long long widen(unsigned char c, char text, bool flag);
template <class T> struct Box { T value; };

/// Copies through its implicit copy constructor: every field is copyable.
class Plainly {
 public:
  Plainly();

 private:
  std::string name_;
  std::vector<double> values_;
  std::optional<int> maybe_;
};

/// Not copyable, though std::is_copy_constructible says it is: vector<unique_ptr> cannot copy.
class Holder {
 public:
  Holder();

 private:
  std::vector<std::unique_ptr<Widget>> items_;
};

/// Not copyable: a declared move constructor deletes the implicit copy.
class MoveOnly {
 public:
  MoveOnly();
  MoveOnly(MoveOnly&&) noexcept;
};

/// A class template; the test names the instance Counter<int>.
template <class T>
class Counter {
 public:
  using value_type = T;
  explicit Counter(T start = T{}) noexcept;
  /// Adds `step`.
  void add(value_type step) noexcept;
  T total() const noexcept;
  std::optional<T> last() const;
  Counter combined(const Counter& other) const;

 private:
  T total_;
};

}  // namespace inner
}  // namespace v1
}  // namespace outer
