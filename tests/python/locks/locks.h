/* A library with its own lock, shaped to catch a binding that calls it with the GIL held while
 * another thread holds that lock and waits for the GIL (docs/adr/python-gil-and-library-locks.md).
 *
 * Every entry point takes the object's mutex, as a serialized SQLite connection does. A `holder`
 * thread parks in locks_hold(); a failing call (locks_fail) or a buffer call (locks_data) hands the
 * mutex over to it before returning: when the call returns, the holder owns the mutex and is
 * running the Python callback, which needs the GIL. A binding that reads the error message
 * (locks_errmsg) or the buffer's length (locks_data_len) after taking the GIL back waits for the
 * mutex with the GIL held: deadlock. One that reads them before taking the GIL back just waits
 * for the callback to finish.
 *
 * Items are children of a lock whose free takes its mutex (as sqlite3_finalize takes the
 * connection's): closing or collecting one, or discarding a new one because a kept callback
 * raised during the call that made it, must also wait for the mutex without the GIL. */
#ifndef LOCKS_H
#define LOCKS_H

#include <stddef.h>

typedef struct locks_lock locks_lock;
typedef struct locks_item locks_item;

locks_lock *locks_new(void);
void locks_free(locks_lock *l);

/* Blocks until a locks_fail/locks_data call hands the mutex over (or `timeout_ms` passes: returns
 * -1), then calls fn(user_data) holding the mutex and returns 0. */
int locks_hold(locks_lock *l, void (*fn)(void *user_data), void *user_data, int timeout_ms);

/* Fails (returns -1), after handing the mutex to the holder (if one is parked). */
int locks_fail(locks_lock *l);
/* The message of the last failure; takes the mutex. */
const char *locks_errmsg(locks_lock *l);

/* Four bytes owned by the lock, after handing the mutex to the holder (if one is parked). */
const void *locks_data(locks_lock *l);
/* Their length; takes the mutex. */
int locks_data_len(locks_lock *l);

/* Hands the mutex to the holder (if one is parked) and returns once it owns it. */
void locks_give(locks_lock *l);

/* Keeps `fn` (NULL: none), which locks_item_new calls before it hands the mutex over. */
void locks_on_item(locks_lock *l, void (*fn)(void *user_data), void *user_data);

/* A new item of `l`: calls the on_item callback (if any), then hands the mutex over to the holder
 * if one is parked already (it does not wait for one). NULL when out of memory. */
locks_item *locks_item_new(locks_lock *l);
/* Frees the item; takes its lock's mutex. */
void locks_item_free(locks_item *item);
/* Items of `l` not freed yet. */
int locks_items(locks_lock *l);

/* Whether a holder is parked in locks_hold, waiting for a handover. */
int locks_parked(locks_lock *l);

/* How many handovers happened (each one is a holder that ran its callback under the mutex). */
int locks_handovers(locks_lock *l);

#endif
