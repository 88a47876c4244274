// A C++ library reaches Python, Ruby and Node through its C layer (docs/hosts-over-cxx.md).
#pragma once

#include <filesystem>
#include <optional>

#include "bindery/backends/c/plan.hpp"
#include "bindery/ir/ir.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::cli {

/// Writes the C layer of `plan` into `out_dir/c_layer/`, reads its generated C header back (the round
/// trip: the header's annotations and the generated bindery.yaml carry the protocol) and returns that
/// module, ready for a host backend: the shim source and the library's own sources to compile, the
/// include dirs both need, and the C++ standard of those sources. nullopt when the read-back fails.
std::optional<ir::Module> module_over_c_layer(const backends::c::Plan& plan, const std::filesystem::path& out_dir,
                                              Diagnostics& diags);

}  // namespace bindery::cli
