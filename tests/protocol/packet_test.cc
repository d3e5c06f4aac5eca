// Packet framing: exact header bytes, the 16 MiB split rules, reassembly from arbitrary chunk
// boundaries (one byte at a time included), sequence ids and max_packet_size enforcement.
#include "protocol/packet.h"

#include <gtest/gtest.h>

#include <cstring>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "hex.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

struct Got {
  std::string payload;
  uint8_t seq;
  uint8_t last_seq;
  bool operator==(const Got&) const = default;
};

// Drains every complete packet from the reader.
std::vector<Got> drain(PacketReader& r) {
  std::vector<Got> out;
  for (;;) {
    auto p = r.next();
    EXPECT_TRUE(p) << p.error().message();
    if (!p || !*p) return out;
    out.push_back({std::string((*p)->payload), (*p)->seq, (*p)->last_seq});
  }
}

TEST(Packet, HeaderBytesAreExact) {
  struct Case {
    std::string payload;
    uint8_t seq;
    const char* header;
  };
  const Case cases[] = {
      {"", 0, "000000 00"},
      {"\x0e", 0, "010000 00"},
      {"\x03select 1", 7, "090000 07"},
      {std::string(251, 'a'), 255, "fb0000 ff"},
      {std::string(0x10203, 'b'), 1, "030201 01"},
  };
  for (const auto& c : cases) {
    std::string out;
    EXPECT_EQ(append_packet(out, c.payload, c.seq), uint8_t(c.seq + 1));
    EXPECT_EQ(hex(out.substr(0, 4)), canon(c.header));
    EXPECT_EQ(out.substr(4), c.payload);
  }
  std::string out;
  append_packet(out, "\x03select 1", 0);
  EXPECT_EQ(hex(out), canon("090000 00 | 03 73656c6563742031"));
}

TEST(Packet, BeginFinishMatchesAppend) {
  std::string a, b;
  append_packet(a, "\x01", 3);
  size_t start = begin_packet(b);
  b += '\x01';
  EXPECT_EQ(finish_packet(b, start, 3), 4);
  EXPECT_EQ(a, b);
}

TEST(Packet, ExactlyMaxFramePayloadIsAFullFramePlusAnEmptyOne) {
  std::string payload(kMaxFramePayload, 'x');
  std::string out;
  EXPECT_EQ(append_packet(out, payload, 0), 2);
  ASSERT_EQ(out.size(), 4 + kMaxFramePayload + 4);
  EXPECT_EQ(hex(out.substr(0, 4)), "ffffff00");
  EXPECT_EQ(hex(out.substr(4 + kMaxFramePayload)), "00000001");
}

TEST(Packet, MaxFramePayloadPlusTenIsTwoFrames) {
  std::string payload(kMaxFramePayload + 10, 'y');
  payload.back() = 'z';
  std::string out = "pre";  // finish_packet must leave what was before the packet alone
  size_t start = begin_packet(out);
  out += payload;
  EXPECT_EQ(finish_packet(out, start, 254), 0);  // seq wraps: 254, 255
  ASSERT_EQ(out.size(), 3 + 4 + kMaxFramePayload + 4 + 10);
  EXPECT_EQ(out.substr(0, 3), "pre");
  EXPECT_EQ(hex(out.substr(3, 4)), "fffffffe");
  EXPECT_EQ(hex(out.substr(3 + 4 + kMaxFramePayload, 4)), "0a0000ff");
  EXPECT_EQ(out.back(), 'z');
}

TEST(Packet, TwiceMaxFramePayloadIsTwoFullFramesAndAnEmptyOne) {
  std::string out;
  EXPECT_EQ(append_packet(out, std::string(2 * kMaxFramePayload, 'w'), 5), 8);
  ASSERT_EQ(out.size(), 3 * 4 + 2 * kMaxFramePayload);
  EXPECT_EQ(hex(out.substr(4 + kMaxFramePayload, 4)), "ffffff06");
  EXPECT_EQ(hex(out.substr(out.size() - 4)), "00000007");
}

