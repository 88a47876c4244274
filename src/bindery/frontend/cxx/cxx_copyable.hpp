// Whether a C++ class can be copied, so that the C layer offers `<class>_clone` (issue 4).
//
// std::is_copy_constructible is not enough: it is true for a class holding a
// std::vector<std::unique_ptr<T>> (vector's copy constructor is declared, only its instantiation
// fails), and the generated shim would not compile. So the check is structural and errs towards
// "not copyable": a public, non-deleted copy constructor written by the user, or else an implicit
// one (no user-declared move operations) over bases and fields that are all copyable. Standard
// library types are judged by a short list; any other std type counts as not copyable.
#pragma once

#include <clang-c/Index.h>

namespace bindery::frontend::cxx {

bool is_copyable(CXType type);

}  // namespace bindery::frontend::cxx
