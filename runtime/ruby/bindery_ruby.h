/* bindery_ruby.h: support code for the Ruby extensions bindery generates.
 *
 * Copied next to every generated extension so that it builds offline with nothing but Ruby's
 * headers. Everything here is `static inline` (fast paths) or `static` + cold (error paths): one
 * extension is one translation unit, so nothing is exported and unused helpers cost nothing.
 *
 * Conventions shared with the generator:
 *   - `what` arguments are string literals naming the argument ("Tarball#file_data: index"),
 *     read only when an error is raised;
 *   - every handle class stores a `bindery_rb_handle` in a TypedData object, so a borrowed object
 *     can check that the object it borrows from is still open whatever its class.
 */
#ifndef BINDERY_RUBY_H
#define BINDERY_RUBY_H

#include <ruby.h>
#include <ruby/encoding.h>

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define BINDERY_RB_COLD __attribute__((noinline, cold, unused))
#define BINDERY_RB_NORETURN __attribute__((noreturn))
#else
#define BINDERY_RB_COLD
#define BINDERY_RB_NORETURN
#endif

/* Helpers an extension may not use (no handle classes, say) must not warn. */
#if defined(__GNUC__)
#define BINDERY_RB_UNUSED __attribute__((unused))
#else
#define BINDERY_RB_UNUSED
#endif

/* The library's exception classes, set by the generated Init function. */
static VALUE bindery_rb_eError = Qnil;       /* <Module>::Error < StandardError, with #code */
static VALUE bindery_rb_eClosedError = Qnil; /* <Module>::ClosedError < IOError */

