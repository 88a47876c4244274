#include "kept.h"

static kept_listener_fn listener;
static void *listener_data;
static int live;

void kept_set_listener(kept_listener_fn fn, void *user_data) {
  listener = fn;
  listener_data = user_data;
}

int kept_box_init(kept_box *box, int value) {
  if (value < 0) return -1;
  box->value = value;
  box->initialised = 1;
  ++live;
  if (listener) listener(value, listener_data);
  return 0;
}

void kept_box_end(kept_box *box) {
  if (!box->initialised) return;
  box->initialised = 0;
  --live;
  if (listener) listener(-box->value, listener_data);
}

int kept_box_value(const kept_box *box) { return box->value; }

int kept_live_boxes(void) { return live; }
