// Upstream frames -> JSON: exact output for OK, ERR, text and binary result sets, the type
// mapping (2^53 boundary, DECIMAL, binary as base64, NULL), truncation, and malformed input.
#include <gtest/gtest.h>

#include "common/json_text.h"
#include "gatekeeper/result_json.h"
#include "protocol/binary.h"
#include "protocol/capabilities.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"

namespace gh::gatekeeper {
namespace {

using namespace gh::mysql;

constexpr uint32_t kCaps = cap::kProtocol41 | cap::kDeprecateEof;

struct Builder {
  std::string frames;
  uint8_t seq = 1;
  void add(const std::string& payload) { seq = append_packet(frames, payload, seq); }
};

ColumnDefinition col(std::string_view name, FieldType type, uint16_t collation = 45,
                     uint16_t flags = 0) {
  ColumnDefinition c;
  c.name = name;
  c.org_name = name;
  c.type = type;
  c.collation = collation;
  c.flags = flags;
  return c;
}

std::string text_result(const std::vector<ColumnDefinition>& cols,
                        const std::vector<std::vector<TextValue>>& rows) {
  Builder b;
  std::string p;
  Writer(p).lenenc_int(cols.size());
  b.add(p);
  for (const auto& c : cols) {
    p.clear();
    encode_column_definition(c, p);
    b.add(p);
  }
  for (const auto& r : rows) {
    p.clear();
    encode_text_row(r, p);
    b.add(p);
  }
  p.clear();
  encode_ok(OkPacket{0, 0, 2, 0, {}, {}}, kCaps, p, 0xFE);
  b.add(p);
  return b.frames;
}

TEST(ResultJson, OkPacket) {
  Builder b;
  std::string p;
  encode_ok(OkPacket{3, 42, 2, 1, {}, {}}, kCaps, p);
  b.add(p);
  StatementResult r;
  ASSERT_TRUE(decode_response(b.frames, kCaps, false, {}, false, r));
  EXPECT_FALSE(r.has_result_set);
  EXPECT_EQ(r.affected_rows, 3u);
  EXPECT_EQ(r.last_insert_id, 42u);
  EXPECT_EQ(r.rows_json, "[]");
}

TEST(ResultJson, ErrPacketPassesThrough) {
  Builder b;
  std::string p;
  encode_err(1146, "42S02", "Table 'sakila.nope' doesn't exist", p);
  b.add(p);
  StatementResult r;
  ASSERT_TRUE(decode_response(b.frames, kCaps, false, {}, false, r));
  EXPECT_TRUE(r.error);
  EXPECT_EQ(r.err_code, 1146);
  EXPECT_EQ(r.sqlstate, "42S02");
  EXPECT_EQ(r.err_message, "Table 'sakila.nope' doesn't exist");
}

TEST(ResultJson, TypeMappingIsFaithful) {
  std::vector<ColumnDefinition> cols = {
      col("i", FieldType::kLong),
      col("big", FieldType::kLongLong),
      col("safe", FieldType::kLongLong),
      col("u", FieldType::kLongLong, 63, column_flag::kUnsigned),
      col("d", FieldType::kNewDecimal, 63),
      col("f", FieldType::kDouble, 63),
      col("s", FieldType::kVarString),
      col("b", FieldType::kBlob, 63, column_flag::kBinary | column_flag::kBlob),
      col("n", FieldType::kVarString),
      col("dt", FieldType::kDateTime, 63),
      col("z", FieldType::kLong, 63, column_flag::kZerofill),
  };
  std::string_view blob("\x00\xff\x10", 3);
  std::vector<std::vector<TextValue>> rows = {
      {"-7", "9007199254740993", "9007199254740992", "18446744073709551615", "12.50", "1.5e-7",
       "caf\xc3\xa9 \"q\"\n", blob, std::nullopt, "2006-02-15 04:34:33", "007"}};
  StatementResult r;
  ASSERT_TRUE(decode_response(text_result(cols, rows), kCaps, false, {}, false, r));
  EXPECT_EQ(r.columns_json,
            R"j([{"name":"i","type":"LONG"},{"name":"big","type":"LONGLONG"},)j"
            R"j({"name":"safe","type":"LONGLONG"},{"name":"u","type":"LONGLONG","unsigned":true},)j"
            R"j({"name":"d","type":"NEWDECIMAL"},{"name":"f","type":"DOUBLE"},)j"
            R"j({"name":"s","type":"VAR_STRING"},{"name":"b","type":"BLOB","binary":true},)j"
            R"j({"name":"n","type":"VAR_STRING"},{"name":"dt","type":"DATETIME"},)j"
            R"j({"name":"z","type":"LONG"}])j");
  EXPECT_EQ(r.rows_json,
            "[[-7,\"9007199254740993\",9007199254740992,\"18446744073709551615\",\"12.50\","
            "1.5e-7,\"caf\xc3\xa9 \\\"q\\\"\\n\",\"AP8Q\",null,\"2006-02-15 04:34:33\",\"007\"]]");
  EXPECT_EQ(r.row_count, 1u);
  EXPECT_FALSE(r.truncated);
}

TEST(ResultJson, LegacyEofFraming) {
  Builder b;
  std::string p;
  Writer(p).lenenc_int(1);
  b.add(p);
  p.clear();
  encode_column_definition(col("x", FieldType::kLong), p);
  b.add(p);
  p.clear();
  encode_eof(EofPacket{0, 2}, p);
  b.add(p);
  p.clear();
  TextValue v[1] = {"5"};
  encode_text_row(v, p);
  b.add(p);
  p.clear();
  encode_eof(EofPacket{0, 2}, p);
  b.add(p);
  StatementResult r;
  ASSERT_TRUE(decode_response(b.frames, cap::kProtocol41, false, {}, false, r));
  EXPECT_EQ(r.rows_json, "[[5]]");
}

TEST(ResultJson, BinaryRowsRenderLikeText) {
  std::vector<ColumnDefinition> cols = {col("id", FieldType::kLong, 63),
                                        col("name", FieldType::kVarString),
                                        col("t", FieldType::kDateTime, 63)};
  Builder b;
  std::string p;
  Writer(p).lenenc_int(cols.size());
  b.add(p);
  for (const auto& c : cols) {
    p.clear();
    encode_column_definition(c, p);
    b.add(p);
  }
  p.clear();
  MysqlTime t{2006, 2, 15, 4, 34, 33, 0, false, 0};
  std::vector<BinaryValue> values = {int64_t(3), std::string_view("ACE"), t};
  ASSERT_TRUE(encode_binary_row(values, cols, p));
  b.add(p);
  p.clear();
  encode_ok(OkPacket{}, kCaps, p, 0xFE);
  b.add(p);
  StatementResult r;
  ASSERT_TRUE(decode_response(b.frames, kCaps, true, {}, false, r));
  EXPECT_EQ(r.rows_json, R"j([[3,"ACE","2006-02-15 04:34:33"]])j");
}

TEST(ResultJson, RowAndByteLimitsTruncate) {
  std::vector<std::vector<TextValue>> rows;
  for (int i = 0; i < 10; ++i) rows.push_back({"abcdefgh"});
  auto frames = text_result({col("s", FieldType::kVarString)}, rows);
  StatementResult r;
  ResultLimits limits;
  limits.max_rows = 3;
  ASSERT_TRUE(decode_response(frames, kCaps, false, limits, false, r));
  EXPECT_EQ(r.row_count, 3u);
  EXPECT_TRUE(r.truncated);
  limits.max_rows = 100;
  limits.max_bytes = 30;
  ASSERT_TRUE(decode_response(frames, kCaps, false, limits, false, r));
  EXPECT_EQ(r.rows_json, R"j([["abcdefgh"],["abcdefgh"]])j");
  EXPECT_TRUE(r.truncated);
}

TEST(ResultJson, MalformedFramesAreErrors) {
  StatementResult r;
  EXPECT_FALSE(decode_response("", kCaps, false, {}, false, r));
  EXPECT_FALSE(decode_response(std::string("\x01\x00\x00\x01\x02", 5), kCaps, false, {}, false, r));
  auto frames = text_result({col("s", FieldType::kVarString)}, {{"x"}});
  frames.resize(frames.size() - 5);  // terminator cut off
  EXPECT_FALSE(decode_response(frames, kCaps, false, {}, false, r));
  EXPECT_TRUE(decode_response(frames, kCaps, false, {}, true, r));  // ...unless truncated
}

TEST(JsonText, EscapesAndReplacesInvalidUtf8) {
  std::string out;
  append_json_string(out, std::string_view("a\x01\xff\xc3\xa9\"\\", 7));
  EXPECT_EQ(out, "\"a\\u0001\\ufffd\xc3\xa9\\\"\\\\\"");
  out.clear();
  append_base64(out, "hello");
  EXPECT_EQ(out, "aGVsbG8=");
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));  // overlong '/'
  EXPECT_TRUE(valid_utf8("\xf0\x9f\x98\x80"));
}

