// Binary protocol: real PREPARE responses and binary rows from MariaDB 10.11, every value type
// with exact bytes (negative TIME, zero dates, microseconds), COM_STMT_EXECUTE with every
// parameter type, NULLs, rebinding off and long data.
#include "protocol/binary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "hex.h"
#include "mariadb_vectors.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

MysqlTime date(uint16_t y, uint8_t m, uint8_t d) {
  return MysqlTime{y, m, d, 0, 0, 0, 0, false, 0};
}
MysqlTime datetime(uint16_t y, uint8_t mo, uint8_t d, uint8_t h, uint8_t mi, uint8_t s,
                   uint32_t us = 0) {
  return MysqlTime{y, mo, d, h, mi, s, us, false, 0};
}
MysqlTime time_of(bool neg, uint32_t days, uint8_t h, uint8_t m, uint8_t s, uint32_t us = 0) {
  return MysqlTime{0, 0, 0, h, m, s, us, neg, days};
}

TEST(Binary, RealPrepareOk) {
  // PREPARE "SELECT * FROM gh_t WHERE ti IS NULL OR ti > ?" and "SELECT ?, ?, ?, ?, ?".
  struct Case {
    const char* wire;
    StmtPrepareOk ok;
  };
  for (const Case& c : {Case{"00 01000000 1400 0100 00 0000", {1, 20, 1, 0}},
                        Case{"00 02000000 0500 0500 00 0000", {2, 5, 5, 0}},
                        Case{"00 ffffffff 0000 ffff 00 0100", {0xFFFFFFFF, 0, 0xFFFF, 1}}}) {
    auto ok = decode_stmt_prepare_ok(unhex(c.wire));
    ASSERT_TRUE(ok) << c.wire;
    EXPECT_EQ(*ok, c.ok);
    std::string out;
    encode_stmt_prepare_ok(c.ok, out);
    EXPECT_EQ(hex(out), canon(c.wire));
  }
}

TEST(Binary, PrepareOkShortAndOtherForms) {
  auto old = decode_stmt_prepare_ok(unhex("00 01000000 0100 0200"));  // no filler/warnings
  ASSERT_TRUE(old);
  EXPECT_EQ(*old, (StmtPrepareOk{1, 1, 2, 0}));
  // MySQL 8 with optional metadata appends metadata_follows: ignored.
  EXPECT_TRUE(decode_stmt_prepare_ok(unhex("00 01000000 0100 0200 00 0000 01")));
  std::string wire = unhex("00 01000000 1400 0100 00 0000");
  for (size_t n : {0u, 1u, 5u, 8u, 10u, 11u})
    EXPECT_EQ(decode_stmt_prepare_ok(wire.substr(0, n)).error(),
              make_error_code(Errc::kMalformedPacket))
        << n;
  EXPECT_EQ(decode_stmt_prepare_ok(unhex("ff 1004")).error(),
            make_error_code(Errc::kUnexpectedPacket));
}

