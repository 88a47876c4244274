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
 *     can check that the object it borrows from is still open whatever its class, and one dfree
 *     (bindery_rb_handle_free) serves every class: the destroy function travels in the core.
 */
#ifndef BINDERY_RUBY_H
#define BINDERY_RUBY_H

#include <ruby.h>
#include <ruby/encoding.h>
#include <ruby/thread.h>

#include <errno.h>
#include <pthread.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
static VALUE bindery_rb_eBusyError = Qnil;   /* <Module>::BusyError < IOError */

/* Error kinds (a convention's `kinds:`): codes that mean what a Ruby builtin means. Raised as
 * <Module>::ArgumentError < ::ArgumentError, <Module>::IndexError < ::IndexError and
 * <Module>::NoMemoryError < ::NoMemoryError, each with #code, #errno and #function like
 * <Module>::Error, so `rescue ArgumentError` and `rescue <Module>::Error` both catch them. */
enum { BINDERY_RB_KIND_NONE = -1, BINDERY_RB_INVALID_ARGUMENT, BINDERY_RB_OUT_OF_RANGE, BINDERY_RB_NO_MEMORY };
static VALUE bindery_rb_eKind[3] = {Qnil, Qnil, Qnil};

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

/* close (or a call on an `affine` object) while a blocking call on it runs without the GVL. */
/* `what`: the call refused ("Statement#step: self"), or NULL for `close`. */
BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_busy(VALUE v, const char *what) {
  if (!what) {
    rb_raise(bindery_rb_eBusyError, "%s#close: the object is in use by another thread (a blocking call on it "
             "is still running) or by the library call running this Ruby code; nothing was closed", rb_obj_classname(v));
  }
  rb_raise(bindery_rb_eBusyError, "%s: the %s is in use by another thread (a blocking call on it is still running)",
           what, rb_obj_classname(v));
}

/* Copies a C error message at once (it may be invalidated by the next call on the library). */
BINDERY_RB_COLD static VALUE bindery_rb_message(const char *message) {
  return message ? rb_utf8_str_new_cstr(message) : Qnil;
}

/* Raises <Module>::Error with `code` (Qnil when the convention has none), or, when the convention
 * reports a system error number (`errno_value` not Qnil), the matching Errno::E* exception.
 * `message` is a copied String or Qnil (then a generic text is used). */
BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_error_kind(int kind,
                                                                            const char *function,
                                                                            VALUE message, VALUE code,
                                                                            VALUE errno_value) {
  if (!NIL_P(errno_value)) {
    /* A system error: Errno::EINVAL and friends (SystemCallError), as Ruby's own I/O raises. */
    VALUE detail = NIL_P(message) ? rb_str_new_cstr(function) : message;
    rb_exc_raise(rb_syserr_new_str(NUM2INT(errno_value), detail));
  }
  VALUE text;
  if (!NIL_P(message)) {
    text = message;
  } else if (!NIL_P(code)) {
    text = rb_sprintf("%s failed with code %" PRIsVALUE, function, code);
  } else {
    text = rb_sprintf("%s failed", function);
  }
  VALUE klass = kind >= 0 && kind < 3 ? bindery_rb_eKind[kind] : bindery_rb_eError;
  VALUE exc = rb_exc_new_str(klass, text);
  rb_ivar_set(exc, rb_intern("@code"), code);
  rb_ivar_set(exc, rb_intern("@errno"), errno_value);
  rb_ivar_set(exc, rb_intern("@function"), rb_str_new_cstr(function));
  rb_exc_raise(exc);
}

BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_raise_error(const char *function,
                                                                       VALUE message, VALUE code,
                                                                       VALUE errno_value) {
  bindery_rb_raise_error_kind(BINDERY_RB_KIND_NONE, function, message, code, errno_value);
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
  /* In two's complement, 2**63 packs "without overflow" into INT64_MIN and -2**64 into 0: the
   * sign of the packed word must agree with the Integer's. */
  if (sign == 2 || sign == -2 || (sign > 0 && x <= 0) || (sign < 0 && x >= 0) || x < lo || x > hi) {
    bindery_rb_raise_range(v, what, ctype);
  }
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
  /* Fast path: Ruby keeps a terminator after the bytes of a string it owns; then one memchr
   * proves there is no embedded NUL. Otherwise Ruby's own check (which may add the terminator). */
  const char *p = RSTRING_PTR(*v);
  long n = RSTRING_LEN(*v);
  if (RB_LIKELY(p[n] == '\0' && memchr(p, 0, (size_t)n) == NULL)) return p;
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

/* ---- UTF-16 text (native-endian code units; every length in bytes) ---------------------- */

BINDERY_RB_UNUSED static rb_encoding *bindery_rb_utf16_native(void) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  return rb_enc_find("UTF-16BE");
#else
  return rb_enc_find("UTF-16LE");
#endif
}

/* Any String, transcoded to native UTF-16 with two zero bytes after it (read in place for the call;
 * keep the returned String alive with RB_GC_GUARD). Text that cannot be UTF-16 (invalid bytes, a
 * lone surrogate written in UTF-8) raises Ruby's Encoding error; never a truncation or a crash. */
BINDERY_RB_UNUSED static VALUE bindery_rb_to_utf16(VALUE v, const char *what, int nul_terminated) {
  if (RB_UNLIKELY(!RB_TYPE_P(v, T_STRING))) bindery_rb_raise_type(v, what, "String");
  VALUE w = rb_str_encode(v, rb_enc_from_encoding(bindery_rb_utf16_native()), 0, Qnil);
  if (w == v) w = rb_str_dup(w); /* already UTF-16: our own copy, to add the terminator */
  if (nul_terminated) { /* C would see a shorter string: an ArgumentError, as for UTF-8 text */
    const unsigned char *b = (const unsigned char *)RSTRING_PTR(w);
    for (long i = 0; i + 1 < RSTRING_LEN(w); i += 2) {
      if (b[i] == 0 && b[i + 1] == 0) bindery_rb_raise_arg(what, "string contains null character");
    }
  }
  rb_str_cat(w, "\0\0", 2);
  return w;
}

/* The byte length of a String made by bindery_rb_to_utf16 (its terminator not counted). */
static inline long bindery_rb_utf16_len(VALUE w) { return NIL_P(w) ? 0 : RSTRING_LEN(w) - 2; }

/* `nbytes` bytes of native UTF-16 (or, for nbytes < 0, up to two zero bytes at an even offset)
 * as a UTF-8 String; units that are not UTF-16 (a lone surrogate) become U+FFFD. */
