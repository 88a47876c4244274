// double_input as a C++ library: the source of the C-over-C++ direction, where bindery generates a
// C ABI (header + library) that C programs and every other host can call.
#pragma once

#include <cstdint>

namespace example {

/// Returns twice `input`.
///
/// Defined for every `int32_t`: outside [INT32_MIN / 2, INT32_MAX / 2] the result wraps around in
/// two's complement instead of being undefined behaviour. It cannot fail, hence `noexcept` (which
/// also spares the generated C function a status code).
std::int32_t double_input(std::int32_t input) noexcept;

}  // namespace example
