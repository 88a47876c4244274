// The addon's C source: one napi callback per bound function, reading arguments straight from the
// callback's stack array, calling the C function directly, and converting what comes back.
//
// Every callback has the same shape, so a reader can check one and trust the rest:
//   1. arity, then each host argument into a bn_ temporary (range/type checked, nothing truncated);
//   2. each C parameter as a local with its C name and type (so `size:`/`precondition:`/`message:`
//      expressions from bindery.yaml compile as written);
//   3. the call; the error convention; the results; 4. `bn_out:` frees what step 1 borrowed.
#include "bindery/backends/node/emit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

#include "bindery/backends/node/names.hpp"
#include "bindery/support/positional.hpp"

namespace bindery::backends::node {

ScalarInfo scalar_info(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::Bool: return {"bool", "bool", "bool"};
    case ir::Scalar::Char: return {"char", "char", "char"};
    case ir::Scalar::I8: return {"i8", "int8_t", "i32"};
    case ir::Scalar::I16: return {"i16", "int16_t", "i32"};
    case ir::Scalar::I32: return {"i32", "int32_t", "i32"};
    case ir::Scalar::I64: return {"i64", "int64_t", "i64"};
    case ir::Scalar::U8: return {"u8", "uint8_t", "u32"};
    case ir::Scalar::U16: return {"u16", "uint16_t", "u32"};
    case ir::Scalar::U32: return {"u32", "uint32_t", "u32"};
    case ir::Scalar::U64: return {"u64", "uint64_t", "u64"};
    case ir::Scalar::F32: return {"f32", "float", "f64"};
    case ir::Scalar::F64: return {"f64", "double", "f64"};
  }
  return {"i32", "int32_t", "i32"};
}

namespace {

struct TypedArrayInfo {
  const char* napi;
  const char* js;
};

TypedArrayInfo typed_array(ir::Scalar s) {
  switch (s) {
    case ir::Scalar::I8: return {"napi_int8_array", "an Int8Array"};
    case ir::Scalar::U8: case ir::Scalar::Char: return {"napi_uint8_array", "a Uint8Array"};
    case ir::Scalar::I16: return {"napi_int16_array", "an Int16Array"};
    case ir::Scalar::U16: return {"napi_uint16_array", "a Uint16Array"};
    case ir::Scalar::I32: return {"napi_int32_array", "an Int32Array"};
    case ir::Scalar::U32: return {"napi_uint32_array", "a Uint32Array"};
    case ir::Scalar::I64: return {"napi_bigint64_array", "a BigInt64Array"};
    case ir::Scalar::U64: return {"napi_biguint64_array", "a BigUint64Array"};
    case ir::Scalar::F32: return {"napi_float32_array", "a Float32Array"};
    case ir::Scalar::F64: return {"napi_float64_array", "a Float64Array"};
    case ir::Scalar::Bool: break;
  }
  return {"napi_uint8_array", "a Uint8Array"};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

}  // namespace

// 64-bit integers whose C spelling says "a 64-bit integer" — int64_t, long long, and library
// typedefs named so (sqlite3_int64, gint64, int_least64_t…) — are BigInt in and out, always (ADR
// docs/adr/node-64-bit-integers.md: a value must not change type at 2^53). Sizes, offsets and
// `long`s (size_t, off_t, zlib's uLong…) are Numbers, exact for any size a program can have; beyond
// 2^53 (only sentinels such as SIZE_MAX get there) they come back as a BigInt rather than rounded.
bool is_exact64(const ir::Type& t) {
  if (t.kind != ir::TypeKind::Scalar || (t.scalar != ir::Scalar::I64 && t.scalar != ir::Scalar::U64)) return false;
  std::string c = t.c_type;
  for (const char* q : {"const ", "volatile "})
    if (c.rfind(q, 0) == 0) c.erase(0, std::string(q).size());
  std::string lower;
  for (char ch : c) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return c.empty() || lower.find("int64") != std::string::npos || lower.find("long long") != std::string::npos;
}

namespace {

// "size_t *" -> "size_t": the storage an out-parameter points to.
std::string pointee(std::string c_type) {
  auto star = c_type.rfind('*');
  if (star != std::string::npos) c_type.erase(star);
  while (!c_type.empty() && c_type.back() == ' ') c_type.pop_back();
  return c_type;
}

// "int (*)(void *, int)" + "cb" -> "int (*cb)(void *, int)"; any other type: "T name".
std::string declaration(const std::string& c_type, const std::string& name) {
  auto fp = c_type.find("(*)");
  if (fp != std::string::npos) return c_type.substr(0, fp) + "(*" + name + ")" + c_type.substr(fp + 3);
  return c_type + " " + name;
}

class FunctionEmitter {
 public:
  FunctionEmitter(const ModulePlan& plan, const FnPlan& fn, std::string& out)
      : plan_(plan), p_(fn), f_(*fn.fn), out_(out) {}

  void emit() {
    size_t extra = (p_.self ? 1 : 0) + p_.field_buffer_args();
    size_t nargs = p_.inputs.size() + extra;
    size_t start = out_.size();
    line(fmt::format("/* {}: {} */", f_.c_name, p_.what));
    line(fmt::format("static napi_value bn_f_{}(napi_env bn_env, napi_callback_info bn_info) {{", f_.c_name));
    size_t args_line = out_.size();
    line(fmt::format("  BN_ARGS({});", nargs));
    size_t body = out_.size();
    line(fmt::format("  static const char bn_what[] = {};", c_string(p_.what)));
    line("  napi_value bn_result = NULL;");
    declare_temporaries();
    size_t lo = p_.required + extra;
    if (!p_.js_checks_arity)
      line(fmt::format("  if (!bn_check_arity(bn_env, bn_what, bn_argc, {}, {})) return NULL;", lo, nargs));
    if (p_.pinned_self) allocate_pinned();
    size_t k = 0;
    if (p_.self) read_self(k++);
    if (p_.field_buffers) read_field_buffers(k);
    for (const auto* in : p_.inputs) read_input(*in, k++);
    declare_c_params();
    emit_preconditions();
    if (p_.field_buffers) set_field_buffers();
    emit_alloc_copies();
    note_off_thread();
    enter_call();
    emit_call();
    leave_call();
    if (p_.field_buffers) take_field_buffers();
    emit_consumed(false);
    emit_callback_exception_check();
    emit_result_checks();
    emit_consumed(true);
    keep_owner_callbacks();
    if (p_.pinned_self) {
      register_pinned();
    } else if (p_.field_buffers) {
      field_buffer_results();
    } else {
      emit_results();
    }
    if (out_.find("goto bn_out", start) != std::string::npos) line("bn_out:");
    for (const auto& s : strings_) line(fmt::format("  bn_str_free(&{});", s));
    for (const auto& s : frees_) line(fmt::format("  free({});", s));
    for (const auto& s : cb_releases_) line(fmt::format("  if ({0}) bn_cb_release({0});", s));
    line("  return bn_result;");
    line("}");
    line("");
    read_only_what_is_used(args_line, body, nargs);
  }

  // Rewrites the BN_ARGS line at `at` to read only what the body after `body` uses: napi_get_cb_info
  // without the state when the body never names bn_st (BN_ARGS_ONLY), and none at all when index.js
  // checked that there are no arguments (BN_STATE_ONLY, BN_NOTHING). Per call: noop 163 → 115
  // instructions (the hand-written addon's 104); see bench/node/README.md.
  void read_only_what_is_used(size_t at, size_t body, size_t nargs) {
    bool state = false;
    for (size_t k = out_.find("bn_st", body); k != std::string::npos; k = out_.find("bn_st", k + 1)) {
      char next = k + 5 < out_.size() ? out_[k + 5] : ' ';
      if (!(std::isalnum(static_cast<unsigned char>(next)) || next == '_')) state = true;
    }
    std::string macro = nargs == 0 && p_.js_checks_arity ? (state ? "BN_STATE_ONLY()" : "BN_NOTHING()")
                        : state                          ? fmt::format("BN_ARGS({})", nargs)
                                                         : fmt::format("BN_ARGS_ONLY({})", nargs);
    // `bn_what` (the line right after) goes too when nothing names it: no message to build.
    size_t what_end = out_.find('\n', body) + 1;
    if (out_.find("bn_what", what_end) == std::string::npos) out_.erase(body, what_end - body);
    out_.replace(at, body - at, "  " + macro + ";\n");
  }

