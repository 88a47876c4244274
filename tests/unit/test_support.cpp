#include "test_support.hpp"

#include <random>
#include <sstream>

#include "bindery/ir/lower.hpp"
#include "bindery/support/files.hpp"

namespace bindery::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("bindery-test-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& content) const {
  fs::path p = path_ / name;
  write_file_if_changed(p, content);
  return p;
}

ir::Module lower_snippet(const TempDir& dir, const std::string& header, const std::string& yaml_body, Diagnostics& diags) {
  dir.write("lib.h", header);
  auto yaml = dir.write("bindery.yaml", "bindery: 1\nlibrary: lib\nheaders: [lib.h]\nprefix_strip: lib_\n" + yaml_body);
  try {
    config::Config config = config::load_config(yaml, diags);
    if (diags.has_errors()) return {};
    return ir::load_module(config, diags);
  } catch (const FatalError&) {
    return {};
  }
}

std::string messages(const Diagnostics& diags) {
  std::ostringstream out;
  diags.print(out, false);
  return out.str();
}

fs::path source_dir() { return BINDERY_TEST_SOURCE_DIR; }

}  // namespace bindery::test
