/* Structs by value, enums, optional results (SHAPES_NONE), overloads and default arguments. */
#include "check.h"
#include "shapes.h"

int main(void) {
  shapes_polygon *p = NULL;
  shapes_point a = {0, 0}, b = {3, 4}, out = {-1, -1}, origin;
  uint64_t index = 99;

  /* Structs cross by value, both ways. */
  CHECK(shapes_distance(a, b) == 5.0);
  origin = shapes_polygon_origin(); /* a const reference to a struct arrives as a copy */
  CHECK(origin.x == 0 && origin.y == 0);
  CHECK(shapes_parse_point("1.5,-2", 6, &out) == SHAPES_OK);
  CHECK(out.x == 1.5 && out.y == -2);

  /* Optional results: SHAPES_NONE writes nothing. */
  CHECK(shapes_polygon_new_str("p", 1, &p) == SHAPES_OK);
  out.x = -1;
  CHECK(shapes_polygon_centroid(p, &out) == SHAPES_NONE);
  CHECK(out.x == -1);
  CHECK(shapes_polygon_find(p, b, &index) == SHAPES_NONE);
  CHECK(index == 99);

  /* Overloads: add(Point) by the naming scheme, add(double, double) named in bindery.yaml. */
  CHECK(shapes_polygon_add_point(p, a) == SHAPES_OK);
  CHECK(shapes_polygon_add_xy(p, 3, 4) == SHAPES_OK);
  CHECK(shapes_polygon_vertex(p, 1, &out) == SHAPES_OK);
  CHECK(out.x == 3 && out.y == 4);
  CHECK(shapes_polygon_centroid(p, &out) == SHAPES_OK);
  CHECK(out.x == 1.5 && out.y == 2);
  CHECK(shapes_polygon_find(p, b, &index) == SHAPES_OK);
  CHECK(index == 1);

  /* Optional parameters: NULL is std::nullopt. (0,0),(3,4) doubled around (0,0), then halved
   * around its centroid (3,4). */
  CHECK(shapes_polygon_add_xy(p, 3, 4) == SHAPES_OK); /* vertices: (0,0) (3,4) (3,4) */
  shapes_polygon_scale(p, 2.0, &origin);
  CHECK(shapes_polygon_vertex(p, 1, &out) == SHAPES_OK && out.x == 6 && out.y == 8);
  shapes_polygon_scale(p, 0.0, NULL); /* every vertex onto the centroid (4, 16/3) */
  CHECK(shapes_polygon_vertex(p, 0, &out) == SHAPES_OK && out.x == 4);

  /* Enums: C enumerators with the C++ values. */
  CHECK(SHAPES_COLOR_RED == 0 && SHAPES_COLOR_GREEN == 1 && SHAPES_COLOR_BLUE == 2);
  CHECK(shapes_polygon_color(p) == SHAPES_COLOR_RED);
  shapes_polygon_set_color(p, SHAPES_COLOR_GREEN);
  CHECK(shapes_polygon_color(p) == SHAPES_COLOR_GREEN);

  shapes_polygon_destroy(p);
  return DONE();
}
