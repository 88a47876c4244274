// Must not compile: a cursor's `key` gives the engine an integer (`result_to: key`, an int64_t *),
// so an override returning text is refused by the compiler (SPEC I8, a run-time type error in
// Python). Built with -DBINDERY_CONTROL it returns the right type and must compile: the refusal is
// about the return type, nothing else.
#include <cstdint>
#include <memory>
#include <string>

#include "interfaces.hpp"

class TextKeys : public interfaces::Cursor {
 public:
  void filter(std::int64_t) override {}
  void next() override {}
  bool eof() override { return true; }
  void value(interfaces::Result, std::int32_t) override {}
#ifdef BINDERY_CONTROL
  std::int64_t key() override { return 1; }
#else
  std::string key() override { return "1"; }
#endif
};

std::unique_ptr<interfaces::Cursor> make() { return std::make_unique<TextKeys>(); }
