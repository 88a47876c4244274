#include "demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct demo_counter {
  char name[32];
  int32_t value;
  char history[64];
  size_t history_len;
  const char *error;
  void *attached;
  void (*release)(void *);
};

static int live = 0;

int32_t demo_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

demo_counter *demo_counter_new(const char *name) {
  if (name == NULL || name[0] == '\0') {
    errno = EINVAL;
    return NULL;
  }
  demo_counter *c = calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  snprintf(c->name, sizeof c->name, "%s", name);
  ++live;
  return c;
}

int demo_counter_free(demo_counter *c) {
  if (c != NULL) {
    if (c->release != NULL) c->release(c->attached);
    free(c);
    --live;
  }
  return live;
}

int demo_counter_add(demo_counter *c, int32_t by) {
  if ((int64_t)c->value + by > INT32_MAX) {
    c->error = "counter overflow";
    return DEMO_EOVERFLOW;
  }
  c->value += by;
  if (c->history_len < sizeof c->history) c->history[c->history_len++] = (char)by;
  return DEMO_OK;
}

int64_t demo_counter_value(const demo_counter *c) { return c->value; }
const char *demo_counter_name(const demo_counter *c) { return c->name; }
const char *demo_counter_error(const demo_counter *c) { return c->error; }

const char *demo_counter_history(demo_counter *c, size_t *size) {
  *size = c->history_len;
  return c->history_len ? c->history : NULL;
}

size_t demo_counter_copy_name(const demo_counter *c, char *buf, size_t cap) {
  size_t n = strlen(c->name);
  if (n > cap) n = cap;
  memcpy(buf, c->name, n);
  return n;
}

char *demo_counter_describe(const demo_counter *c) {
  char *s = malloc(64);
  if (s != NULL) snprintf(s, 64, "%s=%d", c->name, (int)c->value);
  return s;
}

int demo_counter_pop(demo_counter *c, int *value) {
  if (c->history_len == 0) return DEMO_END;
  *value = c->history[0];
  memmove(c->history, c->history + 1, --c->history_len);
  return DEMO_OK;
}

void demo_free(void *p) { free(p); }
int demo_live_counters(void) { return live; }

int demo_divmod(int32_t a, int32_t b, int32_t *quot, int32_t *rem) {
  if (b == 0) return -1;
  *quot = a / b;
  *rem = a % b;
  return DEMO_OK;
}

uint32_t demo_hash(const void *data, size_t len) {
  const unsigned char *p = data;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

size_t demo_strlen(const char *s) { return strlen(s); }
enum demo_color demo_color_next(enum demo_color c) { return c == DEMO_RED ? DEMO_GREEN : c == DEMO_GREEN ? DEMO_BLUE : DEMO_RED; }
int demo_mode_bits(int mode) { return mode; }

struct demo_point demo_point_swap(struct demo_point p) {
  struct demo_point r = {p.y, p.x, p.color};
  return r;
}

int demo_counter_merge(demo_counter *c, demo_counter *from) {
  if ((int64_t)c->value + from->value > INT32_MAX) {
    c->error = "counter overflow";
    return DEMO_EOVERFLOW;
  }
  c->value += from->value;
  demo_counter_free(from);
  return DEMO_OK;
}

void demo_counter_attach(demo_counter *c, void *value, void (*release)(void *)) {
  if (c->release != NULL) c->release(c->attached);
  c->attached = value;
  c->release = release;
}

void *demo_counter_attached(const demo_counter *c) { return c->attached; }

static int loaded_blocks = 0;

int demo_counter_load(demo_counter *c, void *data, size_t len) {
  int64_t sum = c->value;
  for (size_t i = 0; i < len; ++i) sum += ((const unsigned char *)data)[i];
  if (data != NULL) {
    free(data);
    ++loaded_blocks;
  }
  if (sum > INT32_MAX) {
    c->error = "counter overflow";
    return DEMO_EOVERFLOW;
  }
  c->value = (int32_t)sum;
  return DEMO_OK;
}

int demo_loaded_blocks(void) { return loaded_blocks; }
