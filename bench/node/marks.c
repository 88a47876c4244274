/* marks.c — two native markers for counting instructions with callgrind (bench/node/callgrind.sh):
 * valgrind --zero-before=bench_mark_start --dump-before=bench_mark_stop makes each measured loop
 * (start(); N calls; stop()) one dump whose total is that loop's instructions. */
#include <node_api.h>

__attribute__((noinline)) void bench_mark_start(void) { __asm__ volatile(""); }
__attribute__((noinline)) void bench_mark_stop(void) { __asm__ volatile(""); }

static napi_value start(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  bench_mark_start();
  return NULL;
}

static napi_value stop(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  bench_mark_stop();
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor fns[] = {
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"stop", NULL, stop, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, fns);
  return exports;
}
