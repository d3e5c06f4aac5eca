// FUZZ_CHECK: the invariant check of every fuzz target. It aborts with the failed condition so
// libFuzzer (or the standalone driver) reports the input, in release builds too (no assert).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
