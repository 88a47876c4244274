// The IR of tests/ruby/demo, built by hand: the Ruby backend's tests do not depend on lowering.
#pragma once

#include <string>

#include "bindery/ir/ir.hpp"

namespace bindery::ruby_test {

/// `demo_dir` is the absolute path of tests/ruby/demo (headers and sources).
ir::Module demo_module(const std::string& demo_dir);

}  // namespace bindery::ruby_test
