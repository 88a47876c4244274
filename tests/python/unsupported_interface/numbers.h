/* numbers.h — a Python-only test header (tests/python/check_unsupported_interface.py): an interface
 * whose method receives an array of integers, which Python interface methods do not receive yet
 * (callbacks do: K19). */
#ifndef NUMBERS_H
#define NUMBERS_H

typedef struct numbers_hub numbers_hub;

typedef struct numbers_sink {
  int version;
  /** Receives `n` integers. */
  int (*take)(void *sink_data, const int *values, int n);
} numbers_sink;

numbers_hub *numbers_hub_new(void);
void numbers_hub_free(numbers_hub *hub);
/** Registers a sink (destroy is called with its data when the hub drops it). */
int numbers_hub_register(numbers_hub *hub, const numbers_sink *sink, void *sink_data, void (*destroy)(void *));
/** How many sinks are registered. */
int numbers_hub_count(numbers_hub *hub);

#endif
