#include <algorithm>
#include <array>

#include "bindery/backends/backend.hpp"

namespace bindery::backends {

namespace {
constexpr std::array kTargets = {
    Target{"cpp", "safe header-only C++20 API over a C library", generate_cpp},
    Target{"c", "extern \"C\" layer, C header and libraries over a C++ library", generate_c},
    Target{"python", "CPython extension module, .pyi stubs and a PEP 517 project", generate_python},
    Target{"ruby", "Ruby C extension, RBS signatures and a gem", generate_ruby},
    Target{"node", "Node-API addon, .d.ts and an npm package", generate_node},
};
}  // namespace

std::span<const Target> targets() { return kTargets; }

const Target* find_target(std::string_view name) {
  auto it = std::find_if(kTargets.begin(), kTargets.end(),
                         [&](const Target& t) { return t.name == name; });
  return it == kTargets.end() ? nullptr : &*it;
}

}  // namespace bindery::backends
