// Builds the IR of demo.h by hand and runs the cpp backend on it: the backend's own test, free of
// the frontend and the lowering: demo.h, and kept.h (a pinned struct with a kept callback).
// Usage: make_demo_ir DEMO_OUT_DIR MANUAL_DIR KEPT_OUT_DIR
#include <iostream>
#include <memory>

#include "bindery/backends/backend.hpp"

namespace ir = bindery::ir;

namespace {

ir::Type scalar(ir::Scalar s, std::string c_type) {
  ir::Type t;
  t.kind = ir::TypeKind::Scalar;
  t.scalar = s;
  t.c_type = std::move(c_type);
  return t;
}
ir::Type named(ir::TypeKind kind, std::string name, std::string c_type) {
  ir::Type t;
  t.kind = kind;
  t.name = std::move(name);
  t.c_type = std::move(c_type);
  return t;
}
ir::Type text(std::string c_type) { return named(ir::TypeKind::Str, "", std::move(c_type)); }

ir::Param param(std::string name, ir::ParamRole role, ir::Type type, std::string c_type = "") {
  ir::Param p;
  p.name = std::move(name);
  p.role = role;
  p.c_type = c_type.empty() ? type.c_type : std::move(c_type);
  p.type = std::move(type);
  if (p.role == ir::ParamRole::Input && (p.type.kind == ir::TypeKind::Str || p.type.kind == ir::TypeKind::Bytes))
    p.lifetime.own = ir::Own::Borrowed;
  return p;
}
ir::Param self(const std::string& c_type) {
  return param("c", ir::ParamRole::Self, named(ir::TypeKind::Handle, "Counter", c_type));
}

ir::Function function(std::string c_name, std::string name, std::vector<ir::Param> params, ir::Type returns) {
  ir::Function f;
  f.c_name = std::move(c_name);
  f.name = std::move(name);
  for (std::size_t i = 0; i < params.size(); ++i) params[i].index = static_cast<int>(i);
  f.params = std::move(params);
  f.returns = std::move(returns);
  return f;
}
ir::Function method(std::string c_name, std::string name, std::vector<ir::Param> params, ir::Type returns) {
  ir::Function f = function(std::move(c_name), std::move(name), std::move(params), std::move(returns));
  f.role = ir::FunctionRole::Method;
  f.class_name = "Counter";
  return f;
}

ir::Handle handle(std::string name, std::string c_name, std::string destroy, std::string doc) {
  ir::Handle h;
  h.name = std::move(name);
  h.c_name = std::move(c_name);
  h.destroy = std::move(destroy);
  h.doc = std::move(doc);
  return h;
}

/// The module of manual/<name>.h and <name>.c: namespace <name>, prefix `<name>_` stripped.
ir::Module manual_module(const std::string& name, const std::string& dir) {
  ir::Module m;
  m.library = name;
  m.cxx_namespace = name;
  m.prefix_strip = name + "_";
  m.headers = {{dir + "/" + name + ".h", name + ".h"}};
  m.include_dirs = {dir};
  m.sources = {dir + "/" + name + ".c"};
  return m;
}

ir::Module demo_module(const std::string& dir) {
  ir::Module m = manual_module("demo", dir);

  m.handles.push_back(handle("Counter", "demo_counter", "demo_counter_free", "A named counter with a history of its additions."));

  ir::ErrorConvention status;
  status.name = "demo_rc";
  status.ok = {"DEMO_OK"};
  status.message = "demo_counter_error(${self})";
  m.conventions.push_back(status);
  ir::ErrorConvention null_errno;
  null_errno.name = "errno_null";
  null_errno.on = ir::ErrorConvention::On::Pointer;
  null_errno.errno_expr = "errno";
  m.conventions.push_back(null_errno);
  ir::ErrorConvention minus_one;
  minus_one.name = "minus_one";
  minus_one.ok = {"DEMO_OK"};
  minus_one.message = "\"division by zero\"";
  m.conventions.push_back(minus_one);

  ir::Enum color{"Color", "enum demo_color", ir::Scalar::I32, false,
                 {{"RED", "DEMO_RED", 0, ""}, {"GREEN", "DEMO_GREEN", 5, "the second"}, {"BLUE", "DEMO_BLUE", 6, ""}},
                 "A colour.", {}};
  m.enums.push_back(color);
  ir::Enum mode{"Mode", "", ir::Scalar::U32, true,
                {{"READ", "DEMO_MODE_READ", 1, ""}, {"WRITE", "DEMO_MODE_WRITE", 2, ""}, {"APPEND", "DEMO_MODE_APPEND", 4, ""}},
                "", {}};
  m.enums.push_back(mode);
  m.records.push_back({"Point", "struct demo_point",
                       {{"x", scalar(ir::Scalar::I32, "int32_t"), ""},
                        {"y", scalar(ir::Scalar::I32, "int32_t"), ""},
                        {"color", named(ir::TypeKind::Enum, "Color", "enum demo_color"), ""}},
                       "A point with a colour.", {}});
  m.constants.push_back({"END", "DEMO_END", ir::Constant::Kind::Int, 1, 0, ""});

  const ir::Type i32 = scalar(ir::Scalar::I32, "int32_t");
  const ir::Type c_int = scalar(ir::Scalar::I32, "int");
  const ir::Type size = scalar(ir::Scalar::U64, "size_t");
  const ir::Type none;

  m.functions.push_back(function("demo_add", "add", {param("a", ir::ParamRole::Input, i32), param("b", ir::ParamRole::Input, i32)}, i32));
  m.functions.back().doc = "Adds, wrapping modulo 2^32.";

  ir::Function ctor = function("demo_counter_new", "create", {param("name", ir::ParamRole::Input, text("const char *"))},
                               named(ir::TypeKind::Handle, "Counter", "demo_counter *"));
  ctor.role = ir::FunctionRole::Constructor;
  ctor.class_name = "Counter";
  ctor.returns_lifetime.own = ir::Own::Owned;
  ctor.returns_lifetime.null = ir::NullMeaning::Error;
  ctor.result = {ir::ResultKind::NullError, "errno_null", {}, {}, ""};
  m.functions.push_back(ctor);

  ir::Function dtor = function("demo_counter_free", "free", {self("demo_counter *")}, c_int);
  dtor.role = ir::FunctionRole::Destructor;
  dtor.class_name = "Counter";
  m.functions.push_back(dtor);

  ir::Function add = method("demo_counter_add", "add", {self("demo_counter *"), param("by", ir::ParamRole::Input, i32)}, c_int);
  add.result = {ir::ResultKind::Status, "demo_rc", {}, {}, ""};
  m.functions.push_back(add);
  m.functions.push_back(method("demo_counter_value", "value", {self("const demo_counter *")}, scalar(ir::Scalar::I64, "int64_t")));

  ir::Function name = method("demo_counter_name", "name", {self("const demo_counter *")}, text("const char *"));
  name.returns_lifetime.own = ir::Own::Borrowed;
  name.returns_lifetime.from = "c";
  name.returns_length.kind = ir::Length::Kind::Nul;
  m.functions.push_back(name);

  ir::Param hist_size = param("size", ir::ParamRole::Output, size, "size_t *");
  ir::Function hist = method("demo_counter_history", "history", {self("demo_counter *"), hist_size},
                             named(ir::TypeKind::Bytes, "", "const char *"));
  hist.returns_lifetime.own = ir::Own::Borrowed;
  hist.returns_lifetime.from = "c";
  hist.returns_lifetime.until = ir::Until::Mutation;
  hist.returns_lifetime.null = ir::NullMeaning::Absent;
  hist.returns_length = {ir::Length::Kind::OutParam, "size"};
  m.functions.push_back(hist);

  ir::Param buf = param("buf", ir::ParamRole::Buffer, text("char *"));
  buf.capacity = "cap";
  buf.written.kind = ir::Written::Kind::Return;
  ir::Param cap = param("cap", ir::ParamRole::Capacity, size);
  cap.length_of = "buf";
  ir::Function copy = method("demo_counter_copy_name", "copy_name", {self("const demo_counter *"), buf, cap}, size);
  copy.result.kind = ir::ResultKind::Count;
  m.functions.push_back(copy);

  ir::Function describe = method("demo_counter_describe", "describe", {self("const demo_counter *")}, text("char *"));
  describe.returns_lifetime.own = ir::Own::Owned;
  describe.returns_lifetime.free = "demo_free";
  describe.returns_length.kind = ir::Length::Kind::Nul;
  m.functions.push_back(describe);

  ir::Function pop = method("demo_counter_pop", "pop", {self("demo_counter *"), param("value", ir::ParamRole::Output, c_int, "int *")}, c_int);
  pop.result = {ir::ResultKind::Status, "demo_rc", {}, {"DEMO_END"}, ""};
  m.functions.push_back(pop);

  m.functions.push_back(function("demo_live_counters", "live_counters", {}, c_int));

  ir::Function divmod = function("demo_divmod", "divmod",
                                 {param("a", ir::ParamRole::Input, i32), param("b", ir::ParamRole::Input, i32),
                                  param("quot", ir::ParamRole::Output, i32, "int32_t *"),
                                  param("rem", ir::ParamRole::Output, i32, "int32_t *")},
                                 c_int);
  divmod.result = {ir::ResultKind::Status, "minus_one", {}, {}, ""};
  m.functions.push_back(divmod);

  ir::Param data = param("data", ir::ParamRole::Input, named(ir::TypeKind::Bytes, "", "const void *"));
  data.size = "len";
  ir::Param len = param("len", ir::ParamRole::Length, size);
  len.length_of = "data";
  m.functions.push_back(function("demo_hash", "hash", {data, len}, scalar(ir::Scalar::U32, "uint32_t")));
  m.functions.push_back(function("demo_strlen", "strlen", {param("s", ir::ParamRole::Input, text("const char *"))}, size));

  ir::Type color_t = named(ir::TypeKind::Enum, "Color", "enum demo_color");
  m.functions.push_back(function("demo_color_next", "color_next", {param("c", ir::ParamRole::Input, color_t)}, color_t));
  ir::Type mode_t = named(ir::TypeKind::Enum, "Mode", "int");
  m.functions.push_back(function("demo_mode_bits", "mode_bits", {param("mode", ir::ParamRole::Input, mode_t)}, mode_t));
  ir::Type point_t = named(ir::TypeKind::Record, "Point", "struct demo_point");
  m.functions.push_back(function("demo_point_swap", "point_swap", {param("p", ir::ParamRole::Input, point_t)}, point_t));

  // A handle argument consumed only on success: a `Counter&` the call empties when it succeeds.
  ir::Param from = param("from", ir::ParamRole::Input, named(ir::TypeKind::Handle, "Counter", "demo_counter *"));
  from.lifetime.own = ir::Own::Consumed;
  from.lifetime.consumed_on_success = true;
  ir::Function merge = method("demo_counter_merge", "merge", {self("demo_counter *"), from}, c_int);
  merge.result = {ir::ResultKind::Status, "demo_rc", {}, {}, ""};
  m.functions.push_back(merge);

  // A nullable host value: an empty std::any passes NULL.
  ir::Param value = param("value", ir::ParamRole::Input, named(ir::TypeKind::HostValue, "", "void *"));
  value.lifetime.own = ir::Own::Captured;
  value.nullable = true;
  ir::Param release = param("release", ir::ParamRole::Release, named(ir::TypeKind::Callback, "", "void (*)(void *)"));
  release.length_of = "value";
  m.functions.push_back(method("demo_counter_attach", "attach", {self("demo_counter *"), value, release}, ir::Type{}));
  ir::Function attached = method("demo_counter_attached", "attached", {self("const demo_counter *")},
                                 named(ir::TypeKind::HostValue, "", "void *"));
  attached.returns_lifetime.own = ir::Own::Borrowed;
  attached.returns_lifetime.null = ir::NullMeaning::Absent;
  m.functions.push_back(attached);

  // Nullable bytes the callee frees with free(): copied into malloc memory.
  ir::Param block = param("data", ir::ParamRole::Input, named(ir::TypeKind::Bytes, "", "void *"));
  block.lifetime.own = ir::Own::Consumed;
  block.lifetime.alloc = "malloc";
  block.nullable = true;
  block.size = "len";
  ir::Param block_len = param("len", ir::ParamRole::Length, size);
  block_len.length_of = "data";
  ir::Function load = method("demo_counter_load", "load", {self("demo_counter *"), block, block_len}, c_int);
  load.result = {ir::ResultKind::Status, "demo_rc", {}, {}, ""};
  m.functions.push_back(load);
  m.functions.push_back(function("demo_loaded_blocks", "loaded_blocks", {}, c_int));

  m.unbound.push_back({"demo_free", ir::Unbound::Kind::Skipped, "a deallocator", "", {}});
  (void)none;
  return m;
}

/// kept.h: a pinned struct whose init and end run a kept (forever) callback.
ir::Module kept_module(const std::string& dir) {
  ir::Module m = manual_module("kept", dir);

  m.handles.push_back(handle("Box", "kept_box", "kept_box_end", "A box initialised in place."));
  m.handles.back().pinned = true;
  ir::ErrorConvention rc;
  rc.name = "kept_rc";
  rc.ok = {"0"};
  m.conventions.push_back(rc);

  const ir::Type c_int = scalar(ir::Scalar::I32, "int");
  const ir::Type none;
  auto box_self = [](const std::string& c_type) {
    return param("box", ir::ParamRole::Self, named(ir::TypeKind::Handle, "Box", c_type));
  };
  ir::Function init = function("kept_box_init", "init", {box_self("kept_box *"), param("value", ir::ParamRole::Input, c_int)}, c_int);
  init.role = ir::FunctionRole::Constructor;
  init.class_name = "Box";
  init.result = {ir::ResultKind::Status, "kept_rc", {}, {}, ""};
  m.functions.push_back(init);
  ir::Function end = function("kept_box_end", "end", {box_self("kept_box *")}, none);
  end.role = ir::FunctionRole::Destructor;
  end.class_name = "Box";
  end.result.kind = ir::ResultKind::Void;
  m.functions.push_back(end);
  ir::Function value = function("kept_box_value", "value", {box_self("const kept_box *")}, c_int);
  value.role = ir::FunctionRole::Method;
  value.class_name = "Box";
  m.functions.push_back(value);
  m.functions.push_back(function("kept_live_boxes", "live_boxes", {}, c_int));

  ir::Callback listener;
  listener.scope = ir::Callback::Scope::Forever;
  listener.user_data = "user_data";
  listener.typedef_name = "kept_listener_fn";
  listener.user_data_index = 1;
  listener.params = {param("event", ir::ParamRole::Input, c_int), param("user_data", ir::ParamRole::UserData, none, "void *")};
  listener.params[1].index = 1;
  listener.ret = std::make_shared<ir::Param>(param("return", ir::ParamRole::Input, none, "void"));
  ir::Param fn = param("fn", ir::ParamRole::Input, named(ir::TypeKind::Callback, "", "kept_listener_fn"));
  fn.callback = listener;
  fn.nullable = true;
  ir::Param user_data = param("user_data", ir::ParamRole::UserData, none, "void *");
  user_data.length_of = "fn";
  m.functions.push_back(function("kept_set_listener", "set_listener", {fn, user_data}, none));
  return m;
}

bool generate(const ir::Module& m, const char* out_dir) {
  bindery::Diagnostics diags;
  bindery::backends::GenerateOptions options;
  options.out_dir = out_dir;
  bindery::backends::generate_cpp(m, options, diags);
  diags.print(std::cerr, false);
  return !diags.has_errors() && diags.all().empty();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: make_demo_ir DEMO_OUT_DIR MANUAL_DIR KEPT_OUT_DIR\n";
    return 2;
  }
  const bool demo_ok = generate(demo_module(argv[2]), argv[1]);
  const bool kept_ok = generate(kept_module(argv[2]), argv[3]);
  return demo_ok && kept_ok ? 0 : 1;
}
