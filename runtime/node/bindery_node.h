/* bindery_node.h — the support code every bindery-generated Node-API addon includes.
 *
 * Copied verbatim into each generated package (src/bindery_node.h) so the package builds offline
 * with nothing but a C compiler and Node's headers. Plain C11, static inline only: an addon that
 * does not use a helper pays nothing for it.
 *
 * Design (why it looks like this):
 * - Handles never reach JavaScript as pointers. The addon keeps a per-environment table of slots
 *   {pointer, class, generation}; JavaScript holds a small integer id (a Smi, so creating one does
 *   not allocate). A forged, stale or wrong-class id is refused by the table lookup, so no id can
 *   make the addon touch freed memory or the wrong type. Measured on Node 20: an id lookup costs
 *   ~2 ns where napi_unwrap costs ~70 ns, and a Smi costs nothing where an external costs ~150 ns.
 * - Integers are read as doubles (or BigInts for 64-bit types) and range-checked: out of range is a
 *   RangeError, a non-integer is a TypeError; nothing is ever truncated.
 * - Borrowed byte results are external ArrayBuffers registered on their owner's slot; releasing the
 *   owner detaches them, so a view kept across close() reads as empty instead of freed memory.
 */
#ifndef BINDERY_NODE_H
#define BINDERY_NODE_H

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bindery.yaml expressions are shared with the C++ targets and may say `nullptr` (as C23 does). */
#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L) && !defined(nullptr)
#define nullptr ((void*)0)
#endif

/* Tables the generated code emits for every enum, whether or not a bound function reads them. */
#if defined(__GNUC__) || defined(__clang__)
#define BN_UNUSED __attribute__((unused))
#else
#define BN_UNUSED
#endif

/* ---- per-environment state ------------------------------------------------------------------ */

/* A class the addon knows: its JS name (for messages) and how to destroy an owned instance. */
typedef struct {
  const char* name;
  void (*destroy)(void*);
  /* Thread policy "free" or "serialized": the library itself makes concurrent calls on one object
   * safe, so a synchronous call may run while an …Async call on it is pending (never close()). */
  bool shared;
} bn_class;

/* One live (or free) handle. `cls` is 0 when free; `gen` changes on every reuse of the slot. */
typedef struct {
  void* ptr;
  uint16_t cls;
  uint16_t gen;
  uint32_t next_free;  /* free-list link when free */
  bool owned;          /* released through the class's destroy function */
  uint32_t parent;     /* the id this handle borrows from or was created from (0 = none) */
  uint32_t children;   /* live owned handles created from this one (a statement of a database) */
  bool pending;        /* released while children were alive: destroyed when the last one goes */
  uint16_t busy;       /* …Async calls pending on this handle (the pool thread is using it) */
  bool release_idle;   /* collected while busy: released when the last pending call completes */
  napi_ref* views;     /* weak refs to external ArrayBuffers borrowed from this handle */
  uint32_t nviews, capviews;
  /* The last view's memory and ArrayBuffer (one of `views`): the same borrowed bytes asked for again
   * get a new Uint8Array over the same ArrayBuffer, not a second external buffer. */
  const void* vptr;
  size_t vlen;
  napi_ref vref;
  /* Lent to a callback (SQLite's collation_needed gets the connection): not owned, never busy (no
   * …Async: the pool thread would outlive the loan), released when the callback returns. */
  bool lent;
  /* Synchronous calls in progress that may run JavaScript (a callback, a hook the library calls):
   * the C function is using the object, so close() from inside the callback is refused. */
  uint16_t in_call;
} bn_slot;

/* Ids are Smis: slot index in the low 24 bits, a 7-bit generation above it, 0 means "none". */
#define BN_SLOT_BITS 24u
#define BN_SLOT_MASK ((1u << BN_SLOT_BITS) - 1u)
#define BN_GEN_MASK 0x7fu

/* A callback of scope `owner` kept for a handle: released when replaced or when the handle goes. */
typedef struct bn_kept {
  uint32_t id;  /* the handle */
  uint32_t key; /* which function set it (one callback per function and handle) */
  void* cb;     /* the bn_cb, or a captured input's copy */
  void (*release)(void*); /* bn_cb_release, or free */
  struct bn_kept* next;
} bn_kept;

typedef struct {
  bn_slot* slots;
  uint32_t nslots, capslots, free_head;
  const bn_class* classes; /* indexed by class id; entry 0 unused */
  napi_ref error_ctor;     /* the library's Error subclass, set by $init from index.js */
  bn_kept* kept;           /* owner-scope callbacks (SQLite's hooks), usually none */
  napi_ref wraps;          /* index.js's `$<Class>_wrap` functions by class id, set by $init */
  /* Host values (boxes of JS values the library keeps): the library may release one on another
   * thread (a statement finalized by an …Async call on the pool); those wait here, under the lock,
   * for the JS thread (bn_hv_drain). */
  pthread_t js_thread;
  pthread_mutex_t hv_lock;
  struct bn_hv* hv_pending;
  /* The environment is being torn down (bn_state_free): a library object destroyed now may call an
   * interface method, which must not run JavaScript any more (bn_im_begin). */
  bool finalizing;
  /* Callbacks and interface methods a library reached on a thread it started itself: Node-API cannot
   * enter JavaScript there, so they were not called (their error value went back to the library).
   * A synchronous call reads the count before and after the C call and throws if it grew. */
  _Atomic uint32_t off_thread;
} bn_state;

static inline void bn_cb_release(void* user_data);
static inline void bn_release_kept(bn_state* st, uint32_t id);
static inline void bn_hv_drain(bn_state* st);

static inline void bn_state_free(napi_env env, void* data, void* hint) {
  (void)hint;
  bn_state* st = (bn_state*)data;
  st->finalizing = true;
  /* Process or worker exit: destroy what JavaScript never closed, so sanitizers see no leaks. */
  /* Newest first: a handle created from another (a statement from its database) goes before it. */
  for (uint32_t i = st->nslots; i-- > 1;) {
    bn_slot* s = &st->slots[i];
    if (s->cls && s->owned && s->ptr && st->classes[s->cls].destroy) st->classes[s->cls].destroy(s->ptr);
    for (uint32_t v = 0; v < s->nviews; v++) napi_delete_reference(env, s->views[v]);
    free(s->views);
  }
  while (st->kept) {
    bn_kept* k = st->kept;
    st->kept = k->next;
    k->release(k->cb);
    free(k);
  }
  bn_hv_drain(st);
  if (st->error_ctor) napi_delete_reference(env, st->error_ctor); /* $init's: valgrind saw them leak */
  if (st->wraps) napi_delete_reference(env, st->wraps);
  pthread_mutex_destroy(&st->hv_lock);
  free(st->slots);
  free(st);
}

static inline bn_state* bn_state_new(napi_env env, const bn_class* classes) {
  bn_state* st = (bn_state*)calloc(1, sizeof *st);
  if (!st) return NULL;
  st->classes = classes;
  st->nslots = 1; /* slot 0 is never used: id 0 means "no handle" */
  st->js_thread = pthread_self();
  pthread_mutex_init(&st->hv_lock, NULL);
  napi_set_instance_data(env, st, bn_state_free, NULL);
  return st;
}

/* Every generated function receives the state as its callback data: no lookup per call. */
/* Names are bn_-prefixed so C expressions from bindery.yaml can use the C parameter names freely. */
#define BN_ARGS(N)                                                             \
  bn_state* bn_st;                                                             \
  size_t bn_argc = (N);                                                        \
  napi_value bn_argv[(N) > 0 ? (N) : 1];                                       \
  napi_get_cb_info(bn_env, bn_info, &bn_argc, bn_argv, NULL, (void**)&bn_st);  \
  (void)bn_st

/* The same for a function that never uses the state: napi_get_cb_info skips reading the data. */
#define BN_ARGS_ONLY(N)                                                        \
  size_t bn_argc = (N);                                                        \
  napi_value bn_argv[(N) > 0 ? (N) : 1];                                       \
  napi_get_cb_info(bn_env, bn_info, &bn_argc, bn_argv, NULL, NULL)

/* No arguments to read (index.js checked there are none): the state only, or nothing at all. A
 * napi_get_cb_info that reads nothing is not made (noop: 163 → 115 instructions per call). */
#define BN_STATE_ONLY()                                                        \
  bn_state* bn_st;                                                             \
  napi_get_cb_info(bn_env, bn_info, NULL, NULL, NULL, (void**)&bn_st)
#define BN_NOTHING() \
  (void)bn_env;      \
  (void)bn_info

/* ---- errors ---------------------------------------------------------------------------------- */

static inline napi_value bn_throw_type(napi_env env, const char* fmt, const char* a, const char* b) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, a, b);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

static inline napi_value bn_throw_range(napi_env env, const char* what, const char* name, const char* range) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: argument '%s' is out of range: expected an integer in %s", what, name, range);
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
  return NULL;
}

/* Wrong number of arguments: JavaScript would silently drop or pad them; bindings refuse. The check
 * is inline and the message built out of line: with snprintf inside, the compiler called the whole
 * function on every call (20 instructions per call in create+close). */
