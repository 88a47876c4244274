// bindery-c: `bindery generate --target c` for a bindery.yaml whose headers are C++, until the
// main CLI routes C++ libraries to the C++ frontend itself (docs/adr/c-layer-cxx-frontend-route.md).
#include "bindery/backends/c/c_layer.hpp"

int main(int argc, char** argv) { return bindery::backends::c::run_cli(argc, argv); }
