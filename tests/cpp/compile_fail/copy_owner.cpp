// Must not compile: an owner is move-only, so two objects can never destroy one handle.
#include "demo.hpp"

void f() {
  auto a = demo::Counter::create("x");
  demo::Counter b = a;
}
