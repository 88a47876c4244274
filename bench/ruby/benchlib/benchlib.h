/* benchlib: the functions every Ruby binding in bench/ruby/ calls: the binding's own cost is what
 * is measured, so each function does (almost) nothing. */
#ifndef BENCHLIB_H
#define BENCHLIB_H
#include <stddef.h>
#include <stdint.h>

typedef struct bench_counter bench_counter;

void bench_noop(void);
int bench_double_input(int input);
size_t bench_strlen(const char *s);

bench_counter *bench_counter_new(void);
void bench_counter_free(bench_counter *counter);
int64_t bench_counter_add(bench_counter *counter, int32_t delta);
/* 1 KiB borrowed from the counter; its length is written to *len. */
const uint8_t *bench_counter_kib(const bench_counter *counter, size_t *len);
#endif
