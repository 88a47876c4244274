// A C++ library reaches the hosts through its C layer, read back as C (docs/hosts-over-cxx.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "bindery/backends/c/c_layer.hpp"
#include "bindery/cli/hosts_over_cxx.hpp"
#include "bindery/ir/lower.hpp"
#include "test_support.hpp"

namespace bindery::test {
namespace {

namespace fs = std::filesystem;
using namespace bindery::ir;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(HostsOverCxx, TheCLayerIsReadBackWithWhatItTakesToBuildIt) {
  Diagnostics diags;
  backends::c::Plan plan = backends::c::plan_from_config(source_dir() / "examples/shapes/bindery.yaml", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  fs::path out = fs::temp_directory_path() / "bindery-hosts-over-cxx";
  fs::remove_all(out);
  std::optional<Module> m = cli::module_over_c_layer(plan, out, diags);
  ASSERT_TRUE(m) << messages(diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);

  // The host reads the generated C header, not the C++ one.
  ASSERT_EQ(m->headers.size(), 1u);
  EXPECT_EQ(fs::path(m->headers[0].path), out / "c_layer/include/shapes.h");
  // It compiles the shim first, then the library's own sources, with the library's C++ standard.
  ASSERT_EQ(m->sources.size(), 2u);
  EXPECT_EQ(fs::path(m->sources[0]), out / "c_layer/src/shapes_c.cpp");
  EXPECT_EQ(fs::path(m->sources[1]).filename(), "shapes.cpp");
  EXPECT_EQ(m->cxx_std, "c++20");
  EXPECT_TRUE(contains(m->include_dirs, (out / "c_layer/src").string()));
  EXPECT_TRUE(contains(m->include_dirs, (source_dir() / "examples/shapes/include").string()));

  // The same classes as the C layer's own IR, and the C++ exceptions as error kinds.
  EXPECT_EQ(m->handles.size(), plan.module.handles.size());
  ASSERT_EQ(m->conventions.size(), 1u);
  const ErrorConvention& status = m->conventions[0];
  ASSERT_EQ(status.kinds.size(), 3u);
  EXPECT_EQ(status.kinds[0].code, "SHAPES_ERROR_INVALID_ARGUMENT");
  EXPECT_EQ(status.kinds[0].kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(status.kinds[1].kind, ErrorKind::OutOfRange);
  EXPECT_EQ(status.kinds[2].kind, ErrorKind::NoMemory);
  fs::remove_all(out);
}

TEST(ErrorKinds, NameDeclaredCodesOfTheirConvention) {
  TempDir dir;
  Diagnostics diags;
  Module m = lower_snippet(dir, "#define LIB_OK 0\n#define LIB_NOMEM (-2)\nint lib_run(int x);\n",
                           "results:\n  lib_rc: {type: int, ok: [LIB_OK], kinds: {LIB_NOMEM: no_memory}}\n"
                           "functions:\n  lib_run: {result: lib_rc}\n", diags);
  ASSERT_FALSE(diags.has_errors()) << messages(diags);
  ASSERT_EQ(m.conventions.size(), 1u);
  ASSERT_EQ(m.conventions[0].kinds.size(), 1u);
  EXPECT_EQ(m.conventions[0].kinds[0].code, "LIB_NOMEM");
  EXPECT_EQ(m.conventions[0].kinds[0].kind, ErrorKind::NoMemory);

  Diagnostics bad;
  lower_snippet(dir, "#define LIB_OK 0\nint lib_run(int x);\n",
                "results:\n  lib_rc: {type: int, ok: [LIB_OK], kinds: {LIB_GONE: out_of_range}}\n", bad);
  EXPECT_NE(messages(bad).find("error code 'LIB_GONE' in the kinds of result convention 'lib_rc' is not a macro"),
            std::string::npos) << messages(bad);
}

}  // namespace
}  // namespace bindery::test
