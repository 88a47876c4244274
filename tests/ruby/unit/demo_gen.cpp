// Writes the demo gem (tests/ruby/demo, IR built by hand) to argv[1]: the extension test_demo.rb
// loads is generated without the frontend, so the backend is tested even when lowering changes.
#include <iostream>

#include "bindery/backends/backend.hpp"
#include "demo_module.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ruby_demo_gen OUT_DIR DEMO_DIR\n";
    return 2;
  }
  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = argv[1];
  bindery::backends::generate_ruby(bindery::ruby_test::demo_module(argv[2]), options, diags);
  diags.print(std::cerr, false);
  return diags.has_errors() ? 1 : 0;
}