static bool bn_arity_error(napi_env env, const char* what, size_t argc, size_t lo, size_t hi);
static inline bool bn_check_arity(napi_env env, const char* what, size_t argc, size_t lo, size_t hi) {
  return (argc >= lo && argc <= hi) || bn_arity_error(env, what, argc, lo, hi);
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline, cold, unused))
#endif
static bool bn_arity_error(napi_env env, const char* what, size_t argc, size_t lo, size_t hi) {
  char msg[256];
  if (lo == hi)
    snprintf(msg, sizeof msg, "%s: expected %zu argument%s, got %zu", what, lo, lo == 1 ? "" : "s", argc);
  else
    snprintf(msg, sizeof msg, "%s: expected %zu to %zu arguments, got %zu", what, lo, hi, argc);
  napi_throw_type_error(env, "ERR_INVALID_ARG_COUNT", msg);
  return false;
}

static inline const char* bn_typeof_name(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_object: return "object";
    case napi_function: return "function";
    case napi_external: return "external";
    case napi_bigint: return "bigint";
  }
  return "value";
}

static inline napi_value bn_throw_expected(napi_env env, const char* what, const char* name,
                                           const char* expected, napi_value got) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: argument '%s' must be %s, got %s", what, name, expected,
           bn_typeof_name(env, got));
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return NULL;
}

/* Error kinds: codes with a builtin meaning (the C layer's std::invalid_argument, out_of_range,
 * bad_alloc). index.js's error class turns 1 and 2 into a RangeError with `code`. */
enum { BN_KIND_NONE = 0, BN_KIND_INVALID_ARGUMENT = 1, BN_KIND_OUT_OF_RANGE = 2, BN_KIND_NO_MEMORY = 3 };

/* Throws `new <Library>Error(message, code, errno, kind)`. The message is copied at once: getters
 * like sqlite3_errmsg() return text the next call overwrites. */
static inline napi_value bn_throw_library(napi_env env, bn_state* st, const char* message, int64_t code,
                                          bool has_errno, int64_t err_no, int kind) {
  napi_value ctor, args[4], error;
  if (!message || !*message) message = "operation failed";
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &args[0]);
  napi_create_int64(env, code, &args[1]);
  if (has_errno) napi_create_int64(env, err_no, &args[2]);
  else napi_get_undefined(env, &args[2]);
  napi_create_int32(env, kind, &args[3]);
  if (st->error_ctor && napi_get_reference_value(env, st->error_ctor, &ctor) == napi_ok && ctor &&
      napi_new_instance(env, ctor, 4, args, &error) == napi_ok) {
    napi_throw(env, error);
  } else {
    napi_throw_error(env, NULL, message);
  }
  return NULL;
}

/* ---- scalars in ------------------------------------------------------------------------------ */

/* Reads a JS number that must be an integer in [lo, hi] (both exactly representable as doubles). */
static inline bool bn_get_int_num(napi_env env, napi_value v, const char* what, const char* name,
                                  double lo, double hi, const char* range, double* out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    bn_throw_expected(env, what, name, "an integer", v);
    return false;
  }
  double d = *out;
  /* The range first (NaN fails it); inside it (every range is within ±2^53) a round trip through
   * int64_t says "integer" in three instructions, where trunc() without SSE4.1 took a dozen. */
  if (d >= lo && d <= hi && (double)(int64_t)d == d) return true;
  if (isnan(d) || (isfinite(d) && d != trunc(d))) { /* infinities are out of range */
    bn_throw_expected(env, what, name, "an integer (not a fraction or NaN)", v);
    return false;
  }
  bn_throw_range(env, what, name, range);
  return false;
}

#define BN_DEFINE_SMALL_INT(SUFFIX, CTYPE, LO, HI, RANGE)                                         \
  static inline bool bn_get_##SUFFIX(napi_env env, napi_value v, const char* what,                 \
                                     const char* name, CTYPE* out) {                               \
    double d;                                                                                      \
    if (!bn_get_int_num(env, v, what, name, (double)(LO), (double)(HI), RANGE, &d)) return false;  \
    *out = (CTYPE)d;                                                                               \
    return true;                                                                                   \
  }
BN_DEFINE_SMALL_INT(i8, int8_t, INT8_MIN, INT8_MAX, "[-128, 127]")
BN_DEFINE_SMALL_INT(i16, int16_t, INT16_MIN, INT16_MAX, "[-32768, 32767]")
BN_DEFINE_SMALL_INT(i32, int32_t, INT32_MIN, INT32_MAX, "[-2147483648, 2147483647]")
BN_DEFINE_SMALL_INT(u8, uint8_t, 0, UINT8_MAX, "[0, 255]")
BN_DEFINE_SMALL_INT(u16, uint16_t, 0, UINT16_MAX, "[0, 65535]")
BN_DEFINE_SMALL_INT(u32, uint32_t, 0, UINT32_MAX, "[0, 4294967295]")

/* 64-bit: a safe-integer Number, or a BigInt that fits exactly. */
static inline bool bn_get_i64(napi_env env, napi_value v, const char* what, const char* name, int64_t* out) {
  static const char range[] = "[-9223372036854775808, 9223372036854775807]";
  bool lossless = false;
  if (napi_get_value_bigint_int64(env, v, out, &lossless) == napi_ok) {
    if (!lossless) bn_throw_range(env, what, name, range);
    return lossless;
  }
  double d;
  if (!bn_get_int_num(env, v, what, name, -9007199254740991.0, 9007199254740991.0,
                      "[-(2^53-1), 2^53-1] for a Number (pass a BigInt beyond that)", &d))
    return false;
  *out = (int64_t)d;
  return true;
}

static inline bool bn_get_u64(napi_env env, napi_value v, const char* what, const char* name, uint64_t* out) {
  bool lossless = false;
  if (napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok) {
    if (!lossless) bn_throw_range(env, what, name, "[0, 18446744073709551615]");
    return lossless;
  }
  double d;
  if (!bn_get_int_num(env, v, what, name, 0.0, 9007199254740991.0,
                      "[0, 2^53-1] for a Number (pass a BigInt beyond that)", &d))
    return false;
  *out = (uint64_t)d;
  return true;
}

static inline bool bn_get_f64(napi_env env, napi_value v, const char* what, const char* name, double* out) {
  if (napi_get_value_double(env, v, out) == napi_ok) return true;
  bn_throw_expected(env, what, name, "a number", v);
  return false;
}

/* A finite double beyond FLT_MAX would become infinity: refused. NaN and infinities pass through. */
static inline bool bn_get_f32(napi_env env, napi_value v, const char* what, const char* name, float* out) {
  double d;
  if (!bn_get_f64(env, v, what, name, &d)) return false;
  if (isfinite(d) && (d > 3.4028234663852886e38 || d < -3.4028234663852886e38)) {
    bn_throw_range(env, what, name, "the float range [-3.4028234663852886e38, 3.4028234663852886e38]");
    return false;
  }
  *out = (float)d;
  return true;
}

/* Node's conversion rule for bool: only true and false (no truthiness), like TypeScript's type. */
static inline bool bn_get_bool(napi_env env, napi_value v, const char* what, const char* name, bool* out) {
  if (napi_get_value_bool(env, v, out) == napi_ok) return true;
  bn_throw_expected(env, what, name, "a boolean", v);
  return false;
}

/* A C `char` is one byte of text: exactly one ASCII character. */
static inline bool bn_get_char(napi_env env, napi_value v, const char* what, const char* name, char* out) {
  char buf[8];
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, sizeof buf, &len) != napi_ok) {
    bn_throw_expected(env, what, name, "a one-character string", v);
    return false;
  }
  if (len != 1 || (unsigned char)buf[0] > 0x7f) {
    bn_throw_type(env, "%s: argument '%s' must be exactly one ASCII character", what, name);
    return false;
  }
  *out = buf[0];
  return true;
}

/* ---- scalars out ----------------------------------------------------------------------------- */

static inline napi_value bn_from_i32(napi_env env, int32_t v) { napi_value r; napi_create_int32(env, v, &r); return r; }
static inline napi_value bn_from_u32(napi_env env, uint32_t v) { napi_value r; napi_create_uint32(env, v, &r); return r; }
static inline napi_value bn_from_f64(napi_env env, double v) { napi_value r; napi_create_double(env, v, &r); return r; }
/* 64-bit results are always BigInts: exact, and one type whatever the value. */
static inline napi_value bn_from_i64(napi_env env, int64_t v) { napi_value r; napi_create_bigint_int64(env, v, &r); return r; }
static inline napi_value bn_from_u64(napi_env env, uint64_t v) { napi_value r; napi_create_bigint_uint64(env, v, &r); return r; }
/* Sizes and counts (size_t, long…): a Number, which is exact up to 2^53; a BigInt only beyond. */
static inline napi_value bn_from_i64_size(napi_env env, int64_t v) {
  napi_value r;
  if (v >= -9007199254740991LL && v <= 9007199254740991LL) napi_create_int64(env, v, &r);
  else napi_create_bigint_int64(env, v, &r);
  return r;
}
static inline napi_value bn_from_u64_size(napi_env env, uint64_t v) {
  napi_value r;
  if (v <= 9007199254740991ULL) napi_create_int64(env, (int64_t)v, &r);
  else napi_create_bigint_uint64(env, v, &r);
  return r;
}
static inline napi_value bn_from_bool(napi_env env, bool v) { napi_value r; napi_get_boolean(env, v, &r); return r; }
static inline napi_value bn_from_char(napi_env env, char c) {
  napi_value r;
  napi_create_string_latin1(env, &c, 1, &r);
  return r;
}
static inline napi_value bn_undefined(napi_env env) { napi_value r; napi_get_undefined(env, &r); return r; }
static inline napi_value bn_null(napi_env env) { napi_value r; napi_get_null(env, &r); return r; }

