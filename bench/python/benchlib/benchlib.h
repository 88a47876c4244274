/* benchlib.h — the six cases of the Python benchmark (issue 7), as one small C library. Bound
 * twice: by bindery (bindery.yaml beside this file) and by hand (../floor.c, the floor). */
#ifndef BENCHLIB_H
#define BENCHLIB_H

#include <stddef.h>
#include <stdint.h>

/** Does nothing: the binding's own overhead. */
void benchlib_noop(void);

/** Returns twice `input` (wrapping). */
int benchlib_double_input(int input);

/** Returns the length of `s` in bytes. */
size_t benchlib_text_length(const char *s);

/** A counter with a 1 KiB payload. */
typedef struct benchlib_counter benchlib_counter;

/** Creates a counter at 0; NULL only when out of memory. */
benchlib_counter *benchlib_counter_new(void);

/** Destroys a counter. */
void benchlib_counter_free(benchlib_counter *counter);

/** Adds `delta` to the counter. */
void benchlib_counter_add(benchlib_counter *counter, int64_t delta);

/** Returns the counter's value. */
int64_t benchlib_counter_get(const benchlib_counter *counter);

/** Returns the counter's 1 KiB payload, borrowed for the counter's lifetime. */
const uint8_t *benchlib_counter_data(const benchlib_counter *counter, size_t *len);

#endif /* BENCHLIB_H */
