// The same calls made directly from C++: the baseline the shim is measured against.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "double_input.hpp"
#include "shapes/shapes.hpp"

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  std::int32_t acc = 0;
  double area = 0;
  geo::Polygon square = geo::Polygon::square(2.0);
  if (argc > 2 && std::strcmp(argv[2], "area") == 0)
    for (long i = 0; i < n; ++i) area += square.area();
  else
    for (long i = 0; i < n; ++i) acc += example::double_input(static_cast<std::int32_t>(i));
  std::printf("%ld %f\n", static_cast<long>(acc), area);
  return 0;
}
