/* threads.h — a library that calls back on a thread it starts itself (tests/node/test_threads.js,
 * tests/python/test_threads.py, tests/ruby/test_threads.rb): no JavaScript, Python (while the caller
 * holds the GIL) or Ruby can run there, so each binding must refuse the call cleanly. The feature
 * fixtures (tests/fixtures/) have no threads. */
#ifndef THREADS_H
#define THREADS_H

#include <stdint.h>

/** Returns a number computed from `value`; its error value is 0. */
typedef int32_t (*threads_fn)(int32_t value, void *user_data);

/** Calls fn(value) `times` times on a thread of its own, joined before returning; returns the sum
 * of what it got back (0 for each refused call). */
int32_t threads_call_on_thread(int32_t value, int32_t times, threads_fn fn, void *user_data);

/** Calls fn(value) on the calling thread; returns what it got back. */
int32_t threads_call_here(int32_t value, threads_fn fn, void *user_data);

/** What the last callback returned to the library, whichever thread it ran on. */
int32_t threads_last_result(void);

/** Calls made by threads_call_on_thread so far (the thread really ran). */
int32_t threads_thread_calls(void);

#endif
