/* kept.h — a pinned struct whose init and end run a kept callback: what no bound library has yet,
 * so the cpp backend's handling of an exception such a callback throws while a pinned object is
 * made or ended is tested here (make_demo_ir.cpp builds its IR by hand). */
#ifndef BINDERY_CPP_MANUAL_KEPT_H
#define BINDERY_CPP_MANUAL_KEPT_H

typedef struct kept_box {
  int value;
  int initialised;
} kept_box;

/** Called with `value` when a box is initialised and with `-value` when it is ended. */
typedef void (*kept_listener_fn)(int event, void *user_data);

/** Installs the process-wide listener (never released; NULL removes it). */
void kept_set_listener(kept_listener_fn fn, void *user_data);

/** Initialises `box` in place with `value`, then tells the listener; returns 0 (-1 for a negative value). */
int kept_box_init(kept_box *box, int value);

/** Ends `box`, then tells the listener. */
void kept_box_end(kept_box *box);

int kept_box_value(const kept_box *box);

/** How many boxes are initialised and not ended. */
int kept_live_boxes(void);

#endif