static inline bool bn_is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && (t == napi_null || t == napi_undefined);
}

/* ---- text ------------------------------------------------------------------------------------ */

/* A borrowed UTF-8 argument: short strings live in `small` (no heap allocation per call). */
typedef struct {
  char* data;
  size_t len;
  char small[256];
} bn_str;

static inline void bn_str_free(bn_str* s) {
  if (s->data && s->data != s->small) free(s->data);
  s->data = NULL;
}

/* `nul_terminated`: the C function reads up to the first NUL, so an embedded NUL would silently cut
 * the text short; it is refused instead. */
static inline bool bn_get_str(napi_env env, napi_value v, const char* what, const char* name,
                              bool nul_terminated, bn_str* out) {
  out->data = out->small;
  if (napi_get_value_string_utf8(env, v, out->small, sizeof out->small, &out->len) != napi_ok) {
    bn_throw_expected(env, what, name, "a string", v);
    return false;
  }
  if (out->len >= sizeof out->small - 4) { /* may be truncated: measure and copy to the heap */
    size_t full = 0;
    napi_get_value_string_utf8(env, v, NULL, 0, &full);
    out->data = (char*)malloc(full + 1);
    if (!out->data) {
      napi_throw_error(env, "ERR_MEMORY", "out of memory");
      return false;
    }
    napi_get_value_string_utf8(env, v, out->data, full + 1, &out->len);
  }
  /* Node wrote a NUL after the text: strlen stops before it only at an embedded NUL (cheaper than
   * memchr for the short strings most calls pass: string(16) 18 → 13 instructions). */
  if (nul_terminated && strlen(out->data) != out->len) {
    bn_str_free(out);
    bn_throw_type(env, "%s: argument '%s' contains a NUL character, which C would treat as its end", what, name);
    return false;
  }
  return true;
}

/* UTF-16 text (native-endian code units, `string: utf16`): `len` counts BYTES, as every size the C
 * side reads does (SQLite's nBytes), and two zero bytes follow. A JS string is UTF-16 already: its
 * units go through as they are, a lone surrogate included (no transcoding, nothing to crash on). */
static inline bool bn_get_str16(napi_env env, napi_value v, const char* what, const char* name,
                                bool nul_terminated, bn_str* out) {
  size_t units = 0, cap = sizeof out->small / 2;
  out->data = out->small;
  if (napi_get_value_string_utf16(env, v, (char16_t*)out->small, cap, &units) != napi_ok) {
    bn_throw_expected(env, what, name, "a string", v);
    return false;
  }
  if (units >= cap - 1) { /* may be truncated: measure and copy to the heap */
    napi_get_value_string_utf16(env, v, NULL, 0, &units);
    out->data = (char*)malloc((units + 1) * 2);
    if (!out->data) {
      napi_throw_error(env, "ERR_MEMORY", "out of memory");
      return false;
    }
    napi_get_value_string_utf16(env, v, (char16_t*)out->data, units + 1, &units);
  }
  out->len = units * 2;
  if (nul_terminated && units) {
    const uint16_t* u = (const uint16_t*)out->data;
    for (size_t i = 0; i < units; i++) {
      if (u[i] != 0) continue;
      bn_str_free(out);
      bn_throw_type(env, "%s: argument '%s' contains a NUL character, which C would treat as its end", what, name);
      return false;
    }
  }
  return true;
}

/* The length in BYTES of NUL-terminated UTF-16 text: up to the first zero code unit. */
static inline size_t bn_strlen16(const void* p) {
  const uint16_t* u = (const uint16_t*)p;
  size_t n = 0;
  while (u[n]) n++;
  return n * 2;
}

static inline napi_value bn_from_str16(napi_env env, const void* s, size_t bytes) {
  static const uint16_t empty = 0;
  napi_value r;
  napi_create_string_utf16(env, (const char16_t*)(s ? s : (const void*)&empty), s ? bytes / 2 : 0, &r);
  return r;
}

static inline napi_value bn_from_str(napi_env env, const char* s, size_t len) {
  napi_value r;
  napi_create_string_utf8(env, s ? s : "", s ? len : 0, &r);
  return r;
}

/* ---- bytes ----------------------------------------------------------------------------------- */

/* A borrowed byte argument: any Buffer, TypedArray, DataView or ArrayBuffer (read for the call). */
typedef struct {
  void* data;
  size_t len;
} bn_bytes;

static inline bool bn_get_bytes(napi_env env, napi_value v, const char* what, const char* name, bn_bytes* out) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    napi_typedarray_type t;
    size_t n;
    napi_get_typedarray_info(env, v, &t, &n, &out->data, NULL, NULL);
    size_t elem = 1;
    switch (t) {
      case napi_int16_array: case napi_uint16_array: elem = 2; break;
      case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
      case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
      default: break;
    }
    out->len = n * elem;
    return true;
  }
  if (napi_is_dataview(env, v, &is) == napi_ok && is) {
    napi_get_dataview_info(env, v, &out->len, &out->data, NULL, NULL);
    return true;
  }
  if (napi_is_arraybuffer(env, v, &is) == napi_ok && is) {
    napi_get_arraybuffer_info(env, v, &out->data, &out->len);
    return true;
  }
  bn_throw_expected(env, what, name, "a Buffer, TypedArray, DataView or ArrayBuffer", v);
  return false;
}

/* A fresh Buffer holding a copy (owned results, and borrows that end before JS could read them). */
static inline napi_value bn_bytes_copy(napi_env env, const void* p, size_t n) {
  napi_value r;
  void* dst = NULL;
  if (napi_create_buffer_copy(env, n, n ? p : "", &dst, &r) != napi_ok) return NULL;
  return r;
}

/* A slice of scalars: a TypedArray of exactly the element type (no silent reinterpretation), or
 * an Array whose elements are converted one by one with the scalar rules (into `*tmp`, which the
 * caller frees). `out->len` counts elements. */
static inline bool bn_get_slice(napi_env env, napi_value v, const char* what, const char* name,
                                napi_typedarray_type want, const char* want_name, bn_bytes* out, void** tmp) {
  bool is = false;
  napi_typedarray_type t;
  if (napi_is_typedarray(env, v, &is) == napi_ok && is) {
    if (napi_get_typedarray_info(env, v, &t, &out->len, &out->data, NULL, NULL) == napi_ok && t == want) return true;
    bn_throw_expected(env, what, name, want_name, v);
    return false;
  }
  if (napi_is_array(env, v, &is) != napi_ok || !is) {
    bn_throw_expected(env, what, name, want_name, v);
    return false;
  }
  uint32_t n = 0;
  napi_get_array_length(env, v, &n);
  size_t elem = 1;
  switch (want) {
    case napi_int16_array: case napi_uint16_array: elem = 2; break;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
    default: break;
  }
  *tmp = malloc(n ? n * elem : 1);
  if (!*tmp) {
    napi_throw_error(env, "ERR_MEMORY", "out of memory");
    return false;
  }
  char element[64];
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    snprintf(element, sizeof element, "%s[%u]", name, i);
    bool ok = false;
    switch (want) {
      case napi_int8_array: ok = bn_get_i8(env, e, what, element, (int8_t*)*tmp + i); break;
      case napi_uint8_array: ok = bn_get_u8(env, e, what, element, (uint8_t*)*tmp + i); break;
      case napi_int16_array: ok = bn_get_i16(env, e, what, element, (int16_t*)*tmp + i); break;
      case napi_uint16_array: ok = bn_get_u16(env, e, what, element, (uint16_t*)*tmp + i); break;
      case napi_int32_array: ok = bn_get_i32(env, e, what, element, (int32_t*)*tmp + i); break;
      case napi_uint32_array: ok = bn_get_u32(env, e, what, element, (uint32_t*)*tmp + i); break;
      case napi_float32_array: ok = bn_get_f32(env, e, what, element, (float*)*tmp + i); break;
      case napi_float64_array: ok = bn_get_f64(env, e, what, element, (double*)*tmp + i); break;
      case napi_bigint64_array: ok = bn_get_i64(env, e, what, element, (int64_t*)*tmp + i); break;
      case napi_biguint64_array: ok = bn_get_u64(env, e, what, element, (uint64_t*)*tmp + i); break;
      default: break;
    }
    if (!ok) return false;
  }
  out->data = *tmp;
  out->len = n;
  return true;
}

