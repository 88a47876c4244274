#define _POSIX_C_SOURCE 200809L
#include "locks.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct locks_lock {
  pthread_mutex_t mutex;   /* the library's own lock */
  pthread_mutex_t sync;    /* guards the handover state below */
  pthread_cond_t changed;
  int parked;              /* a holder waits for a handover */
  int handover;            /* a call asks the parked holder to take the mutex */
  int taken;               /* the holder owns the mutex now */
  int handovers;
  int items;               /* live items (guarded by mutex) */
  void (*on_item)(void *);
  void *on_item_data;
  char message[32];
  unsigned char data[4];
};

locks_lock *locks_new(void) {
  locks_lock *l = calloc(1, sizeof *l);
  if (l == NULL) return NULL;
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&l->mutex, &a);
  pthread_mutexattr_destroy(&a);
  pthread_mutex_init(&l->sync, NULL);
  pthread_cond_init(&l->changed, NULL);
  for (int i = 0; i < 4; ++i) l->data[i] = (unsigned char)(i + 1);
  return l;
}

void locks_free(locks_lock *l) {
  if (l == NULL) return;
  pthread_cond_destroy(&l->changed);
  pthread_mutex_destroy(&l->sync);
  pthread_mutex_destroy(&l->mutex);
  free(l);
}

static struct timespec deadline(int ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_sec += ms / 1000;
  t.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

int locks_hold(locks_lock *l, void (*fn)(void *), void *user_data, int timeout_ms) {
  struct timespec until = deadline(timeout_ms);
  pthread_mutex_lock(&l->sync);
  l->parked = 1;
  pthread_cond_broadcast(&l->changed);
  int rc = 0;
  while (!l->handover && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&l->changed, &l->sync, &until);
  l->parked = 0;
  if (!l->handover) {
    pthread_mutex_unlock(&l->sync);
    return -1;
  }
  l->handover = 0;
  pthread_mutex_lock(&l->mutex);  /* free: the caller released it before asking */
  l->taken = 1;
  l->handovers++;
  pthread_cond_broadcast(&l->changed);
  pthread_mutex_unlock(&l->sync);
  /* The caller that handed over returns meanwhile: a binding that takes the GIL back before its
   * reads holds it by the time fn needs it. */
  struct timespec pause = {0, 100 * 1000000L};
  nanosleep(&pause, NULL);
  fn(user_data);  /* holding the library's mutex, as SQLite runs its progress handler */
  pthread_mutex_unlock(&l->mutex);
  return 0;
}

/* Gives the mutex to the holder (waiting up to `park_ms` for one to park) and returns once it
 * owns it. */
static void hand_over_within(locks_lock *l, int park_ms) {
  pthread_mutex_lock(&l->sync);
  struct timespec parked_by = deadline(park_ms);
  int wait = 0;
  while (!l->parked && wait != ETIMEDOUT) wait = pthread_cond_timedwait(&l->changed, &l->sync, &parked_by);
  if (l->parked) {
    l->handover = 1;
    l->taken = 0;
    pthread_cond_broadcast(&l->changed);
    struct timespec until = deadline(2000);
    int rc = 0;
    while (!l->taken && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&l->changed, &l->sync, &until);
  }
  pthread_mutex_unlock(&l->sync);
}

static void hand_over(locks_lock *l) { hand_over_within(l, 2000); }

int locks_fail(locks_lock *l) {
  pthread_mutex_lock(&l->mutex);
  const char text[] = "locks: failed on purpose";
  for (size_t i = 0; i < sizeof text; ++i) l->message[i] = text[i];
  pthread_mutex_unlock(&l->mutex);
  hand_over(l);
  return -1;
}

const char *locks_errmsg(locks_lock *l) {
  pthread_mutex_lock(&l->mutex);
  const char *m = l->message;
  pthread_mutex_unlock(&l->mutex);
  return m;
}

const void *locks_data(locks_lock *l) {
  pthread_mutex_lock(&l->mutex);
  const void *d = l->data;
  pthread_mutex_unlock(&l->mutex);
  hand_over(l);
  return d;
}

int locks_data_len(locks_lock *l) {
  pthread_mutex_lock(&l->mutex);
  int n = (int)sizeof l->data;
  pthread_mutex_unlock(&l->mutex);
  return n;
}

void locks_give(locks_lock *l) { hand_over(l); }

void locks_on_item(locks_lock *l, void (*fn)(void *), void *user_data) {
  pthread_mutex_lock(&l->mutex);
  l->on_item = fn;
  l->on_item_data = user_data;
  pthread_mutex_unlock(&l->mutex);
}

struct locks_item {
  locks_lock *lock;
};

locks_item *locks_item_new(locks_lock *l) {
  locks_item *item = malloc(sizeof *item);
  if (item == NULL) return NULL;
  item->lock = l;
  pthread_mutex_lock(&l->mutex);
  l->items++;
  if (l->on_item != NULL) l->on_item(l->on_item_data);
  pthread_mutex_unlock(&l->mutex);
  hand_over_within(l, 0);  /* only to a holder already parked: items are also made before one */
  return item;
}

void locks_item_free(locks_item *item) {
  if (item == NULL) return;
  locks_lock *l = item->lock;
  pthread_mutex_lock(&l->mutex);
  l->items--;
  pthread_mutex_unlock(&l->mutex);
  free(item);
}

int locks_items(locks_lock *l) {
  pthread_mutex_lock(&l->mutex);
  int n = l->items;
  pthread_mutex_unlock(&l->mutex);
  return n;
}

int locks_parked(locks_lock *l) {
  pthread_mutex_lock(&l->sync);
  int parked = l->parked;
  pthread_mutex_unlock(&l->sync);
  return parked;
}

int locks_handovers(locks_lock *l) {
  pthread_mutex_lock(&l->sync);
  int n = l->handovers;
  pthread_mutex_unlock(&l->sync);
  return n;
}
