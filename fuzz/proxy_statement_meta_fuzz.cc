// Fuzz target: the metadata-caching decoders of the proxy (proxy/statement_meta.h), which read
// backend bytes. Byte 0: bit 0 = CLIENT_DEPRECATE_EOF, bits 1..3 = how many cached definitions
// (0..7) inject_metadata() may put back. The rest is a response's frames. Invariants:
// meta_of_prepare() never crashes and gives a non-zero hash; inject_metadata() either returns
// the input unchanged (injected false) or exactly the input plus the definitions' frames, with
// a column count whose "metadata follows" byte is now 1, and every output frame well formed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocol/packet.h"
#include "protocol/resultset.h"
#include "proxy/statement_meta.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  bool no_eof = data[0] & 1;
  size_t ncols = (data[0] >> 1) & 7;
  std::string_view frames(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (auto meta = gh::proxy::meta_of_prepare(frames, no_eof)) FUZZ_CHECK(meta->hash != 0);

  gh::proxy::StatementMeta meta;
  size_t added = 0;
  for (size_t i = 0; i < ncols; ++i) {
    meta.columns.push_back(std::string(3 + i, char('a' + i)));
    added += gh::mysql::kHeaderSize + meta.columns.back().size();
  }
  meta.hash = 1;
  bool injected = true;
  auto out = gh::proxy::inject_metadata(frames, meta, injected);
  if (!out) return 0;
  if (!injected) {
    FUZZ_CHECK(*out == frames);
    return 0;
  }
  FUZZ_CHECK(out->size() == frames.size() + added);
  std::string_view rest = *out;
  auto first = gh::mysql::parse_frame(rest);
  FUZZ_CHECK(first.has_value());
  auto count =
      gh::mysql::decode_column_count(first->payload, gh::mysql::mariadb_cap::kCacheMetadata);
  FUZZ_CHECK(count.has_value() && count->metadata_follows && count->count == ncols);
  while (!rest.empty()) {
    auto f = gh::mysql::parse_frame(rest);
    FUZZ_CHECK(f.has_value());
    rest.remove_prefix(f->wire_size);
  }
  return 0;
}