/* The capacity of a caller-allocated output buffer: a non-negative integer, at most 1 GiB. The
 * buffer is zeroed with one byte more than the capacity: a `written: strlen(out)` expression stops
 * inside it even when C wrote nothing (capacity 0) or filled every byte without a NUL. */
static inline bool bn_get_capacity(napi_env env, napi_value v, const char* what, const char* name, size_t* cap,
                                   void** buf) {
  double d;
  if (!bn_get_int_num(env, v, what, name, 0.0, 1073741824.0, "[0, 1073741824]", &d)) return false;
  *cap = (size_t)d;
  *buf = calloc(*cap + 1, 1);
  if (!*buf) {
    napi_throw_error(env, "ERR_MEMORY", "out of memory");
    return false;
  }
  return true;
}

/* ---- enums ----------------------------------------------------------------------------------- */

static inline bool bn_check_enum(napi_env env, int64_t v, const int64_t* values, size_t n, const char* what,
                                 const char* name, const char* enum_name) {
  for (size_t i = 0; i < n; i++)
    if (values[i] == v) return true;
  char msg[512];
  snprintf(msg, sizeof msg, "%s: argument '%s' is not a value of %s: %lld", what, name, enum_name, (long long)v);
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
  return false;
}

static inline bool bn_check_flags(napi_env env, uint64_t v, uint64_t mask, const char* what, const char* name,
                                  const char* enum_name) {
  if ((v & ~mask) == 0) return true;
  char msg[512];
  snprintf(msg, sizeof msg, "%s: argument '%s' has bits that are not flags of %s: %llu", what, name, enum_name,
           (unsigned long long)v);
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
  return false;
}

/* ---- handles --------------------------------------------------------------------------------- */

static inline napi_value bn_handle_new(napi_env env, bn_state* st, uint16_t cls, void* ptr, bool owned,
                                       uint32_t parent) {
  uint32_t i = st->free_head;
  if (i) {
    st->free_head = st->slots[i].next_free;
  } else {
    if (st->nslots >= st->capslots) {
      uint32_t cap = st->capslots ? st->capslots * 2 : 64;
      if (cap > BN_SLOT_MASK + 1u) cap = BN_SLOT_MASK + 1u;
      bn_slot* grown = cap > st->capslots ? (bn_slot*)realloc(st->slots, cap * sizeof *grown) : NULL;
      if (!grown) {
        if (owned && st->classes[cls].destroy) st->classes[cls].destroy(ptr);
        napi_throw_error(env, "ERR_MEMORY", "too many live handles");
        return NULL;
      }
      memset(grown + st->capslots, 0, (cap - st->capslots) * sizeof *grown);
      st->slots = grown;
      st->capslots = cap;
    }
    i = st->nslots++;
  }
  bn_slot* s = &st->slots[i];
  s->ptr = ptr;
  s->cls = cls;
  s->owned = owned;
  s->parent = parent;
  s->children = 0;
  s->pending = false;
  s->busy = 0;
  s->release_idle = false;
  s->next_free = 0;
  s->vref = NULL;
  s->lent = false;
  s->in_call = 0;
  if (parent && owned) st->slots[parent & BN_SLOT_MASK].children++;
  /* An id is below 2^31 (7 generation bits above 24 index bits): int32 is the shorter way to a Smi. */
  napi_value r;
  napi_create_int32(env, (int32_t)(((uint32_t)s->gen << BN_SLOT_BITS) | i), &r);
  return r;
}

/* The slot behind a live id of class `cls`, or NULL. */
static inline bn_slot* bn_slot_of(bn_state* st, uint32_t id, uint16_t cls) {
  uint32_t i = id & BN_SLOT_MASK;
  if (i == 0 || i >= st->nslots) return NULL;
  bn_slot* s = &st->slots[i];
  if (s->cls != cls || s->gen != (id >> BN_SLOT_BITS) || !s->ptr || s->pending) return NULL;
  if (s->parent) { /* a borrowed handle dies with what it borrows from */
    const bn_slot* p = &st->slots[s->parent & BN_SLOT_MASK];
    if (!p->cls || p->gen != (s->parent >> BN_SLOT_BITS)) return NULL;
  }
  return s;
}

/* Reads a handle argument and its id. Id 0 is what a closed JS object holds: "closed" is the likely
 * story. One napi call: napi_get_value_uint32 refuses non-numbers itself (no napi_typeof first);
 * a number that is not a live id of this class is refused by the slot lookup. */
static inline bool bn_get_handle(napi_env env, bn_state* st, napi_value v, uint16_t cls, const char* what,
                                 const char* name, void** out, uint32_t* id_out) {
  uint32_t id = 0;
  if (napi_get_value_uint32(env, v, &id) != napi_ok) {
    bn_throw_expected(env, what, name, st->classes[cls].name, v);
    return false;
  }
  bn_slot* s = bn_slot_of(st, id, cls);
  if (!s) {
    char msg[256];
    if (strcmp(name, "this") == 0)
      snprintf(msg, sizeof msg, "%s: this %s is closed (used after close() or after it was consumed)", what,
               st->classes[cls].name);
    else
      snprintf(msg, sizeof msg, "%s: the %s '%s' is closed (used after close() or after it was consumed)",
               what, st->classes[cls].name, name);
    napi_throw_error(env, "ERR_USE_AFTER_CLOSE", msg);
    return false;
  }
  if (s->busy && !st->classes[cls].shared) {
    char msg[256];
    snprintf(msg, sizeof msg,
             "%s: the %s%s%s%s is busy: an …Async call on it is still pending (await it first)", what,
             st->classes[cls].name, strcmp(name, "this") == 0 ? "" : " '", strcmp(name, "this") == 0 ? "" : name,
             strcmp(name, "this") == 0 ? "" : "'");
    napi_throw_error(env, "ERR_BUSY", msg);
    return false;
  }
  *out = s->ptr;
  *id_out = id;
  return true;
}

/* Detaches every still-alive view borrowed from the slot: their length becomes 0. */
static inline void bn_detach_views(napi_env env, bn_slot* s) {
  for (uint32_t v = 0; v < s->nviews; v++) {
    napi_value ab = NULL;
    if (napi_get_reference_value(env, s->views[v], &ab) == napi_ok && ab) napi_detach_arraybuffer(env, ab);
    napi_delete_reference(env, s->views[v]);
  }
  s->nviews = 0;
  s->vref = NULL;
}

/* Empties slot `i` (`s`, its views already gone) and puts it on the free list under a new
 * generation: its old id goes stale. */
static inline void bn_slot_free(bn_state* st, bn_slot* s, uint32_t i) {
  s->ptr = NULL;
  s->cls = 0;
  s->vref = NULL;
  s->gen = (uint16_t)((s->gen + 1) & BN_GEN_MASK);
  s->next_free = st->free_head;
  st->free_head = i;
}

/* Frees the slot and returns its pointer (for destroy, or for a callee that consumed it). */
static inline void* bn_handle_take(napi_env env, bn_state* st, uint32_t id, uint16_t cls) {
  bn_slot* s = bn_slot_of(st, id, cls);
  if (!s) return NULL;
  void* p = s->ptr;
  bn_detach_views(env, s);
  bn_slot_free(st, s, id & BN_SLOT_MASK);
  return p;
}

/* A handle the callee consumed: its slot is freed (views detached) without a destroy, and the
 * callbacks kept for it are released (the C object is gone: nothing calls its hooks any more). */
static inline void bn_handle_consumed(napi_env env, bn_state* st, uint32_t id, uint16_t cls) {
  if (!id || !bn_handle_take(env, st, id, cls)) return;
  if (st->kept) bn_release_kept(st, id);
}

/* Releases a live id: destroys it if owned, then a parent that was only waiting for it.
 * A handle with live children is not destroyed yet (closing a database before its statements
 * would free memory they use): it is marked pending and goes with its last child. */
static inline void bn_release_id(napi_env env, bn_state* st, uint32_t id) {
  while (id) {
    uint32_t i = id & BN_SLOT_MASK;
    if (i == 0 || i >= st->nslots || !st->slots[i].cls || st->slots[i].gen != (id >> BN_SLOT_BITS)) return;
    bn_slot* s = &st->slots[i];
    if (s->children > 0) {
      s->pending = true;
      bn_detach_views(env, s);
      return;
    }
    uint16_t cls = s->cls;
    bool owned = s->owned;
    uint32_t parent = s->parent;
    s->parent = 0;       /* the lookup in bn_handle_take must not check the parent any more */
    s->pending = false;  /* nor refuse the pending handle it is now destroying */
    void* p = bn_handle_take(env, st, id, cls);
    if (p && owned && st->classes[cls].destroy) st->classes[cls].destroy(p);
    if (st->kept) bn_release_kept(st, id); /* the C object is gone: nothing calls its hooks any more */
    id = 0;
    if (parent && owned) {
      bn_slot* ps = &st->slots[parent & BN_SLOT_MASK];
      if (ps->cls && ps->gen == (parent >> BN_SLOT_BITS) && ps->children > 0 && --ps->children == 0 && ps->pending)
        id = parent;
    }
  }
}

