// Test helpers for exact-byte protocol tests: hex strings to bytes and back.
// unhex() ignores spaces, newlines and '|' so vectors can be grouped by field:
//   unhex("03 | 73656c656374")  ==  "\x03select"
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gh::mysql::test {

inline std::string unhex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit in test vector");
  };
  std::string out;
  int hi = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == '|') continue;
    int v = nibble(c);
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(char(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("odd number of hex digits in test vector");
  return out;
}

// Lower-case hex without separators.
inline std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// Normalizes a grouped hex vector ("03 | 7365") to the form hex() produces.
inline std::string canon(std::string_view grouped) { return hex(unhex(grouped)); }

}  // namespace gh::mysql::test
