// Compiled at -O2 and disassembled by zero_cost.cmake: each wrapped_* must be the same
// instructions as its direct_* twin (the generated wrapper adds nothing to a scalar call).
#include "double_input.hpp"

extern "C" int direct_call(int x) { return ::double_input(x); }
extern "C" int wrapped_call(int x) { return double_input_cpp::double_input(x); }
extern "C" int direct_four() { return ::double_input(4); }
extern "C" int wrapped_four() { return double_input_cpp::double_input(4); }