/* `$release(id)` from close(), `$release(id, true)` from the FinalizationRegistry; a stale id does
 * nothing. A handle an …Async call is using is never freed under it: close() throws, a collected
 * object is released when the call completes. */
static inline napi_value bn_release(napi_env bn_env, napi_callback_info bn_info) {
  BN_ARGS(2);
  uint32_t id = 0;
  if (bn_argc < 1 || napi_get_value_uint32(bn_env, bn_argv[0], &id) != napi_ok) return NULL;
  uint32_t i = id & BN_SLOT_MASK;
  if (i && i < bn_st->nslots && (bn_st->slots[i].busy || bn_st->slots[i].in_call) &&
      bn_st->slots[i].gen == (id >> BN_SLOT_BITS)) {
    bn_slot* s = &bn_st->slots[i];
    if (bn_argc < 2) {
      char msg[256];
      snprintf(msg, sizeof msg,
               s->busy ? "%s.close: an …Async call on it is still pending (await it first)"
                       : "%s.close: a call on it is running this callback (close it after that call returns)",
               bn_st->classes[s->cls].name);
      napi_throw_error(bn_env, "ERR_BUSY", msg);
    } else {
      s->release_idle = true;
    }
    return NULL;
  }
  /* The common close(): a live object with no parent, children, views or kept callbacks. Its slot
   * is freed here with one lookup (bn_release_id's general path looks the id up twice and walks
   * the views and the parent; figures per create+close in bench/node/README.md). */
  if (i && i < bn_st->nslots) {
    bn_slot* s = &bn_st->slots[i];
    if (s->cls && s->gen == (id >> BN_SLOT_BITS) && s->ptr && !s->parent && !s->children && !s->pending &&
        !s->nviews && !bn_st->kept) {
      void* p = s->ptr;
      void (*destroy)(void*) = s->owned ? bn_st->classes[s->cls].destroy : NULL;
      bn_slot_free(bn_st, s, i);
      if (destroy) destroy(p);
      return NULL;
    }
  }
  bn_release_id(bn_env, bn_st, id);
  return NULL;
}

/* A synchronous call that may run JavaScript marks its handles for its duration (id 0: none). */
static inline void bn_enter(bn_state* st, uint32_t id) {
  if (id) st->slots[id & BN_SLOT_MASK].in_call++;
}

/* A consumed argument (the callee takes the object over) cannot be one a running call is using. */
static inline bool bn_check_not_in_call(napi_env env, bn_state* st, uint32_t id, const char* what, const char* name) {
  if (!id || !st->slots[id & BN_SLOT_MASK].in_call) return true;
  char msg[256];
  snprintf(msg, sizeof msg, "%s: the %s '%s' is in use by the call running this callback: it cannot be consumed",
           what, st->classes[st->slots[id & BN_SLOT_MASK].cls].name, name);
  napi_throw_error(env, "ERR_BUSY", msg);
  return false;
}

/* A handle a call consumes (the callee frees it, or takes it over) must be the binding's to give:
 * not lent to a callback or borrowed (someone else owns it), not in use by a pending …Async call
 * (whatever the class's thread policy: the pool thread would use freed memory), and not in use by
 * the call running this callback. */
static inline bool bn_check_consumable(napi_env env, bn_state* st, uint32_t id, const char* what, const char* name) {
  if (!id) return true;
  const bn_slot* s = &st->slots[id & BN_SLOT_MASK];
  char msg[256];
  if (!s->owned) {
    snprintf(msg, sizeof msg, "%s: %s %s is not owned by this program (lent or borrowed): it cannot be consumed",
             what, st->classes[s->cls].name, name);
    napi_throw_error(env, "ERR_NOT_OWNED", msg);
    return false;
  }
  if (s->busy) {
    snprintf(msg, sizeof msg, "%s: %s %s is busy: an …Async call on it is still pending (await it first)", what,
             st->classes[s->cls].name, name);
    napi_throw_error(env, "ERR_BUSY", msg);
    return false;
  }
  return bn_check_not_in_call(env, st, id, what, name);
}

static inline void bn_leave(napi_env env, bn_state* st, uint32_t id) {
  if (!id) return;
  bn_slot* s = &st->slots[id & BN_SLOT_MASK];
  if (s->in_call && --s->in_call == 0 && !s->busy && s->release_idle) {
    s->release_idle = false;
    bn_release_id(env, st, id);
  }
}

/* ---- …Async calls (napi_async_work on the libuv pool) ------------------------------------------ */

/* What every generated job starts with. The arguments were converted on the JS thread and copied
 * into the job; the pool thread only calls the C function and captures the error (code, errno and
 * message are read there, at once, like the synchronous path does); the JS thread converts the
 * results and settles the promise. Handle arguments stay busy meanwhile. */
#define BN_JOB_MAX_IDS 8
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  bn_state* st;
  uint32_t ids[BN_JOB_MAX_IDS]; /* handles kept busy while the job is pending */
  uint32_t nids;
  bool failed;
  int64_t code, err_no;
  char* message; /* malloc'd copy, or NULL */
  uint32_t refused; /* JS callbacks the C call reached on the pool: not called (bn_pool_job) */
} bn_job;

/* The job whose C call runs on this pool thread (NULL on the JS thread). A callback trampoline
 * reached from there (SQLite calling a JS SQL function during stepAsync) must not call into V8:
 * it counts the call in the job, returns its zero result, and the promise rejects. */
static _Thread_local bn_job* bn_pool_job BN_UNUSED;

/* A heap copy of `n` bytes plus `nul` zero bytes (text stays terminated); NULL for NULL. */
static inline void* bn_dup(const void* p, size_t n, size_t nul) {
  if (!p) return NULL;
  char* d = (char*)malloc(n + nul + 1);
  if (!d) return NULL;
  if (n) memcpy(d, p, n);
  memset(d + n, 0, nul + 1);
  return d;
}

static inline char* bn_dup_message(const char* m) { return m ? (char*)bn_dup(m, strlen(m), 0) : NULL; }

/* Queues the job and returns its promise. Marks `ids` busy. NULL (an exception pending) on failure:
 * the caller frees the job. */
static inline napi_value bn_job_start(napi_env env, bn_state* st, bn_job* job, const char* name,
                                      napi_async_execute_callback execute, napi_async_complete_callback complete) {
  napi_value promise, resource;
  job->st = st;
  for (uint32_t k = 0; k < job->nids; k++) {
    const bn_slot* s = &st->slots[job->ids[k] & BN_SLOT_MASK];
    if (s->lent) {
      char msg[256];
      snprintf(msg, sizeof msg,
               "%s: the %s was lent to a callback: it cannot be used by an …Async call (it would outlive the loan)",
               name, st->classes[s->cls].name);
      napi_throw_error(env, "ERR_LENT", msg);
      return NULL;
    }
  }
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
  if (napi_create_async_work(env, NULL, resource, execute, complete, job, &job->work) != napi_ok) return NULL;
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    napi_delete_async_work(env, job->work);
    return NULL;
  }
  for (uint32_t k = 0; k < job->nids; k++) st->slots[job->ids[k] & BN_SLOT_MASK].busy++;
  return promise;
}

/* Ends the job on the JS thread: the handles are idle again (an object collected meanwhile is
 * released now), then the promise resolves with `result` or rejects with the pending exception. */
static inline void bn_job_settle(napi_env env, bn_job* job, napi_value result) {
  bn_state* st = job->st;
  bn_hv_drain(st); /* host values the pool thread's call released */
  for (uint32_t k = 0; k < job->nids; k++) {
    bn_slot* s = &st->slots[job->ids[k] & BN_SLOT_MASK];
    if (s->busy && --s->busy == 0 && !s->in_call && s->release_idle) {
      s->release_idle = false;
      bn_release_id(env, st, job->ids[k]);
    }
  }
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending && job->refused) {
    char msg[256];
    snprintf(msg, sizeof msg,
             "a JavaScript callback was reached %u time%s on the libuv pool, where JavaScript cannot run: it was "
             "not called (its result read as 0/NULL); use the synchronous function",
             job->refused, job->refused == 1 ? "" : "s");
    napi_throw_error(env, "ERR_CALLBACK_ON_POOL", msg);
    pending = true;
  }
  if (pending) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_reject_deferred(env, job->deferred, error);
  } else {
    if (!result) napi_get_undefined(env, &result);
    napi_resolve_deferred(env, job->deferred, result);
  }
  napi_delete_async_work(env, job->work);
  free(job->message);
}

/* A zero-copy view of memory owned by handle `owner_id`: an external ArrayBuffer wrapped in a
 * Uint8Array, detached when the owner is released. index.js also ties the ArrayBuffer to the owner
 * JS object, so the owner cannot be collected while a view lives. */
static inline void bn_view_finalize(napi_env env, void* data, void* hint) { (void)env; (void)data; (void)hint; }

/* A typed array of `n` elements of `type` (`elem` bytes each) holding a copy of `p`. */
static inline napi_value bn_slice_copy(napi_env env, const void* p, size_t n, napi_typedarray_type type, size_t elem) {
  napi_value ab, view;
  void* dst = NULL;
  if (napi_create_arraybuffer(env, n * elem, &dst, &ab) != napi_ok) return NULL;
  if (n) memcpy(dst, p, n * elem);
  if (napi_create_typedarray(env, type, n, ab, 0, &view) != napi_ok) return NULL;
  return view;
}

