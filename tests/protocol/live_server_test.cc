// The codec against a real MariaDB/MySQL server: every command encoder, the binary protocol in
// both directions, and binary->text rendering compared cell by cell with the server's own text
// protocol. Skips cleanly when no server answers.
//
// Server: GH_TEST_MARIADB=host:port (default 127.0.0.1:13306, "off" to skip), account
// GH_TEST_MARIADB_USER / GH_TEST_MARIADB_PASSWORD (default t / pw, mysql_native_password).
// Only TEMPORARY tables are created, in schema GH_TEST_MARIADB_SCHEMA (default "mysql"): they
// live in the test's session and vanish with it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "live_client.h"
#include "protocol/value_text.h"

namespace gh::mysql {
namespace {

using test::env_or;
using test::Live;

class LiveServer : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = env_or("GH_TEST_MARIADB_SCHEMA", "mysql");
    if (auto why = db_.open(schema_)) GTEST_SKIP() << "skipping live tests: " << *why;
  }
  Live db_;
  std::string schema_;
};

TEST_F(LiveServer, BinaryRowsRenderLikeTextRowsForEveryType) {
  ASSERT_TRUE(db_.exec(
      "CREATE TEMPORARY TABLE gh_live (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, "
      "sm SMALLINT, su SMALLINT UNSIGNED ZEROFILL, yr YEAR, md MEDIUMINT, mu MEDIUMINT UNSIGNED, "
      "i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, f FLOAT, f3 FLOAT(7,3), d DOUBLE, "
      "d2 DOUBLE(12,2), dc DECIMAL(30,10), dt DATE, dtm DATETIME, dtm3 DATETIME(3), "
      "dtm6 DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME, tm2 TIME(2), tm6 TIME(6), "
      "c CHAR(3), vc VARCHAR(300), bn BINARY(3), vb VARBINARY(10), tx TEXT, bl BLOB, "
      "bt BIT(13), en ENUM('a','bb'), st SET('x','y','z'), js JSON)"));
  ASSERT_TRUE(db_.exec(
      "INSERT INTO gh_live VALUES (1, -128, 255, -32768, 7, 1901, -8388608, 16777215, "
      "-2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 3.4e38, -1234.5679, "
      "-1.7976931348623157e308, 1234567890.125, -12345678901234567890.0123456789, '9999-12-31', "
      "'1000-01-01 00:00:00', '2024-02-29 23:59:59.999', '1970-01-01 00:00:00.000001', "
      "'2038-01-19 03:14:07.999999', '838:59:59', '-838:59:59.99', '-00:00:00.000001', 'ab', "
      "REPEAT('v', 300), 'a\\0', 0x00FF00, 'text', 0x0001FEFF, b'1010101010101', 'bb', 'x,z', "
      "'{\"k\": [1, 2.5, null]}')"));
  ASSERT_TRUE(db_.exec(
      "INSERT INTO gh_live (id, dt, dtm, dtm6, tm, tm6, vc, f, d) VALUES (2, '0000-00-00', "
      "'0000-00-00 00:00:00', '2000-01-01 00:00:00', '00:00:00', '00:00:00', '', 0, 0)"));
  ASSERT_TRUE(db_.exec("INSERT INTO gh_live (id) VALUES (3)"));
  // Random floats and doubles over the whole exponent range: the spelling of each must match.
  std::mt19937_64 rng(7);
  std::string insert = "INSERT INTO gh_live (id, f, d, f3, d2) VALUES ";
  for (int i = 0; i < 300; ++i) {
    double d = 0;
    float f = 0;
    do {
      uint64_t bits = rng();
      std::memcpy(&d, &bits, sizeof d);
    } while (!std::isfinite(d));
    do {
      uint32_t bits = uint32_t(rng());
      std::memcpy(&f, &bits, sizeof f);
    } while (!std::isfinite(f));
    if (i % 3 == 0) d = std::ldexp(double(rng() % 1000000) / 1000.0, int(rng() % 80) - 40);
    if (i % 3 == 1) f = std::ldexp(float(rng() % 100000) / 100.0f, int(rng() % 60) - 30);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s(%d, %.9g, %.17g, %.3f, %.2f)", i ? ", " : "", 100 + i,
                  double(f), d, std::fmod(double(rng() % 20000000) / 997.0, 9999.0),
                  double(rng() % 100000000) / 100.0);
    insert += buf;
  }
  ASSERT_TRUE(db_.exec(insert));

  auto text = db_.query("SELECT * FROM gh_live ORDER BY id");
  ASSERT_TRUE(text);
  auto stmt = db_.prepare("SELECT * FROM gh_live ORDER BY id");
  ASSERT_TRUE(stmt);
  StmtExecute e;
  e.statement_id = stmt->ok.statement_id;
  auto binary = db_.execute(e);
  ASSERT_TRUE(binary);
  ASSERT_EQ(binary->raw_rows.size(), text->rows.size());
  ASSERT_EQ(binary->raw_rows.size(), 303u);
  const auto& cols = binary->columns.defs;
  size_t compared = 0;
  for (size_t r = 0; r < text->rows.size(); ++r) {
    std::vector<BinaryValue> values;
    ASSERT_TRUE(decode_binary_row(binary->raw_rows[r], cols, values)) << r;
    for (size_t c = 0; c < cols.size(); ++c) {
      const auto& t = text->rows[r][c];
      ASSERT_EQ(is_null(values[c]), !t.has_value()) << r << "/" << cols[c].name;
      if (!t) continue;
      EXPECT_EQ(to_text(values[c], cols[c]), *t) << "row " << r << " column " << cols[c].name;
      auto back = from_text(*t, cols[c]);
      ASSERT_TRUE(back) << *t << " in " << cols[c].name;
      if (cols[c].type != FieldType::kFloat) {
        EXPECT_EQ(*back, values[c]) << *t << " in " << cols[c].name;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 1300u);
}

TEST_F(LiveServer, ExecuteParamsOfEveryTypeReachTheServerIntact) {
  ASSERT_TRUE(db_.exec(
      "CREATE TEMPORARY TABLE gh_params (ti TINYINT, tu TINYINT UNSIGNED, sm SMALLINT, "
      "i INT, bi BIGINT, bu BIGINT UNSIGNED, f FLOAT, d DOUBLE, s VARCHAR(20), b BLOB, "
      "n INT, dt DATE, dtm DATETIME(6), tm TIME(6), tmn TIME(6), dc DECIMAL(10,2), yr YEAR)"));
  auto stmt = db_.prepare(
      "INSERT INTO gh_params VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ASSERT_TRUE(stmt);
  ASSERT_EQ(stmt->ok.num_params, 17);
  StmtExecute e;
  e.statement_id = stmt->ok.statement_id;
  e.params = {
      make_param(int64_t(-128), FieldType::kTiny),
      make_param(uint64_t(255), FieldType::kTiny, true),
      make_param(int64_t(-32768), FieldType::kShort),
      make_param(int64_t(-2147483647), FieldType::kLong),
      make_param(std::numeric_limits<int64_t>::min()),
      make_param(std::numeric_limits<uint64_t>::max()),
      make_param(1.5f),
      make_param(-2.5e-300),
      make_param(std::string_view("h\xc3\xa9llo")),
      make_param(std::string_view("\0\xff", 2), FieldType::kBlob),
      make_param(BinaryValue(), FieldType::kLong),
      make_param(MysqlTime{2024, 2, 29, 0, 0, 0, 0, false, 0}, FieldType::kDate),
      make_param(MysqlTime{2024, 2, 29, 23, 59, 58, 123, false, 0}),
      make_param(MysqlTime{0, 0, 0, 22, 59, 59, 999999, true, 34}),
      make_param(MysqlTime{0, 0, 0, 0, 0, 1, 500000, true, 0}, FieldType::kTime),
      make_param(std::string_view("-12.50"), FieldType::kNewDecimal),
      // Not FieldType::kYear: MariaDB 10.11 reads a YEAR parameter as NULL and leaves its
      // two bytes for the next parameter (see binary.h). Client libraries send SHORT.
      make_param(uint64_t(2024), FieldType::kShort, true),
  };
  ASSERT_TRUE(db_.execute(e));
  // Again without rebinding: same types, new values.
  StmtExecute again = e;
  again.new_params_bound = false;
  again.params[0].value = int64_t(127);
  again.params[10].value = int64_t(42);
  ASSERT_TRUE(db_.execute(again));

  auto text = db_.query("SELECT * FROM gh_params");
  ASSERT_TRUE(text);
  ASSERT_EQ(text->rows.size(), 2u);
  const std::vector<std::optional<std::string>> expected = {"-128",
                                                            "255",
                                                            "-32768",
                                                            "-2147483647",
                                                            "-9223372036854775808",
                                                            "18446744073709551615",
                                                            "1.5",
                                                            "-2.5e-300",
                                                            "h\xc3\xa9llo",
                                                            std::string("\0\xff", 2),
                                                            std::nullopt,
                                                            "2024-02-29",
                                                            "2024-02-29 23:59:58.000123",
                                                            "-838:59:59.999999",
                                                            "-00:00:01.500000",
                                                            "-12.50",
                                                            "2024"};
  EXPECT_EQ(text->rows[0], expected);
  EXPECT_EQ(text->rows[1][0], "127");
  EXPECT_EQ(text->rows[1][10], "42");
}

TEST_F(LiveServer, LongDataResetFetchAndClose) {
  auto echo = db_.prepare("SELECT ? AS v");
  ASSERT_TRUE(echo);
  for (std::string_view chunk : {"first-", "second"}) {
    std::string payload;
    encode_com_stmt_send_long_data({echo->ok.statement_id, 0, chunk}, payload);
    db_.command(payload);  // no response
  }
  StmtExecute e;
  e.statement_id = echo->ok.statement_id;
  e.params = {make_param(std::string_view(), FieldType::kBlob)};
  e.params[0].long_data = true;
  auto res = db_.execute(e);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->raw_rows.size(), 1u);
  std::vector<BinaryValue> row;
  ASSERT_TRUE(decode_binary_row(res->raw_rows[0], res->columns.defs, row));
  EXPECT_EQ(to_text(row[0], res->columns.defs[0]), "first-second");

  std::string payload;
  encode_com_stmt_reset(echo->ok.statement_id, payload);
  db_.command(payload);
  auto ok = db_.recv();
  ASSERT_TRUE(ok && is_ok_header(*ok));

  // A read-only cursor, fetched two rows at a time.
  auto seq = db_.prepare("SELECT seq FROM seq_1_to_5");  // MariaDB's sequence engine
  if (seq) {
    StmtExecute c;
    c.statement_id = seq->ok.statement_id;
    c.flags = cursor::kReadOnly;
    auto opened = db_.execute(c);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(opened->status & status::kCursorExists);
    EXPECT_TRUE(opened->raw_rows.empty());
    std::vector<int64_t> got;
    for (int round = 0; round < 4; ++round) {
      payload.clear();
      encode_com_stmt_fetch({c.statement_id, 2}, payload);
      db_.command(payload);
      std::vector<std::string> rows;
      uint16_t st = 0;
      ASSERT_TRUE(db_.read_rows(rows, st));
      for (const auto& r : rows) {
        std::vector<BinaryValue> v;
        ASSERT_TRUE(decode_binary_row(r, opened->columns.defs, v));
        got.push_back(int64_t(std::get<uint64_t>(v[0])));
      }
      if (st & status::kLastRowSent) break;
    }
    EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  }

  payload.clear();
  encode_com_stmt_close(echo->ok.statement_id, payload);
  db_.command(payload);  // no response: the next command's answer comes first
  payload.clear();
  encode_simple_command(Command::kPing, payload);
  db_.command(payload);
  auto pong = db_.recv();
  ASSERT_TRUE(pong && is_ok_header(*pong));
  e.params[0].long_data = false;
  EXPECT_FALSE(db_.execute(e));  // closed: ERR unknown statement
}

TEST_F(LiveServer, ConnectionCommands) {
  std::string payload;
  encode_simple_command(Command::kPing, payload);
  db_.command(payload);
  auto pong = db_.recv();
  ASSERT_TRUE(pong && is_ok_header(*pong));

  payload.clear();
  encode_simple_command(Command::kStatistics, payload);
  db_.command(payload);
  auto stats = db_.recv();  // a bare string, no header byte
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->rfind("Uptime: ", 0), 0u) << *stats;

  payload.clear();
  encode_com_init_db("information_schema", payload);
  db_.command(payload);
  auto init = db_.recv();
  ASSERT_TRUE(init && is_ok_header(*init));
  auto cur = db_.query("SELECT DATABASE()");
  ASSERT_TRUE(cur);
  EXPECT_EQ(cur->rows.at(0).at(0), "information_schema");

  payload.clear();
  encode_com_set_option(uint16_t(SetOption::kMultiStatementsOn), payload);
  db_.command(payload);
  auto opt = db_.recv();  // EOF (or OK) acknowledges
  ASSERT_TRUE(opt && (is_eof(*opt) || is_ok_header(*opt)));

  ASSERT_TRUE(db_.exec("CREATE TEMPORARY TABLE " + schema_ + ".gh_fields (a INT, bee TEXT)"));
  payload.clear();
  encode_com_init_db(schema_, payload);
  db_.command(payload);
  ASSERT_TRUE(db_.recv());
  payload.clear();
  encode_com_field_list({"gh_fields", ""}, payload);
  db_.command(payload);
  std::vector<std::string> defs;
  for (;;) {
    auto p = db_.recv();
    ASSERT_TRUE(p && !is_err(*p));
    if (is_eof_or_ok_fe(*p, db_.deprecate_eof())) break;
    defs.push_back(*p);
  }
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(decode_column_definition(defs[1])->name, "bee");

  ComChangeUser cu;
  cu.user = env_or("GH_TEST_MARIADB_USER", "t");
  cu.auth_response = native_password_scramble(db_.password(), db_.nonce());
  cu.schema = "information_schema";
  cu.collation = kDefaultCollation;
  cu.auth_plugin = std::string(kNativePassword);
  cu.attributes = {{"_client_name", "gatehouse-test"}};
  payload.clear();
  ASSERT_TRUE(encode_com_change_user(cu, db_.caps(), payload));
  db_.command(payload);
  auto changed = db_.auth_exchange();
  ASSERT_TRUE(changed) << changed.error();
  cur = db_.query("SELECT DATABASE(), CURRENT_USER()");
  ASSERT_TRUE(cur);
  EXPECT_EQ(cur->rows.at(0).at(0), "information_schema");

  payload.clear();
  encode_simple_command(Command::kResetConnection, payload);
  db_.command(payload);
  auto reset = db_.recv();
  ASSERT_TRUE(reset && is_ok_header(*reset));

  payload.clear();
  encode_simple_command(Command::kQuit, payload);
  db_.command(payload);
  EXPECT_FALSE(db_.recv());  // the server closes the connection
}

}  // namespace
}  // namespace gh::mysql
