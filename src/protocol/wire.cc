// Wire primitives: implementation of Reader and Writer (see wire.h).
#include "protocol/wire.h"

namespace gh::mysql {

Result<uint64_t> Reader::le(size_t n) {
  if (remaining() < n) return fail(Errc::kMalformedPacket);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t(uint8_t(data_[pos_ + i])) << (8 * i);
  pos_ += n;
  return v;
}

Result<uint8_t> Reader::peek() const {
  if (empty()) return fail(Errc::kMalformedPacket);
  return uint8_t(data_[pos_]);
}
template <class T>
static Result<T> narrow(Result<uint64_t> v) {
  if (!v) return fail(v.error());
  return static_cast<T>(*v);
}
Result<uint8_t> Reader::u8() { return narrow<uint8_t>(le(1)); }
Result<uint16_t> Reader::u16() { return narrow<uint16_t>(le(2)); }
Result<uint32_t> Reader::u24() { return narrow<uint32_t>(le(3)); }
Result<uint32_t> Reader::u32() { return narrow<uint32_t>(le(4)); }
Result<uint64_t> Reader::u48() { return le(6); }
Result<uint64_t> Reader::u64() { return le(8); }

Result<uint64_t> Reader::lenenc_int() {
  auto first = u8();
  if (!first) return fail(first.error());
  switch (*first) {
    case 0xFC:
      return le(2);
    case 0xFD:
      return le(3);
    case 0xFE:
      return le(8);
    case 0xFB:  // NULL marker: only meaningful in text rows; callers handle it before.
    case 0xFF:
      return fail(Errc::kMalformedPacket);
    default:
      return *first;
  }
}

Result<std::string_view> Reader::lenenc_str() {
  auto n = lenenc_int();
  if (!n) return fail(n.error());
  if (*n > remaining()) return fail(Errc::kMalformedPacket);
  return fixed(static_cast<size_t>(*n));
}

Result<std::string_view> Reader::null_str() {
  size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) return fail(Errc::kMalformedPacket);
  std::string_view s = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return s;
}

Result<std::string_view> Reader::fixed(size_t n) {
  if (remaining() < n) return fail(Errc::kMalformedPacket);
  std::string_view s = data_.substr(pos_, n);
  pos_ += n;
  return s;
}

Status Reader::skip(size_t n) {
  if (remaining() < n) return fail(Errc::kMalformedPacket);
  pos_ += n;
  return {};
}

std::string_view Reader::rest() {
  std::string_view s = data_.substr(std::min(pos_, data_.size()));
  pos_ = data_.size();
  return s;
}

Writer& Writer::le(uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out_.push_back(char((v >> (8 * i)) & 0xFF));
  return *this;
}
Writer& Writer::u8(uint8_t v) { return le(v, 1); }
Writer& Writer::u16(uint16_t v) { return le(v, 2); }
Writer& Writer::u24(uint32_t v) { return le(v, 3); }
Writer& Writer::u32(uint32_t v) { return le(v, 4); }
Writer& Writer::u64(uint64_t v) { return le(v, 8); }

Writer& Writer::lenenc_int(uint64_t v) {
  if (v < 251) return u8(uint8_t(v));
  if (v < (1u << 16)) return u8(0xFC).le(v, 2);
  if (v < (1u << 24)) return u8(0xFD).le(v, 3);
  return u8(0xFE).le(v, 8);
}
Writer& Writer::lenenc_str(std::string_view s) { return lenenc_int(s.size()).raw(s); }
Writer& Writer::null_str(std::string_view s) { return raw(s).u8(0); }
Writer& Writer::raw(std::string_view s) {
  out_.append(s);
  return *this;
}
Writer& Writer::zeros(size_t n) {
  out_.append(n, '\0');
  return *this;
}

}  // namespace gh::mysql
