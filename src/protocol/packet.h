// Packet framing: a 4-byte header (3-byte payload length, 1-byte sequence id) before each
// payload. Payloads of 16 MiB - 1 or more are split into 0xFFFFFF-byte frames followed by a
// shorter (possibly empty) frame; the reader joins them back into one logical packet.
//
// Framing is pure: it turns payloads into bytes and bytes into frames/packets. Sockets belong
// to the callers (client, proxy sessions), who feed whatever bytes they have read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh::mysql {

inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kMaxFramePayload = 0xFFFFFF;

// Writes the 4-byte frame header for a payload of `len` (< kMaxFramePayload) bytes at `h`.
void write_header(char* h, size_t len, uint8_t seq);
// Appends `payload` as one or more frames starting at sequence `seq`. Returns the next seq.
uint8_t append_packet(std::string& out, std::string_view payload, uint8_t seq);

// Builds a packet in place: begin_packet reserves a header and returns its offset; the caller
// appends the payload to `out`; finish_packet writes the header(s), splitting if needed, and
// returns the next sequence id.
size_t begin_packet(std::string& out);
uint8_t finish_packet(std::string& out, size_t start, uint8_t seq);

// One wire frame at the front of a buffer.
struct Frame {
  std::string_view payload;
  uint8_t seq = 0;
  size_t wire_size = 0;                                                  // header + payload
  bool continued() const { return payload.size() == kMaxFramePayload; }  // more frames follow
};

// Parses the frame at the front of `buf`; Errc::kIncomplete when the buffer holds less.
Result<Frame> parse_frame(std::string_view buf);

// A logical packet: the joined payload of its frames.
struct Packet {
  std::string_view payload;  // valid until the next call to next/feed/buffer/clear
  uint8_t seq = 0;           // sequence id of the first frame
  uint8_t last_seq = 0;      // sequence id of the last frame
};

// Reassembles logical packets from a byte stream. Bytes are appended with feed(); next() yields
// one packet at a time, nullopt when more bytes are needed, or an error: kPacketTooLarge for a
// packet that exceeds max_packet_size (as soon as a header announces it), kSequenceMismatch when
// the frames of one packet do not carry consecutive sequence ids. The common case (one frame)
// returns a view into the buffer with no copy. feed() drops consumed bytes first, so a reader
// fed forever holds at most one partial packet plus the new bytes.
class PacketReader {
 public:
  explicit PacketReader(size_t max_packet_size = 64u << 20) : max_packet_size_(max_packet_size) {}

  void feed(std::string_view bytes) {
    compact();
    buffer_.append(bytes);
  }
  // Reading from a socket straight into the buffer: prepare() returns `n` writable bytes at
  // the tail (not zero-filled), commit() keeps the `got` <= n of them that were filled.
  // Packets returned by next() before prepare() are invalidated by it.
  char* prepare(size_t n) {
    compact();
    size_t at = buffer_.size();
    buffer_.resize_and_overwrite(at + n, [](char*, size_t size) { return size; });
    prepared_at_ = at;
    return buffer_.data() + at;
  }
  void commit(size_t got) { buffer_.resize(prepared_at_ + got); }
  // Raw access for callers that read from a socket straight into the buffer.
  std::string& buffer() {
    compact();
    return buffer_;
  }
  Result<std::optional<Packet>> next();
  // True when a complete single-frame packet is buffered (next() would return it at once).
  bool has_packet() const;
  size_t buffered() const { return buffer_.size() - consumed_; }
  void clear() {
    buffer_.clear();
    consumed_ = 0;
    joined_.clear();
  }

 private:
  void compact();
  std::string buffer_;
  size_t consumed_ = 0;
  size_t prepared_at_ = 0;
  std::string joined_;  // only for multi-frame packets
  size_t max_packet_size_;
};

}  // namespace gh::mysql
