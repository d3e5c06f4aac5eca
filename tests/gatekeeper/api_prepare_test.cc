// Api::prepare(): routing, authentication, rate limiting and validation produce the right
// status, error code and rule before anything goes upstream; allowed requests become a Plan
// with the strategy hint. Every denial is an audit line.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "api_env_fake.h"

namespace gh::gatekeeper {
namespace {

class ApiPrepare : public ::testing::Test {
 protected:
  ApiPrepare()
      : dir_(std::filesystem::temp_directory_path() /
             ("gh-api-test-" + std::to_string(::getpid()))),
        env_(dir_),
        api_(env_) {}
  ~ApiPrepare() override { std::filesystem::remove_all(dir_); }

  std::variant<HttpReply, Plan> call(std::string_view method, std::string_view target,
                                     const std::string& token, std::string_view body) {
    auth_ = token.empty() ? "" : "Bearer " + token;
    HttpRequestView v;
    v.method = method;
    v.target = target;
    v.authorization = auth_;
    v.body = body;
    v.client = "127.0.0.1:4000";
    return api_.prepare(v);
  }
  static std::string code_of(const HttpReply& r) {
    auto v = boost::json::parse(r.body);
    return std::string(v.at("error").at("code").as_string());
  }

  std::filesystem::path dir_;
  FakeApiEnv env_;
  Api api_;
  std::string auth_;
};

struct Case {
  const char* method;
  const char* target;
  int token;  // 0 none, 1 read, 2 write, 3 admin, 4 bogus
  const char* body;
  unsigned status;
  const char* code;
};

TEST_F(ApiPrepare, StatusCodesTable) {
  const Case cases[] = {
      {"GET", "/v1/health", 0, "", 200, ""},
      {"GET", "/nope", 1, "", 404, "not_found"},
      {"GET", "/v1/query", 1, "", 405, "method_not_allowed"},
      {"POST", "/v1/query", 0, R"j({"sql":"SELECT 1"})j", 401, "unauthorized"},
      {"POST", "/v1/query", 4, R"j({"sql":"SELECT 1"})j", 401, "unauthorized"},
      {"POST", "/v1/query", 1, "{not json", 400, "bad_request"},
      {"POST", "/v1/query", 1, R"j({"sql":"INSERT INTO t VALUES (1)"})j", 403, "forbidden"},
      {"POST", "/v1/query", 3, R"j({"sql":"GRANT ALL ON *.* TO x"})j", 403, "forbidden"},
      {"POST", "/v1/query", 1, R"j({"sql":"SELECT 1; DROP TABLE t"})j", 403, "forbidden"},
      {"POST", "/v1/query", 1, R"j({"sql":"SELECT * FROM film WHERE title = '' OR '1'='1'"})j", 403,
       "injection_suspected"},
      {"POST", "/v1/query", 2, R"j({"sql":"INSERT INTO t VALUES (1)"})j", 0, ""},
      {"POST", "/v1/transaction", 2, R"j({"statements":["INSERT INTO t VALUES (1)"]})j", 0, ""},
      {"POST", "/v1/transaction", 2, R"j({"statements":["COMMIT"]})j", 400, "bad_request"},
      {"GET", "/v1/cluster", 1, "", 0, ""},
  };
  for (const auto& c : cases) {
    std::string token = c.token == 1   ? env_.read_token
                        : c.token == 2 ? env_.write_token
                        : c.token == 3 ? env_.admin_token
                        : c.token == 4 ? "ghk_000000000000_nope"
                                       : "";
    auto r = call(c.method, c.target, token, c.body);
    SCOPED_TRACE(std::string(c.method) + " " + c.target + " " + c.body);
    if (c.status == 0) {
      ASSERT_TRUE(std::holds_alternative<Plan>(r));
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<HttpReply>(r));
    const auto& reply = std::get<HttpReply>(r);
    EXPECT_EQ(reply.status, c.status) << reply.body;
    if (*c.code) {
      EXPECT_EQ(code_of(reply), c.code);
    }
  }
}

TEST_F(ApiPrepare, TooLargeQueryIs413WithRule) {
  env_.settings_.limits.max_query_bytes = 32;
  auto r = call("POST", "/v1/query", env_.read_token,
                R"j({"sql":"SELECT 1 FROM film WHERE title = 'a long title here'"})j");
  const auto& reply = std::get<HttpReply>(r);
  EXPECT_EQ(reply.status, 413u);
  auto v = boost::json::parse(reply.body);
  EXPECT_EQ(v.at("error").at("rule").as_string(), "query_bytes");
}

TEST_F(ApiPrepare, RateLimitIs429WithRetryAfter) {
  env_.settings_.rate_per_s = 1;
  env_.settings_.rate_burst = 1;
  auto first = call("POST", "/v1/query", env_.read_token, R"j({"sql":"SELECT 1"})j");
  EXPECT_TRUE(std::holds_alternative<Plan>(first));
  auto second = call("POST", "/v1/query", env_.read_token, R"j({"sql":"SELECT 1"})j");
  const auto& reply = std::get<HttpReply>(second);
  EXPECT_EQ(reply.status, 429u);
  EXPECT_GE(reply.retry_after_s, 1);
}

TEST_F(ApiPrepare, PlanCarriesHintDatabaseAndParams) {
  auto r = call("POST", "/v1/query", env_.read_token,
                R"j({"sql":"SELECT title FROM film WHERE film_id = ?","params":[7],)j"
                R"j("strategy":"customized"})j");
  ASSERT_TRUE(std::holds_alternative<Plan>(r));
  const Plan& p = std::get<Plan>(r);
  EXPECT_EQ(p.role, Role::kRead);
  EXPECT_EQ(p.database, "sakila");  // the key's default
  EXPECT_EQ(p.strategy, "customized");
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(p.statements[0].sql,
            "/* gatehouse:strategy=customized */ SELECT title FROM film WHERE film_id = ?");
  EXPECT_EQ(std::get<int64_t>(p.statements[0].params[0]), 7);
  EXPECT_EQ(p.statements[0].digest.size(), 16u);
}

TEST_F(ApiPrepare, DenialsAreAuditedWithoutLiterals) {
  call("POST", "/v1/query", env_.read_token,
       R"j({"sql":"SELECT * FROM users WHERE name = 'secret-value' OR 1=1"})j");
  std::ifstream in(dir_ / "audit.log");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line.find("secret-value"), std::string::npos) << line;
  auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("front").as_string(), "http");
  EXPECT_EQ(v.at("client").as_string(), "127.0.0.1:4000");
  EXPECT_EQ(v.at("digest").as_string().size(), 16u);
  EXPECT_TRUE(std::string(v.at("rule").as_string()).starts_with("injection:"));
}

}  // namespace
}  // namespace gh::gatekeeper