// MariaDB's metadata caching: the count carries a "metadata follows" byte; when 0, the
// definitions come from the cache, and definitions that are sent are handed back.
TEST(ResultJson, CachedMetadataDecodesWithTheStatementsDefinitions) {
  std::vector<ColumnDefinition> cols = {col("id", FieldType::kLong, 63),
                                        col("name", FieldType::kVarString)};
  std::vector<std::string> cached;
  for (const auto& c : cols) {
    std::string d;
    encode_column_definition(c, d);
    cached.push_back(d);
  }
  auto result = [&](bool follows) {
    Builder b;
    std::string p;
    Writer(p).lenenc_int(cols.size());
    p.push_back(follows ? '\1' : '\0');
    b.add(p);
    if (follows)
      for (const auto& d : cached) b.add(d);
    p.clear();
    std::vector<BinaryValue> values = {int64_t(7), std::string_view("ADA")};
    EXPECT_TRUE(encode_binary_row(values, cols, p));
    b.add(p);
    p.clear();
    encode_ok(OkPacket{}, kCaps, p, 0xFE);
    b.add(p);
    return b.frames;
  };
  const uint32_t kCache = mariadb_cap::kCacheMetadata;
  std::vector<std::string> sent;
  StatementResult r;
  ASSERT_TRUE(decode_response(result(false), kCaps, true, {}, false, r, {kCache, &cached, &sent}));
  EXPECT_EQ(r.rows_json, R"j([[7,"ADA"]])j");
  EXPECT_EQ(r.columns_json,
            R"j([{"name":"id","type":"LONG"},{"name":"name","type":"VAR_STRING"}])j");
  EXPECT_TRUE(sent.empty());
  ASSERT_TRUE(decode_response(result(true), kCaps, true, {}, false, r, {kCache, &cached, &sent}));
  EXPECT_EQ(r.rows_json, R"j([[7,"ADA"]])j");
  EXPECT_EQ(sent, cached);
  // Skipped definitions without a cache (or of another width) are an error, not a guess.
  EXPECT_FALSE(decode_response(result(false), kCaps, true, {}, false, r, {kCache}));
  std::vector<std::string> one = {cached[0]};
  EXPECT_FALSE(decode_response(result(false), kCaps, true, {}, false, r, {kCache, &one}));
  // Without the capability the flag byte is not expected.
  EXPECT_FALSE(decode_response(result(true), kCaps, true, {}, false, r));
  // A single value with the flag byte (the proxy's own answers).
  Builder b;
  std::string p;
  Writer(p).lenenc_int(1);
  p.push_back('\1');
  b.add(p);
  p.clear();
  encode_column_definition(col("n", FieldType::kVarString), p);
  b.add(p);
  p.clear();
  TextValue v[1] = {std::string_view("replica1")};
  encode_text_row(v, p);
  b.add(p);
  p.clear();
  encode_ok(OkPacket{}, kCaps, p, 0xFE);
  b.add(p);
  EXPECT_EQ(decode_single_value(b.frames, kCaps, kCache), "replica1");
}

TEST(ResultJson, SingleValue) {
  auto frames = text_result({col("n", FieldType::kVarString)}, {{"replica2"}});
  EXPECT_EQ(decode_single_value(frames, kCaps), "replica2");
  EXPECT_EQ(
      decode_single_value(text_result({col("n", FieldType::kVarString)}, {{std::nullopt}}), kCaps),
      std::nullopt);
}

}  // namespace
}  // namespace gh::gatekeeper