  // The `…Async` variant of a blocking function: a job struct holding every C argument (text and
  // bytes copied, out storage inside the job), `bn_x_` run on the libuv pool (the call, and the
  // error's code/errno/message captured at once), `bn_c_` back on the JS thread (results converted
  // exactly as the synchronous callback does, the promise settled), `bn_fa_` the entry point.
  void emit_async() {
    const std::string& c = f_.c_name;
    std::string what = p_.what + "Async";
    std::vector<const ir::Param*> params;
    for (const auto& p : f_.params) params.push_back(&p);
    std::sort(params.begin(), params.end(), [](auto* a, auto* b) { return a->index < b->index; });
    bool rc = !(f_.returns.kind == ir::TypeKind::Void || f_.returns.c_type.empty() || f_.returns.c_type == "void" ||
                f_.result.kind == ir::ResultKind::Ignore);

    line(fmt::format("/* {}: {} (on the libuv pool) */", c, what));
    line("typedef struct {");
    line("  bn_job bn_job;");
    for (const auto* pp : params) {
      const ir::Param& p = *pp;
      std::string ct = p.c_type.empty() ? "int" : p.c_type;
      line("  " + declaration(ct, p.name) + ";");
      for (const auto& [type, field] : job_storage(p)) line(fmt::format("  {} {};", type, field));
    }
    if (rc) line(fmt::format("  {} bn_rc;", f_.returns.c_type));
    if (p_.field_buffers) {  // the input copied, the output buffer, and what the call reported
      line("  void* bn_fb_in;");
      line("  size_t bn_fb_in_len, bn_fb_cap, bn_fb_consumed, bn_fb_produced;");
      line("  void* bn_fb_buf;");
    }
    line(fmt::format("}} bn_j_{};", c));
    line("");

    line(fmt::format("static void bn_jfree_{0}(bn_j_{0}* bn_j) {{", c));
    for (const auto* pp : params)
      for (const auto& [type, field] : job_storage(*pp))
        if (type == "void*" || type == "char*") line(fmt::format("  free(bn_j->{});", field));
    if (p_.field_buffers) {
      line("  free(bn_j->bn_fb_in);");
      line("  free(bn_j->bn_fb_buf);");
    }
    line("  free(bn_j);");
    line("}");
    line("");

    // The pool thread: no napi call here.
    line(fmt::format("static void bn_x_{0}(napi_env bn_env, void* bn_data) {{", c));
    line(fmt::format("  bn_j_{0}* bn_j = (bn_j_{0}*)bn_data;", c));
    line("  (void)bn_env;");
    for (const auto* pp : params) {
      std::string ct = pp->c_type.empty() ? "int" : pp->c_type;
      line(fmt::format("  {} = bn_j->{};", declaration(ct, pp->name), pp->name));
      call_args_.push_back(pp->name);
    }
    if (p_.field_buffers) {  // the receiver is busy: its fields are ours until the call returns
      line("  bn_bytes bn_fb_in = {bn_j->bn_fb_in, bn_j->bn_fb_in_len};");
      line("  void* bn_fb_buf = bn_j->bn_fb_buf;");
      line("  size_t bn_fb_cap = bn_j->bn_fb_cap;");
      line("  (void)bn_fb_in;");
      line("  (void)bn_fb_buf;");
      line("  (void)bn_fb_cap;");
      set_field_buffers();
    }
    // JS callbacks the library may reach from this call find the job and refuse to run here.
    if (plan_.any_callbacks) line("  bn_pool_job = &bn_j->bn_job;");
    emit_call();
    if (plan_.any_callbacks) line("  bn_pool_job = NULL;");
    if (p_.field_buffers) {
      take_field_buffers();
      if (!p_.field_buffers->in_pointer.empty()) line("  bn_j->bn_fb_consumed = bn_fb_consumed;");
      if (!p_.field_buffers->out_pointer.empty()) line("  bn_j->bn_fb_produced = bn_fb_produced;");
    }
    if (has_rc_) line("  bn_j->bn_rc = bn_rc;");
    emit_async_capture();
    line("}");
    line("");

    // Back on the JS thread.
    line(fmt::format("static void bn_c_{0}(napi_env bn_env, napi_status bn_status, void* bn_data) {{", c));
    line(fmt::format("  bn_j_{0}* bn_j = (bn_j_{0}*)bn_data;", c));
    line("  bn_state* bn_st = bn_j->bn_job.st;");
    line("  napi_value bn_result = NULL;");
    line("  (void)bn_st;");
    for (const auto* pp : params) {
      std::string ct = pp->c_type.empty() ? "int" : pp->c_type;
      line(fmt::format("  {} = bn_j->{};", declaration(ct, pp->name), pp->name));
      line(fmt::format("  (void){};", pp->name));
      for (const auto& [type, field] : job_storage(*pp)) {
        if (field.rfind("bn_o_", 0) == 0 || field.rfind("bn_id_", 0) == 0 || field.rfind("bn_cap_", 0) == 0 ||
            field.rfind("bn_buf_", 0) == 0) {
          line(fmt::format("  {} {} = bn_j->{};", type, field, field));
          line(fmt::format("  (void){};", field));
        }
      }
    }
    if (has_rc_) {
      line(fmt::format("  {} bn_rc = bn_j->bn_rc;", f_.returns.c_type));
      line("  (void)bn_rc;");
    }
    line("  if (bn_status != napi_ok) {");
    line(fmt::format("    napi_throw_error(bn_env, \"ERR_CANCELLED\", {});", c_string(what + ": cancelled")));
    line("    goto bn_out;");
    line("  }");
    emit_consumed(false);
    emit_async_result_checks();
    emit_consumed(true);
    if (p_.field_buffers) {
      line("  void* bn_fb_buf = bn_j->bn_fb_buf;");
      line("  size_t bn_fb_consumed = bn_j->bn_fb_consumed, bn_fb_produced = bn_j->bn_fb_produced;");
      line("  (void)bn_fb_buf;");
      line("  (void)bn_fb_consumed;");
      line("  (void)bn_fb_produced;");
      field_buffer_results();
    } else {
      emit_results();
    }
    line("bn_out:");
    line("  bn_job_settle(bn_env, &bn_j->bn_job, bn_result);");
    line(fmt::format("  bn_jfree_{}(bn_j);", c));
    line("}");
    line("");

    // The entry point: arguments read and checked here, exactly as the synchronous callback does.
    size_t nargs = p_.inputs.size() + (p_.self ? 1 : 0) + p_.field_buffer_args();
    size_t start = out_.size();
    call_args_.clear();
    line(fmt::format("static napi_value bn_fa_{}(napi_env bn_env, napi_callback_info bn_info) {{", c));
    line(fmt::format("  BN_ARGS({});", nargs));
    line(fmt::format("  static const char bn_what[] = {};", c_string(what)));
    line("  napi_value bn_result = NULL;");
    line(fmt::format("  bn_j_{}* bn_j = NULL;", c));
    declare_temporaries();
    size_t lo = p_.required + (p_.self ? 1 : 0) + p_.field_buffer_args();
    line(fmt::format("  if (!bn_check_arity(bn_env, bn_what, bn_argc, {}, {})) return NULL;", lo, nargs));
    size_t k = 0;
    if (p_.self) read_self(k++);
    if (p_.field_buffers) read_field_buffers(k);
    for (const auto* in : p_.inputs) read_input(*in, k++);
    declare_c_params();
    emit_preconditions();
    line(fmt::format("  bn_j = (bn_j_{0}*)calloc(1, sizeof(bn_j_{0}));", c));
    line("  if (!bn_j) {");
    line("    napi_throw_error(bn_env, \"ERR_MEMORY\", \"out of memory\");");
    line("    goto bn_out;");
    line("  }");
    size_t ids = 0;
    for (const auto* pp : params) emit_job_copy(*pp, ids);
    if (p_.field_buffers && !p_.field_buffers->in_pointer.empty()) {  // JS may change the input meanwhile
      line("  bn_j->bn_fb_in = bn_dup(bn_fb_in.data, bn_fb_in.len, 0);");
      line("  bn_j->bn_fb_in_len = bn_fb_in.len;");
    }
    if (p_.field_buffers && !p_.field_buffers->out_pointer.empty()) {  // the job owns the output buffer
      line("  bn_j->bn_fb_buf = bn_fb_buf;");
      line("  bn_fb_buf = NULL;");
      line("  bn_j->bn_fb_cap = bn_fb_cap;");
    }
    line(fmt::format("  bn_result = bn_job_start(bn_env, bn_st, &bn_j->bn_job, {}, bn_x_{}, bn_c_{});",
                     c_string(what), c, c));
    line(fmt::format("  if (!bn_result) bn_jfree_{}(bn_j);", c));
    if (out_.find("goto bn_out", start) != std::string::npos) line("bn_out:");
    for (const auto& s : strings_) line(fmt::format("  bn_str_free(&{});", s));
    for (const auto& s : frees_) line(fmt::format("  free({});", s));
    for (const auto& s : cb_releases_) line(fmt::format("  if ({0}) bn_cb_release({0});", s));
    line("  return bn_result;");
    line("}");
    line("");
  }

 private:
  void line(const std::string& s) { out_ += s + "\n"; }

  const ClassPlan* class_of(const ir::Type& t) const { return plan_.find_class(t.name); }

  // A callback of scope `owner` set on this call's receiver (SQLite's hooks, authorizer).
  bool kept_by_owner(const ir::Param& p) const {
    return p_.self && p.role == ir::ParamRole::Input && p.type.kind == ir::TypeKind::Callback && p.callback &&
           p.callback->scope == ir::Callback::Scope::Owner;
  }

  // After a successful call the receiver keeps its new callback (releasing the one it replaces); a
  // failed call releases it at `bn_out`.
  void keep_owner_callbacks() {
    const auto& fns = plan_.module->functions;
    size_t key = static_cast<size_t>(&f_ - fns.data());
    for (const auto* in : p_.inputs) {
      if (captured_text(*in)) {  // the receiver keeps the copy C now points to (the old one goes)
        line(fmt::format("  bn_keep_copy(bn_st, bn_id_{}, {}, bn_k_{});", p_.self->name, key, in->name));
        line(fmt::format("  bn_k_{} = NULL;", in->name));
      }
      if (!kept_by_owner(*in)) continue;
      line(fmt::format("  bn_keep_cb(bn_st, bn_id_{}, {}, bn_c_{});", p_.self->name, key, in->name));
      line(fmt::format("  bn_c_{} = NULL;", in->name));
    }
  }

  // Text the C object keeps after the call (`own: capture`): the binding passes its own copy and the
  // receiver keeps it until the next such call or its destroy.
  bool captured_text(const ir::Param& p) const {
    return p_.self && p.role == ir::ParamRole::Input && p.type.kind == ir::TypeKind::Str &&
           p.lifetime.own == ir::Own::Captured;
  }

  void declare_temporaries() {
    for (const auto* in : p_.inputs)
      if (kept_by_owner(*in)) {
        line(fmt::format("  bn_cb* bn_c_{} = NULL;", in->name));
        cb_releases_.push_back("bn_c_" + in->name);
      }
    if (p_.field_buffers && !p_.field_buffers->out_pointer.empty()) {  // before any `goto bn_out`
      line("  void* bn_fb_buf = NULL;");
      line("  size_t bn_fb_cap = 0;");
    }
    for (const auto* in : p_.inputs) {
      if (in->role == ir::ParamRole::Buffer) {
        line(fmt::format("  void* bn_buf_{} = NULL;", in->name));
        line(fmt::format("  size_t bn_cap_{} = 0;", in->name));
        frees_.push_back("bn_buf_" + in->name);
        continue;
      }
      if (in->type.kind == ir::TypeKind::Slice) {
        line(fmt::format("  void* bn_t_{} = NULL;", in->name));
        frees_.push_back("bn_t_" + in->name);
      }
      if (in->type.kind == ir::TypeKind::Str) {
        std::string v = "bn_s_" + in->name;
        line(fmt::format("  bn_str {};", v));
        line(fmt::format("  {}.data = NULL;", v));
        strings_.push_back(v);
      }
      if (captured_text(*in)) {  // freed at bn_out unless the receiver kept it
        line(fmt::format("  char* bn_k_{} = NULL;", in->name));
        frees_.push_back("bn_k_" + in->name);
      }
    }
  }

  // Optional arguments: omitted, undefined or null take the default (or NULL when nullable).
  void open_optional(const ir::Param& p, size_t k) {
    if (is_optional(p))
      line(fmt::format("  if (bn_argc > {0} && !bn_is_nullish(bn_env, bn_argv[{0}])) {{", k));
    else
      line("  {");
  }

  void close_optional(const ir::Param& p, const std::string& absent) {
    if (is_optional(p)) {
      line("  } else {");
      line("    " + absent);
    }
    line("  }");
  }

  void read_handle(const ir::Param& p, size_t k, const std::string& js_name) {
    const ClassPlan* cls = class_of(p.type);
    int id = cls ? cls->id : 0;
    line(fmt::format("  void* bn_h_{} = NULL;", p.name));
    line(fmt::format("  uint32_t bn_id_{} = 0;", p.name));
    open_optional(p, k);
    line(fmt::format("    if (!bn_get_handle(bn_env, bn_st, bn_argv[{}], {}, bn_what, {}, &bn_h_{}, &bn_id_{})) goto bn_out;",
                     k, id, c_string(js_name), p.name, p.name));
    close_optional(p, "/* absent: NULL */");
  }

  // The receiver is argument 0. One the call consumes must not be in use by a pending …Async call
  // or by the call running this callback (the callee would free it under them).
  void read_self(size_t k) {
    read_handle(*p_.self, k, "this");
    if (p_.self->lifetime.own == ir::Own::Consumed)
      line(fmt::format("  if (!bn_check_consumable(bn_env, bn_st, bn_id_{}, bn_what, \"this\")) goto bn_out;",
                       p_.self->name));
  }

