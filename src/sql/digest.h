// Statement digests: a normalized text and a stable 64-bit hash that group queries differing
// only in literal values, letter case, whitespace and comments.
//
// Normalization: string/number/hex/bit literals and placeholders become "?" (a unary sign before
// a number is folded into it), literal lists after IN / VALUES collapse to "(...)" (consecutive
// VALUES rows too), keywords and built-in function names are upper-cased, backtick-quoted
// identifiers are unquoted, comments are dropped (the contents of versioned comments are kept:
// the server executes them), whitespace is collapsed and trailing semicolons are dropped.
// The hash is FNV-1a 64 of the normalized text, so it is stable across runs and builds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gh::sql {

struct Digest {
  std::string text;
  uint64_t hash = 0;
};

Digest digest(std::string_view sql);

// FNV-1a 64-bit.
uint64_t fnv1a64(std::string_view data);

}  // namespace gh::sql