/* External ArrayBuffers are refused by some runtimes (e.g. with the V8 sandbox): callers copy. */
static inline void bn_clear_refusal(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
}

/* An owned array handed over zero-copy: the ArrayBuffer's finalizer frees it with the library's
 * `free:` function (`release`, a generated thunk). Where external buffers are refused: a copy, then
 * the free at once. */
static inline napi_value bn_slice_adopt(napi_env env, void* p, size_t n, napi_typedarray_type type, size_t elem,
                                        napi_finalize release) {
  napi_value ab, view;
  if (n == 0 || napi_create_external_arraybuffer(env, p, n * elem, release, NULL, &ab) != napi_ok) {
    bn_clear_refusal(env);
    view = bn_slice_copy(env, p, n, type, elem);
    release(env, p, NULL);
    return view;
  }
  if (napi_create_typedarray(env, type, n, ab, 0, &view) != napi_ok) return NULL;
  return view;
}

/* A zero-copy view of `n` elements of `type` borrowed from handle `owner_id` (see bn_bytes_view). */
static inline napi_value bn_slice_view(napi_env env, bn_state* st, uint32_t owner_id, uint16_t cls, void* p,
                                       size_t n, napi_typedarray_type type, size_t elem) {
  bn_slot* s = bn_slot_of(st, owner_id, cls);
  if (!s || n == 0 || !p) return bn_slice_copy(env, p, n, type, elem); /* empty: nothing to borrow */
  napi_value ab, view;
  if (s->vref && s->vptr == p && s->vlen == n * elem) {
    ab = NULL;
    napi_get_reference_value(env, s->vref, &ab);
    if (ab && napi_create_typedarray(env, type, n, ab, 0, &view) == napi_ok) return view;
  }
  if (napi_create_external_arraybuffer(env, p, n * elem, bn_view_finalize, NULL, &ab) != napi_ok) {
    bn_clear_refusal(env);
    return bn_slice_copy(env, p, n, type, elem);
  }
  if (s->nviews == s->capviews) {
    /* Drop references to views already collected before growing. */
    uint32_t kept = 0;
    for (uint32_t v = 0; v < s->nviews; v++) {
      napi_value alive = NULL;
      napi_get_reference_value(env, s->views[v], &alive);
      if (alive) {
        s->views[kept++] = s->views[v];
      } else {
        if (s->views[v] == s->vref) s->vref = NULL;
        napi_delete_reference(env, s->views[v]);
      }
    }
    s->nviews = kept;
    if (kept * 2 >= s->capviews) {
      uint32_t cap = s->capviews ? s->capviews * 2 : 4;
      napi_ref* grown = (napi_ref*)realloc(s->views, cap * sizeof *grown);
      if (!grown) {
        napi_throw_error(env, "ERR_MEMORY", "out of memory");
        return NULL;
      }
      s->views = grown;
      s->capviews = cap;
    }
  }
  napi_create_reference(env, ab, 0, &s->views[s->nviews]);
  s->vref = s->views[s->nviews++];
  s->vptr = p;
  s->vlen = n * elem;
  napi_create_typedarray(env, type, n, ab, 0, &view);
  return view;
}

static inline napi_value bn_bytes_view(napi_env env, bn_state* st, uint32_t owner_id, uint16_t cls,
                                       void* p, size_t n) {
  bn_slot* s = bn_slot_of(st, owner_id, cls);
  if (!s || n == 0 || !p) return bn_bytes_copy(env, p, n); /* empty: nothing to borrow */
  return bn_slice_view(env, st, owner_id, cls, p, n, napi_uint8_array, 1);
}

/* ---- callbacks ------------------------------------------------------------------------------- */

/* A trampoline (callback or interface method) entered on a thread that is neither the JS thread nor
 * the libuv pool (bn_pool_job): a thread the library started. V8 cannot be entered there (it aborts
 * the process: "Entering the V8 API without proper locking"), so JavaScript is not called: the
 * refusal is counted and the trampoline returns its error value. The synchronous call that led
 * there (the JS thread is inside it, or the library joined its thread before returning) throws
 * ERR_CALLBACK_OFF_THREAD once C returns. Threadsafe-function marshalling is not offered. */
static inline bool bn_off_thread_refuse(bn_state* st) {
  if (pthread_equal(pthread_self(), st->js_thread)) return false;
  atomic_fetch_add_explicit(&st->off_thread, 1, memory_order_relaxed);
  return true;
}

/* The count before a C call that may reach JavaScript (bn_off_thread_refused after it). */
static inline uint32_t bn_off_thread(bn_state* st) {
  return atomic_load_explicit(&st->off_thread, memory_order_relaxed);
}

/* After that call: true (an exception pending) when a callback was refused off the JS thread meanwhile,
 * or when an exception is already pending (a callback's own: it comes first). */
static inline bool bn_off_thread_refused(napi_env env, bn_state* st, uint32_t before) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return true;
  uint32_t n = bn_off_thread(st) - before;
  if (n == 0) return false;
  char msg[320];
  snprintf(msg, sizeof msg,
           "a JavaScript callback was reached %u time%s on a thread the library started, where JavaScript cannot "
           "run: it was not called (the library got its error value, 0/NULL); call back on the calling thread",
           n, n == 1 ? "" : "s");
  napi_throw_error(env, "ERR_CALLBACK_OFF_THREAD", msg);
  return true;
}

/* The user data of a callback: the JS function, as a napi_value for scope `call` (valid for the
 * whole synchronous call) or a strong reference for callbacks C keeps. */
typedef struct {
  napi_env env;
  napi_ref ref;
  napi_value value;
  bn_state* st; /* whose JS thread may call it (bn_off_thread_refuse) */
} bn_cb;

static inline bool bn_get_function(napi_env env, napi_value v, const char* what, const char* name, napi_value* out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) == napi_ok && t == napi_function) {
    *out = v;
    return true;
  }
  bn_throw_expected(env, what, name, "a function", v);
  return false;
}

static inline bn_cb* bn_cb_new(napi_env env, bn_state* st, napi_value fn) {
  bn_cb* cb = (bn_cb*)calloc(1, sizeof *cb);
  if (!cb) return NULL;
  cb->env = env;
  cb->st = st;
  napi_create_reference(env, fn, 1, &cb->ref);
  return cb;
}

/* The destroy-notify handed to C: drops the reference, so the JS function can be collected. */
static inline void bn_cb_release(void* user_data) {
  bn_cb* cb = (bn_cb*)user_data;
  if (!cb) return;
  napi_delete_reference(cb->env, cb->ref);
  free(cb);
}

/* Keeps `cb` (NULL: none) as handle `id`'s callback set by function `key`, releasing the one it
 * replaces: scope `owner` lasts until replaced or until the handle is destroyed. */
static inline void bn_keep(bn_state* st, uint32_t id, uint32_t key, void* cb, void (*release)(void*)) {
  for (bn_kept** k = &st->kept; *k; k = &(*k)->next) {
    if ((*k)->id != id || (*k)->key != key) continue;
    (*k)->release((*k)->cb);
    if (cb) {
      (*k)->cb = cb;
      (*k)->release = release;
    } else {
      bn_kept* gone = *k;
      *k = gone->next;
      free(gone);
    }
    return;
  }
  if (!cb) return;
  bn_kept* k = (bn_kept*)malloc(sizeof *k);
  if (!k) return; /* out of memory: the callback stays referenced (a leak, never a dangling call) */
  k->id = id;
  k->key = key;
  k->cb = cb;
  k->release = release;
  k->next = st->kept;
  st->kept = k;
}

static inline void bn_keep_cb(bn_state* st, uint32_t id, uint32_t key, void* cb) {
  bn_keep(st, id, key, cb, bn_cb_release);
}

/* A captured input (lifetimes' set_title: the C object keeps the pointer) is a copy the receiver
 * keeps, like an owner-scope callback: freed when replaced, or when the receiver is destroyed. */
static inline void bn_keep_copy(bn_state* st, uint32_t id, uint32_t key, void* copy) {
  bn_keep(st, id, key, copy, free);
}

static inline void bn_release_kept(bn_state* st, uint32_t id) {
  for (bn_kept** k = &st->kept; *k;) {
    if ((*k)->id == id) {
      bn_kept* gone = *k;
      *k = gone->next;
      gone->release(gone->cb);
      free(gone);
    } else {
      k = &(*k)->next;
    }
  }
}

/* A handle the library passes to a callback (SQLite's collation_needed gets the connection): an object
 * of its class over a slot that is not owned, so nothing is destroyed through it. bn_unlend ends the
 * loan when the callback returns: the object then reads as closed and any call on it throws, and
 * views borrowed from it are detached. NULL arrives as `null`. `*id` is 0 when nothing was lent. */
