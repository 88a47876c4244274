// Compiled at -O2 and disassembled by ../../double_input/cpp/zero_cost.cmake (mode at_most): each
// wrapped_* must take at most as many instructions as its direct_* twin, which is what a careful C
// caller writes for the same result: the handle kept in a variable that close() sets to NULL and
// checked before use, NULL and error results checked, the length of a name measured.
// (Cold paths, which GCC moves to `<fn>.cold`, are not counted: they run only on failure.)
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "tarball.hpp"

using Tarball = tarball_cpp::Tarball;  // `tarball` is the C struct tag, so the namespace is tarball_cpp

extern "C" {
[[noreturn, gnu::cold]] void c_fail(int code);  // the C caller's error path, cold as a careful C caller marks it (never linked: object only)

// tarball_open: NULL + errno is an error.
tarball_t* direct_open(const char* path) {
  tarball_t* t = tarball_open(path);
  if (t == nullptr) c_fail(errno);
  return t;
}
tarball_t* wrapped_open(const char* path) { return Tarball::open(path).release(); }

// tarball_close: the variable is cleared so that it is never used again.
void direct_close(tarball_t** t) {
  tarball_close(*t);
  *t = nullptr;
}
void wrapped_close(Tarball* t) { t->close(); }

// tarball_count: the handle is checked before use.
unsigned direct_count(tarball_t* const* t) {
  if (*t == nullptr) c_fail(EBADF);
  return tarball_count(*t);
}
unsigned wrapped_count(const Tarball* t) { return t->count(); }

// tarball_file_name: NULL is "no such index"; the caller wants the name's length.
std::size_t direct_file_name(tarball_t* const* t, unsigned i) {
  if (*t == nullptr) c_fail(EBADF);
  const char* name = tarball_file_name(*t, i);
  return name != nullptr ? std::strlen(name) : SIZE_MAX;
}
std::size_t wrapped_file_name(const Tarball* t, unsigned i) {
  auto name = t->file_name(i);
  return name ? name->size() : SIZE_MAX;
}

// tarball_file_data: NULL is "no such index"; the size comes back through a pointer.
std::size_t direct_file_data(tarball_t* const* t, unsigned i) {
  if (*t == nullptr) c_fail(EBADF);
  std::size_t size = 0;
  const char* data = tarball_file_data(*t, i, &size);
  return data != nullptr ? size : SIZE_MAX;
}
std::size_t wrapped_file_data(Tarball* t, unsigned i) {
  auto data = t->file_data(i);
  return data ? data->size() : SIZE_MAX;
}

// tarball_find: -1 is "not found", any other negative value an error.
int direct_find(tarball_t* const* t, const char* name) {
  if (*t == nullptr) c_fail(EBADF);
  const int r = tarball_find(*t, name);
  if (r < -1) c_fail(r);
  return r;
}
int wrapped_find(const Tarball* t, const char* name) {
  auto r = t->find(name);
  return r ? *r : -1;
}
}
