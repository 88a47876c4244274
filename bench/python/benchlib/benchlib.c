#include "benchlib.h"

#include <stdlib.h>
#include <string.h>

struct benchlib_counter {
  int64_t value;
  uint8_t payload[1024];
};

void benchlib_noop(void) {}

int benchlib_double_input(int input) { return (int)((unsigned)input * 2u); }

size_t benchlib_text_length(const char *s) { return strlen(s); }

benchlib_counter *benchlib_counter_new(void) { return calloc(1, sizeof(benchlib_counter)); }

void benchlib_counter_free(benchlib_counter *counter) { free(counter); }

void benchlib_counter_add(benchlib_counter *counter, int64_t delta) {
  counter->value = (int64_t)((uint64_t)counter->value + (uint64_t)delta);
}

int64_t benchlib_counter_get(const benchlib_counter *counter) { return counter->value; }

const uint8_t *benchlib_counter_data(const benchlib_counter *counter, size_t *len) {
  *len = sizeof counter->payload;
  return counter->payload;
}
