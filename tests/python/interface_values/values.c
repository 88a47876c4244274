/* values.c — the hub of values.h. */
#include "values.h"

#include <stdlib.h>

struct values_hub {
  const values_source *source;
  void *data;
  void (*destroy)(void *);
};

values_hub *values_hub_new(void) { return calloc(1, sizeof(values_hub)); }

static void drop(values_hub *hub) {
  if (hub->destroy) hub->destroy(hub->data);
  hub->source = NULL;
  hub->data = NULL;
  hub->destroy = NULL;
}

void values_hub_free(values_hub *hub) {
  if (!hub) return;
  drop(hub);
  free(hub);
}

int values_hub_register(values_hub *hub, const values_source *source, void *data, void (*destroy)(void *)) {
  drop(hub);
  if (!source || source->version != 1) {
    if (destroy) destroy(data);
    return 1;
  }
  hub->source = source;
  hub->data = data;
  hub->destroy = destroy;
  return 0;
}

double values_hub_scale(values_hub *hub, double x) { return hub->source ? hub->source->scale(hub->data, x) : -1; }

int values_hub_small(values_hub *hub) { return hub->source ? hub->source->small(hub->data) : -1; }

int values_hub_color(values_hub *hub) { return hub->source ? (int)hub->source->color(hub->data) : 0; }
