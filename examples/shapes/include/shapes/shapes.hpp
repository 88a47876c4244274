// shapes: a small C++ library of polygons, the richer example of C calling C++ (issue 4).
//
// Every C++ feature the C layer carries appears here once: a class with constructors (one
// overloaded, one with a default argument), const and mutating methods, static factories, a
// borrowed view (name, coordinates), owned results (strings, vectors), optional results, a
// struct by value, a scoped enum, ownership passed in (std::unique_ptr), a borrowed reference
// result, and exceptions of several kinds. A template and an operator show what is skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
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
  static std::unique_ptr<Polygon> regular(std::size_t sides, double radius);
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
  /// Sets the drawing colour.
  void set_color(Color color) noexcept;
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

/// Not in the C interface: a template (bind an explicit instantiation instead).
template <class T>
T twice(T value) {
  return value + value;
}

}  // namespace geo