TEST(Packet, ParseFrameNeedsTheWholeFrame) {
  std::string wire = unhex("030000 09 616263 ff");
  for (size_t n = 0; n < 7; ++n)
    EXPECT_EQ(parse_frame(std::string_view(wire).substr(0, n)).error(),
              make_error_code(Errc::kIncomplete));
  auto f = parse_frame(wire);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, "abc");
  EXPECT_EQ(f->seq, 9);
  EXPECT_EQ(f->wire_size, 7u);
  EXPECT_FALSE(f->continued());
}

// A stream of packets of awkward sizes, including multi-frame ones.
struct Stream {
  std::string wire;
  std::vector<Got> packets;
};
Stream make_stream() {
  Stream s;
  const size_t sizes[] = {
      0, 1, 250, 251, 4, kMaxFramePayload - 1, kMaxFramePayload, 7, kMaxFramePayload + 10, 0};
  uint8_t seq = 250;
  for (size_t i = 0; i < std::size(sizes); ++i) {
    std::string payload(sizes[i], char('a' + i));
    if (!payload.empty()) payload.back() = char('A' + i);
    uint8_t first = seq;
    seq = append_packet(s.wire, payload, seq);
    s.packets.push_back({payload, first, uint8_t(seq - 1)});
  }
  return s;
}
const Stream& stream() {
  static const Stream s = make_stream();
  return s;
}

TEST(Packet, ReaderYieldsThePacketsOfOneBigFeed) {
  const Stream& s = stream();
  PacketReader r;
  r.feed(s.wire);
  EXPECT_EQ(drain(r), s.packets);
  EXPECT_EQ(r.buffered(), 0u);
}

// Offsets of the frame headers in a wire stream.
std::vector<size_t> frame_starts(std::string_view wire) {
  std::vector<size_t> out;
  for (size_t off = 0; off < wire.size(); off += parse_frame(wire.substr(off))->wire_size)
    out.push_back(off);
  return out;
}

// Feeds `wire` to a fresh reader and drains it after every feed. Within `radius` bytes of a
// frame header the chunks are 1..small bytes; elsewhere (the middle of 16 MiB frames) up to
// `large`, which keeps byte-at-a-time tests fast without skipping any boundary.
std::vector<Got> feed_in_chunks(std::string_view wire, std::mt19937& rng, size_t small,
                                size_t large, size_t radius) {
  std::vector<size_t> starts = frame_starts(wire);
  auto near_header = [&](size_t off) {
    auto it = std::upper_bound(starts.begin(), starts.end(), off + radius);
    return it != starts.begin() && off - std::min(off, *std::prev(it)) <= radius + kHeaderSize;
  };
  PacketReader r;
  std::vector<Got> got;
  size_t off = 0;
  while (off < wire.size()) {
    size_t max = near_header(off) ? small : large;
    size_t n = std::min<size_t>(1 + rng() % max, wire.size() - off);
    if (!near_header(off)) {  // do not jump over the next boundary zone
      auto next = std::upper_bound(starts.begin(), starts.end(), off);
      if (next != starts.end()) n = std::min(n, *next - radius - off);
    }
    r.feed(wire.substr(off, n));
    off += n;
    auto more = drain(r);
    got.insert(got.end(), more.begin(), more.end());
  }
  EXPECT_EQ(r.buffered(), 0u);
  return got;
}

TEST(Packet, ReaderFedOneByteAtATimeYieldsIdenticalPackets) {
  const Stream& s = stream();
  std::mt19937 rng(1);
  EXPECT_EQ(feed_in_chunks(s.wire, rng, 1, 1u << 20, 600), s.packets);
}

TEST(Packet, ReaderFedArbitraryChunksYieldsIdenticalPackets) {
  const Stream& s = stream();
  std::mt19937 rng(42);
  for (int round = 0; round < 8; ++round) {
    size_t small = 1 + rng() % 300;
    size_t large = 1 + rng() % (3u << 20);
    EXPECT_EQ(feed_in_chunks(s.wire, rng, small, large, 1000), s.packets) << "round " << round;
  }
}

