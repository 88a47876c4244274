#include "benchlib.h"

#include <stdlib.h>
#include <string.h>

struct bench_counter {
  int64_t value;
  uint8_t kib[1024];
};

void bench_noop(void) {}
int bench_double_input(int input) { return (int)((unsigned)input * 2u); }
size_t bench_strlen(const char *s) { return strlen(s); }

bench_counter *bench_counter_new(void) {
  bench_counter *c = calloc(1, sizeof *c);
  if (c) memset(c->kib, 'k', sizeof c->kib);
  return c;
}

void bench_counter_free(bench_counter *counter) { free(counter); }

int64_t bench_counter_add(bench_counter *counter, int32_t delta) { return counter->value += delta; }

const uint8_t *bench_counter_kib(const bench_counter *counter, size_t *len) {
  *len = sizeof counter->kib;
  return counter->kib;
}
