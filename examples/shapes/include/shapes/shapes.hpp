// shapes: a small C++ library of polygons, the richer example of C calling C++ (issue 4).
//
// Every C++ feature the C layer carries appears here once: a class with constructors (one
// overloaded, one with a default argument), const and mutating methods, static factories, a
// borrowed view (name, coordinates), owned results (strings, vectors), optional results, a
// struct by value, a scoped enum, ownership passed in (std::unique_ptr), a borrowed reference
// result, a writable span, copyable and move-only classes, and exceptions of several kinds.
// Templates are bound through the instances bindery.yaml names (Stack<int32_t>, twice<int32_t>);
// an operator and an unnamed template instance show what is skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace geo {

/// A point in the plane.
struct Point {
  double x;  ///< horizontal coordinate
  double y;  ///< vertical coordinate
};

/// The colour a polygon is drawn with.
enum class Color : std::uint8_t {
  Red,    ///< the default
  Green,
  Blue,
};

/// A named polygon: its vertices in order.
class Polygon {
 public:
  /// An empty polygon called `name`.
  explicit Polygon(std::string name);
  /// A polygon called `name` through `coordinates` (x0, y0, x1, y1, …).
  /// Throws std::invalid_argument when the count of coordinates is odd.
  Polygon(std::string_view name, std::span<const double> coordinates);

  /// A regular polygon of `sides` vertices on a circle of `radius` around the origin.
  /// Throws std::invalid_argument for fewer than 3 sides or a radius that is not positive.
  static std::unique_ptr<Polygon> regular(std::size_t sides, double radius = 1.0);
  /// The origin, (0, 0), by reference.
  static const Point& origin() noexcept;
  /// The axis-aligned square of side `side` with a corner at the origin.
  static Polygon square(double side);

  /// The polygon's name.
  std::string_view name() const noexcept;
  /// Renames the polygon. Throws std::invalid_argument for an empty name.
  void rename(std::string_view name);
  /// The number of vertices.
  std::size_t size() const noexcept;
  /// Appends a vertex.
  void add(Point p);
  /// Appends the vertex (x, y).
  void add(double x, double y);
  /// Vertex `index`. Throws std::out_of_range when `index` is not below size().
  Point vertex(std::size_t index) const;
  /// The coordinates, x0, y0, x1, y1, … (valid until the polygon changes).
  std::span<const double> coordinates() const noexcept;
  /// The length of each side, in order (the last one closes the polygon).
  std::vector<double> sides() const;
  /// The enclosed area (shoelace formula), 0 for fewer than 3 vertices.
  double area() const noexcept;
  /// The mean of the vertices, or nothing for an empty polygon.
  std::optional<Point> centroid() const;
  /// The index of the first vertex equal to `p`, or nothing.
  std::optional<std::size_t> find(Point p) const noexcept;
  /// A one-line description such as "triangle: 3 vertices, area 0.50", with `precision` decimals.
  std::string describe(int precision = 2) const;
  /// Scales the polygon by `factor` around `centre`, or around its centroid when absent.
  void scale(double factor, std::optional<Point> centre = std::nullopt) noexcept;
  /// The drawing colour.
  Color color() const noexcept;
  /// Sets the drawing colour (red when not given).
  void set_color(Color color = Color::Red) noexcept;
  /// Reserves room for `vertices` vertices. Throws std::bad_alloc when memory runs out, and for
  /// more than 2^32 vertices (the library's own limit, so callers can see the error safely).
  void reserve(std::size_t vertices);
  /// Not in the C interface: an operator.
  bool operator==(const Polygon& other) const noexcept;

 private:
  std::string name_;
  std::vector<double> coordinates_;
  Color color_ = Color::Red;
};

/// Polygons owned together.
class Canvas {
 public:
  Canvas() = default;
  /// Takes `polygon` over.
  void add(std::unique_ptr<Polygon> polygon);
  /// The number of polygons.
  std::size_t count() const noexcept;
  /// Polygon `index`, owned by the canvas. Throws std::out_of_range.
  const Polygon& at(std::size_t index) const;
  /// The polygon of largest area. Throws std::logic_error on an empty canvas.
  Polygon& largest();
  /// The sum of the areas.
  double total_area() const noexcept;
  /// The names of the polygons. Not in the C interface: a vector of strings has no C shape yet.
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Polygon>> polygons_;
};

/// The distance between `a` and `b`.
double distance(Point a, Point b) noexcept;
/// Parses "x,y". Throws std::invalid_argument.
Point parse_point(std::string_view text);
/// The library's version, "1.0.0".
std::string version();
/// Throws `code` itself (an int, not a std::exception) unless it is 0: how a C caller sees a
/// foreign exception.
void check(int code);
/// Moves the (x, y) pairs of `coordinates` in place by (dx, dy): the caller's array is written.
/// Throws std::invalid_argument when the count is odd.
void translate(std::span<double> coordinates, double dx, double dy);

/// Twice `value`. Bound for int32_t as shapes_twice_i32 (bindery.yaml: functions).
template <class T>
T twice(T value) noexcept {
  return value + value;
}

/// A last-in, first-out stack of values. Bound for int32_t and double (bindery.yaml: types), each
/// instance a C class of its own: shapes_stack_i32, shapes_stack_f64.
template <class T>
class Stack {
 public:
  using value_type = T;

  Stack() = default;
  /// A stack holding `count` copies of `value`.
  Stack(std::size_t count, value_type value) : items_(count, value) {}

  /// Pushes `value` on top.
  void push(T value) { items_.push_back(value); }
  /// Removes the top value and returns it. Throws std::out_of_range on an empty stack.
  T pop() {
    if (items_.empty()) throw std::out_of_range("pop from an empty stack");
    T top = items_.back();
    items_.pop_back();
    return top;
  }
  /// The top value, or nothing on an empty stack.
  std::optional<T> top() const noexcept {
    if (items_.empty()) return std::nullopt;
    return items_.back();
  }
  /// The number of values.
  std::size_t size() const noexcept { return items_.size(); }
  /// The values, bottom first (valid until the stack changes).
  std::span<const T> values() const noexcept { return items_; }
  /// The values, bottom first, writable in place (valid until the stack changes size).
  std::span<T> data() noexcept { return items_; }
  /// A stack of the values of `other` on top of this one's.
  Stack merged(const Stack& other) const {
    Stack out = *this;
    out.items_.insert(out.items_.end(), other.items_.begin(), other.items_.end());
    return out;
  }

 private:
  std::vector<T> items_;
};

}  // namespace geo
