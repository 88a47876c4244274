// Lists a ustar archive and extracts one file through the generated safe API (tarball.hpp):
//   tarball_tool list ARCHIVE            one name per line
//   tarball_tool extract ARCHIVE NAME OUT
// Errors arrive as tarball_cpp::Error with errno (a missing or malformed archive) or as an absent file.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "tarball.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tarball_tool list ARCHIVE | extract ARCHIVE NAME OUT\n";
    return 2;
  }
  try {
    auto archive = tarball_cpp::Tarball::open(argv[2]);
    if (std::strcmp(argv[1], "list") == 0) {
      for (std::uint32_t i = 0; i < archive.count(); ++i)
        if (auto name = archive.file_name(i)) std::cout << *name << '\n';
      return 0;
    }
    if (std::strcmp(argv[1], "extract") == 0 && argc == 5) {
      auto index = archive.find(argv[3]);
      if (!index) {
        std::cerr << argv[3] << ": not in the archive\n";
        return 1;
      }
      auto data = archive.file_data(static_cast<std::uint32_t>(*index));  // borrowed from `archive`
      if (!data) return 1;
      std::ofstream(argv[4], std::ios::binary)
          .write(reinterpret_cast<const char*>(data->data()), static_cast<std::streamsize>(data->size()));
      return 0;
    }
    std::cerr << "unknown command\n";
    return 2;
  } catch (const tarball_cpp::Error& e) {
    std::cerr << argv[2] << ": " << e.what() << " (errno " << e.sys_errno() << ")\n";
    return 1;
  }
}
