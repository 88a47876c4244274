/* benchlib.h — the library every Node binding in bench/node/ calls: six cases, minimal work. */
#ifndef BENCHLIB_H
#define BENCHLIB_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_counter bench_counter;

void bench_noop(void);
int bench_double_input(int x);
size_t bench_strlen(const char *s);
bench_counter *bench_counter_new(void);
void bench_counter_free(bench_counter *c);
int bench_counter_add(bench_counter *c, int delta);
/** 1 KiB owned by the counter, borrowed for the counter's lifetime. */
const uint8_t *bench_counter_bytes(const bench_counter *c, size_t *len);

#endif
