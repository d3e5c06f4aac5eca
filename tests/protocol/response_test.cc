// OK / ERR / EOF: real MariaDB 10.11 packets (session tracking, info strings, the 0xFE OK that
// ends result sets under CLIENT_DEPRECATE_EOF), exact encodings and terminal_status.
#include "protocol/response.h"

#include <gtest/gtest.h>

#include "hex.h"
#include "protocol/capabilities.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

constexpr uint32_t kCaps41 = cap::kProtocol41 | cap::kTransactions;
constexpr uint32_t kCapsTrack = kCaps41 | cap::kSessionTrack | cap::kDeprecateEof;

struct OkCase {
  const char* name;
  const char* wire;
  uint32_t caps;
  uint64_t affected;
  uint64_t insert_id;
  uint16_t status;
  uint16_t warnings;
  std::string_view info;
  const char* session_state;  // hex
};

const OkCase kOkCases[] = {
    // SET @a=1 without CLIENT_SESSION_TRACK.
    {"plain", "00 00 00 0200 0000", kCaps41, 0, 0, 0x0002, 0, "", ""},
    // USE x with session tracking: status autocommit|session_state_changed, empty info,
    // state = SESSION_TRACK_SCHEMA(1), 2 bytes, lenenc "x".
    {"use_schema", "00 00 00 0240 0000 00 04 01 02 01 78", kCapsTrack, 0, 0, 0x4002, 0, "",
     "01020178"},
    // SET autocommit=0: SESSION_TRACK_SYSTEM_VARIABLES(0) autocommit=OFF.
    {"sysvar", "00 00 00 0040 0000 00 11 00 0f 0a 6175746f636f6d6d6974 03 4f4646", kCapsTrack, 0, 0,
     0x4000, 0, "", "000f0a6175746f636f6d6d6974034f4646"},
    // INSERT ... VALUES (1),(2),(3) in a transaction: info as a lenenc string.
    {"insert_info",
     "00 03 00 0100 0000 26 5265636f7264733a203320204475706c6963617465733a203020205761726e696e67"
     "733a2030",
     kCapsTrack, 3, 0, 0x0001, 0, "Records: 3  Duplicates: 0  Warnings: 0", ""},
    // The same info without CLIENT_SESSION_TRACK is string<EOF>.
    {"insert_info_eof",
     "00 03 00 0100 0000 5265636f7264733a203320204475706c6963617465733a203020205761726e696e6773"
     "3a2030",
     kCaps41, 3, 0, 0x0001, 0, "Records: 3  Duplicates: 0  Warnings: 0", ""},
    // Big counters: lenenc 0xfc / 0xfe forms.
    {"lenenc_counters", "00 fc fb00 fe 0000000001000000 0000 0100", kCaps41, 251, 0x100000000, 0, 1,
     "", ""},
    // Result-set end under CLIENT_DEPRECATE_EOF: OK with the 0xFE header (status in trans|no
    // index used), and one with a warning.
    {"fe_ok", "fe 00 00 2100 0000", kCapsTrack, 0, 0, 0x0021, 0, "", ""},
    {"fe_ok_warning", "fe 00 00 0100 0100", kCapsTrack, 0, 0, 0x0001, 1, "", ""},
};

TEST(Response, OkPacketsDecode) {
  for (const auto& c : kOkCases) {
    std::string wire = unhex(c.wire);
    auto ok = decode_ok(wire, c.caps);
    ASSERT_TRUE(ok) << c.name;
    EXPECT_EQ(ok->affected_rows, c.affected) << c.name;
    EXPECT_EQ(ok->last_insert_id, c.insert_id) << c.name;
    EXPECT_EQ(ok->status_flags, c.status) << c.name;
    EXPECT_EQ(ok->warnings, c.warnings) << c.name;
    EXPECT_EQ(ok->info, c.info) << c.name;
    EXPECT_EQ(hex(ok->session_state), canon(c.session_state)) << c.name;
  }
}

TEST(Response, OkPacketsEncodeToTheSameBytes) {
  for (const auto& c : kOkCases) {
    std::string wire = unhex(c.wire);
    auto ok = decode_ok(wire, c.caps);
    ASSERT_TRUE(ok) << c.name;
    std::string out;
    encode_ok(*ok, c.caps, out, uint8_t(wire[0]));
    EXPECT_EQ(hex(out), canon(c.wire)) << c.name;
  }
}

TEST(Response, OkTruncatedIsMalformed) {
  std::string wire = unhex(kOkCases[1].wire);
  for (size_t n = 1; n < 7; ++n)
    EXPECT_EQ(decode_ok(wire.substr(0, n), kCapsTrack).error(),
              make_error_code(Errc::kMalformedPacket))
        << n;
  // Session state announced longer than what is there.
  EXPECT_EQ(decode_ok(wire.substr(0, wire.size() - 1), kCapsTrack).error(),
            make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_ok(unhex("ff"), kCaps41).error(), make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_ok("", kCaps41).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Response, OkPreProtocol41) {
  auto ok = decode_ok(unhex("00 01 02 0300"), cap::kTransactions);  // status, no warnings
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->affected_rows, 1u);
  EXPECT_EQ(ok->last_insert_id, 2u);
  EXPECT_EQ(ok->status_flags, 3);
  std::string wire = unhex("00 01 02 6869");
  auto bare = decode_ok(wire, 0);  // neither: the rest is info
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->info, "hi");
}

