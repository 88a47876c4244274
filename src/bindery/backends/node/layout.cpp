#include "bindery/backends/node/layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace bindery::backends::node {

namespace fs = std::filesystem;

namespace {

bool is_header(const fs::path& p) {
  static const char* kExt[] = {".h", ".hh", ".hpp", ".hxx", ".h++", ".inc", ".inl", ".ipp", ".tcc"};
  std::string ext = p.extension().string();
  return std::any_of(std::begin(kExt), std::end(kExt), [&](const char* e) { return ext == e; });
}

bool is_system(const fs::path& p) {
  std::string s = p.generic_string();
  return s.rfind("/usr/", 0) == 0 || s.rfind("/opt/", 0) == 0;
}

// "a/b" when `p` is inside `root`, "" otherwise.
std::string inside(const fs::path& p, const fs::path& root) {
  fs::path rel = fs::weakly_canonical(p).lexically_relative(fs::weakly_canonical(root));
  if (rel.empty() || *rel.begin() == "..") return "";
  return rel.generic_string();
}

// Sorted, so the package's bytes do not depend on directory order.
std::vector<fs::path> files_under(const fs::path& dir, bool recursive) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file()) files.push_back(it->path());
  } else {
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
      if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

PackageLayout plan_layout(const ir::Module& m, const fs::path& out) {
  PackageLayout l;
  bool native = false, c_layer = false;
  auto note_top = [&](const std::string& rel) {
    if (rel.rfind("c_layer/", 0) == 0 || rel == "c_layer") c_layer = true;
  };
  for (size_t i = 0; i < m.include_dirs.size(); i++) {
    fs::path dir = m.include_dirs[i];
    if (std::string rel = inside(dir, out); !rel.empty()) {
      l.include_dirs.push_back(rel);
      note_top(rel);
      continue;
    }
    if (is_system(dir)) continue;
    std::string dest = fmt::format("native/inc{}", i);
    l.include_dirs.push_back(dest);
    native = true;
    for (const auto& f : files_under(dir, true))
      if (is_header(f)) l.copies.push_back({f, dest + "/" + f.lexically_relative(dir).generic_string()});
  }
  std::map<fs::path, std::string> source_dirs;  // a source directory -> its folder in the package
  for (const auto& src : m.sources) {
    fs::path p = src;
    if (std::string rel = inside(p, out); !rel.empty()) {
      l.sources.push_back(rel);
      note_top(rel);
      continue;
    }
    fs::path dir = p.parent_path();
    auto [it, fresh] = source_dirs.emplace(dir, fmt::format("native/src{}", source_dirs.size()));
    if (fresh) {  // its sibling headers too: sources include them by their plain name
      for (const auto& f : files_under(dir, false))
        if (is_header(f)) l.copies.push_back({f, it->second + "/" + f.filename().generic_string()});
    }
    std::string dest = it->second + "/" + p.filename().generic_string();
    l.copies.push_back({p, dest});
    l.sources.push_back(dest);
    native = true;
  }
  if (native) l.package_dirs.push_back("native/");
  if (c_layer) l.package_dirs.push_back("c_layer/");
  return l;
}

}  // namespace bindery::backends::node
