// StatementMeta: implementation (see statement_meta.h).
#include "proxy/statement_meta.h"

#include "protocol/capabilities.h"
#include "protocol/packet.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"
#include "sql/digest.h"

namespace gh::proxy {

using namespace gh::mysql;

namespace {

// The frames of a response, in order (every one complete).
Result<std::vector<Frame>> split_frames(std::string_view frames) {
  std::vector<Frame> out;
  while (!frames.empty()) {
    auto f = parse_frame(frames);
    if (!f) return fail(Errc::kMalformedPacket);
    out.push_back(*f);
    frames.remove_prefix(f->wire_size);
  }
  return out;
}

}  // namespace

uint64_t hash_columns(const std::vector<std::string>& columns) {
  std::string all;
  for (const auto& c : columns) all.append(c).push_back('\0');
  return sql::fnv1a64(all) | 1;
}

Result<StatementMeta> meta_of_prepare(std::string_view frames, bool deprecate_eof) {
  GH_TRY(list, split_frames(frames));
  if (list.empty() || list[0].payload.size() < 9 || uint8_t(list[0].payload[0]) != 0x00)
    return fail(Errc::kUnexpectedPacket);
  Reader r(list[0].payload.substr(5));
  GH_TRY(columns, r.u16());
  GH_TRY(params, r.u16());
  size_t at = 1 + params + (params > 0 && !deprecate_eof ? 1 : 0);
  if (list.size() < at + columns) return fail(Errc::kMalformedPacket);
  StatementMeta meta;
  for (size_t i = at; i < at + columns; ++i) meta.columns.emplace_back(list[i].payload);
  meta.hash = hash_columns(meta.columns);
  return meta;
}

Result<std::string> inject_metadata(std::string_view frames, const StatementMeta& meta,
                                    bool& injected) {
  injected = false;
  GH_TRY(list, split_frames(frames));
  if (list.empty()) return fail(Errc::kMalformedPacket);
  std::string_view first = list[0].payload;
  uint8_t h = first.empty() ? 0 : uint8_t(first[0]);
  if (h == 0x00 || h == 0xFF || h == 0xFB || h == 0xFE) return std::string(frames);
  GH_TRY(count, decode_column_count(first, mariadb_cap::kCacheMetadata));
  if (count.metadata_follows) return std::string(frames);  // sent by the server, or no flag
  if (count.count != meta.columns.size()) return fail(Errc::kUnexpectedPacket);
  std::string out;
  out.reserve(frames.size() + 64 * meta.columns.size());
  std::string head(first.substr(0, first.size() - 1));
  head.push_back('\1');
  uint8_t seq = append_packet(out, head, list[0].seq);
  for (const auto& c : meta.columns) seq = append_packet(out, c, seq);
  auto shift = uint8_t(meta.columns.size());
  for (size_t i = 1; i < list.size(); ++i) {  // the rest, frame by frame (16 MiB ones too)
    size_t at = out.size();
    out.append(kHeaderSize, '\0');
    write_header(out.data() + at, list[i].payload.size(), uint8_t(list[i].seq + shift));
    out.append(list[i].payload);
  }
  injected = true;
  return out;
}

}  // namespace gh::proxy
