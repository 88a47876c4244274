/* demo: a tiny C library whose IR the Ruby backend's unit test builds by hand (no lowering
 * needed), so the generator is tested on its own: scalars, text, an owned handle, errors, bytes. */
#ifndef DEMO_H
#define DEMO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct demo_counter demo_counter;

int32_t demo_add(int32_t a, int32_t b);
int32_t demo_add_blocking(int32_t a, int32_t b); /* bound with `blocking`: runs without the GVL */
double demo_scale(double x, float f);
bool demo_is_even(int64_t v);
uint64_t demo_u64_echo(uint64_t v);
size_t demo_strlen(const char *s);
const char *demo_greeting(void);
char *demo_upper(const char *s);           /* owned: free with demo_free_string */
void demo_free_string(char *s);
size_t demo_sum_bytes(const void *data, size_t len);

demo_counter *demo_counter_new(int32_t start); /* NULL + errno=EINVAL when start < 0 */
void demo_counter_free(demo_counter *c);
int32_t demo_counter_add(demo_counter *c, int32_t n);
int demo_counter_check(demo_counter *c, int32_t limit); /* 0 ok; 7 over the limit */
const char *demo_counter_error(demo_counter *c);
const uint8_t *demo_counter_bytes(demo_counter *c, size_t *len); /* borrowed from c */
int demo_live_counters(void);
/* The counter's bytes from `from` on (borrowed from c): a different address per `from`, so views of
 * it are views of different memory. */
const uint8_t *demo_counter_tail(demo_counter *c, size_t from, size_t *len);

/* A cell (thread policy `free`): hold runs without the GVL; absorb consumes `from`. */
typedef struct demo_cell demo_cell;
demo_cell *demo_cell_new(int32_t value);
void demo_cell_free(demo_cell *c);
int32_t demo_cell_hold(demo_cell *c, int32_t ms);          /* blocking: sleeps, returns the value */
int32_t demo_cell_absorb(demo_cell *into, demo_cell *from); /* adds from's value, frees from */

/* A callback whose argument is a slice of scalars (pointer + element count): the callable gets an
 * Array copy. demo_window calls `visit` with xs = {first, first+1, ...} (count elements; count 0
 * passes NULL) and returns what it returned. */
typedef int64_t (*demo_visit_fn)(void *user_data, const int32_t *xs, size_t count);
int64_t demo_window(int32_t first, int32_t count, demo_visit_fn visit, void *user_data);
#endif
