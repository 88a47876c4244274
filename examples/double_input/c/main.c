/* double_input from C: the C++ library `example::double_input`, called through the C layer that
 * `bindery generate --target c` wrote. Nothing is declared by hand: the generated header says it. */
#include <inttypes.h>
#include <stdio.h>

#include "double_input.h"

int main(void) {
  int32_t input = 4;
  printf("%" PRId32 " * 2 = %" PRId32 "\n", input, double_input(input));
  return 0;
}
