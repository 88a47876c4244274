// Name conversions shared by lowering and the backends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bindery {

/// "tarball_t" → "Tarball", "sqlite3_stmt" → "Sqlite3Stmt", "z_stream" → "ZStream".
std::string camel_case(std::string_view snake);
/// "fileData" / "FileData" → "file_data"; snake input is returned lower-cased.
std::string snake_case(std::string_view name);
/// "file_data" → "fileData".
std::string lower_camel_case(std::string_view snake);
/// Removes `prefix` from the front of `name` when present and something remains.
std::string strip_prefix(std::string_view name, std::string_view prefix);
/// Removes a trailing "_t" (C typedef convention).
std::string strip_type_suffix(std::string_view name);
/// A C identifier: a letter or '_', then letters, digits and '_'.
bool is_identifier(std::string_view text);
/// The longest common prefix of `names` that ends with '_' (what enum value names share, e.g.
/// "Z_" of Z_OK, Z_DATA_ERROR); for one name, everything up to its last '_'.
std::string common_prefix(const std::vector<std::string>& names);

}  // namespace bindery
