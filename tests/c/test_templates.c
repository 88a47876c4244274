/* Class and function template instances named in bindery.yaml: geo::Stack<int32_t> is
 * shapes_stack_i32, geo::Stack<double> is shapes_stack_f64, geo::twice<int32_t> is shapes_twice_i32. */
#include <string.h>

#include "check.h"
#include "shapes.h"

int main(void) {
  shapes_stack_i32 *s = NULL, *three = NULL, *both = NULL, *copy = NULL;
  shapes_stack_f64 *d = NULL;
  int32_t value = -1;
  double top = 0;
  const int32_t *values = NULL;
  size_t len = 0;

  /* The instance's constructors (overloaded: Stack() and Stack(count, value)) and methods. */
  CHECK(shapes_stack_i32_new(&s) == SHAPES_OK);
  CHECK(shapes_stack_i32_size(s) == 0);
  CHECK(shapes_stack_i32_top(s, &value) == SHAPES_NONE && value == -1);
  CHECK(shapes_stack_i32_pop(s, &value) == SHAPES_ERROR_OUT_OF_RANGE); /* std::out_of_range */
  CHECK(strcmp(shapes_last_error(), "pop from an empty stack") == 0);
  /* An empty view: the span of an empty vector has no storage (libstdc++), so its pointer is NULL
   * (the header says so: nullable: empty), with a length of 0. */
  len = 99;
  values = shapes_stack_i32_values(s, &len);
  CHECK(len == 0 && values == NULL);
  shapes_stack_i32_push(s, 7);
  shapes_stack_i32_push(s, 8);
  CHECK(shapes_stack_i32_top(s, &value) == SHAPES_OK && value == 8);
  CHECK(shapes_stack_i32_pop(s, &value) == SHAPES_OK && value == 8);
  CHECK(shapes_stack_i32_size(s) == 1);

  /* T substituted everywhere: the span view is int32_t, the returned Stack an owned instance. */
  CHECK(shapes_stack_i32_new_u64_i32(3, 5, &three) == SHAPES_OK);
  values = shapes_stack_i32_values(three, &len);
  CHECK(len == 3 && values[0] == 5 && values[2] == 5);
  CHECK(shapes_stack_i32_merged(s, three, &both) == SHAPES_OK);
  CHECK(shapes_stack_i32_size(both) == 4);
  values = shapes_stack_i32_values(both, &len);
  CHECK(len == 4 && values[0] == 7 && values[3] == 5);

  /* A writable span result: C writes the C++ object's storage in place. */
  {
    int32_t *data = shapes_stack_i32_data(three, &len);
    CHECK(len == 3);
    data[1] = 9;
    values = shapes_stack_i32_values(three, &len);
    CHECK(values[1] == 9);
  }

  /* A copyable instance has a clone; the copy is independent of the original. */
  CHECK(shapes_stack_i32_clone(both, &copy) == SHAPES_OK);
  shapes_stack_i32_push(copy, 1);
  CHECK(shapes_stack_i32_size(copy) == 5 && shapes_stack_i32_size(both) == 4);

  /* Another instance of the same template is another C type. */
  CHECK(shapes_stack_f64_new(&d) == SHAPES_OK);
  shapes_stack_f64_push(d, 2.5);
  CHECK(shapes_stack_f64_top(d, &top) == SHAPES_OK && top == 2.5);

  /* A function template instance. */
  CHECK(shapes_twice_i32(21) == 42);

  shapes_stack_i32_destroy(copy);
  shapes_stack_i32_destroy(both);
  shapes_stack_i32_destroy(three);
  shapes_stack_i32_destroy(s);
  shapes_stack_f64_destroy(d);
  return DONE();
}