  void read_input(const ir::Param& p, size_t k) {
    std::string js = host_name(f_, p);
    std::string cjs = c_string(js);
    if (p.role == ir::ParamRole::Buffer) {
      line(fmt::format("  if (!bn_get_capacity(bn_env, bn_argv[{}], bn_what, {}, &bn_cap_{}, &bn_buf_{})) goto bn_out;",
                       k, cjs, p.name, p.name));
      return;
    }
    switch (p.type.kind) {
      case ir::TypeKind::Handle:
        read_handle(p, k, js);
        if (p.lifetime.own == ir::Own::Consumed)
          line(fmt::format("  if (!bn_check_consumable(bn_env, bn_st, bn_id_{}, bn_what, {})) goto bn_out;", p.name, cjs));
        return;
      case ir::TypeKind::Scalar: {
        auto si = scalar_info(p.type.scalar);
        line(fmt::format("  {} bn_v_{};", si.c_type, p.name));
        open_optional(p, k);
        line(fmt::format("    if (!bn_get_{}(bn_env, bn_argv[{}], bn_what, {}, &bn_v_{})) goto bn_out;", si.suffix,
                         k, cjs, p.name));
        close_optional(p, fmt::format("bn_v_{} = ({})({});", p.name, si.c_type,
                                      p.default_value.empty() ? "0" : p.default_value));
        return;
      }
      case ir::TypeKind::Enum: {
        const ir::Enum* e = plan_.module->find_enum(p.type.name);
        auto si = scalar_info(e ? e->underlying : ir::Scalar::I32);
        line(fmt::format("  {} bn_v_{};", si.c_type, p.name));
        open_optional(p, k);
        line(fmt::format("    if (!bn_get_{}(bn_env, bn_argv[{}], bn_what, {}, &bn_v_{})) goto bn_out;", si.suffix,
                         k, cjs, p.name));
        if (e && e->flags) {
          line(fmt::format("    if (!bn_check_flags(bn_env, (uint64_t)bn_v_{}, bn_mask_{}, bn_what, {}, {})) goto bn_out;",
                           p.name, c_ident(e->name), cjs, c_string(e->name)));
        } else if (e) {
          line(fmt::format("    if (!bn_check_enum(bn_env, (int64_t)bn_v_{0}, bn_values_{1}, sizeof bn_values_{1} / "
                           "sizeof bn_values_{1}[0], bn_what, {2}, {3})) goto bn_out;",
                           p.name, c_ident(e->name), cjs, c_string(e->name)));
        }
        close_optional(p, fmt::format("bn_v_{} = ({})({});", p.name, si.c_type,
                                      p.default_value.empty() ? "0" : p.default_value));
        return;
      }
      case ir::TypeKind::Record: {
        const ir::Record* r = plan_.module->find_record(p.type.name);
        line(fmt::format("  {} bn_v_{};", r ? r->c_name : "int", p.name));
        line(fmt::format("  if (!bn_rec_get_{}(bn_env, bn_argv[{}], bn_what, {}, &bn_v_{})) goto bn_out;",
                         c_ident(p.type.name), k, cjs, p.name));
        return;
      }
      case ir::TypeKind::Callback: {
        bool call_scope = p.callback->scope == ir::Callback::Scope::Call;
        line(fmt::format("  napi_value bn_fn_{} = NULL;", p.name));
        open_optional(p, k);
        line(fmt::format("    if (!bn_get_function(bn_env, bn_argv[{}], bn_what, {}, &bn_fn_{})) goto bn_out;", k, cjs,
                         p.name));
        close_optional(p, "/* absent: NULL function and user data */");
        if (call_scope) {
          // Only during the call: the napi_value itself stays valid, nothing to keep or free.
          line(fmt::format("  bn_cb bn_c_{0} = {{bn_env, NULL, bn_fn_{0}, bn_st}};", p.name));
        } else if (kept_by_owner(p)) {
          // Scope `owner`: kept for the receiver until replaced or until it is destroyed.
          line(fmt::format("  bn_c_{0} = bn_fn_{0} ? bn_cb_new(bn_env, bn_st, bn_fn_{0}) : NULL;", p.name));
        } else {
          // Kept by C: a strong reference, released by the destroy-notify (`forever`: never).
          line(fmt::format("  bn_cb* bn_c_{0} = bn_fn_{0} ? bn_cb_new(bn_env, bn_st, bn_fn_{0}) : NULL;", p.name));
        }
        has_callbacks_ = true;
        return;
      }
      case ir::TypeKind::Str:
        open_optional(p, k);
        line(fmt::format("    if (!bn_get_str{}(bn_env, bn_argv[{}], bn_what, {}, {}, &bn_s_{})) goto bn_out;",
                         p.type.encoding == "utf16" ? "16" : "", k, cjs,
                         p.size.empty() ? "true" : "false", p.name));
        close_optional(p, fmt::format("bn_s_{0}.data = NULL; bn_s_{0}.len = 0;", p.name));
        if (captured_text(p)) {  // two zero bytes: UTF-16 text ends there too
          line(fmt::format("  if (bn_s_{0}.data && !(bn_k_{0} = (char*)bn_dup(bn_s_{0}.data, bn_s_{0}.len, 2))) {{",
                           p.name));
          line("    napi_throw_error(bn_env, \"ERR_MEMORY\", \"out of memory\");");
          line("    goto bn_out;");
          line("  }");
        }
        return;
      case ir::TypeKind::Bytes:
      case ir::TypeKind::Slice:
        line(fmt::format("  bn_bytes bn_b_{};", p.name));
        open_optional(p, k);
        if (p.type.kind == ir::TypeKind::Bytes) {
          line(fmt::format("    if (!bn_get_bytes(bn_env, bn_argv[{}], bn_what, {}, &bn_b_{})) goto bn_out;", k, cjs,
                           p.name));
        } else {
          auto ta = typed_array(p.type.scalar);
          line(fmt::format("    if (!bn_get_slice(bn_env, bn_argv[{}], bn_what, {}, {}, {}, &bn_b_{}, &bn_t_{})) goto bn_out;",
                           k, cjs, ta.napi, c_string(std::string(ta.js) + " or an Array of numbers"), p.name, p.name));
        }
        close_optional(p, fmt::format("bn_b_{0}.data = NULL; bn_b_{0}.len = 0;", p.name));
        return;
      case ir::TypeKind::HostValue:  // any JS value but null/undefined; boxed just before the call
        line(fmt::format("  napi_value bn_hvv_{} = NULL;", p.name));
        if (is_optional(p)) {
          open_optional(p, k);
          line(fmt::format("    bn_hvv_{} = bn_argv[{}];", p.name, k));
          line("  }");
        } else {
          line(fmt::format("  if (!bn_hv_check(bn_env, bn_argv[{}], bn_what, {})) goto bn_out;", k, cjs));
          line(fmt::format("  bn_hvv_{} = bn_argv[{}];", p.name, k));
        }
        return;
      default:
        line(fmt::format("  #error \"node backend: unsupported input type for {}\"", p.name));
    }
  }

  // The length of an input buffer or text, in its own units.
  std::string length_of(const std::string& name) const {
    for (const auto& q : f_.params) {
      if (q.name != name) continue;
      if (q.type.kind == ir::TypeKind::Str) return "bn_s_" + name + ".len";
      if (q.type.kind == ir::TypeKind::Bytes || q.type.kind == ir::TypeKind::Slice)
        return "bn_b_" + name + ".len";
    }
    return "0";
  }

  bool hidden_out(const ir::Param& p) const {
    return f_.returns_length.kind == ir::Length::Kind::OutParam && f_.returns_length.value == p.name;
  }

  void declare_c_params() {
    std::vector<const ir::Param*> params;
    for (const auto& p : f_.params) params.push_back(&p);
    std::sort(params.begin(), params.end(), [](auto* a, auto* b) { return a->index < b->index; });
    for (const auto* pp : params) {
      const ir::Param& p = *pp;
      std::string ct = p.c_type.empty() ? "int" : p.c_type;
      std::string value;
      switch (p.role) {
        case ir::ParamRole::Self:
          value = "bn_h_" + p.name;
          break;
        case ir::ParamRole::Input:
          switch (p.type.kind) {
            case ir::TypeKind::Handle: value = "bn_h_" + p.name; break;
            case ir::TypeKind::Str:  // cast: UTF-16 text may be `const uint16_t *`
              value = fmt::format("({}){}", ct, captured_text(p) ? "bn_k_" + p.name : "bn_s_" + p.name + ".data");
              break;
            case ir::TypeKind::Bytes:
            case ir::TypeKind::Slice:  // bytes for the callee's allocator are copied just before the call
              value = p.lifetime.alloc.empty() ? "bn_b_" + p.name + ".data" : "NULL";
              break;
            case ir::TypeKind::Callback:
              value = fmt::format("bn_fn_{0} ? ({1})bn_cbt_{2}_{0} : NULL", p.name, ct, f_.c_name);
              break;
            case ir::TypeKind::HostValue: value = "NULL"; break;  // the box, made just before the call
            case ir::TypeKind::Record:  // by value, or `const T *` to a local copy
              value = (ct.find('*') != std::string::npos ? "&bn_v_" : "bn_v_") + p.name;
              break;
            default: value = fmt::format("({})bn_v_{}", ct, p.name);
          }
          break;
        case ir::ParamRole::Length:
          if (ct.find('*') != std::string::npos) {  // an out count (e.g. of the returned buffer)
            std::string storage = "bn_o_" + p.name;
            line(fmt::format("  {} {} = 0;", pointee(ct), storage));
            value = "&" + storage;
          } else {
            value = fmt::format("({})({})", ct, length_of(p.length_of));
          }
          break;
        case ir::ParamRole::Fixed:
          value = fmt::format("({})({})", ct, p.fixed);
          break;
        case ir::ParamRole::Release:  // the library calls it once per box (bn_hv_release takes NULL too)
          value = fmt::format("({})bn_hv_release", ct);
          break;
        case ir::ParamRole::HostTag:  // this addon's own tag: a box stored by anyone else is never unboxed
          value = fmt::format("({})bn_host_tag", ct);
          break;
        case ir::ParamRole::Buffer:
          value = fmt::format("({})bn_buf_{}", ct, p.name);
          break;
        case ir::ParamRole::Capacity:
          if (ct.find('*') != std::string::npos) {  // capacity in, count out
            std::string storage = "bn_o_" + p.name;
            line(fmt::format("  {} {} = ({})bn_cap_{};", pointee(ct), storage, pointee(ct), p.length_of));
            value = "&" + storage;
          } else {
            value = fmt::format("({})bn_cap_{}", ct, p.length_of);
          }
          break;
        case ir::ParamRole::Output: {
          std::string storage = "bn_o_" + p.name;
          line(fmt::format("  {} {};", pointee(ct), storage));
          if (p.inout && (p.type.kind == ir::TypeKind::Scalar || p.type.kind == ir::TypeKind::Enum))
            line(fmt::format("  {} = ({})bn_v_{};", storage, pointee(ct), p.name));
          else if (p.inout && p.type.kind == ir::TypeKind::Record)
            line(fmt::format("  {} = bn_v_{};", storage, p.name));
          else  // never garbage: outs the C function does not write read as zero
            line(fmt::format("  memset(&{0}, 0, sizeof {0});", storage));
          value = "&" + storage;
          break;
        }
        case ir::ParamRole::UserData: {
          const ir::Param* cb = nullptr;
          for (const auto& q : f_.params)
            if (q.callback && (q.callback->user_data == p.name || q.callback->destroy == p.name)) cb = &q;
          if (cb && cb->callback->destroy == p.name) {
            value = fmt::format("bn_fn_{} ? ({})bn_cb_release : NULL", cb->name, ct);
          } else if (cb) {
            bool call_scope = cb->callback->scope == ir::Callback::Scope::Call;
            value = fmt::format("({}){}bn_c_{}", ct, call_scope ? "&" : "", cb->name);
          } else {
            value = "NULL";
          }
          break;
        }
        default:
          value = "NULL";
      }
      line(fmt::format("  {} = {};", declaration(ct, p.name), value));
      call_args_.push_back(p.name);
    }
  }

