/* A tiny C99 test harness: CHECK records a failure with its line and goes on; DONE prints the
 * plain "N passed, N failed" line CTest's log shows and returns the exit status. */
#ifndef C_TEST_CHECK_H
#define C_TEST_CHECK_H

#include <stdio.h>

static int check_passed = 0;
static int check_failed = 0;

#define CHECK(cond)                                                       \
  do {                                                                    \
    if (cond) {                                                           \
      ++check_passed;                                                     \
    } else {                                                              \
      ++check_failed;                                                     \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                     \
  } while (0)

#define DONE()                                                         \
  (printf("%d passed, %d failed\n", check_passed, check_failed), check_failed != 0)

#endif
