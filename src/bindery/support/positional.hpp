// `$N` placeholders in a C expression written in bindery.yaml (`user_data_from:
// "sqlite3_user_data($0)"`): each backend names the N-th argument its own way, the parsing is here.
#pragma once

#include <functional>
#include <string>

namespace bindery {

/// `expression` with every `$N` (N decimal, from 0) replaced by `argument(N)`.
std::string substitute_positions(const std::string& expression, const std::function<std::string(size_t)>& argument);

}  // namespace bindery
