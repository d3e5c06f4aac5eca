// AuditLog: every line is valid JSON (parsed back with Boost.JSON) whatever bytes the fields
// hold, carries an ISO-8601 UTC timestamp with milliseconds, and never holds parameter values.
#include "gatekeeper/audit_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "gatekeeper/policy.h"
#include "temp_dir.h"

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;
using test_util::lines_of;
using test_util::TempDir;
namespace json = boost::json;

json::object parse_line(const std::string& line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  EXPECT_FALSE(ec) << ec.message() << ": " << line;
  EXPECT_TRUE(v.is_object()) << line;
  return v.is_object() ? v.as_object() : json::object{};
}

TEST(AuditLog, FormatsTheDocumentedLine) {
  AuditEvent e;
  e.front = "http";
  e.event = "deny";
  e.key = "0123456789ab";
  e.client = "127.0.0.1:51234";
  e.digest = "9f86d081884c7d65";
  e.code = Errc::kForbidden;
  e.rule = "always_denied";
  e.reason = "GRANT is never allowed";
  EXPECT_EQ(format_audit_line(e, "2026-11-21T10:00:00.123Z"),
            "{\"ts\":\"2026-11-21T10:00:00.123Z\",\"front\":\"http\",\"event\":\"deny\","
            "\"key\":\"0123456789ab\",\"client\":\"127.0.0.1:51234\","
            "\"digest\":\"9f86d081884c7d65\",\"code\":\"forbidden\",\"rule\":\"always_denied\","
            "\"reason\":\"GRANT is never allowed\"}\n");
}

TEST(AuditLog, AnyBytesGiveValidJson) {
  const std::string nasty[] = {
      "quote \" backslash \\ slash /",
      "newline\nreturn\rtab\tbell\a nul" + std::string(1, '\0') + " del\x7f",
      "utf8 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
      "invalid \xff\xfe \xc3 \xe2\x82 \xed\xa0\x80 \xc0\xaf \xf5\x80\x80\x80",
      "\"},{\"injected\":true",
  };
  for (const std::string& s : nasty) {
    AuditEvent e;
    e.front = "mysql";
    e.event = "deny";
    e.key = s;
    e.client = s;
    e.rule = s;
    e.reason = s;
    e.code = Errc::kInjectionSuspected;
    std::string line = format_audit_line(e, "2026-01-01T00:00:00.000Z");
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line only";
    json::object o = parse_line(line.substr(0, line.size() - 1));
    EXPECT_EQ(o.size(), 9u);
    EXPECT_EQ(o["code"].as_string(), "injection_suspected");
    EXPECT_FALSE(o.contains("injected"));
    if (s.find('\xff') == std::string::npos) {  // valid UTF-8 comes back unchanged
      EXPECT_EQ(std::string(o["reason"].as_string()), s);
    }
  }
}

TEST(AuditLog, WritesLinesWithTimestampsAndMode0600) {
  TempDir dir;
  fs::path file = dir.path() / "audit.log";
  AuditLog disabled;
  disabled.write(AuditEvent{});  // no file: nothing happens
  EXPECT_EQ(disabled.lines_written(), 0u);

  {
    AuditLog log;
    ASSERT_TRUE(log.open(file));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < 50; ++i) {
          std::string key = "key" + std::to_string(t);
          AuditEvent e;
          e.front = "http";
          e.event = i % 2 ? "deny" : "learn";
          e.key = key;
          e.client = "10.0.0.1:1234";
          e.code = Errc::kRateLimited;
          e.rule = "rate_limit";
          e.reason = "too many requests";
          log.write(e);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(log.lines_written(), 200u);
  }
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto lines = lines_of(file);
  ASSERT_EQ(lines.size(), 200u);
  const std::regex ts(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  for (const auto& line : lines) {
    json::object o = parse_line(line);
    EXPECT_TRUE(std::regex_match(std::string(o["ts"].as_string()), ts)) << line;
    EXPECT_EQ(o["code"].as_string(), "rate_limited");
  }
  // Appends on reopen.
  AuditLog again;
  ASSERT_TRUE(again.open(file));
  again.write(AuditEvent{});
  EXPECT_EQ(lines_of(file).size(), 201u);
  EXPECT_FALSE(AuditLog().open(dir.path() / "missing" / "dir" / "audit.log"));
}

// What a front writes for a denied statement: the digest and the verdict, never the values.
TEST(AuditLog, DeniedStatementsLeaveNoParameterValues) {
  TempDir dir;
  fs::path file = dir.path() / "audit.log";
  AuditLog log;
  ASSERT_TRUE(log.open(file));
  const char* statements[] = {
      "GRANT ALL ON *.* TO 'hunter2user'@'%' IDENTIFIED BY 'hunter2pass'",
      "SELECT * FROM users WHERE name = '' OR 'hunter2x'='hunter2x'",
      "DELETE FROM cards WHERE number = '4111111111111111'",
      "SELECT LOAD_FILE('/home/hunter2/.ssh/id_rsa')",
      "SELECT * FROM t WHERE secret = 'hunter2' -- '",
      "SELECT 'hunter2'; DROP TABLE t",
  };
  for (const char* sql : statements) {
    CheckedStatement c = check_statement(Role::kRead, sql, 0, PolicyLimits{});
    ASSERT_FALSE(c.verdict.ok()) << sql;
    std::string digest = c.digest ? digest_hex(c.digest) : "";
    AuditEvent e;
    e.front = "http";
    e.event = "deny";
    e.key = "0123456789ab";
    e.client = "127.0.0.1:5000";
    e.digest = digest;
    e.code = c.verdict.code;
    e.rule = c.verdict.rule;
    e.reason = c.verdict.message;
    log.write(e);
  }
  std::ifstream in(file);
  std::stringstream all;
  all << in.rdbuf();
  EXPECT_EQ(all.str().find("hunter2"), std::string::npos) << all.str();
  EXPECT_EQ(all.str().find("4111111111111111"), std::string::npos) << all.str();
  EXPECT_EQ(lines_of(file).size(), std::size(statements));
  for (const auto& line : lines_of(file)) parse_line(line);
}

}  // namespace
}  // namespace gh::gatekeeper
