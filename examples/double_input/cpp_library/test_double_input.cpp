// The C++ library on its own: the answer the generated C ABI over it must reproduce.
#include <cstdint>
#include <cstdio>
#include <limits>

#include "double_input.hpp"

namespace {

int failures = 0;

void expect(std::int32_t input, std::int32_t want) {
  const std::int32_t got = example::double_input(input);
  if (got != want) {
    std::fprintf(stderr, "example::double_input(%d) = %d, want %d\n", input, got, want);
    ++failures;
  }
}

}  // namespace

int main() {
  constexpr auto max = std::numeric_limits<std::int32_t>::max();
  constexpr auto min = std::numeric_limits<std::int32_t>::min();
  expect(21, 42);
  expect(0, 0);
  expect(-5, -10);
  expect(max / 2, max - 1);
  expect(min / 2, min);
  expect(max, -2);  // wraps, documented
  if (failures == 0) std::printf("double_input (C++): all checks passed\n");
  return failures != 0;
}