  void emit_preconditions() {
    for (const auto& p : f_.params) {
      if (p.precondition.empty()) continue;
      line(fmt::format("  if (!({})) {{", p.precondition));
      line(fmt::format("    napi_throw_range_error(bn_env, \"ERR_PRECONDITION\", {});",
                       c_string(p_.what + ": precondition failed: " + p.precondition)));
      line("    goto bn_out;");
      line("  }");
    }
  }

  // The handles a call that may run JavaScript is using: marked for the call (close() refused).
  std::vector<std::string> handle_ids_in_call() const {
    std::vector<std::string> ids;
    if (!p_.may_call_js) return ids;
    if (p_.self) ids.push_back("bn_id_" + p_.self->name);
    for (const auto* in : p_.inputs)
      if (in->type.kind == ir::TypeKind::Handle) ids.push_back("bn_id_" + in->name);
    return ids;
  }

  void enter_call() {
    for (const auto& id : handle_ids_in_call()) line(fmt::format("  bn_enter(bn_st, {});", id));
  }

  void leave_call() {
    for (const auto& id : handle_ids_in_call()) line(fmt::format("  bn_leave(bn_env, bn_st, {});", id));
  }

  // After a call that may have run JS: an exception thrown by a callback (or by an interface method,
  // which any call of such a module may reach) propagates now, before the library's error is read.
  // A callback refused on a thread the library started (bn_off_thread_refuse) throws here too.
  void emit_callback_exception_check() {
    if (!has_callbacks_ && plan_.interfaces.empty()) return;
    line("  if (bn_off_thread_refused(bn_env, bn_st, bn_off)) goto bn_out;");
  }

  // Before such a call: the count of refusals off the JS thread, compared after it.
  void note_off_thread() {
    if (!has_callbacks_ && plan_.interfaces.empty()) return;
    line("  uint32_t bn_off = bn_off_thread(bn_st);");
  }

  void emit_call() {
    std::string args;
    for (const auto& a : call_args_) args += (args.empty() ? "" : ", ") + a;
    std::string call = fmt::format("{}({})", f_.c_name, args);
    if (f_.returns.kind == ir::TypeKind::Void || f_.returns.c_type.empty() || f_.returns.c_type == "void") {
      line("  " + call + ";");
    } else if (f_.result.kind == ir::ResultKind::Ignore) {
      line("  (void)" + call + ";");
    } else {
      line(fmt::format("  {} bn_rc = {};", f_.returns.c_type, call));
      has_rc_ = true;
      // A handle the library lends only briefly (`copy:`): copied at once, before anything else runs.
      if (!f_.returns_lifetime.copy.empty()) {
        line("  int bn_copy_failed = 0;");
        line(fmt::format("  if (bn_rc != NULL) {{ bn_rc = {}(bn_rc); bn_copy_failed = bn_rc == NULL; }}",
                         f_.returns_lifetime.copy));
        copied_ = true;
      }
    }
  }

  std::string self_expr() const {
    if (!f_.result.errors_from.empty()) return f_.result.errors_from;
    if (p_.pinned_self) return p_.pinned_self->name;
    return p_.self ? p_.self->name : "NULL";
  }

  std::string expand(const std::string& expr) const {
    return replace_all(replace_all(expr, "${self}", self_expr()), "${rc}", "bn_rc");
  }

  void emit_throw(const ir::ErrorConvention* conv, bool status) {
    bool has_errno = conv && !conv->errno_expr.empty();
    if (has_errno) line(fmt::format("    int64_t bn_errno = (int64_t)({});", expand(conv->errno_expr)));
    std::string code = conv && !conv->code.empty() ? expand(conv->code) : status ? "bn_rc" : has_errno ? "bn_errno" : "0";
    std::string msg = conv && !conv->message.empty() ? expand(conv->message)
                      : has_errno                    ? "strerror((int)bn_errno)"
                                                     : c_string(p_.what + " failed");
    // Codes with a builtin meaning (error kinds) pick the JS error class: index.js maps the number.
    std::string kind = "BN_KIND_NONE";
    if (conv && !conv->kinds.empty()) {
      line(fmt::format("    int64_t bn_code = (int64_t)({});", code));
      code = "bn_code";
      kind.clear();
      for (const auto& k : conv->kinds) {
        const char* name = k.kind == ir::ErrorKind::InvalidArgument ? "BN_KIND_INVALID_ARGUMENT"
                           : k.kind == ir::ErrorKind::OutOfRange    ? "BN_KIND_OUT_OF_RANGE"
                                                                    : "BN_KIND_NO_MEMORY";
        kind += fmt::format("bn_code == (int64_t)({}) ? {} : ", k.code, name);
      }
      kind += "BN_KIND_NONE";
    }
    line(fmt::format("    bn_throw_library(bn_env, bn_st, {}, (int64_t)({}), {}, {}, {});", msg, code,
                     has_errno ? "true" : "false", has_errno ? "bn_errno" : "0", kind));
    destroy_valid_on_error();
    line("    goto bn_out;");
  }

  // Owned handles an out-param holds even on failure (`valid_on_error`: sqlite3_open_v2's *ppDb):
  // destroyed once the error (whose message may come from them) has been read.
  void destroy_valid_on_error() {
    for (const auto& p : f_.params) {
      if (p.role != ir::ParamRole::Output || !p.valid_on_error || p.type.kind != ir::TypeKind::Handle) continue;
      const ir::Handle* h = plan_.module->find_handle(p.type.name);
      if (!h || h->destroy.empty()) continue;
      line(fmt::format("    if (bn_o_{0}) {{ {1}(bn_o_{0}); bn_o_{0} = NULL; }}", p.name, h->destroy));
    }
  }


  // A pinned type's constructor: the binding owns the C struct's storage (zeroed, never moved),
  // presets its fields, and the init function fills it in place.
  void allocate_pinned() {
    const ir::Param& p = *p_.pinned_self;
    const ir::Handle* h = plan_.module->find_handle(p.type.name);
    std::string c_type = h ? h->c_name : "char";
    line(fmt::format("  void* bn_h_{} = calloc(1, sizeof({}));", p.name, c_type));
    line(fmt::format("  uint32_t bn_id_{} = 0;", p.name));
    line(fmt::format("  (void)bn_id_{};", p.name));
    line(fmt::format("  if (!bn_h_{}) {{", p.name));
    line("    napi_throw_error(bn_env, \"ERR_MEMORY\", \"out of memory\");");
    line("    return NULL;");
    line("  }");
    if (h)
      for (const auto& [field, value] : h->fields_preset)
        line(fmt::format("  (({}*)bn_h_{})->{} = {};", c_type, p.name, field, value));
    frees_.push_back("bn_h_" + p.name);  // freed unless the handle took it (init failed, or bad arguments)
  }

  void register_pinned() {
    const ir::Param& p = *p_.pinned_self;
    const ClassPlan* cls = class_of(p.type);
    line(fmt::format("  bn_result = bn_handle_new(bn_env, bn_st, {}, bn_h_{}, true, 0);", cls ? cls->id : 0, p.name));
    line(fmt::format("  bn_h_{} = NULL;  /* the handle owns it now (bn_handle_new destroys it on failure) */", p.name));
  }

  // Field buffers: the host passes `input` bytes and an output `capacity` after the receiver.
  void read_field_buffers(size_t& k) {
    const ir::FieldBuffers& fb = *p_.field_buffers;
    if (!fb.in_pointer.empty()) {
      line("  bn_bytes bn_fb_in;");
      line(fmt::format("  if (!bn_get_bytes(bn_env, bn_argv[{}], bn_what, \"input\", &bn_fb_in)) goto bn_out;", k++));
    }
    if (!fb.out_pointer.empty()) {
      line(fmt::format("  if (!bn_get_capacity(bn_env, bn_argv[{}], bn_what, \"capacity\", &bn_fb_cap, &bn_fb_buf)) goto bn_out;",
                       k++));
      frees_.push_back("bn_fb_buf");
    }
  }

  // The C length fields are narrower than size_t (zlib's uInt): what does not fit is left for the
  // next call, and `consumed` tells the host how much was taken.
  void set_field_buffers() {
    const ir::FieldBuffers& fb = *p_.field_buffers;
    const std::string& self = p_.self->name;
    if (!fb.in_pointer.empty()) {
      line("  if (bn_fb_in.len > 0xffffffffu) bn_fb_in.len = 0xffffffffu;");
      line(fmt::format("  {}->{} = (void*)bn_fb_in.data;", self, fb.in_pointer));
      line(fmt::format("  {}->{} = bn_fb_in.len;", self, fb.in_length));
    }
    if (!fb.out_pointer.empty()) {
      line("  if (bn_fb_cap > 0xffffffffu) bn_fb_cap = 0xffffffffu;");
      line(fmt::format("  {}->{} = bn_fb_buf;", self, fb.out_pointer));
      line(fmt::format("  {}->{} = bn_fb_cap;", self, fb.out_length));
    }
  }

  // After the call: how much was consumed and produced; no pointer into JS memory stays behind.
  void take_field_buffers() {
    const ir::FieldBuffers& fb = *p_.field_buffers;
    const std::string& self = p_.self->name;
    if (!fb.in_pointer.empty()) {
      line(fmt::format("  size_t bn_fb_consumed = bn_fb_in.len - (size_t){}->{};", self, fb.in_length));
      line(fmt::format("  {}->{} = NULL;", self, fb.in_pointer));
      line(fmt::format("  {}->{} = 0;", self, fb.in_length));
    }
    if (!fb.out_pointer.empty()) {
      line(fmt::format("  size_t bn_fb_produced = bn_fb_cap - (size_t){}->{};", self, fb.out_length));
      line(fmt::format("  {}->{} = NULL;", self, fb.out_pointer));
      line(fmt::format("  {}->{} = 0;", self, fb.out_length));
    }
  }

  // {status, consumed, output}: the status is always there (Z_STREAM_END ends a stream).
  void field_buffer_results() {
    const ir::FieldBuffers& fb = *p_.field_buffers;
    line("  {");
    line("    napi_value bn_obj;");
    line("    napi_create_object(bn_env, &bn_obj);");
    if (has_rc_) line("    napi_set_named_property(bn_env, bn_obj, \"status\", bn_from_f64(bn_env, (double)bn_rc));");
    if (!fb.in_pointer.empty())
      line("    napi_set_named_property(bn_env, bn_obj, \"consumed\", bn_from_f64(bn_env, (double)bn_fb_consumed));");
    if (!fb.out_pointer.empty())
      line("    napi_set_named_property(bn_env, bn_obj, \"output\", bn_bytes_copy(bn_env, bn_fb_buf, bn_fb_produced));");
    for (const auto& r : p_.results) {
      line("    {");
      line("      napi_value bn_field;");
      convert_slot(r, "bn_field", "      ");
      line(fmt::format("      napi_set_named_property(bn_env, bn_obj, {}, bn_field);", c_string(r.js_name)));
      line("    }");
    }
    line("    bn_result = bn_obj;");
    line("  }");
  }

