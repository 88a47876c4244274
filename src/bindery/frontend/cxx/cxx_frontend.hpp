// Reads C++ headers with libclang into a CxxApi (issue 4): the public surface a C layer can wrap.
#pragma once

#include <string>

#include "bindery/frontend/cxx/cxx_api.hpp"
#include "bindery/frontend/cxx/cxx_templates.hpp"
#include "bindery/frontend/declarations.hpp"
#include "bindery/support/diagnostics.hpp"

namespace bindery::frontend::cxx {

/// Whether a header is C++ by its name: .hpp, .hh, .hxx, .h++ (a plain .h is C). Until
/// bindery.yaml has a `language:` key this convention is what routes a library here.
bool is_cxx_header(const std::string& path);

/// The C++ standard a `std:` setting means for C++ headers and sources: itself when it names one
/// (c++17, gnu++20, …), else c++20.
std::string cxx_standard(const std::string& std);

/// Parses `options.headers` as one C++ translation unit (`options.std`, default c++20), with the
/// template instances bindery.yaml names (cxx_templates.hpp; a second parse when there are any).
/// Compiler errors are reported with their location and end the run (FatalError).
CxxApi parse_cxx_headers(const ParseOptions& options, Diagnostics& diags,
                         const std::vector<TemplateRequest>& templates = {});

}  // namespace bindery::frontend::cxx
