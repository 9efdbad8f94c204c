// Forced into every web-module source (-include): Debian's emscripten 3.1.6 ships a libc++ without
// std::bit_cast (C++20); clang's builtin provides it until a newer emscripten does.
#pragma once

#include <version>

#if !defined(__cpp_lib_bit_cast)
namespace std {
template <class To, class From>
constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}
}  // namespace std
#endif
