// borrow: what the shapes example does not show, for the C layer's tests (c.lifetimebound,
// c.roundtrip.lifetimebound): results that borrow from a [[clang::lifetimebound]] parameter instead
// of from `this`, and an unscoped enum (with a default argument naming one of its values).
// Not a real library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// GCC compiles the library and warns about a clang:: attribute it does not know; libclang, which
// reads the header for bindery, is clang.
#if defined(__clang__)
#define BORROW_LIFETIMEBOUND [[clang::lifetimebound]]
#else
#define BORROW_LIFETIMEBOUND
#endif

namespace borrow {

/// How a note is kept. Unscoped: its values repeat the enum's name, which C drops
/// (BORROW_KIND_PLAIN, not BORROW_KIND_KIND_PLAIN).
enum Kind { KIND_PLAIN, KIND_PINNED = 4 };

/// Where a note sits and how it is kept: a struct with an enum field, which C receives member by
/// member (its bytes are copied only for structs of plain scalars).
struct Mark {
  Kind kind;
  std::int32_t line;
};

/// A piece of text.
class Note {
 public:
  explicit Note(std::string text);
  /// The text (borrows from this note).
  std::string_view text() const noexcept;
  /// The first `count` bytes of `note`'s text (all of it when shorter): a view into `note`.
  static std::string_view head(const Note& note BORROW_LIFETIMEBOUND, std::size_t count) noexcept;
  /// How the note is kept (plain when new).
  Kind kind() const noexcept;
  /// Sets how the note is kept (pinned when not given).
  void set_kind(Kind kind = KIND_PINNED) noexcept;
  /// The note's kind, at `line`. Throws std::invalid_argument for a negative line.
  Mark mark(std::int32_t line) const;

 private:
  std::string text_;
  Kind kind_ = KIND_PLAIN;
};

/// Notes kept together.
class Shelf {
 public:
  Shelf() = default;
  /// Puts a note called `text` on the shelf.
  void put(std::string_view text);
  /// The number of notes.
  std::size_t size() const noexcept;

 private:
  friend const Note& pick(const Shelf& shelf BORROW_LIFETIMEBOUND, std::size_t index);
  std::vector<std::unique_ptr<Note>> notes_;
};

/// The text of `note`: a view into it, valid while `note` lives.
std::string_view text_of(const Note& note BORROW_LIFETIMEBOUND) noexcept;

/// Note `index` of `shelf`, which keeps owning it. Throws std::out_of_range.
const Note& pick(const Shelf& shelf BORROW_LIFETIMEBOUND, std::size_t index);

}  // namespace borrow
