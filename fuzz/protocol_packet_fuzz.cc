// Fuzz target: PacketReader. The input is a byte stream fed (1) all at once and (2) in chunks
// whose sizes come from a small PRNG seeded by the first input byte; both readers must yield the
// same packets and the same error. Every packet re-encoded with append_packet must reproduce
// exactly the bytes the reader consumed for it. The second byte picks max_packet_size.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "protocol/packet.h"

namespace {

struct Outcome {
  std::vector<std::pair<std::string, uint8_t>> packets;  // payload, first seq
  std::vector<uint8_t> last_seqs;
  std::optional<std::error_code> error;
  size_t buffered = 0;
};

void drain(gh::mysql::PacketReader& r, Outcome& o) {
  while (!o.error) {
    auto p = r.next();
    if (!p) {
      o.error = p.error();
      return;
    }
    if (!*p) return;
    o.packets.emplace_back(std::string((*p)->payload), (*p)->seq);
    o.last_seqs.push_back((*p)->last_seq);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint32_t rng = data[0] * 2654435761u + 1;
  static constexpr size_t kMaxSizes[] = {0, 1, 16, 255, 4096, 64u << 20};
  size_t max_packet = kMaxSizes[data[1] % std::size(kMaxSizes)];
  std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  Outcome whole;
  gh::mysql::PacketReader a(max_packet);
  a.feed(stream);
  drain(a, whole);
  whole.buffered = a.buffered();

  Outcome chunked;
  gh::mysql::PacketReader b(max_packet);
  size_t off = 0;
  while (off < stream.size() && !chunked.error) {
    rng = rng * 1103515245u + 12345u;
    size_t n = std::min<size_t>(1 + (rng >> 16) % 64, stream.size() - off);
    if ((rng >> 8) % 3 == 0) {
      b.buffer().append(stream.substr(off, n));  // the raw-buffer path
    } else {
      b.feed(stream.substr(off, n));
    }
    off += n;
    drain(b, chunked);
  }
  chunked.buffered = b.buffered();

  // Chunking must not change anything: same packets, same error at the same place.
  FUZZ_CHECK(whole.error.has_value() == chunked.error.has_value());
  FUZZ_CHECK(whole.packets == chunked.packets);
  if (whole.error) {
    FUZZ_CHECK(*whole.error == *chunked.error);
    return 0;
  }
  FUZZ_CHECK(whole.last_seqs == chunked.last_seqs);
  FUZZ_CHECK(whole.buffered == chunked.buffered);

  // Re-encoding reproduces the consumed bytes exactly.
  std::string again;
  for (size_t i = 0; i < whole.packets.size(); ++i) {
    FUZZ_CHECK(whole.packets[i].first.size() <= max_packet);
    uint8_t next = gh::mysql::append_packet(again, whole.packets[i].first, whole.packets[i].second);
    FUZZ_CHECK(uint8_t(next - 1) == whole.last_seqs[i]);
  }
  FUZZ_CHECK(again.size() + whole.buffered == stream.size());
  FUZZ_CHECK(again == stream.substr(0, again.size()));
  return 0;
}
