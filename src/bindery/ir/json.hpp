// The IR as JSON (`bindery ir`): field names are the struct's, documented in docs/ir.md.
// Empty/default fields are omitted so golden files show only what matters.
#pragma once

#include <nlohmann/json.hpp>

#include "bindery/ir/ir.hpp"

namespace bindery::ir {

nlohmann::ordered_json to_json(const Module& module);

}  // namespace bindery::ir
