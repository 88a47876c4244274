/* Copyable classes get <class>_clone (the C++ copy constructor); a writable std::span<double> is an
 * array the C++ side writes in place. (Canvas, which owns std::unique_ptrs, has no clone: the golden
 * header pins that.) */
#include "check.h"
#include "shapes.h"

int main(void) {
  shapes_polygon *p = NULL, *copy = NULL;
  shapes_point v = {0, 0};
  double xy[4] = {0, 0, 1, 2};
  double odd[3] = {1, 2, 3};

  CHECK(shapes_polygon_new_str("square", 6, &p) == SHAPES_OK);
  CHECK(shapes_polygon_add_xy(p, 1, 1) == SHAPES_OK);
  CHECK(shapes_polygon_clone(p, &copy) == SHAPES_OK);
  CHECK(shapes_polygon_add_xy(copy, 2, 2) == SHAPES_OK);
  CHECK(shapes_polygon_size(p) == 1 && shapes_polygon_size(copy) == 2);
  CHECK(shapes_polygon_vertex(copy, 0, &v) == SHAPES_OK && v.x == 1 && v.y == 1);

  /* std::span<double>: the caller's array, written in place. */
  CHECK(shapes_translate(xy, 4, 10, 20) == SHAPES_OK);
  CHECK(xy[0] == 10 && xy[1] == 20 && xy[2] == 11 && xy[3] == 22);
  CHECK(shapes_translate(odd, 3, 1, 1) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(odd[0] == 1); /* nothing written on failure */

  shapes_polygon_destroy(copy);
  shapes_polygon_destroy(p);
  return DONE();
}
