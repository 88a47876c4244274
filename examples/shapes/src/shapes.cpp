#include "shapes/shapes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

namespace geo {

Polygon::Polygon(std::string name) : name_(std::move(name)) {}

Polygon::Polygon(std::string_view name, std::span<const double> coordinates)
    : name_(name), coordinates_(coordinates.begin(), coordinates.end()) {
  if (coordinates.size() % 2 != 0) throw std::invalid_argument("an odd number of coordinates");
}

std::unique_ptr<Polygon> Polygon::regular(std::size_t sides, double radius) {
  if (sides < 3) throw std::invalid_argument("a polygon needs at least 3 sides");
  if (!(radius > 0)) throw std::invalid_argument("the radius must be positive");
  auto p = std::make_unique<Polygon>("regular " + std::to_string(sides) + "-gon");
  for (std::size_t i = 0; i < sides; ++i) {
    double angle = 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(sides);
    p->add(radius * std::cos(angle), radius * std::sin(angle));
  }
  return p;
}

Polygon Polygon::square(double side) {
  Polygon p("square");
  p.add(0, 0);
  p.add(side, 0);
  p.add(side, side);
  p.add(0, side);
  return p;
}

std::string_view Polygon::name() const noexcept { return name_; }

void Polygon::rename(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("a polygon needs a name");
  name_ = name;
}

std::size_t Polygon::size() const noexcept { return coordinates_.size() / 2; }

void Polygon::add(Point p) { add(p.x, p.y); }

void Polygon::add(double x, double y) {
  coordinates_.push_back(x);
  coordinates_.push_back(y);
}

Point Polygon::vertex(std::size_t index) const {
  if (index >= size()) throw std::out_of_range("vertex " + std::to_string(index) + " of " + std::to_string(size()));
  return {coordinates_[2 * index], coordinates_[2 * index + 1]};
}

const Point& Polygon::origin() noexcept {
  static const Point zero{0, 0};
  return zero;
}

std::span<const double> Polygon::coordinates() const noexcept { return coordinates_; }

std::vector<double> Polygon::sides() const {
  std::vector<double> out;
  for (std::size_t i = 0, n = size(); i < n; ++i) out.push_back(distance(vertex(i), vertex((i + 1) % n)));
  return out;
}

double Polygon::area() const noexcept {
  double twice = 0;
  for (std::size_t i = 0, n = size(); n >= 3 && i < n; ++i) {
    std::size_t j = (i + 1) % n;
    twice += coordinates_[2 * i] * coordinates_[2 * j + 1] - coordinates_[2 * j] * coordinates_[2 * i + 1];
  }
  return std::abs(twice) / 2;
}

std::optional<Point> Polygon::centroid() const {
  if (size() == 0) return std::nullopt;
  Point sum{0, 0};
  for (std::size_t i = 0; i < size(); ++i) {
    sum.x += coordinates_[2 * i];
    sum.y += coordinates_[2 * i + 1];
  }
  return Point{sum.x / static_cast<double>(size()), sum.y / static_cast<double>(size())};
}

std::optional<std::size_t> Polygon::find(Point p) const noexcept {
  for (std::size_t i = 0; i < size(); ++i)
    if (coordinates_[2 * i] == p.x && coordinates_[2 * i + 1] == p.y) return i;
  return std::nullopt;
}

std::string Polygon::describe(int precision) const {
  char area_text[64];
  std::snprintf(area_text, sizeof area_text, "%.*f", precision, area());
  return name_ + ": " + std::to_string(size()) + " vertices, area " + area_text;
}

void Polygon::scale(double factor, std::optional<Point> centre) noexcept {
  if (!centre) {
    if (size() == 0) return;
    Point sum{0, 0};
    for (std::size_t i = 0; i < size(); ++i) {
      sum.x += coordinates_[2 * i];
      sum.y += coordinates_[2 * i + 1];
    }
    centre = Point{sum.x / static_cast<double>(size()), sum.y / static_cast<double>(size())};
  }
  for (std::size_t i = 0; i < size(); ++i) {
    coordinates_[2 * i] = centre->x + (coordinates_[2 * i] - centre->x) * factor;
    coordinates_[2 * i + 1] = centre->y + (coordinates_[2 * i + 1] - centre->y) * factor;
  }
}

Color Polygon::color() const noexcept { return color_; }
void Polygon::set_color(Color color) noexcept { color_ = color; }
void Polygon::reserve(std::size_t vertices) {
  if (vertices > (std::size_t{1} << 32)) throw std::bad_alloc();
  coordinates_.reserve(vertices * 2);
}

bool Polygon::operator==(const Polygon& other) const noexcept {
  return name_ == other.name_ && coordinates_ == other.coordinates_;
}

void Canvas::add(std::unique_ptr<Polygon> polygon) { polygons_.push_back(std::move(polygon)); }
std::size_t Canvas::count() const noexcept { return polygons_.size(); }

const Polygon& Canvas::at(std::size_t index) const {
  if (index >= polygons_.size()) throw std::out_of_range("no polygon " + std::to_string(index));
  return *polygons_[index];
}

Polygon& Canvas::largest() {
  if (polygons_.empty()) throw std::logic_error("the canvas is empty");
  return **std::max_element(polygons_.begin(), polygons_.end(),
                            [](const auto& a, const auto& b) { return a->area() < b->area(); });
}

std::vector<std::string> Canvas::names() const {
  std::vector<std::string> out;
  for (const auto& p : polygons_) out.emplace_back(p->name());
  return out;
}

double Canvas::total_area() const noexcept {
  double total = 0;
  for (const auto& p : polygons_) total += p->area();
  return total;
}

double distance(Point a, Point b) noexcept { return std::hypot(a.x - b.x, a.y - b.y); }

Point parse_point(std::string_view text) {
  auto comma = text.find(',');
  if (comma == std::string_view::npos) throw std::invalid_argument("expected \"x,y\", got \"" + std::string(text) + "\"");
  try {
    return {std::stod(std::string(text.substr(0, comma))), std::stod(std::string(text.substr(comma + 1)))};
  } catch (const std::exception&) {
    throw std::invalid_argument("not a number in \"" + std::string(text) + "\"");
  }
}

std::string version() { return "1.0.0"; }

void check(int code) {
  if (code != 0) throw code;
}

void translate(std::span<double> coordinates, double dx, double dy) {
  if (coordinates.size() % 2) throw std::invalid_argument("translate: an odd count of coordinates");
  for (std::size_t i = 0; i < coordinates.size(); i += 2) {
    coordinates[i] += dx;
    coordinates[i + 1] += dy;
  }
}

}  // namespace geo
