#include "double_input.hpp"

namespace example {

std::int32_t double_input(std::int32_t input) noexcept {
  // Unsigned arithmetic wraps by definition, and since C++20 the conversion back to a signed
  // type is two's complement: no input is undefined behaviour.
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(input) * 2u);
}

}  // namespace example
