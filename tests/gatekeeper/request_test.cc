// Decoding of the HTTP API's JSON bodies: table-driven accept/reject cases with the message
// naming the field, and the parameter types.
#include <gtest/gtest.h>

#include "gatekeeper/request.h"

namespace gh::gatekeeper {
namespace {

TEST(Request, DecodesEveryField) {
  auto r = decode_query_request(
      R"j({"sql":"SELECT ?","params":[1,-2,18446744073709551615,1.5,"x",null,true],)j"
      R"j("strategy":"customized","database":"sakila"})j",
      {});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->statement.sql, "SELECT ?");
  ASSERT_EQ(r->statement.params.size(), 7u);
  EXPECT_EQ(std::get<int64_t>(r->statement.params[0]), 1);
  EXPECT_EQ(std::get<int64_t>(r->statement.params[1]), -2);
  EXPECT_EQ(std::get<uint64_t>(r->statement.params[2]), 18446744073709551615ull);
  EXPECT_EQ(std::get<double>(r->statement.params[3]), 1.5);
  EXPECT_EQ(std::get<std::string>(r->statement.params[4]), "x");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(r->statement.params[5]));
  EXPECT_EQ(std::get<int64_t>(r->statement.params[6]), 1);
  EXPECT_EQ(r->strategy, "customized");
  EXPECT_EQ(r->database, "sakila");
}

struct Bad {
  const char* body;
  const char* message_part;
};

class RequestRejects : public ::testing::TestWithParam<Bad> {};

TEST_P(RequestRejects, WithAMessageNamingTheField) {
  RequestLimits limits;
  limits.max_params = 3;
  auto r = decode_query_request(GetParam().body, limits);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find(GetParam().message_part), std::string::npos) << r.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, RequestRejects,
    ::testing::Values(
        Bad{"", "empty body"}, Bad{"{", "invalid JSON"}, Bad{"[1]", "JSON object"},
        Bad{R"j({"params":[]})j", "sql: missing"}, Bad{R"j({"sql":1})j", "sql: expected"},
        Bad{R"j({"sql":"x","params":{}})j", "params: expected an array"},
        Bad{R"j({"sql":"x","params":[[1]]})j", "params[0]"},
        Bad{R"j({"sql":"x","params":[1,2,3,4]})j", "the limit is 3"},
        Bad{R"j({"sql":"x","strategy":"fastest"})j", "strategy"},
        Bad{R"j({"sql":"x","database":"a.b"})j", "database"},
        Bad{R"j({"sql":"x","database":"`x"})j", "database"},
        Bad{R"j({"sql":"x","extra":1})j", "extra: unknown field"},
        Bad{R"j({"sql":"a\u0000b"})j", "NUL"},
        Bad{R"j({"sql":"x","params":[{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}]})j",
            "invalid JSON"}));

TEST(Request, TransactionAcceptsObjectsAndStrings) {
  auto t = decode_transaction_request(
      R"j({"statements":[{"sql":"INSERT INTO t VALUES (?)","params":[5]},"DELETE FROM t"]})j", {});
  ASSERT_TRUE(t) << t.error();
  ASSERT_EQ(t->statements.size(), 2u);
  EXPECT_EQ(std::get<int64_t>(t->statements[0].params[0]), 5);
  EXPECT_EQ(t->statements[1].sql, "DELETE FROM t");
}

TEST(Request, TransactionRejectsEmptyAndUnknownFields) {
  EXPECT_FALSE(decode_transaction_request(R"j({"statements":[]})j", {}));
  auto t = decode_transaction_request(R"j({"statements":[{"sql":"x","strategy":"random"}]})j", {});
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().find("statements[0].strategy"), std::string::npos) << t.error();
}

}  // namespace
}  // namespace gh::gatekeeper