  // Fields a job keeps besides the C argument itself: the storage it points to (outs, counts,
  // copies of text and bytes, a record passed by address, a caller-allocated buffer) and handle ids.
  std::vector<std::pair<std::string, std::string>> job_storage(const ir::Param& p) const {
    std::string ct = p.c_type.empty() ? "int" : p.c_type;
    bool pointer = ct.find('*') != std::string::npos;
    switch (p.role) {
      case ir::ParamRole::Self: return {{"uint32_t", "bn_id_" + p.name}};
      case ir::ParamRole::Output: return {{pointee(ct), "bn_o_" + p.name}};
      case ir::ParamRole::Length:
      case ir::ParamRole::Capacity:
        if (pointer) return {{pointee(ct), "bn_o_" + p.name}};
        return {};
      case ir::ParamRole::Buffer: return {{"void*", "bn_buf_" + p.name}, {"size_t", "bn_cap_" + p.name}};
      case ir::ParamRole::Input:
        switch (p.type.kind) {
          case ir::TypeKind::Handle: return {{"uint32_t", "bn_id_" + p.name}};
          case ir::TypeKind::Str: return {{"char*", "bn_hs_" + p.name}};
          case ir::TypeKind::Bytes:
          case ir::TypeKind::Slice: return {{"void*", "bn_hb_" + p.name}};
          case ir::TypeKind::Record:
            if (pointer) {
              const ir::Record* r = plan_.module->find_record(p.type.name);
              return {{r ? r->c_name : "int", "bn_v_" + p.name}};
            }
            return {};
          default: return {};
        }
      default: return {};
    }
  }

  // Moves one C argument into the job (pointers into this stack frame re-pointed into the job).
  void emit_job_copy(const ir::Param& p, size_t& ids) {
    std::string ct = p.c_type.empty() ? "int" : p.c_type;
    line(fmt::format("  bn_j->{0} = {0};", p.name));
    bool handle = p.role == ir::ParamRole::Self || (p.role == ir::ParamRole::Input && p.type.kind == ir::TypeKind::Handle);
    if (handle) {
      line(fmt::format("  bn_j->bn_id_{0} = bn_id_{0};", p.name));
      line(fmt::format("  if (bn_id_{}) bn_j->bn_job.ids[bn_j->bn_job.nids++] = bn_id_{};", p.name, p.name));
      ++ids;
      return;
    }
    for (const auto& [type, field] : job_storage(p)) {
      if (field.rfind("bn_o_", 0) == 0) {
        line(fmt::format("  bn_j->{0} = {0};", field));
        line(fmt::format("  bn_j->{} = &bn_j->{};", p.name, field));
      } else if (field.rfind("bn_hs_", 0) == 0) {  // text: copied, NUL-terminated (two zero bytes)
        line(fmt::format("  bn_j->{} = (char*)bn_dup(bn_s_{}.data, bn_s_{}.len, 1);", field, p.name, p.name));
        line(fmt::format("  bn_j->{} = ({})bn_j->{};", p.name, ct, field));
      } else if (field.rfind("bn_hb_", 0) == 0) {  // bytes or a slice: copied (JS may change them meanwhile)
        std::string bytes = p.type.kind == ir::TypeKind::Slice
                                ? fmt::format("bn_b_{}.len * sizeof({})", p.name, scalar_info(p.type.scalar).c_type)
                                : fmt::format("bn_b_{}.len", p.name);
        line(fmt::format("  bn_j->{} = bn_dup(bn_b_{}.data, {}, 0);", field, p.name, bytes));
        line(fmt::format("  bn_j->{} = ({})bn_j->{};", p.name, ct, field));
      } else if (field.rfind("bn_v_", 0) == 0) {
        line(fmt::format("  bn_j->{0} = {0};", field));
        line(fmt::format("  bn_j->{} = &bn_j->{};", p.name, field));
      } else if (field.rfind("bn_buf_", 0) == 0) {  // the job owns the buffer from now on
        line(fmt::format("  bn_j->{0} = {0};", field));
        line(fmt::format("  {} = NULL;", field));
        line(fmt::format("  bn_j->{} = ({})bn_j->{};", p.name, ct, field));
      } else {
        line(fmt::format("  bn_j->{0} = {0};", field));
      }
    }
  }

  // The C condition meaning "the call failed" ("" when the result cannot report a failure).
  std::string failure_condition() const {
    if (!has_rc_) return "";
    const ir::ErrorConvention* conv = plan_.module->find_convention(f_.result.convention);
    std::vector<std::string> eof = f_.result.eof;
    if (conv) eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
    std::string not_eof = eof.empty() ? "" : fmt::format("!({}) && ", any_of(eof));
    switch (f_.result.kind) {
      case ir::ResultKind::Status: {
        std::vector<std::string> ok = conv ? conv->ok : std::vector<std::string>{"0"};
        ok.insert(ok.end(), f_.result.also_ok.begin(), f_.result.also_ok.end());
        if (conv) ok.insert(ok.end(), conv->soft.begin(), conv->soft.end());
        return fmt::format("{}!({})", not_eof, any_of(ok));
      }
      case ir::ResultKind::Count: return not_eof + "bn_rc < 0";
      case ir::ResultKind::NullError: return "bn_rc == NULL";
      default: return f_.returns_lifetime.null == ir::NullMeaning::Error ? "bn_rc == NULL" : "";
    }
  }

  // Pool thread: a failure's code, errno and message are read at once, where the call ran.
  void emit_async_capture() {
    std::string cond = failure_condition();
    if (cond.empty()) return;
    const ir::ErrorConvention* conv = plan_.module->find_convention(f_.result.convention);
    bool status = f_.result.kind == ir::ResultKind::Status || f_.result.kind == ir::ResultKind::Count;
    bool has_errno = conv && !conv->errno_expr.empty();
    line(fmt::format("  if ({}) {{", cond));
    line("    bn_j->bn_job.failed = true;");
    if (has_errno) line(fmt::format("    bn_j->bn_job.err_no = (int64_t)({});", expand(conv->errno_expr)));
    std::string code = conv && !conv->code.empty() ? expand(conv->code)
                       : status                    ? "bn_rc"
                       : has_errno                 ? "bn_j->bn_job.err_no"
                                                   : "0";
    line(fmt::format("    bn_j->bn_job.code = (int64_t)({});", code));
    if (conv && !conv->message.empty())
      line(fmt::format("    bn_j->bn_job.message = bn_dup_message({});", expand(conv->message)));
    else if (has_errno)
      line("    bn_j->bn_job.message = bn_dup_message(strerror((int)bn_j->bn_job.err_no));");
    line("  }");
  }

  // JS thread: "no more" outcomes, then the captured failure thrown (and turned into a rejection).
  void emit_async_result_checks() {
    if (!has_rc_) return;
    const ir::ErrorConvention* conv = plan_.module->find_convention(f_.result.convention);
    if (f_.result.kind == ir::ResultKind::Status || f_.result.kind == ir::ResultKind::Count) emit_eof_return(conv);
    if (f_.result.kind == ir::ResultKind::Status) soft_ = soft_codes(conv);
    if (failure_condition().empty()) return;
    bool has_errno = conv && !conv->errno_expr.empty();
    line("  if (bn_j->bn_job.failed) {");
    line("    int64_t bn_code = bn_j->bn_job.code;");
    line(fmt::format("    bn_throw_library(bn_env, bn_st, bn_j->bn_job.message ? bn_j->bn_job.message : {}, bn_code, {}, "
                     "bn_j->bn_job.err_no, {});",
                     c_string(p_.what + " failed"), has_errno ? "true" : "false", kind_of_code(conv)));
    destroy_valid_on_error();
    line("    goto bn_out;");
    line("  }");
  }

  // The error kind (BN_KIND_*) of `bn_code` under the convention's `kinds:`.
  static std::string kind_of_code(const ir::ErrorConvention* conv) {
    if (!conv || conv->kinds.empty()) return "BN_KIND_NONE";
    std::string kind;
    for (const auto& k : conv->kinds) {
      const char* name = k.kind == ir::ErrorKind::InvalidArgument ? "BN_KIND_INVALID_ARGUMENT"
                         : k.kind == ir::ErrorKind::OutOfRange    ? "BN_KIND_OUT_OF_RANGE"
                                                                  : "BN_KIND_NO_MEMORY";
      kind += fmt::format("bn_code == (int64_t)({}) ? {} : ", k.code, name);
    }
    return kind + "BN_KIND_NONE";
  }

  // "No more" codes (the function's and its convention's) return null before any failure check.
  void emit_eof_return(const ir::ErrorConvention* conv) {
    std::vector<std::string> eof = f_.result.eof;
    if (conv) eof.insert(eof.end(), conv->eof.begin(), conv->eof.end());
    if (eof.empty()) return;
    line(fmt::format("  if ({}) {{", any_of(eof)));
    line("    bn_result = bn_null(bn_env); /* \"no more\": absent, not an error */");
    line("    goto bn_out;");
    line("  }");
  }

  // Success codes other than OK (the function's also_ok, the convention's soft): shown to the caller.
  std::vector<std::string> soft_codes(const ir::ErrorConvention* conv) const {
    std::vector<std::string> soft = f_.result.also_ok;
    if (conv) soft.insert(soft.end(), conv->soft.begin(), conv->soft.end());
    return soft;
  }

  static std::string any_of(const std::vector<std::string>& values) {
    std::string s;
    for (const auto& v : values) s += (s.empty() ? "" : " || ") + fmt::format("bn_rc == ({})", v);
    return s.empty() ? "0" : s;
  }

  void emit_result_checks() {
    if (!has_rc_) return;
    if (copied_) {
      line("  if (bn_copy_failed) {");
      line(fmt::format("    napi_throw_error(bn_env, \"ERR_MEMORY\", {});",
                       c_string(p_.what + ": out of memory copying the result (" + f_.returns_lifetime.copy + ")")));
      line("    goto bn_out;");
      line("  }");
    }
    const ir::ErrorConvention* conv = plan_.module->find_convention(f_.result.convention);
    switch (f_.result.kind) {
      case ir::ResultKind::Status: {
        std::vector<std::string> ok = conv ? conv->ok : std::vector<std::string>{"0"};
        ok.insert(ok.end(), f_.result.also_ok.begin(), f_.result.also_ok.end());
        if (conv) ok.insert(ok.end(), conv->soft.begin(), conv->soft.end());
        emit_eof_return(conv);
        line(fmt::format("  if (!({})) {{", any_of(ok)));
        emit_throw(conv, true);
        line("  }");
        // Soft and extra success codes are outcomes the caller must see: returned as a number when
        // the function has no other result (plain OK returns undefined).
        soft_ = soft_codes(conv);
        break;
      }
      case ir::ResultKind::Count: {
        emit_eof_return(conv);
        line("  if (bn_rc < 0) {");
        emit_throw(conv, true);
        line("  }");
        break;
      }
      case ir::ResultKind::NullError:
        line("  if (bn_rc == NULL) {");
        emit_throw(conv, false);
        line("  }");
        break;
      default:
        if (f_.returns_lifetime.null == ir::NullMeaning::Error) {
          line("  if (bn_rc == NULL) {");
          emit_throw(conv, false);
          line("  }");
        }
    }
  }

