#include "demo.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct demo_counter {
  int32_t value;
  char error[64];
  uint8_t bytes[4];
};

static int live;

int32_t demo_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
int32_t demo_add_blocking(int32_t a, int32_t b) { return demo_add(a, b); }
double demo_scale(double x, float f) { return x * f; }
bool demo_is_even(int64_t v) { return v % 2 == 0; }
uint64_t demo_u64_echo(uint64_t v) { return v; }
size_t demo_strlen(const char *s) { return strlen(s); }
const char *demo_greeting(void) { return "héllo"; }

char *demo_upper(const char *s) {
  char *out = strdup(s);
  for (char *p = out; *p; ++p) *p = (char)toupper((unsigned char)*p);
  return out;
}

void demo_free_string(char *s) { free(s); }

size_t demo_sum_bytes(const void *data, size_t len) {
  const unsigned char *p = data;
  size_t sum = 0;
  for (size_t i = 0; i < len; ++i) sum += p[i];
  return sum;
}

demo_counter *demo_counter_new(int32_t start) {
  if (start < 0) {
    errno = EINVAL;
    return NULL;
  }
  demo_counter *c = calloc(1, sizeof *c);
  c->value = start;
  ++live;
  return c;
}

void demo_counter_free(demo_counter *c) {
  if (c) --live;
  free(c);
}

int32_t demo_counter_add(demo_counter *c, int32_t n) { return c->value += n; }

int demo_counter_check(demo_counter *c, int32_t limit) {
  if (c->value <= limit) return 0;
  snprintf(c->error, sizeof c->error, "value %d is over %d", c->value, limit);
  return 7;
}

const char *demo_counter_error(demo_counter *c) { return c->error; }

const uint8_t *demo_counter_bytes(demo_counter *c, size_t *len) {
  memcpy(c->bytes, &c->value, 4);
  *len = 4;
  return c->bytes;
}

const uint8_t *demo_counter_tail(demo_counter *c, size_t from, size_t *len) {
  memcpy(c->bytes, &c->value, 4);
  if (from > 4) from = 4;
  *len = 4 - from;
  return c->bytes + from;
}

int demo_live_counters(void) { return live; }

struct demo_cell {
  int32_t value;
};

demo_cell *demo_cell_new(int32_t value) {
  demo_cell *c = calloc(1, sizeof *c);
  c->value = value;
  ++live;
  return c;
}

void demo_cell_free(demo_cell *c) {
  if (c) --live;
  free(c);
}

int32_t demo_cell_hold(demo_cell *c, int32_t ms) {
  struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
  return c->value;
}

int32_t demo_cell_absorb(demo_cell *into, demo_cell *from) {
  into->value += from->value;
  demo_cell_free(from);
  return into->value;
}

int64_t demo_window(int32_t first, int32_t count, demo_visit_fn visit, void *user_data) {
  if (count <= 0) return visit(user_data, NULL, 0);
  int32_t *xs = malloc((size_t)count * sizeof *xs);
  for (int32_t i = 0; i < count; ++i) xs[i] = first + i;
  int64_t r = visit(user_data, xs, (size_t)count);
  free(xs); /* the slice lives for the callback only */
  return r;
}