BINDERY_RB_UNUSED static VALUE bindery_rb_from_utf16(const void *p, long nbytes) {
  if (nbytes < 0) {
    const unsigned char *b = (const unsigned char *)p;
    nbytes = 0;
    while (b[nbytes] != 0 || b[nbytes + 1] != 0) nbytes += 2;
  }
  VALUE w = rb_enc_str_new((const char *)p, nbytes & ~1L, bindery_rb_utf16_native());
  return rb_str_encode(w, rb_enc_from_encoding(rb_utf8_encoding()), ECONV_INVALID_REPLACE | ECONV_UNDEF_REPLACE, Qnil);
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

/* Two representations, chosen per class by the generator and told apart by the class's
 * rb_data_type_t (`data` == BINDERY_RB_PLAIN), a compile-time constant the inline helpers fold:
 *
 *   plain  — a class with no parent, no children and no borrowed instances (most classes): the
 *            TypedData's data pointer is the C object itself, NULL once closed or consumed, and
 *            dfree is the class's destroy function. One allocation per object, as by hand.
 *   shared — everything else: the data pointer is a bindery_rb_handle (below). */
#define BINDERY_RB_PLAIN ((void *)1)

static inline int bindery_rb_type_plain(const rb_data_type_t *type) {
  return type->data == BINDERY_RB_PLAIN;
}

/* A plain object: its C pointer (NULL once closed). */
static inline int bindery_rb_is_plain(VALUE v) {
  return bindery_rb_type_plain(RTYPEDDATA_TYPE(v));
}

BINDERY_RB_UNUSED static size_t bindery_rb_plain_size(const void *p) {
  (void)p;
  return sizeof(void *);
}

/* The C object lives in a small reference-counted core, apart from the Ruby object, because
 * two lifetimes meet there: the Ruby object's (until close or collection) and its children's (an
 * owned child holds a reference on its parent's core). The C destroy function runs when the last
 * reference goes, so a parent is destroyed after its children whatever order `close` calls and the
 * GC's sweep take. */
typedef void (*bindery_rb_destroy_fn)(void *);

/* A callable kept after the call that installed it (callback scopes notified, owner, forever): its
 * address is the C library's user data. Plain C memory, never moved or collected by Ruby, so the
 * library may hold it as long as it likes; the callable inside is marked by whoever keeps the
 * record (the module registry, or the owning object) and set to Qnil when released, after which
 * the trampoline calls nothing. */
typedef struct bindery_rb_kept {
  VALUE callable;              /* Qnil once released */
  const void *key;             /* scope owner: the setter it came from (one slot per setter) */
  struct bindery_rb_kept *next, *prev; /* in the registry ring, or the owner's list (next only) */
} bindery_rb_kept;

typedef struct bindery_rb_core {
  void *ptr;                      /* the C object; NULL once destroyed or consumed */
  bindery_rb_destroy_fn destroy;  /* NULL when this object does not own `ptr` (a borrowed view) */
  long refs;                      /* the Ruby object, plus one per live owned child */
  struct bindery_rb_core *parent; /* the parent's core, held while this object lives */
  int shared;                     /* allocated apart (children may hold it) rather than inline */
  bindery_rb_kept *kept;          /* callbacks of scope owner, freed once the C object is gone */
} bindery_rb_core;

/* The Ruby object lets go of its C object (close, consumed, collected): its owner-scope callables
 * are released at once (no longer marked; a trampoline the library still calls does nothing), the
 * records themselves stay until the C object is destroyed (the library may still hold them). */
static inline void bindery_rb_kept_drop_all(bindery_rb_core *c) {
  if (!c) return;
  for (bindery_rb_kept *k = c->kept; k; k = k->next) k->callable = Qnil;
}

static inline void bindery_rb_kept_free_list(bindery_rb_kept *k) {
  while (k) {
    bindery_rb_kept *next = k->next;
    xfree(k);
    k = next;
  }
}

typedef struct bindery_rb_handle {
  bindery_rb_core *core; /* NULL once closed or consumed (as Ruby sees it) */
  VALUE owner;           /* Qnil, or the object this one borrows from / belongs to (kept alive) */
  long busy;             /* blocking calls using this object that run without the GVL right now */
  bindery_rb_core inline_core; /* the core of a class that cannot have children: no 2nd allocation */
} bindery_rb_handle;

/* Drops one reference; destroys the C object (and releases its parent) when it was the last. May
 * run inside the GC (dfree): only C calls here. */
static inline void bindery_rb_core_release(bindery_rb_core *c) {
  while (c && --c->refs == 0) {
    bindery_rb_core *parent = c->parent;
    if (c->ptr && c->destroy) c->destroy(c->ptr);
    bindery_rb_kept_free_list(c->kept);
    if (c->shared) xfree(c);
    c = parent;
  }
}

BINDERY_RB_UNUSED static void bindery_rb_handle_mark(void *p) {
  bindery_rb_handle *h = (bindery_rb_handle *)p;
  rb_gc_mark_movable(h->owner);
  if (h->core) {
    for (bindery_rb_kept *k = h->core->kept; k; k = k->next) rb_gc_mark_movable(k->callable);
  }
}

BINDERY_RB_UNUSED static void bindery_rb_handle_compact(void *p) {
  bindery_rb_handle *h = (bindery_rb_handle *)p;
  h->owner = rb_gc_location(h->owner);
  if (h->core) {
    for (bindery_rb_kept *k = h->core->kept; k; k = k->next) k->callable = rb_gc_location(k->callable);
  }
}

BINDERY_RB_UNUSED static size_t bindery_rb_handle_size(const void *p) {
  const bindery_rb_handle *h = (const bindery_rb_handle *)p;
  return sizeof *h + (h->core && h->core->shared ? sizeof *h->core : 0);
}

BINDERY_RB_UNUSED static void bindery_rb_handle_free(void *p) {
  bindery_rb_handle *h = (bindery_rb_handle *)p;
  bindery_rb_kept_drop_all(h->core);
  bindery_rb_core_release(h->core);
  xfree(h);
}

/* Wraps a C object in a new instance of `klass`. `destroy` is NULL for a borrowed object; an owned
 * object with an `owner` is that owner's child and holds a reference on the owner's C object.
 * `shared`: the class is some class's parent, so its core may outlive the Ruby object. */
static inline VALUE bindery_rb_wrap(VALUE klass, const rb_data_type_t *type, void *ptr,
                                    bindery_rb_destroy_fn destroy, VALUE owner, int shared) {
  bindery_rb_handle *h;
  VALUE obj = TypedData_Make_Struct(klass, bindery_rb_handle, type, h);
  h->owner = owner;
  h->busy = 0;
  bindery_rb_core *c = shared ? ALLOC(bindery_rb_core) : &h->inline_core;
  c->ptr = ptr;
  c->destroy = destroy;
  c->refs = 1;
  c->parent = NULL;
  c->shared = shared;
  c->kept = NULL;
  if (destroy && !NIL_P(owner) && !bindery_rb_is_plain(owner)) {
    bindery_rb_core *parent = ((bindery_rb_handle *)RTYPEDDATA_DATA(owner))->core;
    if (parent && parent->shared) {
      c->parent = parent;
      ++parent->refs;
    }
  }
  h->core = c;
  return obj;
}

/* Wraps an owned C object of a plain class: the data pointer is the object, no allocation. */
static inline VALUE bindery_rb_wrap_plain(VALUE klass, const rb_data_type_t *type, void *ptr) {
  return rb_data_typed_object_wrap(klass, ptr, type);
}

/* A borrowed object is usable while what it borrows from is open; an owned object keeps what it
 * needs alive by itself, so the walk stops there. */
BINDERY_RB_COLD static int bindery_rb_owner_open(VALUE owner) {
  while (!NIL_P(owner)) {
    if (bindery_rb_is_plain(owner)) return RTYPEDDATA_DATA(owner) != NULL; /* owned, by itself */
    const bindery_rb_handle *o = (const bindery_rb_handle *)RTYPEDDATA_DATA(owner);
    if (!o->core || !o->core->ptr) return 0;
    if (o->core->destroy) return 1;
    owner = o->owner;
  }
  return 1;
}

/* The TypedData's data pointer after a type check (TypeError for another class): a
 * bindery_rb_handle, or for a plain class the C object itself (NULL once closed). */
static inline bindery_rb_handle *bindery_rb_handle_of(VALUE v, const rb_data_type_t *type) {
  if (RB_LIKELY(RB_TYPE_P(v, T_DATA) && RTYPEDDATA_P(v) && RTYPEDDATA_TYPE(v) == type)) {
    return (bindery_rb_handle *)RTYPEDDATA_DATA(v);
  }
  return (bindery_rb_handle *)rb_check_typeddata(v, type); /* raises TypeError */
}

/* The C pointer of an open object of exactly this class; ClosedError after close. */
static inline void *bindery_rb_unwrap(VALUE v, const rb_data_type_t *type, const char *what) {
  if (bindery_rb_type_plain(type)) {
    void *ptr = (void *)bindery_rb_handle_of(v, type);
    if (RB_UNLIKELY(!ptr)) bindery_rb_raise_closed(what);
    return ptr;
  }
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (RB_UNLIKELY(!h->core || !h->core->ptr)) bindery_rb_raise_closed(what);
  if (RB_UNLIKELY(!h->core->destroy && !NIL_P(h->owner)) && !bindery_rb_owner_open(h->owner)) {
    bindery_rb_raise_owner_closed(what);
  }
  return h->core->ptr;
}

static inline void *bindery_rb_unwrap_or_null(VALUE v, const rb_data_type_t *type,
                                              const char *what) {
  return NIL_P(v) ? NULL : bindery_rb_unwrap(v, type, what);
}

/* bindery_rb_unwrap for a class whose thread policy is `affine` and that some blocking call uses:
 * one call at a time, so a call while a blocking call on the object runs in another thread raises
 * BusyError instead of entering C concurrently. Other classes never pay the check. */
static inline void *bindery_rb_unwrap_idle(VALUE v, const rb_data_type_t *type, const char *what) {
  void *ptr = bindery_rb_unwrap(v, type, what); /* never plain: used without the GVL */
  if (RB_UNLIKELY(((bindery_rb_handle *)RTYPEDDATA_DATA(v))->busy)) bindery_rb_raise_busy(v, what);
  return ptr;
}

static inline void *bindery_rb_unwrap_idle_or_null(VALUE v, const rb_data_type_t *type,
                                                   const char *what) {
  return NIL_P(v) ? NULL : bindery_rb_unwrap_idle(v, type, what);
}

/* Zero-copy views of an object's memory (the `_view` methods): <Module>::View, a read-only
 * TypedData of the runtime's own over (base, size), keeping its owner alive (it marks it). Not an
 * IO::Buffer: in Ruby 3.1 a slice of a read-only IO::Buffer is writable (Ruby code could write into
 * the library's memory) and a slice freed with its parent can abort the GC; and an IO::Buffer's
 * death is only seen through a finalizer (an ObjectSpace::WeakMap entry, ~4 000 instructions).
 * An owner's live views form a C list found in one table of the extension, keyed by the owner's
 * data pointer (its C object or handle, stable while it is open; not a VALUE, so compaction cannot
 * move it): no ivar, no hidden object. A view links itself when made and unlinks itself in its own
 * dfree, so the list holds exactly the views not yet swept, and an owner that dies (its views,
 * which mark it, died first or with it) leaves nothing behind. close (and consumption) detaches
 * every view still listed: reading one then raises ClosedError. A flag on the owner (FL_USER1: the
 * class is the extension's) spares objects that never made a view the lookup at close.
 * See docs/adr/ruby-borrowed-views.md. */
#define BINDERY_RB_HAS_VIEWS RUBY_FL_USER1

typedef struct bindery_rb_view {
  const char *base;          /* NULL once detached (owner closed) or for an empty view */
  long size;
  bool detached;             /* the owner was closed: every read raises ClosedError */
  bool owns_copy;            /* base is this view's own copy (a borrowed receiver) */
  bool linked;               /* in the list of `key` */
  st_data_t key;             /* the owner's data pointer */
  VALUE owner;               /* kept alive; movable */
  struct bindery_rb_view *prev, *next;
} bindery_rb_view;

BINDERY_RB_UNUSED static VALUE bindery_rb_cView = Qnil; /* <Module>::View, set by bindery_rb_define_view_class */
BINDERY_RB_UNUSED static st_table *bindery_rb_view_lists; /* owner's data pointer -> its first view */

/* Also runs in the GC (a view's dfree): touches C memory only, and the table without allocating
 * (an existing key is updated or deleted). */
BINDERY_RB_UNUSED static void bindery_rb_view_unlink(bindery_rb_view *w) {
  if (!w->linked) return;
  if (w->prev) {
    w->prev->next = w->next;
  } else if (w->next) {
    st_insert(bindery_rb_view_lists, w->key, (st_data_t)w->next);
  } else {
    st_data_t key = w->key;
    st_delete(bindery_rb_view_lists, &key, NULL);
  }
  if (w->next) w->next->prev = w->prev;
  w->linked = false;
  w->prev = w->next = NULL;
}

BINDERY_RB_UNUSED static void bindery_rb_view_link(st_data_t key, bindery_rb_view *w) {
  st_data_t first = 0;
  if (st_lookup(bindery_rb_view_lists, key, &first)) {
    w->next = (bindery_rb_view *)first;
    w->next->prev = w;
  }
  st_insert(bindery_rb_view_lists, key, (st_data_t)w);
  w->key = key;
  w->linked = true;
}

BINDERY_RB_UNUSED static void bindery_rb_view_mark(void *p) {
  rb_gc_mark_movable(((bindery_rb_view *)p)->owner);
}

BINDERY_RB_UNUSED static void bindery_rb_view_compact(void *p) {
  bindery_rb_view *w = (bindery_rb_view *)p;
  w->owner = rb_gc_location(w->owner);
}

BINDERY_RB_UNUSED static void bindery_rb_view_dfree(void *p) {
  bindery_rb_view *w = (bindery_rb_view *)p;
  bindery_rb_view_unlink(w);
  if (w->owns_copy) ruby_xfree((void *)w->base);
  ruby_xfree(w);
}

BINDERY_RB_UNUSED static size_t bindery_rb_view_memsize(const void *p) {
  const bindery_rb_view *w = (const bindery_rb_view *)p;
  return sizeof *w + (w->owns_copy ? (size_t)w->size : 0);
}

static const rb_data_type_t bindery_rb_view_type BINDERY_RB_UNUSED = {
    .wrap_struct_name = "bindery view",
    .function = {.dmark = bindery_rb_view_mark, .dfree = bindery_rb_view_dfree, .dsize = bindery_rb_view_memsize,
                 .dcompact = bindery_rb_view_compact},
    .flags = RUBY_TYPED_FREE_IMMEDIATELY,
};

/* close / consumption (before the owner lets go of its data pointer): every view still listed is
 * detached before the C object goes. */
BINDERY_RB_UNUSED static void bindery_rb_views_free(VALUE owner) {
  if (RB_LIKELY(!FL_TEST_RAW(owner, BINDERY_RB_HAS_VIEWS))) return;
  FL_UNSET_RAW(owner, BINDERY_RB_HAS_VIEWS);
  st_data_t key = (st_data_t)RTYPEDDATA_DATA(owner), first = 0;
  if (!st_delete(bindery_rb_view_lists, &key, &first)) return;
  for (bindery_rb_view *w = (bindery_rb_view *)first; w;) {
    bindery_rb_view *next = w->next;
    w->linked = false;
    w->prev = w->next = NULL;
    w->detached = true;
    w->base = NULL;
    w->size = 0;
    w = next;
  }
}

BINDERY_RB_UNUSED static VALUE bindery_rb_view_alloc(VALUE owner, const char *base, long size, bool owns_copy) {
  bindery_rb_view *w;
  VALUE obj = TypedData_Make_Struct(bindery_rb_cView, bindery_rb_view, &bindery_rb_view_type, w);
  w->base = base;
  w->size = size;
  w->owns_copy = owns_copy;
  RB_OBJ_WRITE(obj, &w->owner, owner);
  return obj;
}

/* An empty view (a NULL result that means empty): nothing to detach, no owner. */
BINDERY_RB_UNUSED static VALUE bindery_rb_view_empty(void) { return bindery_rb_view_alloc(Qnil, NULL, 0, false); }

BINDERY_RB_UNUSED static VALUE bindery_rb_view_new(VALUE owner, const void *p, long n) {
  if (!bindery_rb_is_plain(owner)) {
    const bindery_rb_handle *h = (const bindery_rb_handle *)RTYPEDDATA_DATA(owner);
    if (!h->core || !h->core->destroy) {
      /* A borrowed receiver: its memory goes with an object this one cannot watch. A copy. */
      char *copy = n > 0 ? (char *)ruby_xmalloc((size_t)n) : NULL;
      if (n > 0) memcpy(copy, p, (size_t)n);
      return bindery_rb_view_alloc(Qnil, copy, n, true);
    }
  }
  VALUE obj = bindery_rb_view_alloc(owner, (const char *)p, n, false);
  bindery_rb_view_link((st_data_t)RTYPEDDATA_DATA(owner), (bindery_rb_view *)RTYPEDDATA_DATA(obj));
  FL_SET_RAW(owner, BINDERY_RB_HAS_VIEWS);
  return obj;
}

/* ---- View's methods ---- */

BINDERY_RB_UNUSED static bindery_rb_view *bindery_rb_view_get(VALUE self) {
  bindery_rb_view *w = (bindery_rb_view *)rb_check_typeddata(self, &bindery_rb_view_type);
  if (RB_UNLIKELY(w->detached)) bindery_rb_raise_owner_closed("View");
  return w;
}

/* (offset, length) checked against the view: IndexError when out of range. */
BINDERY_RB_UNUSED static void bindery_rb_view_range(const bindery_rb_view *w, VALUE offset, VALUE length, long *off, long *len) {
  *off = NIL_P(offset) ? 0 : NUM2LONG(offset);
  if (*off < 0 || *off > w->size) rb_raise(rb_eIndexError, "View: offset %ld is outside 0..%ld", *off, w->size);
  *len = NIL_P(length) ? w->size - *off : NUM2LONG(length);
  if (*len < 0 || *len > w->size - *off) {
    rb_raise(rb_eIndexError, "View: length %ld from offset %ld exceeds the size %ld", *len, *off, w->size);
  }
}

BINDERY_RB_UNUSED static VALUE bindery_rb_view_size(VALUE self) { return LONG2NUM(bindery_rb_view_get(self)->size); }

/* get_string(offset = 0, length = size - offset): a binary String copy. */
BINDERY_RB_UNUSED static VALUE bindery_rb_view_get_string(int argc, VALUE *argv, VALUE self) {
  VALUE offset, length;
  rb_scan_args(argc, argv, "02", &offset, &length);
  const bindery_rb_view *w = bindery_rb_view_get(self);
  long off, len;
  bindery_rb_view_range(w, offset, length, &off, &len);
  return rb_str_new(len ? w->base + off : NULL, len);
}

BINDERY_RB_UNUSED static VALUE bindery_rb_view_getbyte(VALUE self, VALUE offset) {
  const bindery_rb_view *w = bindery_rb_view_get(self);
  long off = NUM2LONG(offset);
  if (off < 0 || off >= w->size) return Qnil; /* as String#getbyte */
  return INT2FIX((unsigned char)w->base[off]);
}

/* slice(offset, length): a view of part of the memory, of the same owner, detached with it. */
BINDERY_RB_UNUSED static VALUE bindery_rb_view_slice(VALUE self, VALUE offset, VALUE length) {
  const bindery_rb_view *w = bindery_rb_view_get(self);
  long off, len;
  bindery_rb_view_range(w, offset, length, &off, &len);
  VALUE obj = bindery_rb_view_alloc(w->owner, w->base ? w->base + off : NULL, len, false);
  if (w->owns_copy) { /* a copy: the slice copies its part (the parent may go first) */
    bindery_rb_view *s = (bindery_rb_view *)RTYPEDDATA_DATA(obj);
    s->base = len ? (const char *)memcpy(ruby_xmalloc((size_t)len), w->base + off, (size_t)len) : NULL;
    s->owns_copy = true;
  } else if (w->linked) {
    bindery_rb_view_link(w->key, (bindery_rb_view *)RTYPEDDATA_DATA(obj));
  }
  return obj;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_view_closed_p(VALUE self) {
  return ((const bindery_rb_view *)rb_check_typeddata(self, &bindery_rb_view_type))->detached ? Qtrue : Qfalse;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_view_true(VALUE self) { return (void)self, Qtrue; }

BINDERY_RB_UNUSED static void bindery_rb_define_view_class(VALUE module) {
  bindery_rb_cView = rb_define_class_under(module, "View", rb_cObject);
  rb_gc_register_mark_object(bindery_rb_cView);
  rb_undef_alloc_func(bindery_rb_cView); /* no View.new, no dup/clone: views come from `_view` methods */
  bindery_rb_view_lists = st_init_numtable();
  rb_define_method(bindery_rb_cView, "size", bindery_rb_view_size, 0);
  rb_define_method(bindery_rb_cView, "get_string", bindery_rb_view_get_string, -1);
  rb_define_method(bindery_rb_cView, "getbyte", bindery_rb_view_getbyte, 1);
  rb_define_method(bindery_rb_cView, "slice", bindery_rb_view_slice, 2);
  rb_define_method(bindery_rb_cView, "closed?", bindery_rb_view_closed_p, 0);
  rb_define_method(bindery_rb_cView, "readonly?", bindery_rb_view_true, 0);
}

/* For a `consumed` argument: the callee now owns the C object; the Ruby object is emptied. */
static inline void bindery_rb_release(VALUE v, const rb_data_type_t *type) {
  if (NIL_P(v)) return;
  if (bindery_rb_type_plain(type)) {
    bindery_rb_handle_of(v, type);
    bindery_rb_views_free(v);
    RTYPEDDATA_DATA(v) = NULL;
    return;
  }
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (!h->core) return;
  bindery_rb_views_free(v);
  bindery_rb_kept_drop_all(h->core);
  h->core->ptr = NULL;
  bindery_rb_core_release(h->core);
  h->core = NULL;
}

static inline VALUE bindery_rb_closed_p(VALUE v, const rb_data_type_t *type) {
  if (bindery_rb_type_plain(type)) return bindery_rb_handle_of(v, type) ? Qfalse : Qtrue;
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (!h->core || !h->core->ptr) return Qtrue;
  return (h->core->destroy || bindery_rb_owner_open(h->owner)) ? Qfalse : Qtrue;
}

/* `close` for a class without a checked destructor: the Ruby object lets go of its C object
 * (idempotent); the C object is destroyed now, or when its last child goes. */
static inline VALUE bindery_rb_close(VALUE v, const rb_data_type_t *type) {
  if (bindery_rb_type_plain(type)) {
    void *ptr = (void *)bindery_rb_handle_of(v, type);
    bindery_rb_views_free(v);
    RTYPEDDATA_DATA(v) = NULL; /* cleared first: dfree must never see it again */
    if (ptr) type->function.dfree(ptr);
    return Qnil;
  }
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (RB_UNLIKELY(h->busy) && h->core) bindery_rb_raise_busy(v, NULL);
  bindery_rb_views_free(v);
  bindery_rb_core *c = h->core;
  h->core = NULL;
  bindery_rb_kept_drop_all(c);
  bindery_rb_core_release(c);
  return Qnil;
}

/* `close` through the class's destructor function (its result is checked): returns the core when
 * the caller must call the destructor now, then bindery_rb_close_done(). NULL when there is nothing
 * to do: already closed, a borrowed view, or children still alive (the C object is then destroyed
 * with the plain destroy function when the last child goes). */
static inline bindery_rb_core *bindery_rb_take_for_close(VALUE v, const rb_data_type_t *type) {
  bindery_rb_handle *h = bindery_rb_handle_of(v, type);
  if (RB_UNLIKELY(h->busy) && h->core) bindery_rb_raise_busy(v, NULL); /* closes nothing */
  bindery_rb_views_free(v);
  bindery_rb_core *c = h->core;
  h->core = NULL;
  if (!c) return NULL;
  bindery_rb_kept_drop_all(c); /* hooks do not run while the object is being closed */
  if (c->refs == 1 && c->ptr && c->destroy) return c;
  bindery_rb_core_release(c);
  return NULL;
}

/* `close` of a plain class through its destructor function: the C object to destroy now (the
 * Ruby object is emptied first), or NULL when already closed. */
static inline void *bindery_rb_take_plain_for_close(VALUE v, const rb_data_type_t *type) {
  void *ptr = (void *)bindery_rb_handle_of(v, type);
  bindery_rb_views_free(v);
  RTYPEDDATA_DATA(v) = NULL;
  return ptr;
}

/* Busy marks around a blocking call: set (under the GVL) before the GVL is released, cleared after
 * it is re-acquired. A counter, not a flag: calls on a `free`/`serialized` object may overlap. The
 * caller keeps `v` on its C stack (RB_GC_GUARD) so the object cannot be collected meanwhile. Only
 * shared classes are ever marked (the generator never makes a class some blocking call uses plain). */
static inline void bindery_rb_busy_enter(VALUE v) {
  if (!NIL_P(v)) ++((bindery_rb_handle *)RTYPEDDATA_DATA(v))->busy;
}

static inline void bindery_rb_busy_leave(VALUE v) {
  if (!NIL_P(v)) --((bindery_rb_handle *)RTYPEDDATA_DATA(v))->busy;
}

static inline VALUE bindery_rb_busy_p(VALUE v, const rb_data_type_t *type) {
  if (bindery_rb_type_plain(type)) {
    bindery_rb_handle_of(v, type);
    return Qfalse;
  }
  return bindery_rb_handle_of(v, type)->busy ? Qtrue : Qfalse;
}

/* After the destructor ran: frees the core and only then releases the parent (child first). */
static inline void bindery_rb_close_done(bindery_rb_core *c) {
  c->ptr = NULL;
  bindery_rb_core_release(c);
}

/* ---- callbacks (scope `call`) ------------------------------------------------------------ */

/* The user data of a call-scope callback: lives on the Ruby method's C stack for the C call. */
typedef struct bindery_rb_cb {
  VALUE callable;   /* a Proc (the block) or any object with #call */
  int state;        /* rb_protect's tag of a pending exception: re-raised after the C call returns;
                       or BINDERY_RB_CB_FOREIGN */
  pthread_t thread; /* the Ruby thread making the C call: the only one the callable may run on */
} bindery_rb_cb;

/* A library may call a call-scope callback on a thread it started itself, where no Ruby code can
 * run (rb_protect there crashes the process). The trampoline then leaves the callable alone,
 * returns its zero value, and marks the frame (unless an exception is already pending there); the
 * Ruby method raises ThreadError once the C function has returned. */
#define BINDERY_RB_CB_FOREIGN (-1)

static inline int bindery_rb_cb_on_calling_thread(bindery_rb_cb *frame) {
  if (RB_LIKELY(pthread_equal(pthread_self(), frame->thread))) return 1;
  int expected = 0;
  __atomic_compare_exchange_n(&frame->state, &expected, BINDERY_RB_CB_FOREIGN, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  return 0;
}

/* After the C call: the pending exception, or the ThreadError of a callback reached elsewhere. */
BINDERY_RB_COLD BINDERY_RB_NORETURN static void bindery_rb_cb_reraise(int state) {
  if (state == BINDERY_RB_CB_FOREIGN) {
    rb_raise(rb_eThreadError, "a callback was called on a thread the library started, where Ruby cannot run: it was not called");
  }
  rb_jump_tag(state);
}

/* A callable argument: anything that responds to #call (TypeError before C is called). */
static inline VALUE bindery_rb_to_callable(VALUE v, const char *what) {
  if (RB_UNLIKELY(!rb_respond_to(v, rb_intern("call")))) {
    bindery_rb_raise_type(v, what, "a block or an object with #call");
  }
  return v;
}

/* The last argument of a method that also takes a block: the block, or the callable passed
 * (`v` is Qundef when the argument was omitted). Both, or neither, is an ArgumentError. */
static inline VALUE bindery_rb_block_or_callable(VALUE v, const char *what) {
  if (v == Qundef) {
    if (!rb_block_given_p()) bindery_rb_raise_arg(what, "expected a block or a callable");
    return rb_block_proc();
  }
  if (rb_block_given_p()) bindery_rb_raise_arg(what, "given both a block and a callable");
  return bindery_rb_to_callable(v, what);
}

/* A callback's integer result: true/false/nil are read as 1/0 (a block's natural "stop" or "go
 * on"); an Integer is range-checked by the caller; anything else is its TypeError. */
static inline VALUE bindery_rb_cb_int(VALUE r) {
  if (r == Qtrue) return INT2FIX(1);
  if (r == Qfalse || NIL_P(r)) return INT2FIX(0);
  return r;
}

/* Buffer arguments of a callback (valid during the callback only): copied into Strings. A NULL
 * pointer (with length 0) is the empty value; a negative length is read as 0. */
BINDERY_RB_UNUSED static VALUE bindery_rb_cb_text(const char *p, long n) {
  return rb_utf8_str_new(p && n > 0 ? p : "", p && n > 0 ? n : 0);
}

BINDERY_RB_UNUSED static VALUE bindery_rb_cb_utf16(const void *p, long nbytes) {
  if (!p || nbytes <= 0) return rb_utf8_str_new("", 0);
  return bindery_rb_from_utf16(p, nbytes);
}

BINDERY_RB_UNUSED static VALUE bindery_rb_cb_bytes(const void *p, long n) {
  return bindery_rb_from_bytes(p && n > 0 ? p : "", p && n > 0 ? n : 0);
}

/* Handle arguments of a callback are lent for the call: borrowed views (no destroy) closed when
 * the callable returns or raises, so a block that keeps one gets ClosedError later instead of a
 * pointer the library may have freed. */
typedef struct bindery_rb_lending {
  VALUE callable;
  ID method;  /* #call, or (an interface's trampoline) the receiver's public method */
  int argc;
  const VALUE *argv;
  const VALUE *lent;
  int nlent;
  VALUE lent_ary; /* or (arrays of lent handles, whose count is known at run time) a private Array */
} bindery_rb_lending;

BINDERY_RB_UNUSED static VALUE bindery_rb_lending_call(VALUE p) {
  const bindery_rb_lending *l = (const bindery_rb_lending *)p;
  if (l->method) return rb_funcallv_public(l->callable, l->method, l->argc, l->argv);
  return rb_funcallv(l->callable, rb_intern("call"), l->argc, l->argv);
}

BINDERY_RB_UNUSED static void bindery_rb_lent_close(VALUE obj) {
  if (NIL_P(obj)) return;
  bindery_rb_handle *h = (bindery_rb_handle *)RTYPEDDATA_DATA(obj);
  bindery_rb_core *c = h->core;
  h->core = NULL; /* closed: the C object was only lent (nothing to destroy) */
  bindery_rb_core_release(c);
}

BINDERY_RB_UNUSED static VALUE bindery_rb_lending_end(VALUE p) {
  const bindery_rb_lending *l = (const bindery_rb_lending *)p;
  for (int i = 0; i < l->nlent; ++i) bindery_rb_lent_close(l->lent[i]);
  if (RB_TYPE_P(l->lent_ary, T_ARRAY)) {
    /* The private Array, never the one the callable got: whatever it did to its own copy (clear,
     * replace), every object lent is closed. */
    for (long i = 0; i < RARRAY_LEN(l->lent_ary); ++i) bindery_rb_lent_close(rb_ary_entry(l->lent_ary, i));
  }
  return Qnil;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_call_lending(VALUE callable, int argc, const VALUE *argv,
                                                       const VALUE *lent, int nlent) {
  bindery_rb_lending l = {callable, 0, argc, argv, lent, nlent, Qnil};
  return rb_ensure(bindery_rb_lending_call, (VALUE)&l, bindery_rb_lending_end, (VALUE)&l);
}

/* As bindery_rb_call_lending, calling the public method `method` of `recv` (an interface's method). */
BINDERY_RB_UNUSED static VALUE bindery_rb_send_lending(VALUE recv, ID method, int argc, const VALUE *argv,
                                                       const VALUE *lent, int nlent) {
  bindery_rb_lending l = {recv, method, argc, argv, lent, nlent, Qnil};
  return rb_ensure(bindery_rb_lending_call, (VALUE)&l, bindery_rb_lending_end, (VALUE)&l);
}

/* As bindery_rb_call_lending, the objects lent held in a private Array `lent_ary`. */
BINDERY_RB_UNUSED static VALUE bindery_rb_call_lending_ary(VALUE callable, int argc, const VALUE *argv, VALUE lent_ary) {
  bindery_rb_lending l = {callable, 0, argc, argv, NULL, 0, lent_ary};
  VALUE r = rb_ensure(bindery_rb_lending_call, (VALUE)&l, bindery_rb_lending_end, (VALUE)&l);
  RB_GC_GUARD(lent_ary);
  return r;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_send_lending_ary(VALUE recv, ID method, int argc, const VALUE *argv,
                                                           VALUE lent_ary) {
  bindery_rb_lending l = {recv, method, argc, argv, NULL, 0, lent_ary};
  VALUE r = rb_ensure(bindery_rb_lending_call, (VALUE)&l, bindery_rb_lending_end, (VALUE)&l);
  RB_GC_GUARD(lent_ary);
  return r;
}

/* ---- callbacks kept after the call (scopes notified, owner, forever) ----------------------- */

/* The module registry: a ring of records for scopes notified and forever, marked by one object
 * registered as a GC root (bindery_rb_kept_init). A destroy-notify unlinks and frees its record:
 * plain C, so the library may call it from inside the GC (an object's dfree destroying its C
 * object). */
static bindery_rb_kept bindery_rb_registry = {Qnil, NULL, &bindery_rb_registry, &bindery_rb_registry};

/* An exception raised by a kept callback: the trampoline cannot raise through the library's C
 * frames, so it is kept and raised by the next generated method of this extension to return from
 * C on the same thread (normally the one whose call made the library call back). It is kept per
 * thread: a method returning on thread B (while thread A runs a GVL-free call whose callback
 * raised) must not raise A's exception. The exception lives in a fiber-local of the current thread
 * (Thread#[], marked by its thread, gone with it) under a key of this extension's own; a C
 * thread-local flag spares every other return that lookup. */
static ID bindery_rb_pending_key;
static __thread int bindery_rb_pending_here BINDERY_RB_UNUSED;

/* Set (per thread) while a generated blocking call runs without the GVL: a trampoline then takes
 * the GVL back with rb_thread_call_with_gvl before running Ruby code. */
static __thread int bindery_rb_nogvl BINDERY_RB_UNUSED;

BINDERY_RB_UNUSED static void bindery_rb_registry_mark(void *p) {
  (void)p;
  for (bindery_rb_kept *k = bindery_rb_registry.next; k != &bindery_rb_registry; k = k->next) {
    rb_gc_mark_movable(k->callable);
  }
}

BINDERY_RB_UNUSED static void bindery_rb_registry_compact(void *p) {
  (void)p;
  for (bindery_rb_kept *k = bindery_rb_registry.next; k != &bindery_rb_registry; k = k->next) {
    k->callable = rb_gc_location(k->callable);
  }
}

BINDERY_RB_UNUSED static size_t bindery_rb_registry_size(const void *p) {
  (void)p;
  size_t n = 0;
  for (bindery_rb_kept *k = bindery_rb_registry.next; k != &bindery_rb_registry; k = k->next) ++n;
  return n * sizeof(bindery_rb_kept);
}

static const rb_data_type_t bindery_rb_registry_type BINDERY_RB_UNUSED = {
    .wrap_struct_name = "bindery callback registry",
    .function = {.dmark = bindery_rb_registry_mark, .dfree = NULL, .dsize = bindery_rb_registry_size,
                 .dcompact = bindery_rb_registry_compact},
    .flags = 0,
};

/* Called by Init when the module has kept callbacks: the registry's root and the pending slot. */
BINDERY_RB_UNUSED static void bindery_rb_kept_init(void) {
  rb_gc_register_mark_object(TypedData_Wrap_Struct(rb_cObject, &bindery_rb_registry_type, &bindery_rb_registry));
  /* A key no other extension uses (two bindery extensions in one process keep theirs apart). */
  char key[64];
  snprintf(key, sizeof key, "__bindery_pending_%p", (void *)&bindery_rb_pending_key);
  bindery_rb_pending_key = rb_intern(key);
}

BINDERY_RB_UNUSED static bindery_rb_kept *bindery_rb_kept_new(VALUE callable, const void *key) {
  bindery_rb_kept *k = ALLOC(bindery_rb_kept);
  k->callable = callable;
  k->key = key;
  k->next = k->prev = NULL;
  return k;
}

/* Scopes notified and forever: the record joins the registry (marked from now on). */
BINDERY_RB_UNUSED static bindery_rb_kept *bindery_rb_kept_register(VALUE callable) {
  bindery_rb_kept *k = bindery_rb_kept_new(callable, NULL);
  k->next = bindery_rb_registry.next;
  k->prev = &bindery_rb_registry;
  bindery_rb_registry.next->prev = k;
  bindery_rb_registry.next = k;
  return k;
}

BINDERY_RB_UNUSED static void *bindery_rb_kept_unlink(void *p) {
  bindery_rb_kept *k = (bindery_rb_kept *)p;
  k->prev->next = k->next;
  k->next->prev = k->prev;
  xfree(k);
  return NULL;
}

/* The destroy-notify passed to the library (scope notified), and the release of host-value boxes.
 * May run inside the GC (an object's dfree destroying its C object): plain C. The registry ring is
 * only touched with the GVL held (the GC marks it), so inside a generated GVL-free call (SQLite
 * finalizing a statement inside `exec`) it takes the GVL back first; from a thread Ruby does not
 * know it can do nothing safely: the record stays (its callable or value is kept alive). */
BINDERY_RB_UNUSED static void bindery_rb_kept_notify(void *p) {
  if (!p) return;
  if (bindery_rb_nogvl) {
    bindery_rb_nogvl = 0; /* a callback run meanwhile must not take the GVL again */
    rb_thread_call_with_gvl(bindery_rb_kept_unlink, p);
    bindery_rb_nogvl = 1;
  } else if (ruby_native_thread_p()) {
    bindery_rb_kept_unlink(p);
  }
}

/* Scope owner: after the library accepted `k` (NULL: the hook was cleared), it takes the slot of
 * `key` on the object; the record it replaces is freed (the library no longer holds it). */
BINDERY_RB_UNUSED static void bindery_rb_kept_set_owner(VALUE self, const void *key, bindery_rb_kept *k) {
  bindery_rb_core *c = ((bindery_rb_handle *)RTYPEDDATA_DATA(self))->core;
  if (!c) { /* closed meanwhile (from a callback): nothing holds the record any more */
    if (k) k->callable = Qnil;
    return;
  }
  bindery_rb_kept **at = &c->kept;
  while (*at && (*at)->key != key) at = &(*at)->next;
  if (*at) {
    bindery_rb_kept *old = *at;
    *at = old->next;
    xfree(old);
  }
  if (k) {
    k->next = c->kept;
    c->kept = k;
  }
}

/* ---- host values (Ruby objects the library carries as `void *`) ---------------------------- */

/* A box is a registry record (marked, moved by GC.compact) holding a strong reference to the
 * value; the library hands the box back (the value, not a copy: the same object) or calls
 * bindery_rb_host_release exactly once. Boxes come from the registry ring, so a box is plain C
 * memory that never moves, whatever the GC does with the value. */
static inline void *bindery_rb_host_box(VALUE v) { return bindery_rb_kept_register(v); }

static inline VALUE bindery_rb_host_value(const void *box) {
  return box ? ((const bindery_rb_kept *)box)->callable : Qnil;
}

/* The release function given to the library: the registry's own (see bindery_rb_kept_notify). */
BINDERY_RB_UNUSED static void bindery_rb_host_release(void *box) { bindery_rb_kept_notify(box); }

/* A kept callback that raised: the exception waits for the next generated method to return from C.
 * The first one wins until raised; break/throw out of a kept block have no frame to go to and
 * become a LocalJumpError. */
static inline int bindery_rb_is_exception(VALUE err) {
  return !RB_SPECIAL_CONST_P(err) && RB_BUILTIN_TYPE(err) == T_OBJECT && rb_obj_is_kind_of(err, rb_eException);
}

BINDERY_RB_COLD static void bindery_rb_keep_pending_error(VALUE err) {
  VALUE thread = rb_thread_current();
  if (!NIL_P(rb_thread_local_aref(thread, bindery_rb_pending_key))) return;
  if (!bindery_rb_is_exception(err)) {
    err = rb_exc_new_cstr(rb_eLocalJumpError, "break or throw out of a callback the library called later");
  }
  rb_thread_local_aset(thread, bindery_rb_pending_key, err);
  bindery_rb_pending_here = 1;
}

BINDERY_RB_COLD static void bindery_rb_keep_pending(void) {
  VALUE err = rb_errinfo();
  rb_set_errinfo(Qnil);
  bindery_rb_keep_pending_error(err);
}

/* Raises this thread's pending exception, if its current fiber holds one (another fiber's stays
 * for that fiber, and the flag with it). */
BINDERY_RB_COLD static void bindery_rb_raise_pending_now(void) {
  VALUE thread = rb_thread_current();
  VALUE e = rb_thread_local_aref(thread, bindery_rb_pending_key);
  if (NIL_P(e)) return;
  rb_thread_local_aset(thread, bindery_rb_pending_key, Qnil);
  bindery_rb_pending_here = 0;
  rb_exc_raise(e);
}

static inline void bindery_rb_raise_pending(void) {
  if (RB_UNLIKELY(bindery_rb_pending_here)) bindery_rb_raise_pending_now();
}

typedef struct bindery_rb_kept_run {
  VALUE (*body)(VALUE);
  VALUE data;
  int state;
} bindery_rb_kept_run;

BINDERY_RB_UNUSED static void *bindery_rb_kept_protected(void *p) {
  bindery_rb_kept_run *run = (bindery_rb_kept_run *)p;
  rb_protect(run->body, run->data, &run->state);
  if (run->state) bindery_rb_keep_pending();
  return NULL;
}

/* Runs a kept callback's body (which calls the callable and converts the result into `data`).
 * Returns 0 when it did not run or raised: the trampoline then returns the zero value. Not run:
 * a released record, or a thread Ruby does not know (no Ruby code can run there). */
BINDERY_RB_UNUSED static int bindery_rb_kept_call(const bindery_rb_kept *k, VALUE (*body)(VALUE), VALUE data) {
  if (!k || NIL_P(k->callable)) return 0;
  bindery_rb_kept_run run = {body, data, 0};
  if (bindery_rb_nogvl) {
    bindery_rb_nogvl = 0;
    rb_thread_call_with_gvl(bindery_rb_kept_protected, &run);
    bindery_rb_nogvl = 1;
  } else if (!ruby_native_thread_p()) {
    return 0;
  } else {
    bindery_rb_kept_protected(&run);
  }
  return run.state == 0;
}

/* ---- interfaces (structs of function pointers Ruby objects implement) ----------------------- */

/* A trampoline of an interface method runs its protected body (find the receiver, convert the
 * arguments, call the Ruby method, convert its result) like a kept callback's: with the GVL (taken
 * back inside a GVL-free call), its exception kept for the outer call to raise. The library also
 * gets the exception's message, as a malloc'd copy the trampoline hands to the interface's error
 * helpers and frees. */
typedef struct bindery_rb_impl_run {
  VALUE (*body)(VALUE);
  VALUE data;
  int state;
  char *message; /* malloc'd, when the body raised (NULL when out of memory) */
} bindery_rb_impl_run;

BINDERY_RB_UNUSED static VALUE bindery_rb_exception_message(VALUE err) { return rb_funcallv(err, rb_intern("message"), 0, NULL); }

BINDERY_RB_UNUSED static char *bindery_rb_strdup(const char *p, long n) {
  char *copy = (char *)malloc((size_t)n + 1);
  if (copy) {
    memcpy(copy, p, (size_t)n);
    copy[n] = '\0';
  }
  return copy;
}

/* The text the library gets for `err`: its #message (the class name when #message raises or is not
 * a String), up to its first NUL. */
BINDERY_RB_COLD static char *bindery_rb_error_text(VALUE err) {
  if (!bindery_rb_is_exception(err)) {
    static const char jump[] = "break or throw out of a method the library called";
    return bindery_rb_strdup(jump, (long)sizeof jump - 1);
  }
  int state = 0;
  VALUE m = rb_protect(bindery_rb_exception_message, err, &state);
  if (state) rb_set_errinfo(Qnil);
  if (state || !RB_TYPE_P(m, T_STRING)) m = rb_class_name(rb_obj_class(err));
  const char *nul = (const char *)memchr(RSTRING_PTR(m), '\0', (size_t)RSTRING_LEN(m));
  return bindery_rb_strdup(RSTRING_PTR(m), nul ? (long)(nul - RSTRING_PTR(m)) : RSTRING_LEN(m));
}

BINDERY_RB_UNUSED static void *bindery_rb_impl_protected(void *p) {
  bindery_rb_impl_run *run = (bindery_rb_impl_run *)p;
  if (rb_during_gc()) {
    /* A library call from an object's dfree (a Database collected unclosed disconnects its virtual
     * tables): no Ruby method may run inside the GC. The method fails; whatever it releases is
     * still released (plain C). */
    static const char no_ruby[] = "a Ruby method cannot run during garbage collection";
    run->message = bindery_rb_strdup(no_ruby, (long)sizeof no_ruby - 1);
    run->state = -1;
    return NULL;
  }
  rb_protect(run->body, run->data, &run->state);
  if (run->state) {
    VALUE err = rb_errinfo();
    rb_set_errinfo(Qnil);
    run->message = bindery_rb_error_text(err);
    bindery_rb_keep_pending_error(err);
    RB_GC_GUARD(err);
  }
  return NULL;
}

/* Runs an interface method's body. Returns 1 when it succeeded; 0 when it raised (or could not run:
 * a thread Ruby does not know), with `*message` a malloc'd text for the library (or NULL). */
BINDERY_RB_UNUSED static int bindery_rb_impl_call(VALUE (*body)(VALUE), VALUE data, char **message) {
  bindery_rb_impl_run run = {body, data, 0, NULL};
  *message = NULL;
  if (bindery_rb_nogvl) {
    bindery_rb_nogvl = 0;
    rb_thread_call_with_gvl(bindery_rb_impl_protected, &run);
    bindery_rb_nogvl = 1;
  } else if (!ruby_native_thread_p()) {
    static const char foreign[] = "a Ruby method called on a thread Ruby does not know";
    *message = bindery_rb_strdup(foreign, (long)sizeof foreign - 1);
    return 0;
  } else {
    bindery_rb_impl_protected(&run);
  }
  *message = run.message;
  return run.state == 0;
}

/* ---- enums ------------------------------------------------------------------------------ */

/* `Color.to_h`: {RED: 0, GREEN: 5, BLUE: 6} in C declaration order (Module#constants has none).
 * Kept in an ivar without '@', which Ruby code cannot see. */
BINDERY_RB_UNUSED static VALUE bindery_rb_enum_to_h(VALUE module) {
  return rb_ivar_get(module, rb_intern("__bindery_values"));
}

BINDERY_RB_UNUSED static VALUE bindery_rb_define_enum(VALUE outer, const char *name) {
  VALUE m = rb_define_module_under(outer, name);
  rb_ivar_set(m, rb_intern("__bindery_values"), rb_hash_new());
  rb_define_singleton_method(m, "to_h", bindery_rb_enum_to_h, 0);
  return m;
}

BINDERY_RB_UNUSED static void bindery_rb_enum_value(VALUE m, const char *name, long long value) {
  VALUE v = LL2NUM(value);
  rb_define_const(m, name, v);
  rb_hash_aset(rb_ivar_get(m, rb_intern("__bindery_values")), ID2SYM(rb_intern(name)), v);
}

/* ---- exception classes ------------------------------------------------------------------ */

/* `<Module>::Error === e` (what `rescue` asks) is also true for the error-kind classes, which
 * cannot inherit from it (they inherit from the builtin). Subclasses keep Class#===. */
BINDERY_RB_UNUSED static VALUE bindery_rb_error_eqq(VALUE self, VALUE other) {
  if (rb_obj_is_kind_of(other, self)) return Qtrue;
  if (self != bindery_rb_eError) return Qfalse;
  for (int i = 0; i < 3; ++i) {
    if (rb_obj_is_kind_of(other, bindery_rb_eKind[i])) return Qtrue;
  }
  return Qfalse;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_define_error_class(VALUE module, const char *name, VALUE super) {
  VALUE klass = rb_define_class_under(module, name, super);
  rb_define_attr(klass, "code", 1, 0);
  rb_define_attr(klass, "errno", 1, 0);
  rb_define_attr(klass, "function", 1, 0);
  rb_gc_register_mark_object(klass);
  return klass;
}

BINDERY_RB_UNUSED static VALUE bindery_rb_define_errors(VALUE module) {
  bindery_rb_eError = bindery_rb_define_error_class(module, "Error", rb_eStandardError);
  bindery_rb_eKind[BINDERY_RB_INVALID_ARGUMENT] = bindery_rb_define_error_class(module, "ArgumentError", rb_eArgError);
  bindery_rb_eKind[BINDERY_RB_OUT_OF_RANGE] = bindery_rb_define_error_class(module, "IndexError", rb_eIndexError);
  bindery_rb_eKind[BINDERY_RB_NO_MEMORY] = bindery_rb_define_error_class(module, "NoMemoryError", rb_eNoMemError);
  rb_define_singleton_method(bindery_rb_eError, "===", bindery_rb_error_eqq, 1);
  bindery_rb_eClosedError = rb_define_class_under(module, "ClosedError", rb_eIOError);
  bindery_rb_eBusyError = rb_define_class_under(module, "BusyError", rb_eIOError);
  return bindery_rb_eError;
}

#endif /* BINDERY_RUBY_H */