TEST(Binary, RealRowsDecodeToTheStoredValues) {
  test::GhTColumns cols;
  auto rows = test::gh_t_binary_rows();
  std::vector<BinaryValue> v;
  ASSERT_TRUE(decode_binary_row(rows[0], cols.defs, v));
  ASSERT_EQ(v.size(), 20u);
  EXPECT_EQ(v[0], BinaryValue(int64_t(-128)));
  EXPECT_EQ(v[1], BinaryValue(uint64_t(255)));
  EXPECT_EQ(v[2], BinaryValue(int64_t(-32768)));
  EXPECT_EQ(v[3], BinaryValue(uint64_t(2024)));  // YEAR is UNSIGNED ZEROFILL
  EXPECT_EQ(v[4], BinaryValue(int64_t(-8388608)));
  EXPECT_EQ(v[5], BinaryValue(int64_t(std::numeric_limits<int32_t>::min())));
  EXPECT_EQ(v[6], BinaryValue(uint64_t(42)));
  EXPECT_EQ(v[7], BinaryValue(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(v[8], BinaryValue(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(v[9], BinaryValue(1.1f));
  EXPECT_EQ(v[10], BinaryValue(-2.5e-300));
  EXPECT_EQ(v[11], BinaryValue(std::string_view("-1234567.891")));
  EXPECT_EQ(v[12], BinaryValue(date(2024, 2, 29)));
  EXPECT_EQ(v[13], BinaryValue(datetime(2024, 2, 29, 23, 59, 58, 123)));
  EXPECT_EQ(v[14], BinaryValue(datetime(2001, 2, 3, 4, 5, 6)));
  EXPECT_EQ(v[15], BinaryValue(time_of(true, 34, 22, 59, 59, 999999)));  // -838:59:59.999999
  EXPECT_EQ(v[16], BinaryValue(std::string_view("")));
  EXPECT_EQ(v[17], BinaryValue(std::string_view("blob\0x", 6)));
  EXPECT_EQ(v[18], BinaryValue(std::string_view("\x01\x55")));
  EXPECT_EQ(v[19], BinaryValue(std::string_view("b")));

  ASSERT_TRUE(decode_binary_row(rows[1], cols.defs, v));
  for (size_t i : {0u, 5u, 11u, 14u, 16u, 19u}) EXPECT_TRUE(is_null(v[i])) << i;
  EXPECT_EQ(v[12], BinaryValue(MysqlTime{}));  // '0000-00-00' is a 0-length value
  EXPECT_EQ(v[13], BinaryValue(MysqlTime{}));
  EXPECT_EQ(v[15], BinaryValue(MysqlTime{}));  // TIME '00:00:00'

  ASSERT_TRUE(decode_binary_row(rows[2], cols.defs, v));
  EXPECT_EQ(v[9], BinaryValue(1e20f));
  EXPECT_EQ(v[10], BinaryValue(100000.0));
  EXPECT_EQ(v[12], BinaryValue(date(1999, 12, 31)));
  EXPECT_EQ(v[13], BinaryValue(date(2000, 1, 1)));  // DATETIME at midnight: 4-byte form
  EXPECT_EQ(v[15], BinaryValue(time_of(false, 0, 12, 34, 56)));
  EXPECT_EQ(std::get<std::string_view>(v[16]).size(), 251u);

  ASSERT_TRUE(decode_binary_row(rows[3], cols.defs, v));
  EXPECT_EQ(v[9], BinaryValue(123456789.0f));
  EXPECT_EQ(v[10], BinaryValue(1.2345678901234568e17));
  EXPECT_EQ(v[13], BinaryValue(datetime(2000, 1, 1, 10, 11, 12)));
  EXPECT_EQ(v[15], BinaryValue(time_of(true, 0, 0, 0, 1, 500000)));  // -00:00:01.5
  EXPECT_EQ(std::get<std::string_view>(v[16]).size(), 250u);
}

TEST(Binary, RealRowsReEncodeExactly) {
  test::GhTColumns cols;
  for (const std::string& row : test::gh_t_binary_rows()) {
    std::vector<BinaryValue> v;
    ASSERT_TRUE(decode_binary_row(row, cols.defs, v));
    std::string out;
    ASSERT_TRUE(encode_binary_row(v, cols.defs, out));
    EXPECT_EQ(hex(out), hex(row));
  }
}

TEST(Binary, RealRowsTruncatedOrExtendedAreMalformed) {
  test::GhTColumns cols;
  std::string row = test::gh_t_binary_rows()[0];
  std::vector<BinaryValue> v;
  for (size_t n = 1; n < row.size(); ++n)
    EXPECT_EQ(decode_binary_row(row.substr(0, n), cols.defs, v).error(),
              make_error_code(Errc::kMalformedPacket))
        << n;
  EXPECT_EQ(decode_binary_row(row + "x", cols.defs, v).error(),
            make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_binary_row(unhex("fe 0000 2200"), cols.defs, v).error(),
            make_error_code(Errc::kUnexpectedPacket));
}

// One value of every type, alone in a one-column row: "00 00 <value>".
struct ValueCase {
  const char* name;
  FieldType type;
  uint16_t flags;
  BinaryValue value;
  const char* bytes;
};

const ValueCase kValueCases[] = {
    {"tiny", FieldType::kTiny, 0, int64_t(-1), "ff"},
    {"tiny_unsigned", FieldType::kTiny, column_flag::kUnsigned, uint64_t(255), "ff"},
    {"short", FieldType::kShort, 0, int64_t(-2), "feff"},
    {"year", FieldType::kYear, column_flag::kUnsigned, uint64_t(1901), "6d07"},
    {"int24", FieldType::kInt24, 0, int64_t(-8388608), "000080ff"},
    {"long", FieldType::kLong, 0, int64_t(305419896), "78563412"},
    {"long_unsigned", FieldType::kLong, column_flag::kUnsigned, uint64_t(0xFFFFFFFF), "ffffffff"},
    {"longlong", FieldType::kLongLong, 0, int64_t(-2), "feffffffffffffff"},
    {"longlong_unsigned", FieldType::kLongLong, column_flag::kUnsigned,
     uint64_t(0x8000000000000000), "0000000000000080"},
    {"float", FieldType::kFloat, 0, 1.5f, "0000c03f"},
    {"float_negative_zero", FieldType::kFloat, 0, -0.0f, "00000080"},
    {"double", FieldType::kDouble, 0, 2.25, "0000000000000240"},
    {"double_min", FieldType::kDouble, 0, std::numeric_limits<double>::denorm_min(),
     "0100000000000000"},
    {"date", FieldType::kDate, 0, date(2024, 2, 29), "04 e807 02 1d"},
    {"date_zero", FieldType::kDate, 0, MysqlTime{}, "00"},
    {"newdate", FieldType::kNewDate, 0, date(1, 1, 1), "04 0100 01 01"},
    {"datetime_midnight", FieldType::kDateTime, 0, datetime(2000, 1, 1, 0, 0, 0), "04 d007 01 01"},
    {"datetime_seconds", FieldType::kDateTime, 0, datetime(2000, 1, 1, 10, 11, 12),
     "07 d007 01 01 0a 0b 0c"},
    {"datetime_micro", FieldType::kDateTime, 0, datetime(2024, 2, 29, 23, 59, 58, 123),
     "0b e807 02 1d 17 3b 3a 7b000000"},
    {"datetime_zero_date_with_micro", FieldType::kDateTime, 0, datetime(0, 0, 0, 0, 0, 0, 1),
     "0b 0000 00 00 00 00 00 01000000"},
    {"timestamp", FieldType::kTimestamp, 0, datetime(2038, 1, 19, 3, 14, 7),
     "07 f607 01 13 03 0e 07"},
    {"time_zero", FieldType::kTime, 0, MysqlTime{}, "00"},
    {"time", FieldType::kTime, 0, time_of(false, 0, 12, 34, 56), "08 00 00000000 0c 22 38"},
    {"time_negative_max", FieldType::kTime, 0, time_of(true, 34, 22, 59, 59, 999999),
     "0c 01 22000000 16 3b 3b 3f420f00"},
    {"time_negative_fraction", FieldType::kTime, 0, time_of(true, 0, 0, 0, 1, 500000),
     "0c 01 00000000 00 00 01 20a10700"},
    {"time_negative_zero", FieldType::kTime, 0, time_of(true, 0, 0, 0, 0),
     "08 01 00000000 00 00 00"},
    {"newdecimal", FieldType::kNewDecimal, 0, std::string_view("-1234567.891"),
     "0c 2d313233343536372e383931"},
    {"decimal", FieldType::kDecimal, 0, std::string_view("1.5"), "03 312e35"},
    {"varchar_empty", FieldType::kVarString, 0, std::string_view(""), "00"},
    {"string", FieldType::kString, 0, std::string_view("ab"), "02 6162"},
    {"varchar", FieldType::kVarchar, 0, std::string_view("c"), "01 63"},
    {"blob", FieldType::kBlob, column_flag::kBlob, std::string_view("\0\xff", 2), "02 00ff"},
    {"tinyblob", FieldType::kTinyBlob, 0, std::string_view("t"), "01 74"},
    {"mediumblob", FieldType::kMediumBlob, 0, std::string_view("m"), "01 6d"},
    {"longblob", FieldType::kLongBlob, 0, std::string_view("l"), "01 6c"},
    {"bit", FieldType::kBit, column_flag::kUnsigned, std::string_view("\x01\x55"), "02 0155"},
    {"enum", FieldType::kEnum, 0, std::string_view("b"), "01 62"},
    {"set", FieldType::kSet, 0, std::string_view("a,b"), "03 612c62"},
    {"json", FieldType::kJson, 0, std::string_view("{}"), "02 7b7d"},
    {"geometry", FieldType::kGeometry, 0, std::string_view("\0\0\0\0", 4), "04 00000000"},
};

TEST(Binary, EveryTypeEncodesExactlyAndDecodesBack) {
  for (const auto& c : kValueCases) {
    ColumnDefinition col;
    col.type = c.type;
    col.flags = c.flags;
    std::vector<BinaryValue> row = {c.value};
    std::string out;
    ASSERT_TRUE(encode_binary_row(row, std::span(&col, 1), out)) << c.name;
    EXPECT_EQ(hex(out), canon(std::string("00 00 ") + c.bytes)) << c.name;
    std::vector<BinaryValue> back;
    ASSERT_TRUE(decode_binary_row(out, std::span(&col, 1), back)) << c.name;
    ASSERT_EQ(back.size(), 1u);
    if (const float* f = std::get_if<float>(&c.value)) {
      EXPECT_EQ(std::signbit(*f), std::signbit(std::get<float>(back[0]))) << c.name;
    }
    EXPECT_EQ(back[0], c.value) << c.name;
  }
}

TEST(Binary, LongerThanMinimalTemporalFormsDecode) {
  ColumnDefinition col;
  col.type = FieldType::kDateTime;
  std::vector<BinaryValue> v;
  ASSERT_TRUE(
      decode_binary_row(unhex("00 00 0b d007 01 01 00 00 00 00000000"), std::span(&col, 1), v));
  EXPECT_EQ(v[0], BinaryValue(date(2000, 1, 1)));
  col.type = FieldType::kTime;
  ASSERT_TRUE(
      decode_binary_row(unhex("00 00 0c 00 00000000 00 00 00 00000000"), std::span(&col, 1), v));
  EXPECT_EQ(v[0], BinaryValue(MysqlTime{}));
}

TEST(Binary, BadTemporalLengthsAreMalformed) {
  ColumnDefinition col;
  std::vector<BinaryValue> v;
  for (FieldType t : {FieldType::kDate, FieldType::kDateTime, FieldType::kTimestamp}) {
    col.type = t;
    for (const char* b :
         {"00 00 01 00", "00 00 05 0000000000", "00 00 0c 000000000000000000000000", "00 00 0b 00"})
      EXPECT_EQ(decode_binary_row(unhex(b), std::span(&col, 1), v).error(),
                make_error_code(Errc::kMalformedPacket))
          << b;
  }
  col.type = FieldType::kTime;
  for (const char* b : {"00 00 04 00000000", "00 00 07 00000000000000",
                        "00 00 0b 0000000000000000000000", "00 00 08 00"})
    EXPECT_EQ(decode_binary_row(unhex(b), std::span(&col, 1), v).error(),
              make_error_code(Errc::kMalformedPacket))
        << b;
}

TEST(Binary, NullTypeAndNullBitmap) {
  std::vector<ColumnDefinition> cols(10);
  cols[0].type = FieldType::kNull;  // SELECT NULL: NULL type, bit set
  for (size_t i = 1; i < 10; ++i) cols[i].type = FieldType::kTiny;
  std::vector<BinaryValue> row(10);
  row[9] = int64_t(7);
  std::string out;
  ASSERT_TRUE(encode_binary_row(row, cols, out));
  // 10 columns: (10 + 9) / 8 = 2 bitmap bytes; bits 2..10 set for columns 0..8.
  EXPECT_EQ(hex(out), canon("00 fc07 07"));
  std::vector<BinaryValue> back;
  ASSERT_TRUE(decode_binary_row(out, cols, back));
  EXPECT_EQ(back, row);
  EXPECT_EQ(binary_row_bitmap_size(0), 1u);
  EXPECT_EQ(binary_row_bitmap_size(6), 1u);
  EXPECT_EQ(binary_row_bitmap_size(7), 2u);
  EXPECT_EQ(binary_row_bitmap_size(14), 2u);
  EXPECT_EQ(binary_row_bitmap_size(15), 3u);
  ASSERT_TRUE(decode_binary_row(unhex("00 00"), {}, back));
  EXPECT_TRUE(back.empty());
}

TEST(Binary, EncodeRefusesValuesThatDoNotFitTheirColumn) {
  struct Case {
    FieldType type;
    BinaryValue value;
  };
  const Case bad[] = {
      {FieldType::kTiny, int64_t(256)},
      {FieldType::kTiny, int64_t(-129)},
      {FieldType::kShort, uint64_t(65536)},
      {FieldType::kLong, int64_t(1) << 32},
      {FieldType::kLong, std::string_view("1")},
      {FieldType::kFloat, 1.0},  // double into FLOAT would lose precision
      {FieldType::kDouble, int64_t(1)},
      {FieldType::kVarString, int64_t(1)},
      {FieldType::kDate, std::string_view("2024-01-01")},
      {FieldType::kDate, time_of(true, 0, 1, 0, 0)},  // a TIME in a DATE column
      {FieldType::kTime, date(2024, 1, 1)},           // a DATE in a TIME column
      {FieldType::kNull, int64_t(1)},
  };
  for (const auto& c : bad) {
    ColumnDefinition col;
    col.type = c.type;
    std::vector<BinaryValue> row = {c.value};
    std::string out = "keep";
    auto s = encode_binary_row(row, std::span(&col, 1), out);
    ASSERT_FALSE(s) << int(c.type);
    EXPECT_EQ(s.error(), std::make_error_code(std::errc::invalid_argument));
    EXPECT_EQ(out, "keep");
  }
  // Signed and unsigned forms of the same width are both accepted.
  ColumnDefinition tiny;
  tiny.type = FieldType::kTiny;
  std::string out;
  std::vector<BinaryValue> neg = {int64_t(-128)}, pos = {int64_t(255)}, uns = {uint64_t(255)};
  EXPECT_TRUE(encode_binary_row(neg, std::span(&tiny, 1), out));
  EXPECT_TRUE(encode_binary_row(pos, std::span(&tiny, 1), out));
  EXPECT_TRUE(encode_binary_row(uns, std::span(&tiny, 1), out));
  EXPECT_EQ(hex(out), canon("00 00 80 00 00 ff 00 00 ff"));
  std::vector<BinaryValue> two = {int64_t(1), int64_t(2)};
  EXPECT_FALSE(encode_binary_row(two, std::span(&tiny, 1), out));  // count mismatch
}

// ---- COM_STMT_EXECUTE ----------------------------------------------------------------------

std::vector<BinaryParam> every_param_type() {
  return {
      make_param(int64_t(-1), FieldType::kTiny),
      make_param(uint64_t(255), FieldType::kTiny, true),
      make_param(int64_t(-2), FieldType::kShort),
      make_param(int64_t(3), FieldType::kLong),
      make_param(std::numeric_limits<int64_t>::min()),
      make_param(1.5f),
      make_param(2.25),
      make_param(std::string_view("abc")),
      make_param(BinaryValue()),
      make_param(date(2024, 2, 29), FieldType::kDate),
      make_param(datetime(2024, 2, 29, 23, 59, 58, 123)),
      make_param(time_of(true, 34, 22, 59, 59, 999999)),
      make_param(MysqlTime{}, FieldType::kTime),
      make_param(std::string_view(""), FieldType::kBlob),
      make_param(std::string_view("1.50"), FieldType::kNewDecimal),
      make_param(uint64_t(2024), FieldType::kYear, true),
  };
}

constexpr const char* kEveryParamTypeWire =
    "17 01000000 00 01000000"  // id 1, no cursor, 1 iteration
    "0001"                     // NULL bitmap: param 8
    "01"                       // new params bound
    "0100 0180 0200 0300 0800 0400 0500 fd00 0600 0a00 0c00 0b00 0b00 fc00 f600 0d80"
    "ff ff feff 03000000 0000000000000080 0000c03f 0000000000000240 03616263"
    "04e807021d 0be807021d173b3a7b000000 0c0122000000163b3b3f420f00 00 00 04312e3530 e807";

TEST(Binary, ExecuteWithEveryParamTypeExactBytes) {
  StmtExecute e;
  e.statement_id = 1;
  e.params = every_param_type();
  std::string out;
  ASSERT_TRUE(encode_stmt_execute(e, out));
  EXPECT_EQ(hex(out), canon(kEveryParamTypeWire));

  auto back = decode_stmt_execute(out, uint16_t(e.params.size()));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->statement_id, 1u);
  EXPECT_EQ(back->flags, cursor::kNoCursor);
  EXPECT_EQ(back->iteration_count, 1u);
  EXPECT_TRUE(back->new_params_bound);
  ASSERT_EQ(back->params.size(), e.params.size());
  for (size_t i = 0; i < e.params.size(); ++i) {
    EXPECT_EQ(back->params[i].type, e.params[i].type) << i;
    EXPECT_EQ(back->params[i].value, e.params[i].value) << i;
    EXPECT_FALSE(back->params[i].long_data);
  }
}

TEST(Binary, MakeParamPicksClientLibraryTypes) {
  EXPECT_EQ(make_param(int64_t(1)).type, (ParamType{FieldType::kLongLong, 0}));
  EXPECT_EQ(make_param(uint64_t(1)).type, (ParamType{FieldType::kLongLong, kParamUnsigned}));
  EXPECT_TRUE(make_param(uint64_t(1)).type.is_unsigned());
  EXPECT_EQ(make_param(1.0f).type.type, FieldType::kFloat);
  EXPECT_EQ(make_param(1.0).type.type, FieldType::kDouble);
  EXPECT_EQ(make_param(std::string_view("s")).type.type, FieldType::kVarString);
  EXPECT_EQ(make_param(BinaryValue()).type.type, FieldType::kNull);
  EXPECT_EQ(make_param(date(2024, 1, 1)).type.type, FieldType::kDateTime);
  EXPECT_EQ(make_param(time_of(false, 1, 0, 0, 0)).type.type, FieldType::kTime);
}

TEST(Binary, ExecuteWithoutRebindingUsesThePreviousTypes) {
  std::vector<ParamType> bound = {
      {FieldType::kLongLong, 0}, {FieldType::kVarString, 0}, {FieldType::kDouble, 0}};
  StmtExecute e;
  e.statement_id = 9;
  e.flags = cursor::kReadOnly;
  e.new_params_bound = false;
  e.params = {make_param(int64_t(5)), make_param(BinaryValue(), FieldType::kVarString),
              make_param(0.5)};
  std::string out;
  ASSERT_TRUE(encode_stmt_execute(e, out));
  EXPECT_EQ(hex(out),
            canon("17 09000000 01 01000000 | 02 | 00 | 0500000000000000 000000000000e03f"));
  auto back = decode_stmt_execute(out, 3, bound);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->new_params_bound);
  EXPECT_EQ(back->flags, cursor::kReadOnly);
  ASSERT_EQ(back->params.size(), 3u);
  EXPECT_EQ(back->params[0].value, BinaryValue(int64_t(5)));
  EXPECT_TRUE(is_null(back->params[1].value));
  EXPECT_EQ(back->params[1].type, bound[1]);
  EXPECT_EQ(back->params[2].value, BinaryValue(0.5));
  // Without the previous types the packet cannot be read.
  EXPECT_EQ(decode_stmt_execute(out, 3).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_stmt_execute(out, 3, std::span(bound).first(2)).error(),
            make_error_code(Errc::kMalformedPacket));
}

TEST(Binary, ExecuteSkipsLongDataParams) {
  StmtExecute e;
  e.statement_id = 2;
  e.params = {make_param(std::string_view("ignored"), FieldType::kBlob), make_param(int64_t(1))};
  e.params[0].long_data = true;
  std::string out;
  ASSERT_TRUE(encode_stmt_execute(e, out));
  EXPECT_EQ(hex(out), canon("17 02000000 00 01000000 | 00 | 01 | fc00 0800 | 0100000000000000"));
  std::vector<bool> long_data = {true, false};
  auto back = decode_stmt_execute(out, 2, {}, long_data);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->params[0].long_data);
  EXPECT_TRUE(is_null(back->params[0].value));
  EXPECT_EQ(back->params[1].value, BinaryValue(int64_t(1)));
  // Read without knowing about the long data, the 8 bytes do not fit a BLOB's lenenc layout.
  EXPECT_FALSE(decode_stmt_execute(out, 2));
}

TEST(Binary, ExecuteWithoutParams) {
  StmtExecute e;
  e.statement_id = kLastStatementId;  // MariaDB: the statement prepared last
  std::string out;
  ASSERT_TRUE(encode_stmt_execute(e, out));
  EXPECT_EQ(hex(out), canon("17 ffffffff 00 01000000"));
  auto back = decode_stmt_execute(out, 0);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->statement_id, kLastStatementId);
  EXPECT_TRUE(back->params.empty());
  EXPECT_EQ(decode_stmt_execute(out + "x", 0).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Binary, ExecuteMalformed) {
  std::string wire = unhex(kEveryParamTypeWire);
  for (size_t n = 0; n < wire.size(); ++n)
    EXPECT_FALSE(decode_stmt_execute(wire.substr(0, n), 16)) << n;
  EXPECT_EQ(decode_stmt_execute(wire + "\x01", 16).error(),
            make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_stmt_execute(unhex("16 01000000"), 0).error(),
            make_error_code(Errc::kUnexpectedPacket));
  // 65535 params announced by PREPARE, a tiny packet: fails fast, no huge allocation first.
  EXPECT_FALSE(decode_stmt_execute(unhex("17 01000000 00 01000000 00 01"), 0xFFFF));
}

TEST(Binary, ExecuteEncodeFailureWritesNothing) {
  StmtExecute e;
  e.params = {make_param(int64_t(1000), FieldType::kTiny)};
  std::string out = "keep";
  EXPECT_EQ(encode_stmt_execute(e, out).error(), std::make_error_code(std::errc::invalid_argument));
  EXPECT_EQ(out, "keep");
}

}  // namespace
}  // namespace gh::mysql
