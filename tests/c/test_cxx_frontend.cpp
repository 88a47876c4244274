// c.cxx_frontend: what the C++ frontend reads from tests/c/frontend/features.hpp.
#include <iostream>
#include <string>

#include "bindery/backends/c/plan.hpp"
#include "bindery/frontend/cxx/cxx_frontend.hpp"

namespace {

using namespace bindery::frontend::cxx;
int passed = 0, failed = 0;

void expect(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::cerr << "FAILED: " << what << "\n";
  }
}

const CxxFunction* function(const CxxApi& api, const std::string& qualified, size_t params) {
  for (const auto& f : api.functions)
    if (f.qualified_name == qualified && f.params.size() == params) return &f;
  return nullptr;
}

bool skipped(const CxxApi& api, const std::string& what) {
  for (const auto& s : api.skipped)
    if (s.qualified_name.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  bindery::Diagnostics diags;
  bindery::frontend::ParseOptions options;
  options.headers = {argv[1]};
  options.std = "c++20";
  CxxApi api = parse_cxx_headers(options, diags, {{"outer::inner::Counter<int>", "CounterInt", true, {}}});
  using K = CxxType::Kind;

  // Inline namespaces vanish from names; nested namespaces stay.
  const CxxClass* widget = api.find_class("outer::inner::Widget");
  expect(widget && !widget->aggregate && widget->public_destructor, "Widget: a class with a public destructor");
  expect(widget && widget->doc == "A class with every kind of member.", "class doc comment");
  const CxxEnum* plain = api.find_enum("outer::inner::Plain");
  expect(plain && !plain->scoped && plain->values.size() == 2 && plain->values[1].second == 4, "unscoped enum values");

  // Constructors: default and converting; copy, move and deleted members never appear.
  int constructors = 0;
  for (const auto& f : api.functions)
    if (f.kind == CxxFunction::Kind::Constructor && f.class_name == "outer::inner::Widget") ++constructors;
  expect(constructors == 2, "two constructors (copy/move left out)");
  const CxxFunction* ctor = function(api, "outer::inner::Widget::Widget", 3);
  expect(ctor && ctor->is_overloaded && !ctor->is_noexcept, "overloaded constructor that may throw");
  expect(ctor && ctor->params[1].default_value == "1.5" && ctor->params[2].default_value == "PLAIN_B",
         "default arguments as written");
  const CxxFunction* def = function(api, "outer::inner::Widget::Widget", 0);
  expect(def && def->is_noexcept, "noexcept constructor");

  const CxxFunction* get = function(api, "outer::inner::Widget::get", 0);
  expect(get && get->is_const && get->is_noexcept && get->returns.kind == K::Scalar, "const noexcept getter");
  const CxxFunction* set = function(api, "outer::inner::Widget::set", 1);
  expect(set && !set->is_const && set->is_noexcept, "noexcept(true) counts as noexcept");
  const CxxFunction* label = function(api, "outer::inner::Widget::label", 0);
  expect(label && label->returns.kind == K::StringView && label->returns_lifetimebound, "lifetimebound view of this");
  const CxxFunction* samples = function(api, "outer::inner::Widget::samples", 1);
  expect(samples && samples->kind == CxxFunction::Kind::Static, "static method");
  expect(samples && samples->returns.kind == K::Optional && samples->returns.element->kind == K::Vector &&
             samples->returns.element->element->scalar == bindery::ir::Scalar::F32,
         "optional<vector<float>>");
  expect(samples && samples->params[0].type.kind == K::Span && samples->params[0].type.element->is_const &&
             samples->params[0].type.element->scalar == bindery::ir::Scalar::U16,
         "span<const uint16_t>");
  expect(!function(api, "outer::inner::Widget::deleted", 1), "deleted member left out");
  expect(!function(api, "outer::inner::Widget::hidden", 0), "protected member left out");
  expect(skipped(api, "operator<"), "operator reported as skipped");

  const CxxClass* base = api.find_class("outer::inner::Base");
  expect(base && base->abstract, "abstract class");
  const CxxClass* sealed = api.find_class("outer::inner::Sealed");
  expect(sealed && !sealed->public_destructor, "private destructor seen");

  const CxxFunction* pick = function(api, "outer::inner::pick", 2);
  expect(pick && pick->params[0].lifetimebound && !pick->params[1].lifetimebound, "lifetimebound parameter");
  const CxxFunction* take = function(api, "outer::inner::take", 1);
  expect(take && take->params[0].type.kind == K::UniquePtr && take->params[0].type.element->name == "outer::inner::Widget",
         "unique_ptr<Widget> parameter");
  const CxxFunction* widen = function(api, "outer::inner::widen", 3);
  expect(widen && widen->returns.scalar == bindery::ir::Scalar::I64 && widen->params[0].type.scalar == bindery::ir::Scalar::U8 &&
             widen->params[1].type.scalar == bindery::ir::Scalar::Char && widen->params[2].type.scalar == bindery::ir::Scalar::Bool,
         "scalars by width");
  expect(skipped(api, "Box"), "class template reported as skipped");
  expect(!skipped(api, "Counter"), "a requested class template is not reported");

  // Copyability (cxx_copyable.hpp): structural, erring towards "not copyable".
  expect(widget && widget->copyable, "Widget: defaulted copy constructor over an int");
  const CxxClass* plainly = api.find_class("outer::inner::Plainly");
  expect(plainly && plainly->copyable, "implicit copy over string, vector<double>, optional<int>");
  const CxxClass* holder = api.find_class("outer::inner::Holder");
  expect(holder && !holder->copyable, "vector<unique_ptr> is not copyable");
  const CxxClass* move_only = api.find_class("outer::inner::MoveOnly");
  expect(move_only && !move_only->copyable, "a declared move constructor deletes the copy");
  expect(sealed && !sealed->copyable, "a private destructor: no clone");

  // A template instance: the pattern's members with T = int, named as bindery.yaml says.
  const CxxClass* counter = api.find_class("outer::inner::Counter<int>");
  expect(counter && counter->name == "CounterInt" && counter->copyable && counter->instance_of == "outer::inner::Counter<int>",
         "Counter<int>: a class named CounterInt, copyable");
  const CxxFunction* add = function(api, "outer::inner::Counter<int>::add", 1);
  expect(add && add->kind == CxxFunction::Kind::Method && add->is_noexcept && !add->is_const &&
             add->params[0].name == "step" && add->params[0].type.kind == K::Scalar &&
             add->params[0].type.scalar == bindery::ir::Scalar::I32 && add->doc == "Adds `step`.",
         "member with a member-alias parameter: int, named, documented");
  const CxxFunction* total = function(api, "outer::inner::Counter<int>::total", 0);
  expect(total && total->is_const && total->returns.kind == K::Scalar, "const member returning T");
  const CxxFunction* last = function(api, "outer::inner::Counter<int>::last", 0);
  expect(last && last->returns.kind == K::Optional && last->returns.element->scalar == bindery::ir::Scalar::I32,
         "optional<T> is optional<int>");
  const CxxFunction* combined = function(api, "outer::inner::Counter<int>::combined", 1);
  expect(combined && combined->returns.kind == K::Class && combined->returns.name == "outer::inner::Counter<int>" &&
             combined->params[0].type.is_reference && combined->params[0].type.name == "outer::inner::Counter<int>",
         "the injected class name is the instance");
  const CxxFunction* start = function(api, "outer::inner::Counter<int>::Counter", 1);
  expect(start && start->kind == CxxFunction::Kind::Constructor && start->params[0].default_value == "T{}",
         "constructor of the instance, default as written");

  // The C layer's names for an unscoped enum (docs/adr/c-layer-enum-values.md): PLAIN_A and PLAIN_B
  // lose their shared PLAIN_, as a C enum's values do, so C gets FEATURES_PLAIN_A, not
  // FEATURES_PLAIN_PLAIN_A, and hosts get A and B; a default argument follows the same names.
  bindery::ir::Module module;
  module.library = "features";
  bindery::backends::c::Plan plan = bindery::backends::c::make_plan(api, module, diags);
  const bindery::ir::Enum* plain_ir = plan.module.find_enum("Plain");
  expect(plain_ir && plain_ir->values.size() == 2 && plain_ir->values[0].c_name == "FEATURES_PLAIN_A" &&
             plain_ir->values[0].name == "A" && plain_ir->values[1].c_name == "FEATURES_PLAIN_B" &&
             plain_ir->values[1].name == "B" && plain_ir->values[1].value == 4,
         "unscoped enum values lose their shared prefix: FEATURES_PLAIN_A / A");
  std::string widget_default;
  for (const auto& f : plan.module.functions)
    if (f.c_name == "features_widget_new_i32_f64_plain")
      for (const auto& p : f.params)
        if (p.name == "p") widget_default = p.default_value;
  expect(widget_default == "FEATURES_PLAIN_B", "an enum default names the C enumerator: " + widget_default);

  diags.print(std::cerr, false);
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed || diags.has_errors() ? 1 : 0;
}