  // Handles the callee took over leave their slots: at once after the call (the callee owns them
  // whatever the outcome), or only once the convention said OK (`consumed_on_success`: on failure
  // the object stays open and usable). `after_success` picks which of the two this is.
  void emit_consumed(bool after_success) {
    std::vector<const ir::Param*> handles(p_.inputs.begin(), p_.inputs.end());
    if (p_.self) handles.insert(handles.begin(), p_.self);
    for (const auto* in : handles) {
      if (in->type.kind != ir::TypeKind::Handle || in->lifetime.own != ir::Own::Consumed) continue;
      if (in->lifetime.consumed_on_success != after_success) continue;
      const ClassPlan* cls = class_of(in->type);
      line(fmt::format("  bn_handle_consumed(bn_env, bn_st, bn_id_{}, {});", in->name, cls ? cls->id : 0));
    }
  }

  // Bytes the callee takes over and frees with its own allocator (`alloc:`): copied into memory from
  // that allocator right before the call (nothing can fail between the two, so nothing leaks); NULL
  // from the allocator is an out-of-memory error and C is not called. The binding never frees it.
  void emit_alloc_copies() {
    // Host values are boxed last, after every check: once boxed, only the library releases them
    // (a box that could not be made releases the ones made before it).
    std::vector<std::string> boxed;
    for (const auto* in : p_.inputs) {
      if (in->type.kind != ir::TypeKind::HostValue) continue;
      line(fmt::format("  if (bn_hvv_{0} && !({0} = bn_hv_new(bn_env, bn_st, bn_hvv_{0}))) {{", in->name));
      for (const auto& b : boxed) line(fmt::format("    bn_hv_release({});", b));
      line("    goto bn_out;");
      line("  }");
      boxed.push_back(in->name);
    }
    for (const auto* in : p_.inputs) {
      if (in->type.kind != ir::TypeKind::Bytes || in->lifetime.alloc.empty()) continue;
      std::string ct = in->c_type.empty() ? "void *" : in->c_type;
      line(fmt::format("  {} = ({}){}(bn_b_{}.len ? bn_b_{}.len : 1);", in->name, ct, in->lifetime.alloc, in->name,
                       in->name));
      line(fmt::format("  if ({} == NULL) {{", in->name));
      line(fmt::format("    napi_throw_error(bn_env, \"ERR_MEMORY\", {});",
                       c_string(p_.what + ": out of memory copying '" + js_local(in->name) + "'")));
      line("    goto bn_out;");
      line("  }");
      line(fmt::format("  if (bn_b_{0}.len) memcpy((void*){0}, bn_b_{0}.data, bn_b_{0}.len);", in->name));
    }
  }

  // The id of the handle param a borrow comes from (0 when it is not a handle of this call).
  std::string owner_id(const std::string& from) const {
    if (p_.self && (from.empty() || from == p_.self->name)) return "bn_id_" + p_.self->name;
    for (const auto* in : p_.inputs)
      if (in->name == from && in->type.kind == ir::TypeKind::Handle) return "bn_id_" + from;
    return "";
  }

  // An owned handle of a class with a `parent`: the id of this call's handle of that class.
  std::string parent_id(const ir::Type& t) const {
    const ir::Handle* h = plan_.module->find_handle(t.name);
    if (!h || h->parent.empty()) return "";
    if (p_.self && p_.self->type.name == h->parent) return "bn_id_" + p_.self->name;
    for (const auto* in : p_.inputs)
      if (in->type.kind == ir::TypeKind::Handle && in->type.name == h->parent) return "bn_id_" + in->name;
    return "";
  }

  std::string owner_class(const std::string& from) const {
    const ir::Param* src = nullptr;
    if (p_.self && (from.empty() || from == p_.self->name)) src = p_.self;
    for (const auto* in : p_.inputs)
      if (in->name == from) src = in;
    const ClassPlan* cls = src ? class_of(src->type) : nullptr;
    return cls ? std::to_string(cls->id) : "0";
  }

  std::string length_expr(const ir::Length& len, const std::string& ptr) const {
    switch (len.kind) {
      case ir::Length::Kind::Expr:
      case ir::Length::Kind::Call: return fmt::format("(size_t)({})", expand(len.value));
      case ir::Length::Kind::OutParam: return "(size_t)bn_o_" + len.value;
      default: return fmt::format("strlen((const char*){})", ptr);  // (UTF-16: convert() measures)
    }
  }

  // Converts `expr` (a C value) into `dst` (a napi_value lvalue).
  void convert(const ir::Type& t, const ir::Lifetime& life, const ir::Length& len, const std::string& expr,
               const std::string& dst, const std::string& indent) {
    if (is_byte_slice(t)) {  // bytes by another name (uint8_t / int8_t elements): a Buffer, like Bytes
      ir::Type bytes = t;
      bytes.kind = ir::TypeKind::Bytes;
      convert(bytes, life, len, expr, dst, indent);
      return;
    }
    switch (t.kind) {
      case ir::TypeKind::Void:
        line(indent + dst + " = bn_undefined(bn_env);");
        return;
      case ir::TypeKind::Scalar: {
        auto si = scalar_info(t.scalar);
        if (!is_exact64(t)) si.out = t.scalar == ir::Scalar::I64 ? "i64_size" : t.scalar == ir::Scalar::U64 ? "u64_size" : si.out;
        line(fmt::format("{}{} = bn_from_{}(bn_env, ({}){});", indent, dst, si.out,
                         si.out == std::string("f64") ? "double" : si.c_type, expr));
        return;
      }
      case ir::TypeKind::Enum:
        line(fmt::format("{}{} = bn_from_f64(bn_env, (double){});", indent, dst, expr));
        return;
      case ir::TypeKind::Record:
        line(fmt::format("{}{} = bn_rec_from_{}(bn_env, &{});", indent, dst, c_ident(t.name), expr));
        return;
      case ir::TypeKind::Str:
      case ir::TypeKind::Bytes: {
        bool text = t.kind == ir::TypeKind::Str;
        line(fmt::format("{}if ({} == NULL) {{", indent, expr));
        switch (life.null) {
          case ir::NullMeaning::Absent: line(indent + "  " + dst + " = bn_null(bn_env);"); break;
          case ir::NullMeaning::Empty:
            line(indent + "  " + dst + (text ? " = bn_from_str(bn_env, \"\", 0);" : " = bn_bytes_copy(bn_env, NULL, 0);"));
            break;
          default:
            line(fmt::format("{}  napi_throw_error(bn_env, \"ERR_NULL_RESULT\", {});", indent,
                             c_string(p_.what + ": the C function returned NULL")));
            line(indent + "  goto bn_out;");
        }
        line(indent + "} else {");
        std::string n = length_expr(len, expr);
        std::string owner = owner_id(life.from);
        if (text) {
          if (t.encoding == "utf16")  // lengths in bytes; NUL-terminated: up to a two-byte zero
            line(fmt::format("{}  {} = bn_from_str16(bn_env, (const void*){}, {});", indent, dst, expr,
                             len.kind == ir::Length::Kind::None || len.kind == ir::Length::Kind::Nul
                                 ? fmt::format("bn_strlen16((const void*){})", expr)
                                 : n));
          else
            line(fmt::format("{}  {} = bn_from_str(bn_env, (const char*){}, {});", indent, dst, expr, n));
        } else if (life.own == ir::Own::Borrowed && life.until == ir::Until::Owner && !owner.empty()) {
          line(fmt::format("{}  {} = bn_bytes_view(bn_env, bn_st, {}, {}, (void*){}, {});", indent, dst, owner,
                           owner_class(life.from), expr, n));
        } else {
          line(fmt::format("{}  {} = bn_bytes_copy(bn_env, {}, {});", indent, dst, expr, n));
        }
        if (life.own == ir::Own::Owned && !life.free.empty())
          line(fmt::format("{}  {}((void*){});", indent, life.free, expr));
        line(indent + "}");
        return;
      }
      case ir::TypeKind::Slice: {
        // A typed array of the element type: a view detached with its owner (borrowed until the
        // owner goes), handed over zero-copy and freed by its finalizer (owned), else a copy.
        auto ta = typed_array(t.scalar);
        std::string elem = fmt::format("sizeof({})", scalar_info(t.scalar).c_type);
        std::string n = length_expr(len, expr);
        std::string owner = owner_id(life.from);
        line(fmt::format("{}if ({} == NULL) {{", indent, expr));
        if (life.null == ir::NullMeaning::Absent)
          line(indent + "  " + dst + " = bn_null(bn_env);");
        else
          line(fmt::format("{}  {} = bn_slice_copy(bn_env, NULL, 0, {}, {});", indent, dst, ta.napi, elem));
        line(indent + "} else {");
        if (life.own == ir::Own::Borrowed && life.until == ir::Until::Owner && !owner.empty()) {
          line(fmt::format("{}  {} = bn_slice_view(bn_env, bn_st, {}, {}, (void*){}, {}, {}, {});", indent, dst, owner,
                           owner_class(life.from), expr, n, ta.napi, elem));
        } else if (life.own == ir::Own::Owned && !life.free.empty()) {
          line(fmt::format("{}  {} = bn_slice_adopt(bn_env, (void*){}, {}, {}, {}, bn_release_{});", indent, dst, expr,
                           n, ta.napi, elem, c_ident(life.free)));
        } else {
          line(fmt::format("{}  {} = bn_slice_copy(bn_env, (const void*){}, {}, {}, {});", indent, dst, expr, n,
                           ta.napi, elem));
        }
        line(indent + "}");
        return;
      }
      case ir::TypeKind::Handle: {
        const ClassPlan* cls = class_of(t);
        int id = cls ? cls->id : 0;
        bool owned = life.own == ir::Own::Owned;
        std::string parent = life.own == ir::Own::Borrowed ? owner_id(life.from) : parent_id(t);
        line(fmt::format("{}if ({} == NULL) {{", indent, expr));
        if (life.null == ir::NullMeaning::Absent) {
          line(indent + "  " + dst + " = bn_null(bn_env);");
        } else {
          line(fmt::format("{}  napi_throw_error(bn_env, \"ERR_NULL_RESULT\", {});", indent,
                           c_string(p_.what + ": the C function returned NULL (out of memory?)")));
          line(indent + "  goto bn_out;");
        }
        line(indent + "} else {");
        line(fmt::format("{}  {} = bn_handle_new(bn_env, bn_st, {}, (void*){}, {}, {});", indent, dst, id, expr,
                         owned ? "true" : "false", parent.empty() ? "0" : parent));
        line(indent + "}");
        return;
      }
      case ir::TypeKind::HostValue:  // a box this addon made (the tag or the contract says so); NULL: null
        line(fmt::format("{}{} = bn_hv_value(bn_env, (const void*){});", indent, dst, expr));
        return;
      default:
        line(fmt::format("{}#error \"node backend: unsupported result type\"", indent));
    }
  }

  // The bytes a caller-allocated buffer received, never more than its capacity.
  std::string written(const ir::Param& p) const {
    switch (p.written.kind) {
      case ir::Written::Kind::Return: return "(size_t)bn_rc";
      case ir::Written::Kind::OutParam:
      case ir::Written::Kind::InOut: return "(size_t)bn_o_" + p.written.value;
      case ir::Written::Kind::Expr: return fmt::format("(size_t)({})", expand(p.written.value));
      default: return "bn_cap_" + p.name;
    }
  }