TEST(Response, ErrWithSqlstate) {
  // SELECT * FROM nosuchtable.
  std::string wire = unhex(
      "ff 7a04 23 3432533032 "
      "5461626c652027782e6e6f737563687461626c652720646f65736e2774206578697374");
  auto err = decode_err(wire);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, 1146);
  EXPECT_EQ(err->sqlstate, "42S02");
  EXPECT_EQ(err->message, "Table 'x.nosuchtable' doesn't exist");
  std::string out;
  encode_err(err->code, err->sqlstate, err->message, out);
  EXPECT_EQ(out, wire);
}

TEST(Response, ErrWithoutSqlstate) {
  // Pre-4.1 style, e.g. "Too many connections" before the handshake.
  std::string wire = unhex("ff 1004 546f6f206d616e7920636f6e6e656374696f6e73");
  auto err = decode_err(wire);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, 1040);
  EXPECT_EQ(err->sqlstate, "");
  EXPECT_EQ(err->message, "Too many connections");
  std::string code_only = unhex("ff 1004");
  auto bare = decode_err(code_only);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->message, "");
  EXPECT_EQ(decode_err(unhex("ff 10")).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_err(unhex("ff 1004 23 3432")).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_err(unhex("00")).error(), make_error_code(Errc::kUnexpectedPacket));
}

TEST(Response, ErrEncodingPadsSqlstate) {
  std::string out;
  encode_err(1045, "28", "no", out);
  EXPECT_EQ(hex(out), canon("ff 1504 23 3238303030 6e6f"));
}

TEST(Response, GatehouseErr) {
  std::string out;
  encode_gatehouse_err(Errc::kQueueFull, "", out);
  auto err = decode_err(out);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, 7401);
  EXPECT_EQ(err->sqlstate, mysql_sqlstate(Errc::kQueueFull));
  EXPECT_EQ(err->message, "gatehouse: queue_full: request queue is full");
  out.clear();
  encode_gatehouse_err(Errc::kNoHealthyNode, "all 3 nodes down", out);
  EXPECT_EQ(decode_err(out)->message, "gatehouse: no_healthy_node: all 3 nodes down");
}

TEST(Response, Eof) {
  // End of a text result set: status in-trans|autocommit... here 0x0022.
  std::string wire = unhex("fe 0000 2200");
  auto eof = decode_eof(wire);
  ASSERT_TRUE(eof);
  EXPECT_EQ(eof->warnings, 0);
  EXPECT_EQ(eof->status_flags, 0x0022);
  std::string out;
  encode_eof(*eof, out);
  EXPECT_EQ(out, wire);
  auto old = decode_eof(unhex("fe"));  // pre-4.1: header only
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status_flags, 0);
  EXPECT_EQ(decode_eof(unhex("fe 0000 2200 00000000")).error(),  // 9 bytes: not an EOF
            make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_eof(unhex("00")).error(), make_error_code(Errc::kUnexpectedPacket));
}

TEST(Response, Classifiers) {
  EXPECT_TRUE(is_ok_header(unhex("00")));
  EXPECT_FALSE(is_ok_header(""));
  EXPECT_TRUE(is_err(unhex("ff")));
  EXPECT_TRUE(is_eof(unhex("fe 0000 0200")));
  EXPECT_FALSE(is_eof(unhex("fe 0000000000000000")));  // a text row starting with a 0xFE lenenc
  EXPECT_TRUE(is_eof_or_ok_fe(unhex("fe 00 00 2100 0000 0000"), true));
  EXPECT_FALSE(is_eof_or_ok_fe(unhex("fe 00 00 2100 0000 0000"), false));
}

TEST(Response, TerminalStatus) {
  struct Case {
    const char* wire;
    uint32_t caps;
    uint16_t status;
  };
  const Case cases[] = {
      {"fe 0000 2200", kCaps41, 0x0022},           // EOF
      {"fe 00 00 2100 0000", kCapsTrack, 0x0021},  // OK(0xFE) under DEPRECATE_EOF
      {"00 00 00 0900 0000", kCaps41, 0x0009},     // OK, more results
      {"00 00 00 0240 0000 00 04 01020178", kCapsTrack, 0x4002},
      {"ff 7a04 23 3432533032 78", kCaps41, 0},  // ERR
      {"01", kCaps41, 0},                        // column count
      {"00 00", kCaps41, 0},                     // broken OK
      {"", kCaps41, 0},
  };
  for (const auto& c : cases) EXPECT_EQ(terminal_status(unhex(c.wire), c.caps), c.status) << c.wire;
}

}  // namespace
}  // namespace gh::mysql
