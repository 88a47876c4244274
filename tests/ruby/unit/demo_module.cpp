#include "demo_module.hpp"

namespace bindery::ruby_test {

namespace {

ir::Type scalar(ir::Scalar s, std::string c_type) { return {ir::TypeKind::Scalar, s, {}, std::move(c_type), {}}; }
ir::Type str(std::string c_type) { return {ir::TypeKind::Str, ir::Scalar::Char, {}, std::move(c_type), "utf8"}; }
ir::Type handle() { return {ir::TypeKind::Handle, ir::Scalar::I32, "Counter", "demo_counter *", {}}; }

ir::Param param(std::string name, int index, std::string c_type, ir::Type type,
                ir::ParamRole role = ir::ParamRole::Input) {
  ir::Param p;
  p.name = std::move(name);
  p.index = index;
  p.c_type = std::move(c_type);
  p.type = std::move(type);
  p.role = role;
  if (p.type.kind == ir::TypeKind::Str || p.type.kind == ir::TypeKind::Bytes) p.lifetime.own = ir::Own::Borrowed;
  return p;
}

ir::Param self(int index = 0) { return param("c", index, "demo_counter *", handle(), ir::ParamRole::Self); }

ir::Type cell() { return {ir::TypeKind::Handle, ir::Scalar::I32, "Cell", "demo_cell *", {}}; }

ir::Function fn(std::string c_name, std::string name, ir::Type returns, std::vector<ir::Param> params,
                ir::ResultKind kind = ir::ResultKind::Value) {
  ir::Function f;
  f.c_name = std::move(c_name);
  f.name = std::move(name);
  f.returns = std::move(returns);
  f.params = std::move(params);
  f.result.kind = kind;
  return f;
}

ir::Function method(ir::Function f) {
  f.role = ir::FunctionRole::Method;
  f.class_name = "Counter";
  return f;
}

}  // namespace

ir::Module demo_module(const std::string& dir) {
  ir::Module m;
  m.library = "demo";
  m.cxx_namespace = "demo";
  m.prefix_strip = "demo_";
  m.headers.push_back({dir + "/demo.h", "demo.h"});
  m.include_dirs.push_back(dir);
  m.sources.push_back(dir + "/demo.c");

  ir::Handle h;
  h.name = "Counter";
  h.c_name = "demo_counter";
  h.destroy = "demo_counter_free";
  h.pointer_c_type = "demo_counter *";
  m.handles.push_back(h);

  ir::Handle cell_handle;
  cell_handle.name = "Cell";
  cell_handle.c_name = "demo_cell";
  cell_handle.pointer_c_type = "demo_cell *";
  cell_handle.destroy = "demo_cell_free";
  cell_handle.thread = "free";  // calls may overlap: only consuming a busy cell is refused
  m.handles.push_back(cell_handle);

  ir::ErrorConvention errno_null;
  errno_null.name = "errno_null";
  errno_null.on = ir::ErrorConvention::On::Pointer;
  errno_null.ok = {"non_null"};
  errno_null.errno_expr = "errno";
  m.conventions.push_back(errno_null);

  ir::ErrorConvention status;
  status.name = "demo_rc";
  status.ok = {"0"};
  status.message = "demo_counter_error(${self})";
  m.conventions.push_back(status);

  ir::Constant answer;
  answer.name = "ANSWER";
  answer.c_name = "DEMO_ANSWER";
  answer.int_value = 42;
  m.constants.push_back(answer);

  const auto i32 = scalar(ir::Scalar::I32, "int32_t");
  m.functions.push_back(fn("demo_add", "add", i32, {param("a", 0, "int32_t", i32), param("b", 1, "int32_t", i32)}));
  m.functions.back().params[1].default_value = "0";
  auto blocking = fn("demo_add_blocking", "add_blocking", i32, {param("a", 0, "int32_t", i32), param("b", 1, "int32_t", i32)});
  blocking.blocking = true;  // the GVL is released around the call
  m.functions.push_back(blocking);
  m.functions.push_back(fn("demo_scale", "scale", scalar(ir::Scalar::F64, "double"),
                           {param("x", 0, "double", scalar(ir::Scalar::F64, "double")),
                            param("f", 1, "float", scalar(ir::Scalar::F32, "float"))}));
  m.functions.push_back(fn("demo_is_even", "is_even", scalar(ir::Scalar::Bool, "bool"),
                           {param("v", 0, "int64_t", scalar(ir::Scalar::I64, "int64_t"))}));
  m.functions.push_back(fn("demo_u64_echo", "u64_echo", scalar(ir::Scalar::U64, "uint64_t"),
                           {param("v", 0, "uint64_t", scalar(ir::Scalar::U64, "uint64_t"))}));
  m.functions.push_back(fn("demo_strlen", "strlen", scalar(ir::Scalar::U64, "size_t"),
                           {param("s", 0, "const char *", str("const char *"))}));

  auto greeting = fn("demo_greeting", "greeting", str("const char *"), {});
  greeting.returns_lifetime.own = ir::Own::Static;
  greeting.returns_length.kind = ir::Length::Kind::Nul;
  m.functions.push_back(greeting);

  auto upper = fn("demo_upper", "upper", str("char *"), {param("s", 0, "const char *", str("const char *"))});
  upper.returns_lifetime.own = ir::Own::Owned;
  upper.returns_lifetime.free = "demo_free_string";
  upper.returns_length.kind = ir::Length::Kind::Nul;
  m.functions.push_back(upper);

  ir::Type bytes{ir::TypeKind::Bytes, ir::Scalar::U8, {}, "const void *", {}};
  auto sum = fn("demo_sum_bytes", "sum_bytes", scalar(ir::Scalar::U64, "size_t"),
                {param("data", 0, "const void *", bytes), param("len", 1, "size_t", scalar(ir::Scalar::U64, "size_t"), ir::ParamRole::Length)});
  sum.params[0].size = "len";
  sum.params[1].length_of = "data";
  m.functions.push_back(sum);

  auto ctor = fn("demo_counter_new", "new", handle(), {param("start", 0, "int32_t", i32)}, ir::ResultKind::NullError);
  ctor.role = ir::FunctionRole::Constructor;
  ctor.class_name = "Counter";
  ctor.result.convention = "errno_null";
  ctor.returns_lifetime.own = ir::Own::Owned;
  ctor.returns_lifetime.null = ir::NullMeaning::Error;
  m.functions.push_back(ctor);

  auto dtor = fn("demo_counter_free", "free", {}, {self()}, ir::ResultKind::Void);
  dtor.role = ir::FunctionRole::Destructor;
  dtor.class_name = "Counter";
  m.functions.push_back(dtor);

  m.functions.push_back(method(fn("demo_counter_add", "add", i32, {self(), param("n", 1, "int32_t", i32)})));

  auto check = method(fn("demo_counter_check", "check", scalar(ir::Scalar::I32, "int"),
                         {self(), param("limit", 1, "int32_t", i32)}, ir::ResultKind::Status));
  check.result.convention = "demo_rc";
  m.functions.push_back(check);

  ir::Type u8bytes{ir::TypeKind::Bytes, ir::Scalar::U8, {}, "const uint8_t *", {}};
  auto data = method(fn("demo_counter_bytes", "bytes", u8bytes,
                        {self(), param("len", 1, "size_t *", scalar(ir::Scalar::U64, "size_t"), ir::ParamRole::Output)}));
  data.returns_lifetime.own = ir::Own::Borrowed;
  data.returns_lifetime.from = "c";
  data.returns_length.kind = ir::Length::Kind::OutParam;
  data.returns_length.value = "len";
  m.functions.push_back(data);

  auto tail = method(fn("demo_counter_tail", "tail", u8bytes,
                        {self(), param("from", 1, "size_t", scalar(ir::Scalar::U64, "size_t")),
                         param("len", 2, "size_t *", scalar(ir::Scalar::U64, "size_t"), ir::ParamRole::Output)}));
  tail.returns_lifetime.own = ir::Own::Borrowed;
  tail.returns_lifetime.from = "c";
  tail.returns_length.kind = ir::Length::Kind::OutParam;
  tail.returns_length.value = "len";
  m.functions.push_back(tail);

  m.functions.push_back(fn("demo_live_counters", "live_counters", scalar(ir::Scalar::I32, "int"), {}));

  auto cell_new = fn("demo_cell_new", "new", cell(), {param("value", 0, "int32_t", i32)});
  cell_new.role = ir::FunctionRole::Constructor;
  cell_new.class_name = "Cell";
  cell_new.returns_lifetime.own = ir::Own::Owned;
  m.functions.push_back(cell_new);
  auto cell_free = fn("demo_cell_free", "free", {}, {param("c", 0, "demo_cell *", cell(), ir::ParamRole::Self)}, ir::ResultKind::Void);
  cell_free.role = ir::FunctionRole::Destructor;
  cell_free.class_name = "Cell";
  m.functions.push_back(cell_free);
  auto hold = fn("demo_cell_hold", "hold", i32,
                 {param("c", 0, "demo_cell *", cell(), ir::ParamRole::Self), param("ms", 1, "int32_t", i32)});
  hold.role = ir::FunctionRole::Method;
  hold.class_name = "Cell";
  hold.blocking = true;  // runs without the GVL: the cell is busy meanwhile
  m.functions.push_back(hold);
  auto absorb = fn("demo_cell_absorb", "absorb", i32,
                   {param("into", 0, "demo_cell *", cell(), ir::ParamRole::Self), param("from", 1, "demo_cell *", cell())});
  absorb.role = ir::FunctionRole::Method;
  absorb.class_name = "Cell";
  absorb.params[1].lifetime.own = ir::Own::Consumed;  // the callee frees it
  m.functions.push_back(absorb);

  // int64_t demo_window(int32_t first, int32_t count, demo_visit_fn visit, void *user_data):
  // `visit` receives a slice of int32 (xs, count), lent for the callback.
  const auto i64 = scalar(ir::Scalar::I64, "int64_t");
  ir::Callback visit;
  visit.scope = ir::Callback::Scope::Call;
  visit.user_data = "user_data";
  visit.typedef_name = "demo_visit_fn";
  visit.user_data_index = 0;
  visit.params.push_back(param("user_data", 0, "void *", {}, ir::ParamRole::UserData));
  visit.params.push_back(param("xs", 1, "const int32_t *", {ir::TypeKind::Slice, ir::Scalar::I32, {}, "const int32_t *", {}}));
  visit.params.back().size = "count";
  visit.params.push_back(param("count", 2, "size_t", scalar(ir::Scalar::U64, "size_t"), ir::ParamRole::Length));
  visit.params.back().length_of = "xs";
  visit.ret = std::make_shared<ir::Param>(param("", -1, "int64_t", i64));
  ir::Param visit_param = param("visit", 2, "demo_visit_fn", {ir::TypeKind::Callback, ir::Scalar::I32, {}, "demo_visit_fn", {}});
  visit_param.callback = visit;
  ir::Param user_data = param("user_data", 3, "void *", {}, ir::ParamRole::UserData);
  user_data.length_of = "visit";
  m.functions.push_back(fn("demo_window", "window", i64,
                           {param("first", 0, "int32_t", i32), param("count", 1, "int32_t", i32), visit_param, user_data}));
  return m;
}

}  // namespace bindery::ruby_test
