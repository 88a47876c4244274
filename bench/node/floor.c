/* floor.c — the hand-written Node-API binding of benchlib: what a careful person writes by hand
 * (type checks, napi_wrap'd class), the reference the generated addon is measured against. */
#include <node_api.h>
#include <stdlib.h>

#include "benchlib.h"

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value noop(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  bench_noop();
  return NULL;
}

static napi_value double_input(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], r;
  int32_t x;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 1 || napi_get_value_int32(env, argv[0], &x) != napi_ok) return throw_type(env, "expected an int");
  napi_create_int32(env, bench_double_input(x), &r);
  return r;
}

static napi_value str_len(napi_env env, napi_callback_info info) {
  size_t argc = 1, len;
  napi_value argv[1], r;
  char buf[256];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 1 || napi_get_value_string_utf8(env, argv[0], buf, sizeof buf, &len) != napi_ok)
    return throw_type(env, "expected a string");
  napi_create_int64(env, (int64_t)bench_strlen(buf), &r);
  return r;
}

static void counter_finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  bench_counter_free(data);
}

static napi_value counter_new(napi_env env, napi_callback_info info) {
  napi_value self;
  napi_get_cb_info(env, info, NULL, NULL, &self, NULL);
  bench_counter* c = bench_counter_new();
  napi_wrap(env, self, c, counter_finalize, NULL, NULL);
  return self;
}

static bench_counter* unwrap(napi_env env, napi_value self) {
  void* p = NULL;
  if (napi_unwrap(env, self, &p) != napi_ok || !p) throw_type(env, "not an open Counter");
  return p;
}

static napi_value counter_add(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self, r;
  int32_t x;
  napi_get_cb_info(env, info, &argc, argv, &self, NULL);
  bench_counter* c = unwrap(env, self);
  if (!c) return NULL;
  if (argc != 1 || napi_get_value_int32(env, argv[0], &x) != napi_ok) return throw_type(env, "expected an int");
  napi_create_int32(env, bench_counter_add(c, x), &r);
  return r;
}

static napi_value counter_close(napi_env env, napi_callback_info info) {
  napi_value self;
  void* p = NULL;
  napi_get_cb_info(env, info, NULL, NULL, &self, NULL);
  if (napi_remove_wrap(env, self, &p) == napi_ok && p) bench_counter_free(p);
  return NULL;
}

static void no_free(napi_env env, void* data, void* hint) {
  (void)env;
  (void)data;
  (void)hint;
}

static napi_value counter_bytes(napi_env env, napi_callback_info info) {
  napi_value self, ab, view;
  size_t len;
  napi_get_cb_info(env, info, NULL, NULL, &self, NULL);
  bench_counter* c = unwrap(env, self);
  if (!c) return NULL;
  const uint8_t* p = bench_counter_bytes(c, &len);
  napi_create_external_arraybuffer(env, (void*)p, len, no_free, NULL, &ab);
  napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &view);
  return view;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor fns[] = {
      {"noop", NULL, noop, NULL, NULL, NULL, napi_default, NULL},
      {"doubleInput", NULL, double_input, NULL, NULL, NULL, napi_default, NULL},
      {"strlen", NULL, str_len, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 3, fns);
  napi_property_descriptor methods[] = {
      {"add", NULL, counter_add, NULL, NULL, NULL, napi_default_method, NULL},
      {"bytes", NULL, counter_bytes, NULL, NULL, NULL, napi_default_method, NULL},
      {"close", NULL, counter_close, NULL, NULL, NULL, napi_default_method, NULL},
  };
  napi_value cls;
  napi_define_class(env, "Counter", NAPI_AUTO_LENGTH, counter_new, NULL, 3, methods, &cls);
  napi_set_named_property(env, exports, "Counter", cls);
  return exports;
}