  void convert_slot(const ResultSlot& r, const std::string& dst, const std::string& indent) {
    if (r.param && r.param->role == ir::ParamRole::Buffer) {
      line(fmt::format("{}{{", indent));
      line(fmt::format("{}  size_t bn_n = {};", indent, written(*r.param)));
      const char* from = r.param->type.kind != ir::TypeKind::Str ? "bn_bytes_copy(bn_env, "
                         : r.param->type.encoding == "utf16"    ? "bn_from_str16(bn_env, (const void*)"
                                                                : "bn_from_str(bn_env, (const char*)";
      line(fmt::format("{}  {} = {}bn_buf_{}, bn_n < bn_cap_{} ? bn_n : bn_cap_{});", indent, dst, from,
                       r.param->name, r.param->name, r.param->name));
      line(fmt::format("{}}}", indent));
      return;
    }
    if (r.param) {
      // An output with a `size`: its hidden Length param (an out count) says how long it is.
      ir::Length len;
      if (!r.param->size.empty()) len = {ir::Length::Kind::OutParam, r.param->size};
      convert(r.param->type, r.param->lifetime, len, "bn_o_" + r.param->name, dst, indent);
      return;
    }
    switch (f_.result.kind) {
      case ir::ResultKind::Bool:
        line(fmt::format("{}{} = bn_from_bool(bn_env, bn_rc != 0);", indent, dst));
        return;
      case ir::ResultKind::BoolOk:
        line(fmt::format("{}{} = bn_from_bool(bn_env, bn_rc == 0);", indent, dst));
        return;
      default:
        convert(f_.returns, f_.returns_lifetime, f_.returns_length, "bn_rc", dst, indent);
    }
  }

  void emit_results() {
    std::vector<ResultSlot> results;
    for (const auto& r : p_.results)
      if (!r.param || !hidden_out(*r.param)) results.push_back(r);
    if (results.empty()) {
      if (!soft_.empty()) {
        line(fmt::format("  bn_result = ({}) ? bn_from_f64(bn_env, (double)bn_rc) : bn_undefined(bn_env);", any_of(soft_)));
        return;
      }
      line("  /* no result: returning NULL is undefined, without a call into Node */");
      return;
    }
    if (results.size() == 1) {
      convert_slot(results[0], "bn_result", "  ");
      return;
    }
    line("  {");
    line("    napi_value bn_obj, bn_field;");
    line("    napi_create_object(bn_env, &bn_obj);");
    for (const auto& r : results) {
      convert_slot(r, "bn_field", "    ");
      line(fmt::format("    napi_set_named_property(bn_env, bn_obj, {}, bn_field);", c_string(r.js_name)));
    }
    line("    bn_result = bn_obj;");
    line("  }");
  }

