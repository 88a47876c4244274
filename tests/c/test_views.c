/* Strings and arrays as (pointer, length): borrowed views of an object's data, owned copies freed
 * with shapes_free(), and text with embedded NULs. */
#include <string.h>

#include "check.h"
#include "shapes.h"

int main(void) {
  shapes_polygon *p = NULL;
  const double coordinates[] = {0, 0, 3, 0, 3, 4};
  const double *view;
  const char *name;
  double *sides = NULL;
  char *text = NULL;
  size_t len = 0;

  CHECK(shapes_polygon_new_str_f64s("tri", 3, coordinates, 6, &p) == SHAPES_OK);

  /* Borrowed: std::string_view and std::span returned by a method point into the object. */
  name = shapes_polygon_name(p, &len);
  CHECK(len == 3 && memcmp(name, "tri", 3) == 0);
  view = shapes_polygon_coordinates(p, &len);
  CHECK(len == 6 && memcmp(view, coordinates, sizeof coordinates) == 0);

  /* Owned: a std::vector copied out; the caller frees it. */
  CHECK(shapes_polygon_sides(p, &sides, &len) == SHAPES_OK);
  CHECK(len == 3 && sides[0] == 3.0 && sides[1] == 4.0 && sides[2] == 5.0);
  shapes_free(sides);

  /* Owned std::string, NUL-terminated for convenience; the default argument spelled out. */
  CHECK(shapes_polygon_describe(p, 2, &text, &len) == SHAPES_OK);
  CHECK(strcmp(text, "tri: 3 vertices, area 6.00") == 0 && len == strlen(text));
  shapes_free(text);
  CHECK(shapes_version(&text, &len) == SHAPES_OK);
  CHECK(strcmp(text, "1.0.0") == 0 && len == 5);
  shapes_free(text);

  /* Text is (pointer, length): embedded NULs survive; the empty string needs no pointer. */
  CHECK(shapes_polygon_rename(p, "a\0b", 3) == SHAPES_OK);
  name = shapes_polygon_name(p, &len);
  CHECK(len == 3 && memcmp(name, "a\0b", 3) == 0);
  CHECK(shapes_polygon_rename(p, NULL, 0) == SHAPES_ERROR_INVALID_ARGUMENT);

  /* An empty array needs no pointer either. */
  shapes_polygon_destroy(p);
  CHECK(shapes_polygon_new_str_f64s("none", 4, NULL, 0, &p) == SHAPES_OK);
  view = shapes_polygon_coordinates(p, &len);
  CHECK(len == 0);
  CHECK(shapes_polygon_sides(p, &sides, &len) == SHAPES_OK);
  CHECK(len == 0 && sides != NULL); /* an owned empty result is still a pointer to free */
  shapes_free(sides);
  shapes_free(NULL);
  shapes_polygon_destroy(p);
  return DONE();
}