static inline napi_value bn_lend(napi_env env, uint16_t cls, void* ptr, uint32_t* id) {
  bn_state* st = NULL;
  napi_value idv, wraps, wrap, obj, argv[3];
  *id = 0;
  if (!ptr) return bn_null(env);
  if (napi_get_instance_data(env, (void**)&st) != napi_ok || !st || !st->wraps) return bn_undefined(env);
  if (!(idv = bn_handle_new(env, st, cls, ptr, false, 0))) return bn_undefined(env);
  napi_get_value_uint32(env, idv, id);
  st->slots[*id & BN_SLOT_MASK].lent = true;
  argv[0] = idv;
  argv[1] = bn_from_bool(env, false);
  argv[2] = bn_undefined(env);
  if (napi_get_reference_value(env, st->wraps, &wraps) != napi_ok ||
      napi_get_element(env, wraps, cls, &wrap) != napi_ok ||
      napi_call_function(env, argv[2], wrap, 3, argv, &obj) != napi_ok)
    return bn_undefined(env);
  return obj;
}

/* Ends a loan: the slot is released (a handle created from it during the callback keeps it until
 * that child goes, as for any parent; every call on the lent object throws at once). */
static inline void bn_unlend(napi_env env, uint32_t id) {
  bn_state* st = NULL;
  if (!id || napi_get_instance_data(env, (void**)&st) != napi_ok || !st) return;
  bn_release_id(env, st, id);
}

/* Lends each handle of an array the library passes to a callback (SQLite's sqlite3_value **argv):
 * a plain JS array of lent objects, which the function may keep; bn_unlend_array ends every loan
 * when the callback returns, so each item then reads as closed. `*ids` (one id per item, freed by
 * bn_unlend_array) is NULL when nothing was lent; on no memory an exception is left pending. */
static inline napi_value bn_lend_array(napi_env env, uint16_t cls, void* const* ptrs, size_t n, uint32_t** ids) {
  napi_value arr;
  *ids = NULL;
  if (!ptrs) n = 0;
  if (napi_create_array_with_length(env, n, &arr) != napi_ok) return bn_undefined(env);
  if (n == 0) return arr;
  if (!(*ids = (uint32_t*)calloc(n, sizeof(uint32_t)))) {
    napi_throw_error(env, "ERR_NO_MEMORY", "out of memory lending a callback's array argument");
    return bn_undefined(env);
  }
  for (size_t i = 0; i < n; i++) napi_set_element(env, arr, (uint32_t)i, bn_lend(env, cls, ptrs[i], &(*ids)[i]));
  return arr;
}

static inline void bn_unlend_array(napi_env env, uint32_t* ids, size_t n) {
  if (!ids) return;
  for (size_t i = 0; i < n; i++) bn_unlend(env, ids[i]);
  free(ids);
}

/* `$alive(id)`: whether an object's id still names a live handle (`closed` reads it: a lent object's
 * loan ends without its JavaScript object being told). */
static inline napi_value bn_alive(napi_env bn_env, napi_callback_info bn_info) {
  BN_ARGS(1);
  uint32_t id = 0;
  bool alive = false;
  if (bn_argc >= 1 && napi_get_value_uint32(bn_env, bn_argv[0], &id) == napi_ok) {
    uint32_t i = id & BN_SLOT_MASK;
    alive = i && i < bn_st->nslots && bn_slot_of(bn_st, id, bn_st->slots[i].cls) != NULL;
  }
  return bn_from_bool(bn_env, alive);
}

/* ---- module set-up --------------------------------------------------------------------------- */

/* `$init(ErrorClass, wraps)`: index.js hands over the class native code throws for library errors
 * and its `$<Class>_wrap(id, owned, owner)` functions by class id (for handles lent to callbacks). */
static inline napi_value bn_init_js(napi_env bn_env, napi_callback_info bn_info) {
  BN_ARGS(2);
  if (bn_argc >= 1) napi_create_reference(bn_env, bn_argv[0], 1, &bn_st->error_ctor);
  if (bn_argc >= 2) napi_create_reference(bn_env, bn_argv[1], 1, &bn_st->wraps);
  return NULL;
}

/* ---- host values ----------------------------------------------------------------------------- */

/* A JS value the library carries as `void *` (SQLite's bind_pointer, set_auxdata): a box with a
 * strong reference. The library gives the box back (value_pointer, get_auxdata: the host gets the
 * very value) and calls bn_hv_release exactly once when done with it. Node-API 8 references only
 * objects, so a primitive is held in element 0 of a one-element array. */
typedef struct bn_hv {
  bn_state* st;
  napi_env env;
  napi_ref ref;
  bool wrapped;
  struct bn_hv* next; /* in st->hv_pending when released on another thread */
  /* An object implementing an interface: its methods, read once each (bn_im_find), by the method's
   * index in the interface. NULL until a method is first called. */
  struct bn_method* methods;
  uint32_t nmethods;
} bn_hv;

/* A method as first read from its object: a reference to the function, or none (`known`: absent). */
typedef struct bn_method {
  napi_ref fn;
  bool known;
} bn_method;

static inline void bn_hv_free(bn_hv* b) {
  for (uint32_t i = 0; i < b->nmethods; i++)
    if (b->methods[i].fn) napi_delete_reference(b->env, b->methods[i].fn);
  free(b->methods);
  napi_delete_reference(b->env, b->ref);
  free(b);
}

/* The release function the library receives: on the JS thread the reference goes at once; on any
 * other thread (napi calls are not allowed there) the box waits for the JS thread. */
static inline void bn_hv_release(void* p) {
  bn_hv* b = (bn_hv*)p;
  if (!b) return;
  bn_state* st = b->st;
  if (pthread_equal(pthread_self(), st->js_thread)) {
    bn_hv_free(b);
    return;
  }
  pthread_mutex_lock(&st->hv_lock);
  b->next = st->hv_pending;
  st->hv_pending = b;
  pthread_mutex_unlock(&st->hv_lock);
}

static inline void bn_hv_drain(bn_state* st) {
  pthread_mutex_lock(&st->hv_lock);
  bn_hv* b = st->hv_pending;
  st->hv_pending = NULL;
  pthread_mutex_unlock(&st->hv_lock);
  while (b) {
    bn_hv* next = b->next;
    bn_hv_free(b);
    b = next;
  }
}

/* Checks a required host value argument: any JS value but null and undefined (the host's "absent"
 * is never a value; an optional one is read by the optional-argument code instead). Nothing is
 * boxed yet (bn_hv_new, just before the call: once boxed, only the library releases it). */
static inline bool bn_hv_check(napi_env env, napi_value v, const char* what, const char* name) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) {
    bn_throw_type(env, "%s: argument '%s' must be a value, got null or undefined", what, name);
    return false;
  }
  return true;
}

static inline bn_hv* bn_hv_new(napi_env env, bn_state* st, napi_value v) {
  bn_hv* b = (bn_hv*)calloc(1, sizeof *b);
  if (!b) {
    napi_throw_error(env, "ERR_MEMORY", "out of memory boxing a host value");
    return NULL;
  }
  bn_hv_drain(st);
  b->st = st;
  b->env = env;
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  napi_value held = v;
  if (t != napi_object && t != napi_function && t != napi_symbol) {
    b->wrapped = true;
    napi_create_array_with_length(env, 1, &held);
    napi_set_element(env, held, 0, v);
  }
  if (napi_create_reference(env, held, 1, &b->ref) != napi_ok) {
    free(b);
    napi_throw_error(env, "ERR_MEMORY", "could not reference a host value");
    return NULL;
  }
  return b;
}

/* A box the library handed back: its value (NULL: null, absent). */
static inline napi_value bn_hv_value(napi_env env, const void* p) {
  napi_value r = NULL;
  if (!p) {
    napi_get_null(env, &r);
    return r;
  }
  const bn_hv* b = (const bn_hv*)p;
  napi_get_reference_value(env, b->ref, &r);
  if (r && b->wrapped) {
    napi_value inner = NULL;
    napi_get_element(env, r, 0, &inner);
    r = inner;
  }
  if (!r) napi_get_undefined(env, &r);
  return r;
}

/* ---- interfaces (structs of function pointers JavaScript objects implement) ------------------ */

/* An array of C strings (`const char *const *argv` with its count) as a JS array of strings; NULL
 * items are null. */
static inline napi_value bn_str_array(napi_env env, const char* const* items, size_t n) {
  napi_value arr;
  if (!items) n = 0;
  if (napi_create_array_with_length(env, n, &arr) != napi_ok) return bn_undefined(env);
  for (size_t i = 0; i < n; i++)
    napi_set_element(env, arr, (uint32_t)i, items[i] ? bn_from_str(env, items[i], strlen(items[i])) : bn_null(env));
  return arr;
}

/* One interface method call in progress: the library called a trampoline, which finds the JS object
 * through a host-value box and calls its method. A JS exception (or a conversion error) is kept
 * pending in the environment, like a callback's: the outer call throws it once the C function
 * returns; the library meanwhile gets the method's error status and the exception's message. */