TEST(Packet, ReaderRawBufferAccess) {
  PacketReader r;
  r.buffer() += unhex("010000 00 0e 01");
  ASSERT_EQ(drain(r), (std::vector<Got>{{"\x0e", 0, 0}}));
  EXPECT_EQ(r.buffered(), 1u);
  r.buffer() += unhex("0000 05 51");
  EXPECT_EQ(drain(r), (std::vector<Got>{{"Q", 5, 5}}));
  r.feed(unhex("01"));
  r.clear();
  EXPECT_EQ(r.buffered(), 0u);
  EXPECT_EQ(drain(r), std::vector<Got>{});
}

TEST(Packet, ReaderPrepareCommitAndHasPacket) {
  PacketReader r;
  EXPECT_FALSE(r.has_packet());
  // A read that fills part of what was prepared: only the committed bytes count.
  std::string wire = unhex("010000 00 0e 010000 01 41");
  char* at = r.prepare(4096);
  std::memcpy(at, wire.data(), 6);  // the first packet and one byte of the next header
  r.commit(6);
  EXPECT_TRUE(r.has_packet());
  EXPECT_EQ(r.buffered(), 6u);
  ASSERT_EQ(drain(r), (std::vector<Got>{{"\x0e", 0, 0}}));
  EXPECT_FALSE(r.has_packet());  // an incomplete header
  at = r.prepare(16);
  std::memcpy(at, wire.data() + 6, wire.size() - 6);
  r.commit(wire.size() - 6);
  EXPECT_TRUE(r.has_packet());
  EXPECT_EQ(drain(r), (std::vector<Got>{{"A", 1, 1}}));
  // A 16 MiB frame is not "a packet" until its continuation arrives.
  std::string big(kMaxFramePayload, 'x');
  std::string framed;
  append_packet(framed, big, 0);
  r.feed(std::string_view(framed).substr(0, kHeaderSize + kMaxFramePayload));
  EXPECT_FALSE(r.has_packet());
}

TEST(Packet, MaxPacketSizeRefusedAsSoonAsTheHeaderArrives) {
  PacketReader r(100);
  r.feed(unhex("640000 00"));  // exactly 100 announced: fine, just incomplete
  auto p = r.next();
  ASSERT_TRUE(p);
  EXPECT_FALSE(*p);
  r.feed(std::string(100, 'k'));
  EXPECT_EQ(drain(r).at(0).payload.size(), 100u);

  PacketReader big(100);
  big.feed(unhex("6500"));  // half a header: cannot tell yet
  ASSERT_TRUE(big.next());
  big.feed(unhex("00 00"));  // 101 announced, no payload byte yet
  EXPECT_EQ(big.next().error(), make_error_code(Errc::kPacketTooLarge));
}

TEST(Packet, MaxPacketSizeCountsAllFramesOfALogicalPacket) {
  std::string wire;
  append_packet(wire, std::string(kMaxFramePayload + 10, 'm'), 0);
  {
    PacketReader r(kMaxFramePayload + 10);
    r.feed(wire);
    auto got = drain(r);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].payload.size(), kMaxFramePayload + 10);
  }
  {
    PacketReader r(kMaxFramePayload + 9);
    r.feed(std::string_view(wire).substr(0, 4 + kMaxFramePayload + 4));  // second header only
    EXPECT_EQ(r.next().error(), make_error_code(Errc::kPacketTooLarge));
  }
  {
    PacketReader r(1000);
    r.feed(std::string_view(wire).substr(0, 4));  // a full frame announced
    EXPECT_EQ(r.next().error(), make_error_code(Errc::kPacketTooLarge));
  }
}

TEST(Packet, FramesOfOnePacketMustHaveConsecutiveSequenceIds) {
  std::string wire;
  append_packet(wire, std::string(kMaxFramePayload + 1, 's'), 3);
  wire[4 + kMaxFramePayload + 3] = 9;  // second frame claims seq 9 instead of 4
  PacketReader r;
  r.feed(wire);
  EXPECT_EQ(r.next().error(), make_error_code(Errc::kSequenceMismatch));
}

TEST(Packet, ConsumedBytesAreDroppedOnFeed) {
  PacketReader r;
  std::string one;
  append_packet(one, std::string(1000, 'c'), 0);
  for (int i = 0; i < 1000; ++i) {
    r.feed(one);
    ASSERT_EQ(drain(r).size(), 1u);
  }
  EXPECT_LE(r.buffer().size(), one.size());
}

}  // namespace
}  // namespace gh::mysql
