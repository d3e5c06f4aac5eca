// Wire primitives: exact bytes of fixed and length-encoded integers and strings, every lenenc
// boundary, and truncated input (kMalformedPacket, never a crash).
#include "protocol/wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "hex.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

struct LenencCase {
  uint64_t value;
  const char* bytes;
};

constexpr LenencCase kLenenc[] = {
    {0, "00"},
    {1, "01"},
    {250, "fa"},
    {251, "fc fb00"},
    {252, "fc fc00"},
    {0xFFFF, "fc ffff"},
    {0x10000, "fd 000001"},
    {0xFFFFFF, "fd ffffff"},
    {0x1000000, "fe 0000000100000000"},
    {0xFFFFFFFF, "fe ffffffff00000000"},
    {0x100000000, "fe 0000000001000000"},
    {UINT64_MAX, "fe ffffffffffffffff"},
};

TEST(Wire, LenencIntEncodesEveryBoundaryExactly) {
  for (const auto& c : kLenenc) {
    std::string out;
    Writer(out).lenenc_int(c.value);
    EXPECT_EQ(hex(out), canon(c.bytes)) << c.value;
    EXPECT_EQ(out.size(), lenenc_size(c.value)) << c.value;
  }
}

TEST(Wire, LenencIntDecodesEveryBoundaryAndConsumesExactly) {
  for (const auto& c : kLenenc) {
    std::string in = unhex(c.bytes) + "X";
    Reader r(in);
    auto v = r.lenenc_int();
    ASSERT_TRUE(v) << c.value;
    EXPECT_EQ(*v, c.value);
    EXPECT_EQ(r.remaining(), 1u) << c.value;
  }
}

TEST(Wire, LenencIntTruncatedIsMalformed) {
  for (const auto& c : kLenenc) {
    std::string in = unhex(c.bytes);
    for (size_t n = 0; n < in.size(); ++n) {
      Reader r(std::string_view(in).substr(0, n));
      auto v = r.lenenc_int();
      ASSERT_FALSE(v) << c.value << " cut at " << n;
      EXPECT_EQ(v.error(), make_error_code(Errc::kMalformedPacket));
    }
  }
}

TEST(Wire, LenencIntRejectsNullAndErrMarkers) {
  for (const char* b : {"fb", "ff"}) {
    std::string in = unhex(b);
    Reader r(in);
    EXPECT_EQ(r.lenenc_int().error(), make_error_code(Errc::kMalformedPacket)) << b;
  }
}

TEST(Wire, LenencStringAtBoundaries) {
  for (size_t n : {0u, 1u, 250u, 251u, 0xFFFFu, 0x10000u}) {
    std::string s(n, 'q');
    std::string out;
    Writer(out).lenenc_str(s);
    ASSERT_EQ(out.size(), lenenc_size(n) + n);
    std::string prefix;
    Writer(prefix).lenenc_int(n);
    EXPECT_EQ(out.substr(0, prefix.size()), prefix);
    Reader r(out);
    auto back = r.lenenc_str();
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, s);
    EXPECT_TRUE(r.empty());
    // One byte short is malformed, not a read past the end.
    if (n > 0) {
      Reader short_r(std::string_view(out).substr(0, out.size() - 1));
      EXPECT_EQ(short_r.lenenc_str().error(), make_error_code(Errc::kMalformedPacket)) << n;
    }
  }
}

TEST(Wire, LenencStringLengthBeyondBufferIsMalformed) {
  std::string in = unhex("fe ffffffffffffffff 41");  // 2^64-1 announced, 1 byte present
  Reader r(in);
  EXPECT_EQ(r.lenenc_str().error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Wire, FixedIntegersAreLittleEndian) {
  std::string out;
  Writer(out).u8(0x01).u16(0x0302).u24(0x060504).u32(0x0a090807).u64(0x1211100f0e0d0c0b);
  EXPECT_EQ(hex(out), canon("01 0203 040506 0708090a 0b0c0d0e0f101112"));
  Reader r(out);
  EXPECT_EQ(*r.u8(), 0x01);
  EXPECT_EQ(*r.u16(), 0x0302);
  EXPECT_EQ(*r.u24(), 0x060504u);
  EXPECT_EQ(*r.u32(), 0x0a090807u);
  EXPECT_EQ(*r.u64(), 0x1211100f0e0d0c0bu);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.u8());
}

TEST(Wire, U48ReadsSixBytes) {
  std::string in = unhex("010203040506");
  Reader r(in);
  EXPECT_EQ(*r.u48(), 0x060504030201u);
  EXPECT_TRUE(r.empty());
}

TEST(Wire, EveryFixedReadOnShortInputIsMalformed) {
  std::string in = unhex("01020304050607");  // 7 bytes
  for (size_t n = 0; n < in.size(); ++n) {
    std::string_view s = std::string_view(in).substr(0, n);
    EXPECT_EQ(bool(Reader(s).u16()), n >= 2) << n;
    EXPECT_EQ(bool(Reader(s).u24()), n >= 3) << n;
    EXPECT_EQ(bool(Reader(s).u32()), n >= 4) << n;
    EXPECT_EQ(bool(Reader(s).u48()), n >= 6) << n;
    EXPECT_FALSE(Reader(s).u64());
    EXPECT_FALSE(Reader(s).fixed(n + 1));
    EXPECT_FALSE(Reader(s).skip(n + 1));
    EXPECT_TRUE(Reader(s).fixed(n));
  }
  EXPECT_FALSE(Reader("").peek());
  EXPECT_FALSE(Reader("").u8());
}

TEST(Wire, NullTerminatedStrings) {
  std::string out;
  Writer(out).null_str("abc").null_str("");
  EXPECT_EQ(hex(out), canon("61626300 00"));
  Reader r(out);
  EXPECT_EQ(*r.null_str(), "abc");
  EXPECT_EQ(*r.null_str(), "");
  EXPECT_TRUE(r.empty());
  Reader unterminated("abc");
  EXPECT_EQ(unterminated.null_str().error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Wire, RestPeekSkipAndZeros) {
  std::string out;
  Writer(out).zeros(3).raw("xy");
  EXPECT_EQ(hex(out), "0000007879");
  Reader r(out);
  EXPECT_TRUE(r.skip(3));
  EXPECT_EQ(*r.peek(), 'x');
  EXPECT_EQ(r.position(), 3u);
  EXPECT_EQ(r.rest(), "xy");
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.rest(), "");
}

}  // namespace
}  // namespace gh::mysql
