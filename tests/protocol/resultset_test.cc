// Text result sets: real MariaDB 10.11 column definitions and rows (NULLs, empty strings,
// 250/251-byte values), column counts, and exact re-encoding.
#include "protocol/resultset.h"

#include <gtest/gtest.h>

#include "hex.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

// Column `vc VARCHAR(300)` of temporary table x.gh_t, utf8mb4 (collation 45).
constexpr const char* kVarcharColumn =
    "03646566 0178 0467685f74 0467685f74 027663 027663 0c 2d00 b0040000 fd 0000 00 0000";
// Column `iu INT UNSIGNED ZEROFILL`: binary collation, length 10, flags UNSIGNED|ZEROFILL.
constexpr const char* kZerofillColumn =
    "03646566 0178 0467685f74 0467685f74 026975 026975 0c 3f00 0a000000 03 6000 00 0000";
// SELECT 1/0: no table, NEWDECIMAL, length 7, decimals 4, flags BINARY.
constexpr const char* kExpressionColumn =
    "03646566 00 00 00 03312f30 00 0c 3f00 07000000 f6 8000 04 0000";
// SELECT 1.5e0 as the mariadb CLI saw it: libmariadb asks for MARIADB_CLIENT_EXTENDED_METADATA
// (MariaDB capability bit 3), which adds a lenenc extended-type block (here empty) after
// org_name. Gatehouse never negotiates it, and the decoder does not read that layout.
constexpr const char* kExtendedMetadataColumn =
    "03646566 00 00 00 05312e356530 00 00 0c 3f00 05000000 05 8100 1f 0000";

TEST(Resultset, DecodesRealColumnDefinitions) {
  std::string vc_wire = unhex(kVarcharColumn);
  std::string iu_wire = unhex(kZerofillColumn);
  std::string ex_wire = unhex(kExpressionColumn);
  auto vc = decode_column_definition(vc_wire);
  ASSERT_TRUE(vc);
  EXPECT_EQ(vc->catalog, "def");
  EXPECT_EQ(vc->schema, "x");
  EXPECT_EQ(vc->table, "gh_t");
  EXPECT_EQ(vc->org_table, "gh_t");
  EXPECT_EQ(vc->name, "vc");
  EXPECT_EQ(vc->org_name, "vc");
  EXPECT_EQ(vc->collation, 45);
  EXPECT_EQ(vc->column_length, 1200u);  // 300 chars * 4 bytes
  EXPECT_EQ(vc->type, FieldType::kVarString);
  EXPECT_EQ(vc->flags, 0);
  EXPECT_FALSE(vc->is_binary());

  auto iu = decode_column_definition(iu_wire);
  ASSERT_TRUE(iu);
  EXPECT_EQ(iu->type, FieldType::kLong);
  EXPECT_TRUE(iu->is_unsigned());
  EXPECT_TRUE(iu->flags & column_flag::kZerofill);
  EXPECT_TRUE(iu->is_binary());
  EXPECT_EQ(iu->column_length, 10u);

  auto ex = decode_column_definition(ex_wire);
  ASSERT_TRUE(ex);
  EXPECT_EQ(ex->schema, "");
  EXPECT_EQ(ex->name, "1/0");
  EXPECT_EQ(ex->type, FieldType::kNewDecimal);
  EXPECT_EQ(ex->column_length, 7u);
  EXPECT_EQ(ex->decimals, 4);
  EXPECT_EQ(ex->flags, column_flag::kBinary);
}

TEST(Resultset, ExtendedMetadataLayoutIsNotDecoded) {
  EXPECT_EQ(decode_column_definition(unhex(kExtendedMetadataColumn)).error(),
            make_error_code(Errc::kMalformedPacket));
}

TEST(Resultset, ColumnDefinitionsReEncodeExactly) {
  for (const char* wire : {kVarcharColumn, kZerofillColumn, kExpressionColumn}) {
    std::string bytes = unhex(wire);
    auto c = decode_column_definition(bytes);
    ASSERT_TRUE(c);
    std::string out;
    encode_column_definition(*c, out);
    EXPECT_EQ(hex(out), canon(wire));
  }
}

TEST(Resultset, ColumnDefinitionTruncatedOrShortFixedPartIsMalformed) {
  std::string wire = unhex(kVarcharColumn);
  for (size_t n = 0; n + 2 < wire.size(); ++n)  // the 2 filler bytes are optional
    EXPECT_EQ(decode_column_definition(wire.substr(0, n)).error(),
              make_error_code(Errc::kMalformedPacket))
        << n;
  std::string bad = wire;
  bad[wire.size() - 13] = 0x09;  // fixed-length field length below 10
  EXPECT_EQ(decode_column_definition(bad).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Resultset, ColumnCount) {
  EXPECT_EQ(*decode_column_count(unhex("14")), 20u);
  EXPECT_EQ(*decode_column_count(unhex("fc fb00")), 251u);
  EXPECT_EQ(decode_column_count(unhex("00 00 00 0200 0000")).error(),
            make_error_code(Errc::kUnexpectedPacket));  // OK
  EXPECT_EQ(decode_column_count(unhex("ff 1004")).error(),
            make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_column_count(unhex("fe 0000 0200")).error(),
            make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_column_count(unhex("fb 6669 6c65")).error(),  // LOCAL INFILE request
            make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_column_count(unhex("02 00")).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_column_count("").error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_column_count(unhex("fc fb")).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Resultset, RealTextRowWithNullsAndEmptyString) {
  // SELECT 1, null, 'abc', 1.5e0 and a row of x.gh_t with NULLs and zero dates.
  struct Case {
    const char* wire;
    std::vector<TextValue> values;
  };
  const Case cases[] = {
      {"0131 fb 03616263 03312e35", {"1", std::nullopt, "abc", "1.5"}},
      {"00 fb 00", {"", std::nullopt, ""}},
      {"fb fb", {std::nullopt, std::nullopt}},
      {"0a 303030302d30302d3030 0f 30303a30303a30302e303030303030",
       {"0000-00-00", "00:00:00.000000"}},
  };
  for (const auto& c : cases) {
    std::vector<TextValue> got;
    std::string wire = unhex(c.wire);
    ASSERT_TRUE(decode_text_row(wire, c.values.size(), got)) << c.wire;
    EXPECT_EQ(got, c.values) << c.wire;
    std::string out;
    encode_text_row(c.values, out);
    EXPECT_EQ(hex(out), canon(c.wire));
  }
}

TEST(Resultset, TextRowValuesAtLenencBoundaries) {
  for (size_t n : {250u, 251u, 0xFFFFu, 0x10000u}) {
    std::string big(n, 'y');
    std::vector<TextValue> row = {big, std::nullopt, ""};
    std::string out;
    encode_text_row(row, out);
    std::string prefix = n == 250      ? "fa"
                         : n == 251    ? "fcfb00"
                         : n == 0xFFFF ? "fcffff"
                                       : "fd000001";
    EXPECT_EQ(hex(out.substr(0, prefix.size() / 2)), prefix);
    std::vector<TextValue> got;
    ASSERT_TRUE(decode_text_row(out, 3, got));
    EXPECT_EQ(got, row);
  }
}

TEST(Resultset, TextRowWithWrongColumnCountIsMalformed) {
  std::vector<TextValue> got;
  std::string wire = unhex("0131 fb 03616263");
  EXPECT_EQ(decode_text_row(wire, 4, got).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_text_row(wire, 2, got).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_text_row(unhex("05 6162"), 1, got).error(),
            make_error_code(Errc::kMalformedPacket));
  EXPECT_TRUE(decode_text_row("", 0, got));
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace gh::mysql
