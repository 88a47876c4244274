#include "benchlib.h"

#include <stdlib.h>
#include <string.h>

struct bench_counter {
  int value;
  uint8_t bytes[1024];
};

void bench_noop(void) {}
int bench_double_input(int x) { return (int)((unsigned)x * 2u); }
size_t bench_strlen(const char *s) { return strlen(s); }
bench_counter *bench_counter_new(void) { return calloc(1, sizeof(bench_counter)); }
void bench_counter_free(bench_counter *c) { free(c); }
int bench_counter_add(bench_counter *c, int delta) { return c->value += delta; }
const uint8_t *bench_counter_bytes(const bench_counter *c, size_t *len) {
  *len = sizeof c->bytes;
  return c->bytes;
}
