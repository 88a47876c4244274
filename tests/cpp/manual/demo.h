/* demo.h: a small C library exercising every protocol the cpp backend maps, described to the
 * generator by a hand-built IR (make_demo_ir.cpp) so the backend is tested without the frontend. */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>
#include <stdint.h>

#define DEMO_OK 0
#define DEMO_EOVERFLOW (-2)
#define DEMO_END 1

typedef struct demo_counter demo_counter;

enum demo_color { DEMO_RED = 0, DEMO_GREEN = 5, DEMO_BLUE = 6 };
enum demo_mode { DEMO_MODE_READ = 1, DEMO_MODE_WRITE = 2, DEMO_MODE_APPEND = 4 };
struct demo_point { int32_t x; int32_t y; enum demo_color color; };

int32_t demo_add(int32_t a, int32_t b);
/* NULL with errno = EINVAL when `name` is empty. */
demo_counter *demo_counter_new(const char *name);
/* Returns the number of live counters after this one is freed. */
int demo_counter_free(demo_counter *c);
/* 0, or DEMO_EOVERFLOW when the value would pass INT32_MAX (message: demo_counter_error). */
int demo_counter_add(demo_counter *c, int32_t by);
int64_t demo_counter_value(const demo_counter *c);
const char *demo_counter_name(const demo_counter *c);
const char *demo_counter_error(const demo_counter *c);
/* The counter's history bytes (one per add); NULL when empty. */
const char *demo_counter_history(demo_counter *c, size_t *size);
/* Writes the name into buf (at most cap bytes, no NUL); returns how many were written. */
size_t demo_counter_copy_name(const demo_counter *c, char *buf, size_t cap);
/* A malloc'd description, freed with demo_free. */
char *demo_counter_describe(const demo_counter *c);
/* Pops the oldest history byte into *value: DEMO_OK, or DEMO_END when empty. */
int demo_counter_pop(demo_counter *c, int *value);
void demo_free(void *p);
int demo_live_counters(void);

/* DEMO_OK with *quot and *rem, or -1 when b == 0. */
int demo_divmod(int32_t a, int32_t b, int32_t *quot, int32_t *rem);
/* FNV-1a of `len` bytes. */
uint32_t demo_hash(const void *data, size_t len);
size_t demo_strlen(const char *s);
enum demo_color demo_color_next(enum demo_color c);
int demo_mode_bits(int mode);
struct demo_point demo_point_swap(struct demo_point p);

/* Session 5 transfers, the shapes no fixture covers. */
/* Adds `from`'s value to `c` and frees `from` when it returns DEMO_OK; on DEMO_EOVERFLOW `from` is
 * left alone (the caller still owns it). */
int demo_counter_merge(demo_counter *c, demo_counter *from);
/* Attaches `value` (NULL allowed) to the counter; `release(value)` is called once when it is
 * replaced or the counter freed. */
void demo_counter_attach(demo_counter *c, void *value, void (*release)(void *));
void *demo_counter_attached(const demo_counter *c);
/* Adds the sum of `len` bytes at `data` (NULL: nothing) to the value and frees `data` with free(),
 * success or not; DEMO_EOVERFLOW when the sum would pass INT32_MAX. */
int demo_counter_load(demo_counter *c, void *data, size_t len);
/* How many blocks demo_counter_load has freed. */
int demo_loaded_blocks(void);

#endif
