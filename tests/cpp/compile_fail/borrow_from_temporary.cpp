// Must not compile: a view borrowed from a temporary owner would dangle at the end of the statement.
#include "demo.hpp"

std::string_view f() { return demo::Counter::create("x").name(); }
