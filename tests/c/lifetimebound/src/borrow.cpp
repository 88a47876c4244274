#include "borrow/borrow.hpp"

#include <stdexcept>
#include <utility>

namespace borrow {

Note::Note(std::string text) : text_(std::move(text)) {}

std::string_view Note::text() const noexcept { return text_; }

std::string_view Note::head(const Note& note, std::size_t count) noexcept { return note.text().substr(0, count); }

Kind Note::kind() const noexcept { return kind_; }

void Note::set_kind(Kind kind) noexcept { kind_ = kind; }

Mark Note::mark(std::int32_t line) const {
  if (line < 0) throw std::invalid_argument("negative line");
  return {kind_, line};
}

void Shelf::put(std::string_view text) { notes_.push_back(std::make_unique<Note>(std::string(text))); }

std::size_t Shelf::size() const noexcept { return notes_.size(); }

std::string_view text_of(const Note& note) noexcept { return note.text(); }

const Note& pick(const Shelf& shelf, std::size_t index) {
  if (index >= shelf.notes_.size()) throw std::out_of_range("no note " + std::to_string(index));
  return *shelf.notes_[index];
}

}  // namespace borrow
