// double_input from C++ through the generated header: `double_input_cpp::double_input(4)` compiles to
// the same `mov $0x4,%edi; call double_input` as the direct C call (see README.md).
#include <cstdio>

#include "double_input.hpp"

int main() {
  std::printf("4 * 2 = %d\n", double_input_cpp::double_input(4));
  return double_input_cpp::double_input(4) == 8 ? 0 : 1;
}
