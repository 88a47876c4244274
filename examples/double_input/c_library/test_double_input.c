/* The C library on its own: the answer every binding of it must reproduce. */
#include <limits.h>
#include <stdio.h>

#include "double_input.h"

static int failures;

static void expect(int input, int want) {
  int got = double_input(input);
  if (got != want) {
    fprintf(stderr, "double_input(%d) = %d, want %d\n", input, got, want);
    failures++;
  }
}

int main(void) {
  expect(21, 42);
  expect(0, 0);
  expect(-5, -10);
  expect(INT_MAX / 2, INT_MAX - 1);
  expect(INT_MIN / 2, INT_MIN);
  expect(INT_MAX, -2); /* wraps, documented */
  if (failures == 0) printf("double_input (C): all checks passed\n");
  return failures != 0;
}
