/* floor: a hand-written Ruby extension of benchlib, the way an expert writes it by hand (NUM2INT,
 * TypedData, StringValueCStr, a frozen copy of borrowed bytes). The generated binding is measured
 * against it: it is the floor, not a competitor. */
#include <ruby.h>
#include <ruby/io/buffer.h>

#include "benchlib.h"

static void counter_free(void *p) {
  if (p) bench_counter_free((bench_counter *)p);
}

static size_t counter_size(const void *p) {
  (void)p;
  return sizeof(void *);
}

static const rb_data_type_t counter_type = {
    .wrap_struct_name = "Floor::Counter",
    .function = {.dfree = counter_free, .dsize = counter_size},
    .flags = RUBY_TYPED_FREE_IMMEDIATELY,
};

static bench_counter *counter_get(VALUE self) {
  bench_counter *c = (bench_counter *)rb_check_typeddata(self, &counter_type);
  if (!c) rb_raise(rb_eIOError, "closed counter");
  return c;
}

static VALUE f_noop(VALUE self) {
  (void)self;
  bench_noop();
  return Qnil;
}

static VALUE f_double_input(VALUE self, VALUE v) {
  (void)self;
  return INT2NUM(bench_double_input(NUM2INT(v)));
}

static VALUE f_strlen(VALUE self, VALUE s) {
  (void)self;
  return SIZET2NUM(bench_strlen(StringValueCStr(s)));
}

static VALUE counter_new(VALUE klass) {
  bench_counter *c = bench_counter_new();
  if (!c) rb_raise(rb_eNoMemError, "bench_counter_new");
  return TypedData_Wrap_Struct(klass, &counter_type, c);
}

/* Views over a counter's memory (kib_view) are freed before the counter goes. */
static void views_free(VALUE self) {
  if (!FL_TEST_RAW(self, FL_EXIVAR)) return;
  VALUE map = rb_ivar_get(self, rb_intern("__views"));
  if (NIL_P(map)) return;
  rb_ivar_set(self, rb_intern("__views"), Qnil);
  VALUE views = rb_funcall(map, rb_intern("keys"), 0);
  for (long i = 0; i < RARRAY_LEN(views); ++i) {
    rb_io_buffer_unlock(RARRAY_AREF(views, i));
    rb_io_buffer_free(RARRAY_AREF(views, i));
  }
}

static VALUE counter_close(VALUE self) {
  bench_counter *c = (bench_counter *)rb_check_typeddata(self, &counter_type);
  views_free(self);
  DATA_PTR(self) = NULL;
  if (c) bench_counter_free(c);
  return Qnil;
}

static VALUE counter_add(VALUE self, VALUE delta) {
  return LL2NUM(bench_counter_add(counter_get(self), NUM2INT(delta)));
}

static VALUE counter_kib(VALUE self) {
  size_t len = 0;
  const uint8_t *p = bench_counter_kib(counter_get(self), &len);
  return rb_obj_freeze(rb_str_new((const char *)p, (long)len));
}

/* The same safety as the generated view, by hand: read-only, locked, keeps the counter alive, and
 * listed on the counter (a WeakMap) so close can free it. */
static VALUE counter_kib_view(VALUE self) {
  size_t len = 0;
  const uint8_t *p = bench_counter_kib(counter_get(self), &len);
  VALUE b = rb_io_buffer_new((void *)p, len, (enum rb_io_buffer_flags)(RB_IO_BUFFER_EXTERNAL | RB_IO_BUFFER_READONLY));
  rb_io_buffer_lock(b);
  rb_ivar_set(b, rb_intern("__owner"), self);
  VALUE map = FL_TEST_RAW(self, FL_EXIVAR) ? rb_ivar_get(self, rb_intern("__views")) : Qnil;
  if (NIL_P(map)) {
    map = rb_class_new_instance(0, NULL, rb_const_get(rb_const_get(rb_cObject, rb_intern("ObjectSpace")), rb_intern("WeakMap")));
    rb_ivar_set(self, rb_intern("__views"), map);
  }
  rb_funcall(map, rb_intern("[]="), 2, b, b);
  return b;
}

void Init_floor_ext(void) {
  VALUE m = rb_define_module("Floor");
  rb_define_module_function(m, "noop", f_noop, 0);
  rb_define_module_function(m, "double_input", f_double_input, 1);
  rb_define_module_function(m, "strlen", f_strlen, 1);
  VALUE c = rb_define_class_under(m, "Counter", rb_cObject);
  rb_undef_alloc_func(c);
  rb_define_singleton_method(c, "new", counter_new, 0);
  rb_define_method(c, "close", counter_close, 0);
  rb_define_method(c, "add", counter_add, 1);
  rb_define_method(c, "kib", counter_kib, 0);
  rb_define_method(c, "kib_view", counter_kib_view, 0);
}
