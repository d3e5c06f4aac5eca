// Binary <-> text conversions. The reference is the server itself: every cell of the real
// binary rows must render exactly as MariaDB sent the same cell in the text protocol, and the
// float/double spellings below were taken from MariaDB 10.11's text results.
#include "protocol/value_text.h"

#include <gtest/gtest.h>

#include <limits>

#include "hex.h"
#include "mariadb_vectors.h"

namespace gh::mysql {
namespace {

TEST(ValueText, RealBinaryRowsRenderLikeTheServersTextRows) {
  test::GhTColumns cols;
  auto binary = test::gh_t_binary_rows();
  auto text = test::gh_t_text_rows();
  ASSERT_EQ(binary.size(), text.size());
  for (size_t r = 0; r < binary.size(); ++r) {
    std::vector<BinaryValue> b;
    std::vector<TextValue> t;
    ASSERT_TRUE(decode_binary_row(binary[r], cols.defs, b)) << r;
    ASSERT_TRUE(decode_text_row(text[r], cols.defs.size(), t)) << r;
    for (size_t c = 0; c < cols.defs.size(); ++c) {
      ASSERT_EQ(is_null(b[c]), !t[c].has_value()) << r << "/" << cols.defs[c].name;
      if (t[c]) {
        EXPECT_EQ(to_text(b[c], cols.defs[c]), *t[c]) << r << "/" << cols.defs[c].name;
      }
    }
  }
}

TEST(ValueText, RealTextRowsMapToTheBinaryValues) {
  test::GhTColumns cols;
  auto binary = test::gh_t_binary_rows();
  auto text = test::gh_t_text_rows();
  for (size_t r = 0; r < binary.size(); ++r) {
    std::vector<BinaryValue> b;
    std::vector<TextValue> t;
    ASSERT_TRUE(decode_binary_row(binary[r], cols.defs, b));
    ASSERT_TRUE(decode_text_row(text[r], cols.defs.size(), t));
    std::vector<BinaryValue> from(t.size());
    for (size_t c = 0; c < t.size(); ++c) {
      auto v = from_text(t[c], cols.defs[c]);
      ASSERT_TRUE(v) << r << "/" << cols.defs[c].name;
      from[c] = *v;
      // FLOAT text has 6 digits: the value differs, its rendering does not.
      if (cols.defs[c].type == FieldType::kFloat) {
        EXPECT_EQ(to_text(*v, cols.defs[c]), to_text(b[c], cols.defs[c]));
      } else {
        EXPECT_EQ(*v, b[c]) << r << "/" << cols.defs[c].name;
      }
    }
    // And a text row can be served as a binary row.
    std::string out;
    EXPECT_TRUE(encode_binary_row(from, cols.defs, out)) << r;
  }
}

TEST(ValueText, DoubleSpellingsMatchMariaDb) {
  // SELECT 1e-15, 1e-16, ... through the mariadb CLI (text protocol).
  struct Case {
    double v;
    const char* text;
  };
  const Case cases[] = {
      {1e-15, "0.000000000000001"},
      {1e-16, "1e-16"},
      {1.5e-15, "0.0000000000000015"},
      {1e15, "1e15"},
      {1e16, "1e16"},
      {1234567890123456.7, "1234567890123456.8"},
      {12345678901234567.0, "1.2345678901234568e16"},
      {1.2345678901234568e17, "1.2345678901234568e17"},
      {0.0, "0"},
      {1.5e-5, "0.000015"},
      {0.0001, "0.0001"},
      {123e-20, "1.23e-18"},
      {100000.0, "100000"},
      {-2.5e-300, "-2.5e-300"},
      {1.5, "1.5"},
      {-123.456, "-123.456"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e308"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_double(c.v), c.text) << c.text;
}

TEST(ValueText, FloatSpellingsMatchMariaDb) {
  // SELECT CAST(x AS FLOAT) and FLOAT columns: 6 significant digits.
  struct Case {
    float v;
    const char* text;
  };
  const Case cases[] = {
      {1e16f, "1e16"},
      {1234567.0f, "1234570"},
      {0.000012345678f, "0.0000123457"},
      {-1e-5f, "-0.00001"},
      {3.4e38f, "3.4e38"},
      {1.401298464324817e-45f, "1.4013e-45"},
      {123456789.0f, "123457000"},
      {1e20f, "1e20"},
      {1.1f, "1.1"},
      {0.0f, "0"},
  };
  for (const auto& c : cases) EXPECT_EQ(format_float(c.v), c.text) << c.text;
}

TEST(ValueText, FixedDecimals) {
  EXPECT_EQ(format_double(2.5, 3), "2.500");
  EXPECT_EQ(format_double(-0.125, 2), "-0.12");  // round-half-even on the exact binary value
  EXPECT_EQ(format_double(1e20, 0), "100000000000000000000");
  EXPECT_EQ(format_float(1.1f, 3), "1.100");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_double(std::numeric_limits<double>::quiet_NaN()), "nan");
}

ColumnDefinition column(FieldType type, uint16_t flags = 0, uint8_t decimals = 0,
                        uint32_t length = 0) {
  ColumnDefinition c;
  c.type = type;
  c.flags = flags;
  c.decimals = decimals;
  c.column_length = length;
  return c;
}

TEST(ValueText, TemporalRendering) {
  MysqlTime dt{2024, 2, 29, 23, 59, 58, 123456, false, 0};
  EXPECT_EQ(to_text(dt, column(FieldType::kDateTime, 0, 6)), "2024-02-29 23:59:58.123456");
  EXPECT_EQ(to_text(dt, column(FieldType::kDateTime, 0, 3)), "2024-02-29 23:59:58.123");
  EXPECT_EQ(to_text(dt, column(FieldType::kTimestamp, 0, 1)), "2024-02-29 23:59:58.1");
  EXPECT_EQ(to_text(dt, column(FieldType::kDateTime, 0, 0)), "2024-02-29 23:59:58.123456");
  EXPECT_EQ(to_text(MysqlTime{}, column(FieldType::kDateTime, 0, 0)), "0000-00-00 00:00:00");
  EXPECT_EQ(to_text(dt, column(FieldType::kDate)), "2024-02-29");
  EXPECT_EQ(to_text(MysqlTime{}, column(FieldType::kDate)), "0000-00-00");
  MysqlTime t{0, 0, 0, 22, 59, 59, 0, true, 34};
  EXPECT_EQ(to_text(t, column(FieldType::kTime)), "-838:59:59");
  EXPECT_EQ(to_text(t, column(FieldType::kTime, 0, 2)), "-838:59:59.00");
  EXPECT_EQ(to_text(MysqlTime{}, column(FieldType::kTime)), "00:00:00");
  MysqlTime small{0, 0, 0, 1, 2, 3, 40, false, 0};
  EXPECT_EQ(to_text(small, column(FieldType::kTime, 0, 6)), "01:02:03.000040");
}

TEST(ValueText, IntegerRendering) {
  EXPECT_EQ(to_text(uint64_t(42), column(FieldType::kLong,
                                         column_flag::kUnsigned | column_flag::kZerofill, 0, 10)),
            "0000000042");
  EXPECT_EQ(to_text(uint64_t(7), column(FieldType::kYear, 0x60, 0, 4)), "0007");
  EXPECT_EQ(to_text(int64_t(-5), column(FieldType::kLong, 0, 0, 11)), "-5");
  EXPECT_EQ(to_text(std::numeric_limits<int64_t>::min(), column(FieldType::kLongLong)),
            "-9223372036854775808");
  EXPECT_EQ(to_text(BinaryValue(), column(FieldType::kLong)), "");
  EXPECT_EQ(to_text(std::string_view("x\0y", 3), column(FieldType::kBlob)), std::string("x\0y", 3));
}

TEST(ValueText, ParseTemporal) {
  auto dt = parse_datetime("2024-02-29 23:59:58.5");
  ASSERT_TRUE(dt);
  EXPECT_EQ(*dt, (MysqlTime{2024, 2, 29, 23, 59, 58, 500000, false, 0}));
  EXPECT_EQ(*parse_datetime("0000-00-00"), MysqlTime{});
  for (const char* bad : {"2024-13-01", "2024-02-29 24:00:00", "2024-02-29T10:00:00", "2024-2-29",
                          "2024-02-29 10:00:00.1234567", "2024-02-29 10:00:00.", "2024-02-29 ", "",
                          "2024-02-29 10:00"})
    EXPECT_FALSE(parse_datetime(bad)) << bad;
  auto t = parse_time("-838:59:59.999999");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, (MysqlTime{0, 0, 0, 22, 59, 59, 999999, true, 34}));
  EXPECT_EQ(*parse_time("00:00:00"), MysqlTime{});
  for (const char* bad : {"1:00:00", "10:60:00", "10:00", "-", "10:00:00x", "+10:00:00"})
    EXPECT_FALSE(parse_time(bad)) << bad;
}

TEST(ValueText, FromTextChecksTheColumnType) {
  EXPECT_EQ(*from_text(std::nullopt, column(FieldType::kLong)), BinaryValue());
  EXPECT_EQ(*from_text("-128", column(FieldType::kTiny)), BinaryValue(int64_t(-128)));
  EXPECT_FALSE(from_text("-129", column(FieldType::kTiny)));
  EXPECT_FALSE(from_text("256", column(FieldType::kTiny, column_flag::kUnsigned)));
  EXPECT_FALSE(from_text("-1", column(FieldType::kLongLong, column_flag::kUnsigned)));
  EXPECT_EQ(
      *from_text("18446744073709551615", column(FieldType::kLongLong, column_flag::kUnsigned)),
      BinaryValue(std::numeric_limits<uint64_t>::max()));
  EXPECT_FALSE(from_text("12a", column(FieldType::kLong)));
  EXPECT_FALSE(from_text("", column(FieldType::kLong)));
  EXPECT_EQ(*from_text("1e20", column(FieldType::kDouble)), BinaryValue(1e20));
  EXPECT_FALSE(from_text("1.5x", column(FieldType::kDouble)));
  EXPECT_EQ(*from_text("1.50", column(FieldType::kNewDecimal)),
            BinaryValue(std::string_view("1.50")));
  EXPECT_FALSE(from_text("x", column(FieldType::kNull)));
  EXPECT_FALSE(from_text("noon", column(FieldType::kTime)));
}

}  // namespace
}  // namespace gh::mysql
