/* Exceptions become status codes with a message; outputs are untouched on failure; std::bad_alloc
 * and foreign exceptions get their own codes. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "shapes.h"

static int message_is(const char *want) { return strcmp(shapes_last_error(), want) == 0; }

int main(void) {
  shapes_polygon *p = NULL, *untouched = (shapes_polygon *)&p;
  shapes_canvas *canvas = NULL;
  shapes_polygon *largest = NULL;
  shapes_point point = {7, 7};
  const double odd[] = {1, 2, 3};

  CHECK(strcmp(shapes_last_error(), "") == 0); /* nothing failed yet */

  /* std::invalid_argument from a constructor: no object, the out-parameter is not written. */
  CHECK(shapes_polygon_new_str_f64s("odd", 3, odd, 3, &untouched) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(untouched == (shapes_polygon *)&p);
  CHECK(message_is("an odd number of coordinates"));
  CHECK(shapes_polygon_regular(2, 1.0, &p) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(message_is("a polygon needs at least 3 sides"));

  CHECK(shapes_polygon_square(1.0, &p) == SHAPES_OK);
  CHECK(shapes_polygon_rename(p, "", 0) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(message_is("a polygon needs a name"));

  /* std::out_of_range */
  CHECK(shapes_polygon_vertex(p, 99, &point) == SHAPES_ERROR_OUT_OF_RANGE);
  CHECK(message_is("vertex 99 of 4"));
  CHECK(point.x == 7 && point.y == 7);

  /* std::bad_alloc (the library refuses more than 2^32 vertices). */
  CHECK(shapes_polygon_reserve(p, (uint64_t)1 << 40) == SHAPES_ERROR_NO_MEMORY);
  CHECK(message_is("std::bad_alloc"));
  CHECK(shapes_polygon_size(p) == 4); /* the object is still usable */

  /* Any other std::exception (here std::logic_error) */
  CHECK(shapes_canvas_new(&canvas) == SHAPES_OK);
  CHECK(shapes_canvas_largest(canvas, &largest) == SHAPES_ERROR);
  CHECK(message_is("the canvas is empty"));
  CHECK(largest == NULL);

  /* An exception that is not a std::exception (`throw 7;`) */
  CHECK(shapes_check(7) == SHAPES_ERROR_UNKNOWN);
  CHECK(message_is("unknown C++ exception"));
  CHECK(shapes_check(0) == SHAPES_OK);
  CHECK(message_is("unknown C++ exception")); /* success does not clear it: read it only after a failure */

  CHECK(shapes_parse_point("nope", 4, &point) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(message_is("expected \"x,y\", got \"nope\""));

  shapes_canvas_destroy(canvas);
  shapes_polygon_destroy(p);
  return DONE();
}