/* ---- errors ----------------------------------------------------------------------------- */

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_type(VALUE v, const char *what,
                                                                      const char *expected) {
  rb_raise(rb_eTypeError, "%s: expected %s, got %" PRIsVALUE, what, expected, rb_obj_class(v));
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_range(VALUE v, const char *what,
                                                                       const char *ctype) {
  rb_raise(rb_eRangeError, "%s: %" PRIsVALUE " is out of range for %s", what, rb_inspect(v), ctype);
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_closed(const char *what) {
  rb_raise(bindery_rb_eClosedError, "%s: the object is closed", what);
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_owner_closed(const char *what) {
  rb_raise(bindery_rb_eClosedError, "%s: the object it belongs to is closed", what);
}

/* Copies a C error message at once (it may be invalidated by the next call on the library). */
BINDERY_RB_COLD static VALUE bindery_rb_message(const char *message) {
  return message ? rb_utf8_str_new_cstr(message) : Qnil;
}

/* Raises <Module>::Error with `code` (Qnil when the convention has none) and `errno_value`
 * (Qnil when none). `message` is a copied String or Qnil (then a generic text is used). */
BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_error(const char *function,
                                                                       VALUE message, VALUE code,
                                                                       VALUE errno_value) {
  VALUE text;
  if (!NIL_P(message)) {
    text = message;
  } else if (!NIL_P(errno_value)) {
    text = rb_sprintf("%s failed: %s", function, strerror(NUM2INT(errno_value)));
  } else if (!NIL_P(code)) {
    text = rb_sprintf("%s failed with code %" PRIsVALUE, function, code);
  } else {
    text = rb_sprintf("%s failed", function);
  }
  VALUE exc = rb_exc_new_str(bindery_rb_eError, text);
  rb_ivar_set(exc, rb_intern("@code"), code);
  rb_ivar_set(exc, rb_intern("@errno"), errno_value);
  rb_ivar_set(exc, rb_intern("@function"), rb_str_new_cstr(function));
  rb_exc_raise(exc);
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_null(const char *function) {
  rb_raise(bindery_rb_eError, "%s returned NULL where a value was expected", function);
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_arg(const char *what,
                                                                     const char *problem) {
  rb_raise(rb_eArgError, "%s: %s", what, problem);
}

/* ---- scalars in ------------------------------------------------------------------------- */

/* Slow path for every integer width: Bignums, and the type check. Never truncates. */
BINDERY_RB_COLD static int64_t bindery_rb_slow_i64(VALUE v, int64_t lo, int64_t hi,
                                                   const char *what, const char *ctype) {
  if (!RB_INTEGER_TYPE_P(v)) bindery_rb_raise_type(v, what, "Integer");
  int64_t x = 0;
  int sign = rb_integer_pack(v, &x, 1, sizeof x, 0,
                             INTEGER_PACK_LSWORD_FIRST | INTEGER_PACK_NATIVE_BYTE_ORDER |
                                 INTEGER_PACK_2COMP);
  if (sign == 2 || sign == -2 || x < lo || x > hi) bindery_rb_raise_range(v, what, ctype);
  return x;
}

BINDERY_RB_COLD static uint64_t bindery_rb_slow_u64(VALUE v, uint64_t hi, const char *what,
                                                    const char *ctype) {
  if (!RB_INTEGER_TYPE_P(v)) bindery_rb_raise_type(v, what, "Integer");
  uint64_t x = 0;
  int sign = rb_integer_pack(v, &x, 1, sizeof x, 0,
                             INTEGER_PACK_LSWORD_FIRST | INTEGER_PACK_NATIVE_BYTE_ORDER);
  if (sign < 0 || sign == 2 || x > hi) bindery_rb_raise_range(v, what, ctype);
  return x;
}

/* Fast path: a Fixnum in range is one tag test and two compares. */
#define BINDERY_RB_SIGNED(NAME, CTYPE, LO, HI)                                    \
  static inline CTYPE bindery_rb_to_##NAME(VALUE v, const char *what) {           \
    if (RB_LIKELY(RB_FIXNUM_P(v))) {                                              \
      long x = RB_FIX2LONG(v);                                                    \
      if (RB_LIKELY(x >= (long)(LO) && x <= (long)(HI))) return (CTYPE)x;         \
      bindery_rb_raise_range(v, what, #CTYPE);                                    \
    }                                                                             \
    return (CTYPE)bindery_rb_slow_i64(v, (int64_t)(LO), (int64_t)(HI), what, #CTYPE); \
  }
#define BINDERY_RB_UNSIGNED(NAME, CTYPE, HI)                                      \
  static inline CTYPE bindery_rb_to_##NAME(VALUE v, const char *what) {           \
    if (RB_LIKELY(RB_FIXNUM_P(v))) {                                              \
      long x = RB_FIX2LONG(v);                                                    \
      if (RB_LIKELY(x >= 0 && (unsigned long)x <= (unsigned long)(HI))) return (CTYPE)x; \
      bindery_rb_raise_range(v, what, #CTYPE);                                    \
    }                                                                             \
    return (CTYPE)bindery_rb_slow_u64(v, (uint64_t)(HI), what, #CTYPE);           \
  }
BINDERY_RB_SIGNED(i8, int8_t, INT8_MIN, INT8_MAX)
BINDERY_RB_SIGNED(i16, int16_t, INT16_MIN, INT16_MAX)
BINDERY_RB_SIGNED(i32, int32_t, INT32_MIN, INT32_MAX)
BINDERY_RB_SIGNED(i64, int64_t, INT64_MIN, INT64_MAX)
BINDERY_RB_UNSIGNED(u8, uint8_t, UINT8_MAX)
BINDERY_RB_UNSIGNED(u16, uint16_t, UINT16_MAX)
BINDERY_RB_UNSIGNED(u32, uint32_t, UINT32_MAX)
BINDERY_RB_UNSIGNED(u64, uint64_t, UINT64_MAX)
#undef BINDERY_RB_SIGNED
#undef BINDERY_RB_UNSIGNED

/* `true`/`false` only: `nil`, 0 and "" are not booleans. */
static inline bool bindery_rb_to_bool(VALUE v, const char *what) {
  if (v == Qtrue) return true;
  if (RB_LIKELY(v == Qfalse)) return false;
  bindery_rb_raise_type(v, what, "true or false");
}

static inline double bindery_rb_to_f64(VALUE v, const char *what) {
  if (RB_LIKELY(RB_FLOAT_TYPE_P(v))) return RFLOAT_VALUE(v);
  if (RB_FIXNUM_P(v)) return (double)RB_FIX2LONG(v);
  if (RB_TYPE_P(v, T_BIGNUM)) return rb_big2dbl(v);
  bindery_rb_raise_type(v, what, "Float or Integer");
}

static inline float bindery_rb_to_f32(VALUE v, const char *what) {
  double x = bindery_rb_to_f64(v, what);
  if (RB_UNLIKELY(isfinite(x) && (x > FLT_MAX || x < -FLT_MAX))) bindery_rb_raise_range(v, what, "float");
  return (float)x;
}

/* A C `char` is a text unit: a one-byte String. */
static inline char bindery_rb_to_char(VALUE v, const char *what) {
  if (!RB_TYPE_P(v, T_STRING)) bindery_rb_raise_type(v, what, "String of one byte");
  if (RSTRING_LEN(v) != 1) bindery_rb_raise_arg(what, "expected a String of exactly one byte");
  return RSTRING_PTR(v)[0];
}

/* ---- text and bytes in ------------------------------------------------------------------ */

/* A NUL-terminated C string read in place: TypeError for a non-String, ArgumentError for a String
 * with an embedded NUL (the C side would silently see a shorter string). */
static inline const char *bindery_rb_to_cstr(VALUE *v, const char *what) {
  if (RB_UNLIKELY(!RB_TYPE_P(*v, T_STRING))) bindery_rb_raise_type(*v, what, "String");
  return rb_string_value_cstr(v);
}

static inline const char *bindery_rb_to_cstr_or_null(VALUE *v, const char *what) {
  return NIL_P(*v) ? NULL : bindery_rb_to_cstr(v, what);
}

/* A (pointer, length) view of a String's bytes, read in place for the call. */
static inline const char *bindery_rb_to_bytes(VALUE v, const char *what) {
  if (RB_UNLIKELY(!RB_TYPE_P(v, T_STRING))) bindery_rb_raise_type(v, what, "String");
  return RSTRING_PTR(v);
}

static inline const char *bindery_rb_to_bytes_or_null(VALUE v, const char *what) {
  return NIL_P(v) ? NULL : bindery_rb_to_bytes(v, what);
}

static inline long bindery_rb_len_or_zero(VALUE v) {
  return RB_TYPE_P(v, T_STRING) ? RSTRING_LEN(v) : 0;
}

/* ---- values out ------------------------------------------------------------------------- */

static inline VALUE bindery_rb_from_utf8(const char *p, long n) { return rb_utf8_str_new(p, n); }

static inline VALUE bindery_rb_from_cstr(const char *p) { return rb_utf8_str_new_cstr(p); }

/* Borrowed bytes are copied into a frozen binary String: the copy cannot dangle. */
static inline VALUE bindery_rb_from_bytes(const void *p, long n) {
  VALUE s = rb_str_new((const char *)p, n);
  rb_obj_freeze(s);
  return s;
}

static inline VALUE bindery_rb_from_char(char c) { return rb_utf8_str_new(&c, 1); }

/* ---- handles ---------------------------------------------------------------------------- */

typedef struct bindery_rb_handle {
  void *ptr;   /* the C object; NULL once closed or consumed */
  VALUE owner; /* Qnil, or the object this one borrows from / must not outlive (kept alive) */
  int owned;   /* nonzero: this object destroys `ptr` */
} bindery_rb_handle;

BINDERY_RB_UNUSED static void bindery_rb_handle_mark(void *p) {
  bindery_rb_handle *h = (bindery_rb_handle *)p;
  rb_gc_mark_movable(h->owner);
}

BINDERY_RB_UNUSED static void bindery_rb_handle_compact(void *p) {
  bindery_rb_handle *h = (bindery_rb_handle *)p;
  h->owner = rb_gc_location(h->owner);
}

BINDERY_RB_UNUSED static size_t bindery_rb_handle_size(const void *p) {
  (void)p;
  return sizeof(bindery_rb_handle);
}

/* Wraps a C object in a new instance of `klass`. */
static inline VALUE bindery_rb_wrap(VALUE klass, const rb_data_type_t *type, void *ptr, int owned,
                                    VALUE owner) {
  bindery_rb_handle *h;
  VALUE obj = TypedData_Make_Struct(klass, bindery_rb_handle, type, h);
  h->ptr = ptr;
  h->owned = owned;
  h->owner = owner;
  return obj;
}

/* An object is usable while it is open and every object it belongs to is open. */
BINDERY_RB_COLD static int bindery_rb_owner_open(VALUE owner) {
  while (!NIL_P(owner)) {
    const bindery_rb_handle *o = (const bindery_rb_handle *)RTYPEDDATA_DATA(owner);
    if (!o->ptr) return 0;
    owner = o->owner;
  }
  return 1;
}

static inline bindery_rb_handle *bindery_rb_handle_of(VALUE v, const rb_data_type_t *type) {
  if (RB_LIKELY(RB_TYPE_P(v, T_DATA) && RTYPEDDATA_P(v) && RTYPEDDATA_TYPE(v) == type)) {
    return (bindery_rb_handle *)RTYPEDDATA_DATA(v);
  }
  return (bindery_rb_handle *)rb_check_typeddata(v, type); /* raises TypeError */
}

/* The C pointer of an open object of exactly this class; ClosedError after close. */
static inline void *bindery_rb_unwrap(VALUE v, const rb_data_type_t *type, const char *what) {
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (RB_UNLIKELY(!h->ptr)) bindery_rb_raise_closed(what);
  if (RB_UNLIKELY(!NIL_P(h->owner)) && !bindery_rb_owner_open(h->owner)) {
    bindery_rb_raise_owner_closed(what);
  }
  return h->ptr;
}

static inline void *bindery_rb_unwrap_or_null(VALUE v, const rb_data_type_t *type,
                                              const char *what) {
  return NIL_P(v) ? NULL : bindery_rb_unwrap(v, type, what);
}

/* For a `consumed` argument: the callee now owns the C object; the Ruby object is emptied. */
static inline void bindery_rb_release(VALUE v, const rb_data_type_t *type) {
  if (NIL_P(v)) return;
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  h->ptr = NULL;
  h->owned = 0;
}

static inline VALUE bindery_rb_closed_p(VALUE v, const rb_data_type_t *type) {
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  return (h->ptr && bindery_rb_owner_open(h->owner)) ? Qfalse : Qtrue;
}

/* Takes the pointer out of an object for `close`: NULL when it was already closed (close is
 * idempotent) or when it does not own its C object (a borrowed view just detaches). */
static inline void *bindery_rb_take_for_close(VALUE v, const rb_data_type_t *type) {
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  void *p = h->owned ? h->ptr : NULL;
  h->ptr = NULL;
  h->owned = 0;
  return p;
}

/* ---- exception classes ------------------------------------------------------------------ */

BINDERY_RB_UNUSED static VALUE bindery_rb_define_errors(VALUE module) {
  bindery_rb_eError = rb_define_class_under(module, "Error", rb_eStandardError);
  rb_define_attr(bindery_rb_eError, "code", 1, 0);
  rb_define_attr(bindery_rb_eError, "errno", 1, 0);
  rb_define_attr(bindery_rb_eError, "function", 1, 0);
  bindery_rb_eClosedError = rb_define_class_under(module, "ClosedError", rb_eIOError);
  return bindery_rb_eError;
}

#endif /* BINDERY_RUBY_H */
