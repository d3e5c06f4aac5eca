// Wire primitives of the MySQL client/server protocol: little-endian fixed integers,
// length-encoded integers and strings, NUL-terminated strings.
//
// Reader is a bounds-checked cursor over untrusted bytes: every read returns Result and a short
// buffer yields Errc::kMalformedPacket, never an assert. Writer appends to a std::string that
// the caller owns. Payload bytes are carried as std::string / std::string_view throughout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh::mysql {

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ >= data_.size(); }
  size_t position() const { return pos_; }

  Result<uint8_t> peek() const;
  Result<uint8_t> u8();
  Result<uint16_t> u16();
  Result<uint32_t> u24();
  Result<uint32_t> u32();
  Result<uint64_t> u48();
  Result<uint64_t> u64();
  Result<uint64_t> lenenc_int();
  Result<std::string_view> lenenc_str();
  Result<std::string_view> null_str();  // up to the next NUL, which is consumed
  Result<std::string_view> fixed(size_t n);
  Status skip(size_t n);
  std::string_view rest();  // everything left (may be empty)

 private:
  Result<uint64_t> le(size_t n);
  std::string_view data_;
  size_t pos_ = 0;
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Writer& u8(uint8_t v);
  Writer& u16(uint16_t v);
  Writer& u24(uint32_t v);
  Writer& u32(uint32_t v);
  Writer& u64(uint64_t v);
  Writer& lenenc_int(uint64_t v);
  Writer& lenenc_str(std::string_view s);
  Writer& null_str(std::string_view s);  // s then a NUL
  Writer& raw(std::string_view s);
  Writer& zeros(size_t n);
  std::string& buffer() { return out_; }

 private:
  Writer& le(uint64_t v, size_t n);
  std::string& out_;
};

// Size in bytes of the length-encoded form of v.
constexpr size_t lenenc_size(uint64_t v) {
  return v < 251 ? 1 : v < (1u << 16) ? 3 : v < (1u << 24) ? 4 : 9;
}

}  // namespace gh::mysql
