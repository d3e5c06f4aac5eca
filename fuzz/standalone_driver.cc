// Standalone driver for libFuzzer targets when libFuzzer is not linked (g++ builds).
// Runs every file under fuzz/corpus/<target>/ and then N deterministic pseudo-random inputs
// (random bytes and byte-flipped corpus entries), so CI exercises every decoder on hostile input.
// Usage: <target> [iterations] [corpus files...]
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 10000;
  std::vector<std::vector<uint8_t>> seeds;
  for (int i = 2; i < argc; ++i) seeds.push_back(read_file(argv[i]));
  for (auto& s : seeds) LLVMFuzzerTestOneInput(s.data(), s.size());
  std::mt19937_64 rng(0x9a7e40u);
  std::vector<uint8_t> buf;
  for (long i = 0; i < iterations; ++i) {
    if (!seeds.empty() && (i % 2 == 0)) {
      buf = seeds[rng() % seeds.size()];
      size_t flips = 1 + rng() % 8;
      for (size_t f = 0; f < flips && !buf.empty(); ++f) buf[rng() % buf.size()] ^= uint8_t(rng());
      if (rng() % 4 == 0 && !buf.empty()) buf.resize(rng() % buf.size());
    } else {
      buf.resize(rng() % 512);
      for (auto& b : buf) b = uint8_t(rng());
    }
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
  }
  std::printf("%ld inputs ran without a crash\n", iterations + long(seeds.size()));
  return 0;
}
