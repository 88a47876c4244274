// The CLI's commands, callable from tests without a process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace bindery::cli {

struct Options {
  std::string config = "bindery.yaml";
  std::string output;
  std::string target;
  std::string library;
  std::vector<std::string> headers;
  std::vector<std::string> include_dirs;
  std::vector<std::string> backend_options;
  bool strict = false;
  bool quiet = false;
  bool force = false;
  bool colour = false;
};

/// Each returns the process exit code: 0 success, 1 errors in the input.
int run_init(const Options& options);
int run_check(const Options& options);
int run_ir(const Options& options);
int run_generate(const Options& options);

}  // namespace bindery::cli
