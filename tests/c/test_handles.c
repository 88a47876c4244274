/* Objects: constructors (overloaded), methods, static factories, *_destroy, ownership passed in
 * (std::unique_ptr) and borrowed references out. */
#include <string.h>

#include "check.h"
#include "shapes.h"

static void constructors_and_methods(void) {
  shapes_polygon *p = NULL;
  const double triangle[] = {0, 0, 1, 0, 0, 1};
  CHECK(shapes_polygon_new_str("empty", 5, &p) == SHAPES_OK);
  CHECK(p != NULL);
  CHECK(shapes_polygon_size(p) == 0);
  CHECK(shapes_polygon_add_xy(p, 1.0, 2.0) == SHAPES_OK);
  CHECK(shapes_polygon_size(p) == 1);
  shapes_polygon_destroy(p);

  p = NULL;
  CHECK(shapes_polygon_new_str_f64s("tri", 3, triangle, 6, &p) == SHAPES_OK);
  CHECK(shapes_polygon_size(p) == 3);
  CHECK(shapes_polygon_area(p) == 0.5);
  shapes_polygon_destroy(p);
  shapes_polygon_destroy(NULL); /* like free(NULL) */
}

static void static_factories(void) {
  shapes_polygon *square = NULL, *hexagon = NULL;
  CHECK(shapes_polygon_square(3.0, &square) == SHAPES_OK); /* returned by value: a new object */
  CHECK(shapes_polygon_area(square) == 9.0);
  CHECK(shapes_polygon_regular(6, 1.0, &hexagon) == SHAPES_OK); /* std::unique_ptr: released to C */
  CHECK(shapes_polygon_size(hexagon) == 6);
  CHECK(shapes_polygon_area(hexagon) > 2.59 && shapes_polygon_area(hexagon) < 2.60);
  shapes_polygon_destroy(square);
  shapes_polygon_destroy(hexagon);
}

static void ownership(void) {
  shapes_canvas *canvas = NULL;
  shapes_polygon *small = NULL, *big = NULL, *largest = NULL;
  const shapes_polygon *first = NULL;
  size_t len = 0;
  const char *name;
  CHECK(shapes_canvas_new(&canvas) == SHAPES_OK);
  CHECK(shapes_polygon_square(1.0, &small) == SHAPES_OK);
  CHECK(shapes_polygon_square(2.0, &big) == SHAPES_OK);
  CHECK(shapes_polygon_rename(big, "big", 3) == SHAPES_OK);
  /* std::unique_ptr parameters take the object over: the C pointers must not be destroyed. */
  CHECK(shapes_canvas_add(canvas, small) == SHAPES_OK);
  CHECK(shapes_canvas_add(canvas, big) == SHAPES_OK);
  CHECK(shapes_canvas_count(canvas) == 2);
  CHECK(shapes_canvas_total_area(canvas) == 5.0);
  /* References out are borrowed from the canvas. */
  CHECK(shapes_canvas_at(canvas, 0, &first) == SHAPES_OK);
  CHECK(first != NULL && shapes_polygon_area(first) == 1.0);
  CHECK(shapes_canvas_largest(canvas, &largest) == SHAPES_OK);
  name = shapes_polygon_name(largest, &len);
  CHECK(len == 3 && memcmp(name, "big", 3) == 0);
  shapes_polygon_set_color(largest, SHAPES_COLOR_BLUE); /* a mutable borrow changes the owned one */
  CHECK(shapes_canvas_at(canvas, 1, &first) == SHAPES_OK);
  CHECK(shapes_polygon_color(first) == SHAPES_COLOR_BLUE);
  shapes_canvas_destroy(canvas); /* destroys both polygons */
}

int main(void) {
  constructors_and_methods();
  static_factories();
  ownership();
  return DONE();
}