  const ModulePlan& plan_;
  const FnPlan& p_;
  const ir::Function& f_;
  std::string& out_;
  std::vector<std::string> strings_;
  std::vector<std::string> frees_;
  std::vector<std::string> cb_releases_;  ///< owner-scope callbacks not kept (the call failed)
  std::vector<std::string> call_args_;
  bool has_rc_ = false;
  bool copied_ = false;  ///< the result went through its `copy:` function (bn_copy_failed)
  bool has_callbacks_ = false;
  std::vector<std::string> soft_;
};

void emit_enum_tables(const ir::Module& m, std::string& out) {
  for (const auto& e : m.enums) {
    if (e.flags) {
      std::string mask;
      for (const auto& v : e.values) mask += (mask.empty() ? "" : " | ") + fmt::format("(uint64_t)({})", v.value);
      out += fmt::format("static const uint64_t bn_mask_{} BN_UNUSED = {};\n", c_ident(e.name), mask.empty() ? "0" : mask);
    } else {
      out += fmt::format("static const int64_t bn_values_{}[] BN_UNUSED = {{", c_ident(e.name));
      for (size_t i = 0; i < e.values.size(); i++)
        out += fmt::format("{}{}", i ? ", " : "", e.values[i].value);
      if (e.values.empty()) out += "0";
      out += "};\n";
    }
  }
  if (!m.enums.empty()) out += "\n";
}

// Records are plain objects: every field is required on input (a missing one is a TypeError) and
// converted with the same rules as an argument; output builds a fresh object.
void emit_records(const ir::Module& m, std::string& out) {
  for (const auto& r : m.records) {
    out += fmt::format("static bool bn_rec_get_{}(napi_env env, napi_value v, const char* what, const char* name, {}* out);\n",
                       c_ident(r.name), r.c_name);
    out += fmt::format("static napi_value bn_rec_from_{}(napi_env env, const {}* r);\n", c_ident(r.name), r.c_name);
  }
  for (const auto& r : m.records) {
    std::string id = c_ident(r.name);
    out += fmt::format("\nstatic bool BN_UNUSED bn_rec_get_{}(napi_env env, napi_value v, const char* what, const char* name, {}* out) {{\n",
                       id, r.c_name);
    out += "  napi_valuetype t;\n";
    out += "  char field[128];\n";
    out += "  napi_value f;\n";
    out += "  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) {\n";
    out += fmt::format("    bn_throw_expected(env, what, name, {}, v);\n", c_string("a " + r.name + " object"));
    out += "    return false;\n  }\n";
    for (const auto& fd : r.fields) {
      out += fmt::format("  snprintf(field, sizeof field, \"%s.%s\", name, {});\n", c_string(fd.name));
      out += fmt::format("  if (napi_get_named_property(env, v, {}, &f) != napi_ok || bn_is_nullish(env, f)) {{\n",
                         c_string(fd.name));
      out += "    bn_throw_type(env, \"%s: field '%s' is missing\", what, field);\n    return false;\n  }\n";
      switch (fd.type.kind) {
        case ir::TypeKind::Scalar:
        case ir::TypeKind::Enum: {
          ir::Scalar sc = fd.type.scalar;
          if (fd.type.kind == ir::TypeKind::Enum)
            if (const ir::Enum* e = m.find_enum(fd.type.name)) sc = e->underlying;
          auto si = scalar_info(sc);
          out += fmt::format("  {{\n    {} x;\n    if (!bn_get_{}(env, f, what, field, &x)) return false;\n", si.c_type, si.suffix);
          out += fmt::format("    out->{} = x;\n  }}\n", fd.name);
          break;
        }
        case ir::TypeKind::Record:
          out += fmt::format("  if (!bn_rec_get_{}(env, f, what, field, &out->{})) return false;\n", c_ident(fd.type.name),
                             fd.name);
          break;
        default:
          out += fmt::format("#error \"node backend: unsupported field type in {}\"\n", r.name);
      }
    }
    out += "  return true;\n}\n";
    out += fmt::format("\nstatic napi_value BN_UNUSED bn_rec_from_{}(napi_env env, const {}* r) {{\n", id, r.c_name);
    out += "  napi_value o, f;\n  napi_create_object(env, &o);\n";
    for (const auto& fd : r.fields) {
      switch (fd.type.kind) {
        case ir::TypeKind::Scalar: {
          auto si = scalar_info(fd.type.scalar);
          std::string outfn = si.out;
          if (!is_exact64(fd.type) && (fd.type.scalar == ir::Scalar::I64 || fd.type.scalar == ir::Scalar::U64))
            outfn += "_size";
          out += fmt::format("  f = bn_from_{}(env, ({})r->{});\n", outfn, outfn == "f64" ? "double" : si.c_type, fd.name);
          break;
        }
        case ir::TypeKind::Enum: out += fmt::format("  f = bn_from_f64(env, (double)r->{});\n", fd.name); break;
        case ir::TypeKind::Record:
          out += fmt::format("  f = bn_rec_from_{}(env, &r->{});\n", c_ident(fd.type.name), fd.name);
          break;
        default: out += "  napi_get_undefined(env, &f);\n";
      }
      out += fmt::format("  napi_set_named_property(env, o, {}, f);\n", c_string(fd.name));
    }
    out += "  return o;\n}\n";
  }
  if (!m.records.empty()) out += "\n";
}

}  // namespace

// The C expression for a callback argument's length in bytes (elements for a slice): its `size`,
// with a negative count (a library bug) read as empty.
std::string callback_length(const ir::Param& q) { return fmt::format("({0}) > 0 ? (size_t)({0}) : 0", q.size); }

// A slice of handles (SQLite's `sqlite3_value **argv`): no element scalar, the handle's name.
bool is_handle_array(const ModulePlan& plan, const ir::Type& t) {
  return t.kind == ir::TypeKind::Slice && !t.name.empty() && plan.find_class(t.name) != nullptr;
}

// One callback argument as the JS value the function receives. Text and bytes are copied (they are
// valid only during the callback); a handle is lent (see bn_lend) and `lent` names its id (for an
// array of handles, its array of ids).
std::string callback_argument(const ModulePlan& plan, const ir::Param& q, const std::string& lent) {
  switch (q.type.kind) {
    case ir::TypeKind::Scalar: {
      auto si = scalar_info(q.type.scalar);
      std::string outfn = si.out;
      if (!is_exact64(q.type) && (q.type.scalar == ir::Scalar::I64 || q.type.scalar == ir::Scalar::U64)) outfn += "_size";
      return fmt::format("bn_from_{}(bn_env, ({}){})", outfn, outfn == "f64" ? "double" : si.c_type, q.name);
    }
    case ir::TypeKind::Enum: return fmt::format("bn_from_f64(bn_env, (double){})", q.name);
    case ir::TypeKind::Str:
      if (!q.size.empty()) {  // exactly that many bytes, NULs and all; NULL with length 0 is ""
        if (q.type.encoding == "utf16")
          return fmt::format("bn_from_str16(bn_env, {0}, {0} ? {1} : 0)", q.name, callback_length(q));
        return fmt::format("bn_from_str(bn_env, (const char*){0}, {0} ? {1} : 0)", q.name, callback_length(q));
      }
      if (q.type.encoding == "utf16")
        return fmt::format("{0} ? bn_from_str16(bn_env, {0}, bn_strlen16({0})) : bn_null(bn_env)", q.name);
      return fmt::format("{0} ? bn_from_str(bn_env, {0}, strlen({0})) : bn_null(bn_env)", q.name);
    case ir::TypeKind::Bytes:  // a copy: the memory is the library's and ends with the callback
      return fmt::format("bn_bytes_copy(bn_env, {0}, {0} ? {1} : 0)", q.name,
                         q.size.empty() ? std::string("0") : callback_length(q));
    case ir::TypeKind::Slice: {
      if (is_handle_array(plan, q.type))  // each item lent for the callback (bn_lend_array)
        return fmt::format("bn_lend_array(bn_env, {}, (void* const*){}, {}, &{})", plan.find_class(q.type.name)->id,
                           q.name, q.size.empty() ? std::string("0") : callback_length(q), lent);
      if (is_string_array(q.type))  // `const char *const *argv` and its count: a JS array of strings (copies)
        return fmt::format("bn_str_array(bn_env, (const char* const*){}, {})", q.name,
                           q.size.empty() ? std::string("0") : callback_length(q));
      auto ta = typed_array(q.type.scalar);
      std::string elem = fmt::format("sizeof({})", scalar_info(q.type.scalar).c_type);
      if (is_byte_slice(q.type))
        return fmt::format("bn_bytes_copy(bn_env, {0}, {0} ? {1} : 0)", q.name, callback_length(q));
      return fmt::format("bn_slice_copy(bn_env, {0}, {0} ? {1} : 0, {2}, {3})", q.name, callback_length(q), ta.napi,
                         elem);
    }
    case ir::TypeKind::Record: return fmt::format("bn_rec_from_{}(bn_env, &{})", c_ident(q.type.name), q.name);
    case ir::TypeKind::Handle: {
      const ClassPlan* c = plan.find_class(q.type.name);
      return fmt::format("bn_lend(bn_env, {}, (void*){}, &{})", c ? c->id : 0, q.name, lent);
    }
    default: return "bn_undefined(bn_env)";
  }
}

namespace {

// `user_data_from` with `$N` replaced by the callback's N-th C argument: `sqlite3_user_data($0)`
// becomes `sqlite3_user_data(ctx)`.
std::string user_data_expression(const ir::Callback& cb) {
  return substitute_positions(cb.user_data_from, [&](size_t n) { return n < cb.params.size() ? cb.params[n].name : "NULL"; });
}

// One C function per callback parameter, with the callback's exact C signature: it converts the
// arguments, calls the JS function and converts its result. After an exception (pending in the
// env) it calls no more JS and returns 0; the wrapper rethrows once C returns. Its own locals are
// `bn_`-prefixed: the C arguments keep the library's names (`argv`, `argc`, `result`…).
void emit_trampoline(const ModulePlan& plan, const ir::Function& f, const ir::Param& p, std::string& out) {
  const ir::Module& m = *plan.module;
  const ir::Callback& cb = *p.callback;
  std::string ret = cb.ret && cb.ret->type.kind != ir::TypeKind::Void
                        ? (cb.ret->c_type.empty() ? cb.ret->type.c_type : cb.ret->c_type)
                        : "void";
  bool has_ret = ret != "void";
  std::string params;
  std::string ud;
  for (const auto& q : cb.params) {
    params += (params.empty() ? "" : ", ") + fmt::format("{} {}", q.c_type, q.name);
    if (q.role == ir::ParamRole::UserData) ud = q.name;
  }
  // No user-data argument: the library gives it back through a call on the arguments.
  if (ud.empty() && !cb.user_data_from.empty()) ud = "(" + user_data_expression(cb) + ")";
  if (params.empty()) params = "void";
  std::string ret_r = has_ret ? " bn_r" : "";
  out += fmt::format("static {} bn_cbt_{}_{}({}) {{\n", ret, f.c_name, p.name, params);
  out += fmt::format("  bn_cb* bn_self = (bn_cb*){};\n", ud.empty() ? "NULL" : ud);
  if (has_ret) out += fmt::format("  {} bn_r;\n  memset(&bn_r, 0, sizeof bn_r);\n", ret);
  out += fmt::format("  if (!bn_self) return{};\n", ret_r);
  // On the libuv pool (an …Async call reached it): no V8 here; the job's promise rejects.
  out += fmt::format("  if (bn_pool_job) {{\n    bn_pool_job->refused++;\n    return{};\n  }}\n", ret_r);
  // On a thread the library started: no V8 either; the outer call throws ERR_CALLBACK_OFF_THREAD.
  out += fmt::format("  if (bn_off_thread_refuse(bn_self->st)) return{};\n", ret_r);
  out += "  napi_env bn_env = bn_self->env;\n";
  out += "  bool bn_pending = false;\n";
  out += "  napi_is_exception_pending(bn_env, &bn_pending);\n";
  out += fmt::format("  if (bn_pending) return{};\n", ret_r);
  out += "  napi_handle_scope bn_scope;\n  napi_open_handle_scope(bn_env, &bn_scope);\n";
  size_t n = 0, lent = 0;
  std::vector<const ir::Param*> arrays;  // handle arrays: their ids, and their length for the unlend
  for (const auto& q : cb.params) {
    if (hidden_in_callback(cb, q)) continue;
    ++n;
    if (q.type.kind == ir::TypeKind::Handle) ++lent;
    if (is_handle_array(plan, q.type)) arrays.push_back(&q);
  }
  out += fmt::format("  napi_value bn_fn, bn_recv, bn_result, bn_argv[{}];\n", n ? n : 1);
  // Handles lent for the callback's duration: released after it returns, whatever it did.
  if (lent) out += fmt::format("  uint32_t bn_lent[{}] = {{0}};\n", lent);
  for (const auto* q : arrays) out += fmt::format("  uint32_t* bn_lent_{} = NULL;\n", q->name);
  size_t i = 0, k = 0;
  for (const auto& q : cb.params) {
    if (hidden_in_callback(cb, q)) continue;
    std::string slot = q.type.kind == ir::TypeKind::Handle ? fmt::format("bn_lent[{}]", k++)
                       : is_handle_array(plan, q.type) ? "bn_lent_" + q.name
                                                       : "";
    out += fmt::format("  bn_argv[{}] = {};\n", i, callback_argument(plan, q, slot));
    ++i;
  }
  out += "  bn_fn = bn_self->value;\n";
  out += "  if (!bn_fn && bn_self->ref) napi_get_reference_value(bn_env, bn_self->ref, &bn_fn);\n";
  out += "  napi_get_undefined(bn_env, &bn_recv);\n";
  // A conversion that failed (no memory) left an exception pending: the function is not called.
  out += "  napi_is_exception_pending(bn_env, &bn_pending);\n";
  out += fmt::format(
      "  if (!bn_pending && bn_fn && napi_call_function(bn_env, bn_recv, bn_fn, {}, bn_argv, &bn_result) == napi_ok) {{\n",
      n);
  if (has_ret) {
    ir::Scalar sc = cb.ret->type.scalar;
    if (cb.ret->type.kind == ir::TypeKind::Enum)
      if (const ir::Enum* e = m.find_enum(cb.ret->type.name)) sc = e->underlying;
    auto si = scalar_info(sc);
    out += "    bool bn_flag;\n";
    out += "    if (napi_get_value_bool(bn_env, bn_result, &bn_flag) == napi_ok) {\n";
    out += fmt::format("      bn_r = ({})bn_flag;  /* true/false for a C truth value */\n", ret);
    out += "    } else {\n";
    out += fmt::format("      {} bn_x;\n", si.c_type);
    out += fmt::format("      if (bn_get_{}(bn_env, bn_result, {}, \"result\", &bn_x)) bn_r = ({})bn_x;\n", si.suffix,
                       c_string("callback '" + p.name + "'"), ret);
    out += "    }\n";
  }
  out += "  }\n";
  for (size_t j = 0; j < lent; j++) out += fmt::format("  bn_unlend(bn_env, bn_lent[{}]);\n", j);
  for (const auto* q : arrays)
    out += fmt::format("  bn_unlend_array(bn_env, bn_lent_{}, {});\n", q->name,
                       q->size.empty() ? std::string("0") : callback_length(*q));
  out += "  napi_close_handle_scope(bn_env, bn_scope);\n";
  out += has_ret ? "  return bn_r;\n" : "";
  out += "}\n\n";
}

}  // namespace

std::string emit_native(const ModulePlan& plan) {
  const ir::Module& m = *plan.module;
  std::string out;
  out += fmt::format("/* Node-API addon for '{}', generated by bindery. Do not edit: regenerate. */\n", m.library);
  out += "#include \"bindery_node.h\"\n\n";
  for (const auto& h : m.headers) out += fmt::format("#include <{}>\n", h.include);
  out += "\n";
  // Variants' shims (`static inline` typed uses of one C function): verbatim, after the includes.
  if (!m.shims.empty()) {
    for (const auto& shim : m.shims) out += shim + (shim.empty() || shim.back() != '\n' ? "\n" : "");
    out += "\n";
  }
  // The tag of this addon's host-value boxes: unique per target and library.
  out += fmt::format("static const char bn_host_tag[] BN_UNUSED = {};\n\n", c_string("bindery:node:" + m.library));
  emit_enum_tables(m, out);
  emit_records(m, out);

  // Class table: index = class id (0 unused), destroy thunks adapt `void*` to the C type.
  for (const auto& c : plan.classes) {
    if (c.handle->destroy.empty()) continue;
    // Pinned: the binding allocated the storage, so it frees it after the destroy function.
    // The pointer spelled as the IR says (a pointer typedef such as sqlite3_filename is its own spelling).
    std::string ptr = c.handle->pointer_c_type.empty() ? c.handle->c_name + " *" : c.handle->pointer_c_type;
    out += fmt::format("static void bn_destroy_{}(void* p) {{ {}(({})p);{} }}\n", c_ident(c.handle->name),
                       c.handle->destroy, ptr, c.handle->pinned ? " free(p);" : "");
  }
  out += "static const bn_class bn_classes[] = {\n    {NULL, NULL, false},\n";
  for (const auto& c : plan.classes)
    out += fmt::format("    {{{}, {}, {}}},\n", c_string(c.handle->name),
                       c.handle->destroy.empty() ? "NULL" : "bn_destroy_" + c_ident(c.handle->name),
                       c.handle->thread == "free" || c.handle->thread == "serialized" ? "true" : "false");
  out += "};\n\n";

  std::vector<const FnPlan*> all;
  for (const auto& f : plan.functions) all.push_back(&f);
  for (const auto& c : plan.classes) {
    for (const auto& f : c.constructors) all.push_back(&f);
    for (const auto& f : c.statics) all.push_back(&f);
    for (const auto& f : c.methods) all.push_back(&f);
  }
  // Owned arrays handed to JavaScript zero-copy: their ArrayBuffer's finalizer calls the `free:`.
  std::set<std::string> releases;
  for (const auto* f : all) {
    auto note = [&](const ir::Type& t, const ir::Lifetime& l) {
      if (t.kind == ir::TypeKind::Slice && !is_byte_slice(t) && l.own == ir::Own::Owned && !l.free.empty())
        releases.insert(l.free);
    };
    note(f->fn->returns, f->fn->returns_lifetime);
    for (const auto& p : f->fn->params)
      if (p.role == ir::ParamRole::Output) note(p.type, p.lifetime);
  }
  for (const auto& r : releases)
    out += fmt::format("static void bn_release_{}(napi_env env, void* data, void* hint) {{\n"
                       "  (void)env;\n  (void)hint;\n  {}(data);\n}}\n\n",
                       c_ident(r), r);
  for (const auto* f : all)
    for (const auto& p : f->fn->params)
      if (p.type.kind == ir::TypeKind::Callback && p.callback) emit_trampoline(plan, *f->fn, p, out);
  emit_interfaces(plan, out);
  for (const auto* f : all) {
    FunctionEmitter(plan, *f, out).emit();
    if (f->has_async) FunctionEmitter(plan, *f, out).emit_async();
  }

  out += "NAPI_MODULE_INIT() {\n";
  out += "  bn_state* st = bn_state_new(env, bn_classes);\n";
  out += "  if (!st) return NULL;\n";
  out += "  napi_property_descriptor props[] = {\n";
  out += "      {\"$init\", NULL, bn_init_js, NULL, NULL, NULL, napi_default, st},\n";
  out += "      {\"$release\", NULL, bn_release, NULL, NULL, NULL, napi_default, st},\n";
  out += "      {\"$alive\", NULL, bn_alive, NULL, NULL, NULL, napi_default, st},\n";
  for (const auto* f : all) {
    out += fmt::format("      {{{}, NULL, bn_f_{}, NULL, NULL, NULL, napi_default, st}},\n",
                       c_string(f->native_name), f->fn->c_name);
    if (f->has_async)
      out += fmt::format("      {{{}, NULL, bn_fa_{}, NULL, NULL, NULL, napi_default, st}},\n",
                         c_string(f->native_name + "$async"), f->fn->c_name);
  }
  out += "  };\n";
  out += "  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);\n";
  out += "  return exports;\n";
  out += "}\n";
  return out;
}

}  // namespace bindery::backends::node
