// The same calls made directly from C++: the baseline the shim is measured against.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "double_input.hpp"
#include "shapes/shapes.hpp"

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  std::string loop = argc > 2 ? argv[2] : "double_input";
  std::int32_t acc = 0;
  double area = 0;
  geo::Polygon square = geo::Polygon::square(2.0);
  if (loop == "area") {
    for (long i = 0; i < n; ++i) area += square.area();
  } else if (loop == "vertex") {
    for (long i = 0; i < n; ++i) {
      try {
        area += square.vertex(static_cast<std::size_t>(i & 3)).x;
      } catch (const std::exception&) {
      }
    }
  } else if (loop == "find") {
    for (long i = 0; i < n; ++i) {
      std::optional<std::size_t> at = square.find({static_cast<double>(i & 1), 0.0});
      if (at) acc += static_cast<std::int32_t>(*at);
    }
  } else if (loop == "name") {
    for (long i = 0; i < n; ++i) {
      std::string_view text = square.name();
      acc += static_cast<std::int32_t>(text.size()) + text[0];
    }
  } else {
    for (long i = 0; i < n; ++i) acc += example::double_input(static_cast<std::int32_t>(i));
  }
  std::printf("%ld %f\n", static_cast<long>(acc), area);
  return 0;
}
