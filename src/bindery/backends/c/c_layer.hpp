// Entry points of the C layer over a C++ library (issue 4), used by `bindery check|ir|generate`
// for a bindery.yaml whose headers are C++ (docs/adr/c-layer-cxx-frontend-route.md) and by the
// round-trip test.
#pragma once

#include <filesystem>
#include <string>

#include "bindery/backends/c/plan.hpp"
#include "bindery/config/config.hpp"

namespace bindery::backends::c {

/// Reads the C++ headers of `base` (parsed with `std`, default c++20) and plans the C layer; the
/// plan's module records that standard in `cxx_std`.
/// Without `requests` (bindery.yaml's template instances and function names) those are not bound:
/// prefer plan_from_config.
Plan plan_cxx_library(const ir::Module& base, const std::string& std, Diagnostics& diags,
                      const Requests& requests = {});

/// The template instances and function entries of a C++ library's bindery.yaml.
Requests requests_from_config(const config::Config& config, Diagnostics& diags);

/// Reads a loaded bindery.yaml's C++ headers and plans the C layer, with its requests.
Plan plan_from_config(const config::Config& config, Diagnostics& diags);

/// Loads bindery.yaml, reads its C++ headers and plans the C layer.
Plan plan_from_config(const std::filesystem::path& config, Diagnostics& diags);

/// Reports what the plan leaves out (warnings), then, unless there are errors, writes the header,
/// shim source, build files and read-back bindery.yaml under `out_dir`.
void write_c_layer(const Plan& plan, const std::filesystem::path& out_dir, Diagnostics& diags);

}  // namespace bindery::backends::c
