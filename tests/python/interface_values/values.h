/* values.h — a Python-only test library (tests/python/test_interface_values.py): an interface whose
 * methods return values to C (`returns: value`): a double, a range-checked small integer and an
 * enum, each with the value C sees when the host raises (`on_error`). */
#ifndef VALUES_H
#define VALUES_H

#include <stdint.h>

typedef enum values_color { VALUES_RED = 1, VALUES_GREEN = 2 } values_color;

typedef struct values_hub values_hub;

typedef struct values_source {
  int version;
  /** Scales x. */
  double (*scale)(void *data, double x);
  /** A small number. */
  int8_t (*small)(void *data);
  /** A color. */
  values_color (*color)(void *data);
} values_source;

values_hub *values_hub_new(void);
void values_hub_free(values_hub *hub);
/** Registers the source (replacing one; destroy is called with its data when dropped). */
int values_hub_register(values_hub *hub, const values_source *source, void *data, void (*destroy)(void *));
/** The source's scale(x), or -1 with no source. */
double values_hub_scale(values_hub *hub, double x);
/** The source's small(), or -1 with no source. */
int values_hub_small(values_hub *hub);
/** The source's color(), or 0 with no source. */
int values_hub_color(values_hub *hub);

#endif
