#include "bindery/backends/ruby/vendor.hpp"

#include <algorithm>
#include <set>

namespace bindery::backends::ruby {

namespace fs = std::filesystem;

namespace {

bool is_header(const fs::path& p) {
  static const std::set<std::string> exts = {".h", ".hh", ".hpp", ".hxx", ".h++", ".inc", ".inl", ".ipp"};
  return exts.count(p.extension().string()) != 0;
}

bool inside(const fs::path& path, const fs::path& dir) {
  fs::path rel = path.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

// Left where they are: the gem's own files (a C++ library's c_layer/) and the system's.
bool keep_in_place(const fs::path& path, const fs::path& out_dir) {
  return inside(path, out_dir) || inside(path, "/usr") || inside(path, "/opt") || !path.is_absolute();
}

// Headers under `dir` (recursively), each with its path relative to `dir`, sorted.
std::vector<fs::path> headers_under(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && is_header(it->path())) out.push_back(it->path().lexically_relative(dir));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Vendored plan_vendor(const ir::Module& module, const fs::path& out_dir) {
  Vendored v;
  std::set<std::string> taken;  // destination paths, so copies never collide
  auto add = [&](const fs::path& from, const std::string& to) {
    if (taken.insert(to).second) v.files.emplace_back(from, to);
  };
  int dirs = 0;
  for (const std::string& dir : module.include_dirs) {
    if (keep_in_place(dir, out_dir) || v.where.count(dir)) continue;
    const std::string to = "vendor/include" + std::to_string(dirs++);
    v.where[dir] = to;
    for (const fs::path& h : headers_under(dir)) add(fs::path(dir) / h, to + "/" + h.generic_string());
  }
  int n = 0;
  for (const std::string& src : module.sources) {
    if (keep_in_place(src, out_dir)) continue;
    // Each source in a folder of its own with the headers beside it (`#include "local.h"`).
    const fs::path from(src);
    const std::string to_dir = "vendor/src" + std::to_string(n++);
    v.where[src] = to_dir + "/" + from.filename().string();
    add(from, v.where[src]);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(from.parent_path(), ec)) {
      if (e.is_regular_file() && is_header(e.path())) add(e.path(), to_dir + "/" + e.path().filename().string());
    }
  }
  std::sort(v.files.begin(), v.files.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return v;
}

}  // namespace bindery::backends::ruby
