/* shapes from C: a C++ class used through the generated C layer (examples/shapes).
 * Creates polygons, reads a borrowed view and an optional result, shows how a C++ exception
 * arrives (a status code and a message), and uses a class template instance (geo::Stack<int32_t>,
 * named StackI32 in bindery.yaml). */
#include <inttypes.h>
#include <stdio.h>

#include "shapes.h"

int main(void) {
  shapes_polygon *triangle = NULL;
  const double corners[] = {0, 0, 4, 0, 0, 3};
  shapes_point centre;
  const char *name;
  char *text = NULL;
  size_t len = 0;
  uint64_t index = 0;
  shapes_point missing = {9, 9};
  shapes_stack_i32 *stack = NULL;
  int32_t top = 0;
  int rc;

  if (shapes_polygon_new_str_f64s("triangle", 8, corners, 6, &triangle) != SHAPES_OK) {
    fprintf(stderr, "cannot create: %s\n", shapes_last_error());
    return 1;
  }
  name = shapes_polygon_name(triangle, &len); /* borrowed from the polygon: no copy, no free */
  printf("name: %.*s\n", (int)len, name);
  printf("area: %.1f\n", shapes_polygon_area(triangle));
  if (shapes_polygon_describe(triangle, 1, &text, &len) == SHAPES_OK) { /* owned: freed below */
    printf("describe: %s\n", text);
    shapes_free(text);
  }
  if (shapes_polygon_centroid(triangle, &centre) == SHAPES_OK) /* std::optional: OK or NONE */
    printf("centroid: (%.2f, %.2f)\n", centre.x, centre.y);
  if (shapes_polygon_find(triangle, missing, &index) == SHAPES_NONE) printf("find (9, 9): none\n");

  rc = shapes_polygon_vertex(triangle, 5, &centre); /* throws std::out_of_range in C++ */
  printf("vertex 5: error %d (%s)\n", rc, shapes_last_error());

  shapes_polygon_destroy(triangle);

  if (shapes_stack_i32_new(&stack) == SHAPES_OK) {
    shapes_stack_i32_push(stack, 1);
    shapes_stack_i32_push(stack, 2);
    if (shapes_stack_i32_top(stack, &top) == SHAPES_OK)
      printf("stack: %" PRIu64 " values, top %" PRId32 "\n", shapes_stack_i32_size(stack), top);
    shapes_stack_i32_destroy(stack);
  }
  return 0;
}
