// Golden test of the Ruby backend on a hand-built IR (tests/ruby/demo): the generated extension and
// RBS must match tests/ruby/golden/demo/ byte for byte. Regenerate with BINDERY_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bindery/backends/backend.hpp"
#include "bindery/support/files.hpp"
#include "demo_module.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kTests = BINDERY_RUBY_TESTS_DIR;

fs::path generate_demo(const std::string& demo_dir) {
  fs::path out = fs::path(testing::TempDir()) / "bindery_ruby_golden";
  fs::remove_all(out);
  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = out;
  bindery::backends::generate_ruby(bindery::ruby_test::demo_module(demo_dir), options, diags);
  EXPECT_FALSE(diags.has_errors());
  return out;
}

TEST(RubyBackend, DemoMatchesGolden) {
  // A fixed, relative-looking demo path keeps absolute paths out of the golden files.
  fs::path out = generate_demo("tests/ruby/demo");
  bool update = std::getenv("BINDERY_UPDATE_GOLDEN") != nullptr;
  for (const char* file : {"ext/demo/demo_ext.c", "sig/demo.rbs", "lib/demo.rb", "demo.gemspec"}) {
    fs::path golden = kTests / "golden" / "demo" / file;
    std::string actual = bindery::read_file(out / file);
    if (update) {
      bindery::write_file_if_changed(golden, actual);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " is missing: run with BINDERY_UPDATE_GOLDEN=1";
    EXPECT_EQ(bindery::read_file(golden), actual) << file << " differs from " << golden
                                                  << " (BINDERY_UPDATE_GOLDEN=1 to accept)";
  }
}

TEST(RubyBackend, SameInputSameBytes) {
  fs::path out = generate_demo("tests/ruby/demo");
  std::string first = bindery::read_file(out / "ext/demo/demo_ext.c");
  out = generate_demo("tests/ruby/demo");
  EXPECT_EQ(first, bindery::read_file(out / "ext/demo/demo_ext.c"));
}

TEST(RubyBackend, RuntimeHeaderIsCopied) {
  fs::path out = generate_demo("tests/ruby/demo");
  EXPECT_EQ(bindery::read_file(kTests / ".." / ".." / "runtime" / "ruby" / "bindery_ruby.h"),
            bindery::read_file(out / "ext/demo/bindery_ruby.h"));
}

TEST(RubyBackend, UnsupportedFunctionIsReportedNotBound) {
  auto module = bindery::ruby_test::demo_module("tests/ruby/demo");
  bindery::ir::Function f;
  f.c_name = "demo_with_callback";
  f.name = "with_callback";
  bindery::ir::Param cb;
  cb.name = "fn";
  cb.c_type = "void (*)(void)";
  cb.type.kind = bindery::ir::TypeKind::Callback;
  cb.callback = bindery::ir::Callback{};
  f.params.push_back(cb);
  module.functions.push_back(f);
  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = fs::path(testing::TempDir()) / "bindery_ruby_unsupported";
  bindery::backends::generate_ruby(module, options, diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_NE(diags.all()[0].message.find("demo_with_callback is not bound"), std::string::npos);
  std::string ext = bindery::read_file(options.out_dir / "ext/demo/demo_ext.c");
  EXPECT_EQ(ext.find("demo_with_callback"), std::string::npos);
}

// An interface with a method whose argument Ruby cannot be given (an array of integers without a
// length): generate says why, emits no table or trampoline, and leaves the registering function
// unbound (it would pass a table that does not exist).
TEST(RubyBackend, UnsupportedInterfaceLeavesItsRegistrationUnbound) {
  namespace ir = bindery::ir;
  auto module = bindery::ruby_test::demo_module("tests/ruby/demo");
  ir::Interface iface;
  iface.c_name = "struct demo_visitor";
  iface.name = "Visitor";
  iface.table = "bindery_interface_demo_visitor";
  iface.ok = "0";
  iface.error = "1";
  ir::InterfaceMethod m;
  m.field = "visit";
  m.name = "visit";
  ir::Param data;
  data.name = "data";
  data.index = 0;
  data.c_type = "void *";
  data.role = ir::ParamRole::UserData;
  data.type.kind = ir::TypeKind::HostValue;
  ir::Param values;
  values.name = "values";
  values.index = 1;
  values.c_type = "const int *";
  values.type = {ir::TypeKind::Slice, ir::Scalar::I32, {}, "const int *", {}};  // no length: unknown size
  m.params = {data, values};
  m.receiver = 0;
  m.ret = std::make_shared<ir::Param>();
  m.ret->type = {ir::TypeKind::Scalar, ir::Scalar::I32, {}, "int", {}};
  m.ret->c_type = "int";
  iface.methods.push_back(m);
  module.interfaces.push_back(iface);

  ir::Function f;
  f.c_name = "demo_visit_all";
  f.name = "visit_all";
  ir::Param table;
  table.name = "visitor";
  table.index = 0;
  table.c_type = "const struct demo_visitor *";
  table.role = ir::ParamRole::Fixed;
  table.fixed = "&bindery_interface_demo_visitor";
  f.params.push_back(table);
  module.functions.push_back(f);

  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = fs::path(testing::TempDir()) / "bindery_ruby_unsupported_interface";
  bindery::backends::generate_ruby(module, options, diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_NE(diags.all()[0].message.find("interface struct demo_visitor is not implemented: method visit: argument 'values'"),
            std::string::npos)
      << diags.all()[0].message;
  EXPECT_NE(diags.all()[1].message.find("demo_visit_all is not bound: implements interface struct demo_visitor"),
            std::string::npos)
      << diags.all()[1].message;
  std::string ext = bindery::read_file(options.out_dir / "ext/demo/demo_ext.c");
  EXPECT_EQ(ext.find("demo_visit_all"), std::string::npos);
  EXPECT_EQ(ext.find("bindery_interface_demo_visitor"), std::string::npos);
  EXPECT_EQ(ext.find("iftramp"), std::string::npos);
  EXPECT_EQ(bindery::read_file(options.out_dir / "sig/demo.rbs").find("_Visitor"), std::string::npos);
}

}  // namespace

// A library type that would be named <Module>::View, in a module whose `_view` methods return
// <Module>::View objects: one Ruby class with both sets of methods. generate refuses it and says
// how to rename it; without view methods the name is free.
TEST(RubyBackend, ATypeNamedViewClashesWithTheViewsClass) {
  auto module = bindery::ruby_test::demo_module("tests/ruby/demo");
  bindery::ir::Handle view;
  view.name = "View";
  view.c_name = "demo_view";
  view.pointer_c_type = "demo_view *";
  module.handles.push_back(view);
  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = fs::path(testing::TempDir()) / "bindery_ruby_view_clash";
  fs::remove_all(options.out_dir);
  bindery::backends::generate_ruby(module, options, diags);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_NE(diags.all().back().message.find("demo_view would be Demo::View"), std::string::npos);
  EXPECT_NE(diags.all().back().message.find("types: demo_view: {name: ...}"), std::string::npos);
  EXPECT_FALSE(fs::exists(options.out_dir / "ext/demo/demo_ext.c"));

  std::erase_if(module.functions, [](const bindery::ir::Function& f) {
    return f.c_name == "demo_counter_bytes" || f.c_name == "demo_counter_tail";  // the two with views
  });
  bindery::Diagnostics no_views;
  bindery::backends::generate_ruby(module, options, no_views);
  EXPECT_FALSE(no_views.has_errors());
  EXPECT_TRUE(fs::exists(options.out_dir / "ext/demo/demo_ext.c"));
}

// With every class free-threaded the extension may declare itself Ractor-safe, but not while it
// offers views: they list themselves in one table of the extension that parallel Ractors would share.
TEST(RubyBackend, AnExtensionWithViewsIsNotRactorSafe) {
  auto module = bindery::ruby_test::demo_module("tests/ruby/demo");
  for (auto& h : module.handles) h.thread = "free";
  bindery::backends::GenerateOptions options;
  options.out_dir = fs::path(testing::TempDir()) / "bindery_ruby_ractors";
  fs::remove_all(options.out_dir);
  bindery::Diagnostics diags;
  bindery::backends::generate_ruby(module, options, diags);
  ASSERT_FALSE(diags.has_errors());
  std::string with_views = bindery::read_file(options.out_dir / "ext/demo/demo_ext.c");
  EXPECT_NE(with_views.find("bindery_rb_define_view_class"), std::string::npos);
  EXPECT_EQ(with_views.find("rb_ext_ractor_safe(true)"), std::string::npos);

  std::erase_if(module.functions, [](const bindery::ir::Function& f) {
    return f.c_name == "demo_counter_bytes" || f.c_name == "demo_counter_tail";  // the two with views
  });
  fs::remove_all(options.out_dir);
  bindery::backends::generate_ruby(module, options, diags);
  ASSERT_FALSE(diags.has_errors());
  std::string without_views = bindery::read_file(options.out_dir / "ext/demo/demo_ext.c");
  EXPECT_NE(without_views.find("rb_ext_ractor_safe(true)"), std::string::npos) << "the control: free classes, no views";
}
