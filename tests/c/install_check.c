/* Links the installed static library found through pkg-config: the C layer works outside the
 * build tree that made it. */
#include <shapes.h>
#include <stdio.h>

int main(void) {
  shapes_polygon *square = NULL;
  double area;
  if (shapes_polygon_square(2.0, &square) != SHAPES_OK) return 1;
  area = shapes_polygon_area(square);
  shapes_polygon_destroy(square);
  printf("area %.1f\n", area);
  return area == 4.0 ? 0 : 1;
}
