#include "double_input.h"

int double_input(int input) {
  /* Unsigned arithmetic wraps by definition; converting back is two's complement on every
     compiler bindery supports (GCC and Clang document it), so no input is undefined behaviour. */
  return (int)((unsigned)input * 2u);
}
