// Mix files: parsing (with errors naming the line), weights, placeholders rendered inline (MySQL)
// or as `?` + JSON params (HTTP); and the HTTP target's request body and response parsing.
#include "bench/mix.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>

#include "bench/http_target.h"
#include "bench/mysql_target.h"

namespace gh::bench {
namespace {

constexpr std::string_view kMix = R"(# a comment, then a blank line

90 read  SELECT payload FROM gatehouse_bench.requests WHERE id = {id}
 10	write INSERT INTO t (a, b) VALUES ({str:8}, {int:5:7})
)";

TEST(Mix, ParsesLinesWeightsAndPlaceholders) {
  auto mix = Mix::parse(kMix, "m.txt");
  ASSERT_TRUE(mix) << mix.error();
  ASSERT_EQ(mix->statements().size(), 2u);
  EXPECT_EQ(mix->statements()[0].weight, 90u);
  EXPECT_TRUE(mix->statements()[0].is_read);
  EXPECT_FALSE(mix->statements()[1].is_read);
  EXPECT_EQ(mix->statements()[1].placeholders.size(), 2u);
  EXPECT_TRUE(mix->has_reads());
  EXPECT_TRUE(mix->has_writes());
  EXPECT_TRUE(mix->uses_id());
  EXPECT_DOUBLE_EQ(mix->read_share(), 0.9);
}

TEST(Mix, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"10 read SELECT 1\nx read SELECT 2\n", "m:2: weight 'x'"},
      {"0 read SELECT 1\n", "m:1: weight '0'"},
      {"5 update SELECT 1\n", "m:1: kind 'update'"},
      {"5 read\n", "m:1: no SQL"},
      {"\n\n5 read SELECT {nope}\n", "m:3: unknown placeholder {nope}"},
      {"5 read SELECT {int:9:1}\n", "m:1: bad placeholder {int:9:1}"},
      {"5 read SELECT {str:0}\n", "m:1: bad placeholder {str:0}"},
      {"5 read SELECT {id\n", "m:1: unclosed"},
      {"# only a comment\n", "m: no statements"},
  };
  for (const auto& c : cases) {
    auto mix = Mix::parse(c.text, "m");
    ASSERT_FALSE(mix) << c.text;
    EXPECT_NE(mix.error().find(c.expect), std::string::npos) << mix.error();
  }
}

TEST(Mix, DrawsByWeight) {
  auto mix = Mix::parse(kMix, "m");
  ASSERT_TRUE(mix);
  std::mt19937_64 rng(1);
  MixContext ctx{100, 200};
  Statement st;
  int reads = 0;
  for (int i = 0; i < 20000; ++i) {
    mix->draw(rng, ctx, true, st);
    reads += st.is_read;
  }
  EXPECT_NEAR(reads / 20000.0, 0.9, 0.01);
}

TEST(Mix, RendersInlineAndParameterized) {
  auto mix = Mix::parse(kMix, "m");
  ASSERT_TRUE(mix);
  MixContext ctx{100, 105};
  Statement st;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Mix::render(mix->statements()[1], seed, ctx, true, st);
    // INSERT INTO t (a, b) VALUES ('XXXXXXXX', N) with N in 5..7
    ASSERT_EQ(st.sql.substr(0, 26), "INSERT INTO t (a, b) VALUE");
    size_t q = st.sql.find('\'');
    ASSERT_NE(q, std::string::npos);
    EXPECT_EQ(st.sql[q + 9], '\'');
    int n = st.sql[st.sql.size() - 2] - '0';
    EXPECT_GE(n, 5);
    EXPECT_LE(n, 7);
    EXPECT_TRUE(st.params.empty());
    Mix::render(mix->statements()[0], seed, ctx, false, st);
    EXPECT_EQ(st.sql, "SELECT payload FROM gatehouse_bench.requests WHERE id = ?");
    ASSERT_EQ(st.params.size(), 1u);
    int64_t id = std::get<int64_t>(st.params[0]);
    EXPECT_GE(id, 100);
    EXPECT_LE(id, 105);
  }
}

TEST(HttpTarget, BodyIsValidJsonWithParamsStrategyAndDatabase) {
  Statement st;
  st.is_read = true;
  st.sql = "SELECT \"x\\y\"\n FROM t WHERE a = ? AND b = ?";
  st.params = {int64_t(42), std::string("q\"uote")};
  std::string body = query_body(st, "customized", "sakila");
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << body;
  auto& o = v.as_object();
  EXPECT_EQ(o.at("sql").as_string(), st.sql);
  EXPECT_EQ(o.at("params").as_array()[0].as_int64(), 42);
  EXPECT_EQ(o.at("params").as_array()[1].as_string(), "q\"uote");
  EXPECT_EQ(o.at("strategy").as_string(), "customized");
  EXPECT_EQ(o.at("database").as_string(), "sakila");
  std::string bare = query_body(st, "", "");
  EXPECT_EQ(bare.find("strategy"), std::string::npos);
  EXPECT_EQ(bare.find("database"), std::string::npos);
}

TEST(HttpTarget, ParsesSuccessAndErrorResponses) {
  Outcome ok;
  parse_query_response(200,
                       R"({"columns":[{"name":"id","type":"LONG"}],"rows":[[7]],"row_count":1,)"
                       R"("affected_rows":0,"last_insert_id":1234,"served_by":"replica2",)"
                       R"("strategy":"random","elapsed_ms":0.42,"truncated":false})",
                       ok);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.served_by, "replica2");
  EXPECT_EQ(ok.last_insert_id, 1234);
  Outcome limited;
  parse_query_response(429, R"({"error":{"code":"rate_limited","message":"slow down"}})", limited);
  EXPECT_FALSE(limited.ok);
  EXPECT_EQ(limited.error, "429 rate_limited");
  Outcome garbage;
  parse_query_response(502, "<html>bad gateway</html>", garbage);
  EXPECT_EQ(garbage.error, "502 ?");
  Outcome bad200;
  parse_query_response(200, "not json", bad200);
  EXPECT_FALSE(bad200.ok);
  EXPECT_EQ(bad200.error, "200 bad_json");
}

TEST(MysqlTarget, ErrorKeysNameGatehouseCodes) {
  EXPECT_EQ(mysql_error_key(7401), "mysql 7401 queue_full");
  EXPECT_EQ(mysql_error_key(1146), "mysql 1146");
}

}  // namespace
}  // namespace gh::bench
