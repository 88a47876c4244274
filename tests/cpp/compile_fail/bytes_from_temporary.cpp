// Must not compile: the same for a byte span borrowed from a temporary owner.
#include "demo.hpp"

std::size_t f() { return demo::Counter::create("x").history()->size(); }
