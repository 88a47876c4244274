/* Calls the C++ library through its generated C layer: `through_shim N LOOP` makes N calls of one
 * function (N from argv, so nothing is folded at compile time). LOOP: double_input (a scalar shim,
 * one jmp), area (a method), vertex (a fallible shim: try/catch, struct out-parameter), find (a
 * noexcept method with an optional result: a status, but nothing to catch), name (a borrowed view:
 * pointer returned, length through an out-parameter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "double_input.h"
#include "shapes.h"

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  const char *loop = argc > 2 ? argv[2] : "double_input";
  int32_t acc = 0;
  double area = 0;
  shapes_polygon *square = NULL;
  long i;
  if (shapes_polygon_square(2.0, &square) != SHAPES_OK) return 1;
  if (strcmp(loop, "area") == 0) {
    for (i = 0; i < n; ++i) area += shapes_polygon_area(square);
  } else if (strcmp(loop, "vertex") == 0) {
    for (i = 0; i < n; ++i) {
      shapes_point v;
      if (shapes_polygon_vertex(square, (uint64_t)(i & 3), &v) == SHAPES_OK) area += v.x;
    }
  } else if (strcmp(loop, "find") == 0) {
    for (i = 0; i < n; ++i) {
      shapes_point p = {(double)(i & 1), 0.0};
      uint64_t at;
      if (shapes_polygon_find(square, p, &at) == SHAPES_OK) acc += (int32_t)at;
    }
  } else if (strcmp(loop, "name") == 0) {
    for (i = 0; i < n; ++i) {
      size_t len;
      const char *text = shapes_polygon_name(square, &len);
      acc += (int32_t)len + text[0];
    }
  } else {
    for (i = 0; i < n; ++i) acc += double_input((int32_t)i);
  }
  shapes_polygon_destroy(square);
  printf("%ld %f\n", (long)acc, area);
  return 0;
}