typedef struct {
  napi_env env; /* NULL: JavaScript cannot run here (no box, the libuv pool, teardown) */
  bn_state* st;
  napi_handle_scope scope;
  napi_value self, fn;
  /* The call's first exception: one already pending when a releasing method was called (taken out
   * so that the method can run), or the method's own. bn_im_end makes it pending again. */
  napi_value kept;
  const char* refused; /* why JavaScript could not run (env NULL) */
} bn_im;

enum { BN_IM_FAIL = 0, BN_IM_SKIP = 1, BN_IM_CALL = 2 };

/* Enters a method call through `box` (the host value that leads to the JS object): false when
 * JavaScript cannot run here, or when an exception is already pending and the method does not
 * release anything (then it fails with that exception). A method that `releases` still runs after
 * an earlier exception (the object's close() frees its resources): the exception is taken out, and
 * bn_im_end puts it back. */
static inline bool bn_im_enter(bn_im* c, const void* box, bool releases) {
  memset(c, 0, sizeof *c);
  const bn_hv* b = (const bn_hv*)box;
  if (!b) {
    c->refused = "no JavaScript object was registered";
    return false;
  }
  if (bn_pool_job) { /* an …Async call reached the method: V8 cannot be entered on the pool */
    bn_pool_job->refused++;
    c->refused = "a JavaScript method cannot run on the libuv pool: use the synchronous function";
    return false;
  }
  if (bn_off_thread_refuse(b->st)) {
    c->refused = "a JavaScript method cannot run on a thread the library started";
    return false;
  }
  if (b->st->finalizing) {
    c->refused = "the JavaScript environment is shutting down";
    return false;
  }
  c->env = b->env;
  c->st = b->st;
  napi_open_handle_scope(c->env, &c->scope);
  bool pending = false;
  napi_is_exception_pending(c->env, &pending);
  if (!pending) return true;
  if (!releases) return false;
  napi_get_and_clear_last_exception(c->env, &c->kept);
  return true;
}

/* The method of an interface call: which one (`index` of `count` in the interface) and its name. */
typedef struct {
  const char* what; /* "Cursor.filter": for messages */
  const char* name; /* the property: "filter" */
  uint32_t index, count;
  bool optional, releases;
} bn_im_method;

/* Finds the method of the object boxed in `box`: BN_IM_CALL (call it), BN_IM_SKIP (an optional
 * method the object lacks: succeed doing nothing), BN_IM_FAIL (an exception is pending; bn_im_fail
 * gives the message). Each method is read from the object once, on its first call, and kept (a
 * reference) with the box, like a vtable: reading a property by name costs more than the call
 * (callgrind: ~1300 instructions a lookup, three lookups a row of a virtual table). */
static inline int bn_im_find(bn_im* c, bn_hv* box, const bn_im_method* m) {
  napi_valuetype t = napi_undefined;
  c->self = bn_hv_value(c->env, box);
  if (!box->methods && m->count) {
    if (!(box->methods = (bn_method*)calloc(m->count, sizeof(bn_method)))) {
      napi_throw_error(c->env, "ERR_MEMORY", "out of memory");
      return BN_IM_FAIL;
    }
    box->nmethods = m->count;
  }
  bn_method* slot = m->index < box->nmethods ? &box->methods[m->index] : NULL;
  if (slot && slot->known) {
    if (slot->fn) napi_get_reference_value(c->env, slot->fn, &c->fn);
  } else {
    napi_typeof(c->env, c->self, &t);
    if (t == napi_object || t == napi_function) {
      if (napi_get_named_property(c->env, c->self, m->name, &c->fn) != napi_ok) return BN_IM_FAIL; /* a getter threw */
      napi_typeof(c->env, c->fn, &t);
      if (t != napi_function) c->fn = NULL;
    }
    if (slot && (!c->fn || napi_create_reference(c->env, c->fn, 1, &slot->fn) == napi_ok)) slot->known = true;
  }
  if (c->fn) return BN_IM_CALL;
  if (m->optional) return BN_IM_SKIP;
  char msg[256];
  snprintf(msg, sizeof msg, "%s: the object has no method '%s'", m->what, m->name);
  napi_throw_type_error(c->env, "ERR_METHOD_MISSING", msg);
  return BN_IM_FAIL;
}

/* A method of the object boxed in `box`: see bn_im_enter and bn_im_find. */
static inline int bn_im_begin(bn_im* c, void* box, const bn_im_method* m) {
  if (!bn_im_enter(c, box, m->releases)) return BN_IM_FAIL;
  return bn_im_find(c, (bn_hv*)box, m);
}

static inline bn_hv* bn_im_box(bn_im* c, napi_value v, const char* what, const char* object);

/* A method of a per-group object (SQLite's aggregate context): `slot` is the group's memory for its
 * box (NULL: out of memory). A group's first call makes the object by calling the registered
 * `factory` (a JS function, called with no arguments) and boxes it into the slot. */
static inline int bn_im_begin_slot(bn_im* c, void** slot, void* factory, const char* object, const bn_im_method* m) {
  if (!bn_im_enter(c, factory, m->releases)) return BN_IM_FAIL;
  if (!slot) {
    napi_throw_error(c->env, "ERR_MEMORY", "out of memory for a group's state");
    return BN_IM_FAIL;
  }
  if (!*slot) {
    napi_value fn = bn_hv_value(c->env, factory), recv, made;
    napi_valuetype t = napi_undefined;
    napi_typeof(c->env, fn, &t);
    if (t != napi_function) {
      bn_throw_type(c->env, "%s: the registered factory is not a function (it makes each group's %s)", m->what, object);
      return BN_IM_FAIL;
    }
    napi_get_undefined(c->env, &recv);
    if (napi_call_function(c->env, recv, fn, 0, NULL, &made) != napi_ok) return BN_IM_FAIL;
    if (!(*slot = bn_im_box(c, made, "the factory", object))) return BN_IM_FAIL;
  }
  return bn_im_find(c, (bn_hv*)*slot, m);
}

/* Calls the method bn_im_begin found, with `argv` (whose conversion may have left an exception:
 * then nothing is called). BN_IM_CALL with `*result`, or BN_IM_FAIL (an exception is pending). */
static inline int bn_im_call(bn_im* c, size_t argc, const napi_value* argv, napi_value* result) {
  bool pending = false;
  napi_is_exception_pending(c->env, &pending);
  if (pending) return BN_IM_FAIL;
  return napi_call_function(c->env, c->self, c->fn, argc, argv, result) == napi_ok ? BN_IM_CALL : BN_IM_FAIL;
}

/* The result of a method that makes an object (`makes`): it must be an object, boxed like a host
 * value. NULL with an exception pending otherwise. */
static inline bn_hv* bn_im_box(bn_im* c, napi_value v, const char* what, const char* object) {
  napi_valuetype t = napi_undefined;
  napi_typeof(c->env, v, &t);
  if (t != napi_object && t != napi_function) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s must return an object (a %s), got %s", what, object, bn_typeof_name(c->env, v));
    napi_throw_type_error(c->env, "ERR_INVALID_RETURN_VALUE", msg);
    return NULL;
  }
  return bn_hv_new(c->env, c->st, v);
}

/* The text of a thrown value: an object's string `message`, else String(value). */
static inline char* bn_exception_message(napi_env env, napi_value e) {
  napi_value m = NULL, ignored;
  napi_valuetype t = napi_undefined;
  napi_typeof(env, e, &t);
  if (t == napi_object || t == napi_function) {
    napi_valuetype mt = napi_undefined;
    if (napi_get_named_property(env, e, "message", &m) != napi_ok || napi_typeof(env, m, &mt) != napi_ok ||
        mt != napi_string)
      m = NULL;
  }
  if (!m && napi_coerce_to_string(env, e, &m) != napi_ok) m = NULL;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) napi_get_and_clear_last_exception(env, &ignored); /* a getter or toString() threw */
  size_t n = 0;
  if (!m || napi_get_value_string_utf8(env, m, NULL, 0, &n) != napi_ok) return bn_dup_message("JavaScript exception");
  char* text = (char*)malloc(n + 1);
  if (text) napi_get_value_string_utf8(env, m, text, n + 1, &n);
  return text;
}

/* The method failed: returns its message for the library (malloc'd; NULL when out of memory) and
 * keeps the pending exception (unless the call already kept an earlier one) for the outer call. */
static inline char* bn_im_fail(bn_im* c) {
  if (!c->env) return bn_dup_message(c->refused);
  bool pending = false;
  napi_value e = NULL;
  napi_is_exception_pending(c->env, &pending);
  if (!pending) return bn_dup_message("JavaScript method failed");
  napi_get_and_clear_last_exception(c->env, &e);
  char* message = bn_exception_message(c->env, e);
  if (!c->kept) c->kept = e;
  return message;
}

/* Ends the call: the kept exception is pending again (a later one is dropped), for the outer call. */
static inline void bn_im_end(bn_im* c) {
  if (!c->env) return;
  if (c->kept) {
    bool pending = false;
    napi_value later;
    napi_is_exception_pending(c->env, &pending);
    if (pending) napi_get_and_clear_last_exception(c->env, &later);
    napi_throw(c->env, c->kept);
  }
  napi_close_handle_scope(c->env, c->scope);
}

#endif /* BINDERY_NODE_H */
