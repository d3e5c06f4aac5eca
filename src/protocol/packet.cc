// Packet framing: implementation (see packet.h).
#include "protocol/packet.h"

#include <cstring>

namespace gh::mysql {
void write_header(char* h, size_t len, uint8_t seq) {
  h[0] = char(len & 0xFF);
  h[1] = char((len >> 8) & 0xFF);
  h[2] = char((len >> 16) & 0xFF);
  h[3] = char(seq);
}

namespace {

size_t announced_length(std::string_view buf) {
  return size_t(uint8_t(buf[0])) | size_t(uint8_t(buf[1])) << 8 | size_t(uint8_t(buf[2])) << 16;
}

}  // namespace

uint8_t append_packet(std::string& out, std::string_view payload, uint8_t seq) {
  size_t start = begin_packet(out);
  out.append(payload);
  return finish_packet(out, start, seq);
}

size_t begin_packet(std::string& out) {
  size_t start = out.size();
  out.append(kHeaderSize, '\0');
  return start;
}

uint8_t finish_packet(std::string& out, size_t start, uint8_t seq) {
  size_t len = out.size() - start - kHeaderSize;
  if (len < kMaxFramePayload) {
    write_header(out.data() + start, len, seq);
    return uint8_t(seq + 1);
  }
  // Rare: split into full frames plus a final short one. Rebuild the tail with headers.
  std::string payload = out.substr(start + kHeaderSize);
  out.resize(start);
  size_t off = 0;
  for (;;) {
    size_t n = std::min(kMaxFramePayload, payload.size() - off);
    char h[kHeaderSize];
    write_header(h, n, seq++);
    out.append(h, kHeaderSize);
    out.append(payload, off, n);
    off += n;
    if (n < kMaxFramePayload) break;  // a full last frame is followed by an empty one
  }
  return seq;
}

Result<Frame> parse_frame(std::string_view buf) {
  if (buf.size() < kHeaderSize) return fail(Errc::kIncomplete);
  size_t len = announced_length(buf);
  if (buf.size() < kHeaderSize + len) return fail(Errc::kIncomplete);
  return Frame{buf.substr(kHeaderSize, len), uint8_t(buf[3]), kHeaderSize + len};
}

void PacketReader::compact() {
  if (consumed_ == 0) return;
  buffer_.erase(0, consumed_);
  consumed_ = 0;
}

bool PacketReader::has_packet() const {
  auto f = parse_frame(std::string_view(buffer_.data() + consumed_, buffer_.size() - consumed_));
  return f && !f->continued();
}

Result<std::optional<Packet>> PacketReader::next() {
  std::string_view avail(buffer_.data() + consumed_, buffer_.size() - consumed_);
  auto first = parse_frame(avail);
  if (!first) {
    // Refuse early when the header alone announces an oversized packet.
    if (avail.size() >= kHeaderSize && announced_length(avail) > max_packet_size_)
      return fail(Errc::kPacketTooLarge);
    return std::optional<Packet>{};
  }
  if (!first->continued()) {
    consumed_ += first->wire_size;
    if (first->payload.size() > max_packet_size_) return fail(Errc::kPacketTooLarge);
    return std::optional<Packet>{Packet{first->payload, first->seq, first->seq}};
  }
  // Multi-frame: make sure every frame is here before consuming anything.
  size_t off = 0;
  size_t total = 0;
  uint8_t last_seq = first->seq;
  for (;;) {
    auto f = parse_frame(avail.substr(off));
    if (!f) {  // incomplete: still refuse what can never fit
      if (avail.size() - off >= kHeaderSize &&
          total + announced_length(avail.substr(off)) > max_packet_size_)
        return fail(Errc::kPacketTooLarge);
      return std::optional<Packet>{};
    }
    total += f->payload.size();
    if (total > max_packet_size_) return fail(Errc::kPacketTooLarge);
    if (off > 0 && f->seq != uint8_t(last_seq + 1)) return fail(Errc::kSequenceMismatch);
    last_seq = f->seq;
    off += f->wire_size;
    if (!f->continued()) break;
  }
  joined_.clear();
  joined_.reserve(total);
  size_t pos = 0;
  while (pos < off) {
    auto f = parse_frame(avail.substr(pos));
    joined_.append(f->payload);
    pos += f->wire_size;
  }
  consumed_ += off;
  return std::optional<Packet>{Packet{joined_, first->seq, last_seq}};
}

}  // namespace gh::mysql
