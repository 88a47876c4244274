#include "threads.h"

#include <pthread.h>

static int32_t last_result = -1;
static int32_t thread_calls;

typedef struct {
  int32_t value, times, sum;
  threads_fn fn;
  void *user_data;
} job;

static void *run(void *arg) {
  job *j = arg;
  for (int32_t i = 0; i < j->times; i++) {
    last_result = j->fn(j->value, j->user_data);
    j->sum += last_result;
    thread_calls++;
  }
  return NULL;
}

int32_t threads_call_on_thread(int32_t value, int32_t times, threads_fn fn, void *user_data) {
  job j = {value, times, 0, fn, user_data};
  pthread_t t;
  if (pthread_create(&t, NULL, run, &j) != 0) return -1;
  pthread_join(t, NULL);
  return j.sum;
}

int32_t threads_call_here(int32_t value, threads_fn fn, void *user_data) {
  last_result = fn(value, user_data);
  return last_result;
}

int32_t threads_last_result(void) { return last_result; }

int32_t threads_thread_calls(void) { return thread_calls; }
