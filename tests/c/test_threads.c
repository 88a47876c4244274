/* The last error is per thread: a failure on one thread neither changes nor hides another's. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "shapes.h"

static void *fail_elsewhere(void *arg) {
  shapes_point p;
  int *rc = arg;
  *rc = shapes_parse_point("x", 1, &p);
  /* This thread sees its own message. */
  if (strcmp(shapes_last_error(), "expected \"x,y\", got \"x\"") != 0) *rc = 100;
  return NULL;
}

int main(void) {
  pthread_t thread;
  int rc = 0;
  shapes_polygon *p = NULL;
  CHECK(shapes_polygon_regular(1, 1.0, &p) == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(strcmp(shapes_last_error(), "a polygon needs at least 3 sides") == 0);
  CHECK(pthread_create(&thread, NULL, fail_elsewhere, &rc) == 0);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(rc == SHAPES_ERROR_INVALID_ARGUMENT);
  CHECK(strcmp(shapes_last_error(), "a polygon needs at least 3 sides") == 0);
  return DONE();
}
