// Writing generated files: deterministic, and untouched when the content is the same (so build
// systems do not rebuild what did not change).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace bindery {

/// Writes `content` to `path` (creating parent directories) unless the file already holds it.
/// Throws std::runtime_error with the path on failure.
void write_file_if_changed(const std::filesystem::path& path, std::string_view content);

/// Reads a whole file; throws std::runtime_error with the path on failure.
std::string read_file(const std::filesystem::path& path);

}  // namespace bindery
