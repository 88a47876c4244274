// The control for the compile-fail tests: the same header and includes compile when used correctly,
// so a failure above is the one the test names, not a broken setup.
#include "demo.hpp"

std::size_t f() {
  auto a = demo::Counter::create("x");
  demo::Counter b = std::move(a);
  std::string_view name = b.name();
  return name.size() + (b.history() ? b.history()->size() : 0);
}
