/* Calls the C++ library through its generated C layer: `through_shim N double_input|area` makes
 * N calls of one function (N from argv, so nothing is folded at compile time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "double_input.h"
#include "shapes.h"

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  int32_t acc = 0;
  double area = 0;
  shapes_polygon *square = NULL;
  long i;
  int area_loop = argc > 2 && strcmp(argv[2], "area") == 0;
  if (shapes_polygon_square(2.0, &square) != SHAPES_OK) return 1;
  if (area_loop)
    for (i = 0; i < n; ++i) area += shapes_polygon_area(square);
  else
    for (i = 0; i < n; ++i) acc += double_input((int32_t)i);
  shapes_polygon_destroy(square);
  printf("%ld %f\n", (long)acc, area);
  return 0;
}
