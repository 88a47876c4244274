/* Results that borrow from a [[clang::lifetimebound]] parameter, not from `this`: a view of a
 * note's text from a free function and from a static method, and a note borrowed from the shelf a
 * throwing free function was given. Each points into the object passed, so it sees that object's
 * bytes, and stays valid while that object lives. And an unscoped C++ enum, and a struct with an
 * enum field, from C. */
#include <string.h>

#include "../check.h"
#include "borrow.h"

int main(void) {
  borrow_note *note = NULL;
  borrow_shelf *shelf = NULL;
  const borrow_note *picked = NULL;
  const char *text;
  size_t len = 0;

  CHECK(borrow_note_new("lifetime", 8, &note) == BORROW_OK);

  /* A free function: the view is the note's own storage, the same bytes the method returns. */
  text = borrow_text_of(note, &len);
  CHECK(len == 8 && memcmp(text, "lifetime", 8) == 0);
  CHECK(text == borrow_note_text(note, &len));

  /* A static method: a prefix view into the note passed. */
  text = borrow_note_head(note, 4, &len);
  CHECK(len == 4 && memcmp(text, "life", 4) == 0 && text == borrow_note_text(note, &len));
  text = borrow_note_head(note, 100, &len);
  CHECK(len == 8);

  /* A throwing free function returning a reference into its lifetimebound parameter: a borrowed
   * note the shelf keeps owning (never destroyed by the caller; ASan checks nothing leaks or is
   * freed twice). */
  CHECK(borrow_shelf_new(&shelf) == BORROW_OK);
  CHECK(borrow_shelf_put(shelf, "first", 5) == BORROW_OK);
  CHECK(borrow_shelf_put(shelf, "second", 6) == BORROW_OK);
  CHECK(borrow_pick(shelf, 1, &picked) == BORROW_OK);
  text = borrow_note_text(picked, &len);
  CHECK(len == 6 && memcmp(text, "second", 6) == 0);
  text = borrow_text_of(picked, &len);
  CHECK(len == 6 && memcmp(text, "second", 6) == 0);

  /* Out of range: a status and a message; the output is not written. */
  picked = NULL;
  CHECK(borrow_pick(shelf, 2, &picked) == BORROW_ERROR_OUT_OF_RANGE);
  CHECK(picked == NULL && strcmp(borrow_last_error(), "no note 2") == 0);

  /* An unscoped enum: its values keep their C++ numbers, under C names without the repeated
   * KIND_; a default argument naming one of them is spelled out by the C caller. */
  CHECK(BORROW_KIND_PLAIN == 0 && BORROW_KIND_PINNED == 4);
  CHECK(borrow_note_kind(note) == BORROW_KIND_PLAIN);
  borrow_note_set_kind(note, BORROW_KIND_PINNED);
  CHECK(borrow_note_kind(note) == BORROW_KIND_PINNED);

  /* A struct with an enum field, returned through `out` by a throwing method. */
  {
    borrow_mark mark = {BORROW_KIND_PLAIN, -1};
    CHECK(borrow_note_mark(note, 12, &mark) == BORROW_OK);
    CHECK(mark.kind == BORROW_KIND_PINNED && mark.line == 12);
    CHECK(borrow_note_mark(note, -1, &mark) == BORROW_ERROR_INVALID_ARGUMENT);
    CHECK(mark.line == 12);
  }

  borrow_shelf_destroy(shelf);
  borrow_note_destroy(note);
  return DONE();
}
