// Tests for detect_injection(): per-rule cases (positive and negative) and robustness.
// The detection / false-positive rates over corpora are in injection_corpus_test.cc.
#include "sql/injection.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace gh::sql {
namespace {

bool has_rule(const std::vector<Finding>& fs, std::string_view rule) {
  for (const auto& f : fs) {
    if (f.rule == rule) return true;
  }
  return false;
}

std::string rules_of(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs) out += std::string(f.rule) + "(" + f.message + ") ";
  return out;
}

struct RuleCase {
  std::string sql;
  std::string_view rule;
  bool want;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.rule << ": " << c.sql; }

class RuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(RuleTest, Rule) {
  const auto& c = GetParam();
  auto fs = detect_injection(c.sql);
  EXPECT_EQ(has_rule(fs, c.rule), c.want) << c.rule << ": " << c.sql << " -> " << rules_of(fs);
}

// clang-format off
const RuleCase kRuleCases[] = {
    {"SELECT * FROM t WHERE a = '' OR '1'='1'", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR 1=1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR 2>1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR x=x", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR t.x = T.X", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR true", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR 1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 || 1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = '' OR ('a'='a')", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR -1 = -1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR NOT 0", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 OR NULL IS NULL", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 1 XOR 1=1", kRuleTautology, true},
    {"SELECT * FROM t WHERE a = 'x' AND 'b'='b'", kRuleTautology, true},
    {"SELECT * FROM t WHERE 'b'='b'", kRuleTautology, true},
    {"SELECT * FROM t WHERE 1=1 AND a = 2", kRuleTautology, false},
    {"SELECT * FROM t WHERE a = 2 AND 0 = 1", kRuleTautology, false},
    {"SELECT * FROM t JOIN u ON 1=1", kRuleTautology, false},
    {"SELECT * FROM t WHERE a = 1 OR b = 2", kRuleTautology, false},
    {"SELECT * FROM t WHERE a = 1 OR 'x' = b", kRuleTautology, false},
    {"SELECT * FROM t WHERE a IS NULL OR a = ''", kRuleTautology, false},
    {"SELECT * FROM t WHERE a BETWEEN 1 AND 10", kRuleTautology, false},
    {"SELECT * FROM t WHERE a = 1 OR f(1) = f(1)", kRuleTautology, false},
    {"SELECT first || ' ' || last FROM t", kRuleTautology, false},
    {"SELECT 'a OR 1=1' FROM t", kRuleTautology, false},
    {"SELECT a FROM t1 UNION SELECT a FROM t2", kRuleUnionSelect, false},
    {"SELECT a FROM t1 UNION ALL (SELECT b FROM t2 WHERE c = 1)", kRuleUnionSelect, false},
    {"SELECT a FROM t WHERE b = '' UNION SELECT NULL, version()", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 UNION ALL SELECT 1,2,3", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 UNION SELECT @@version", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 UNION SELECT table_name FROM information_schema.tables", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 UNION SELECT user FROM `mysql`.user", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = '' UNION SELECT name FROM users -- '", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 /*!UNION*/ /*!SELECT*/ NULL", kRuleUnionSelect, true},
    {"SELECT a FROM t WHERE b = 1 UNION/**/SELECT/**/NULL", kRuleUnionSelect, true},
    {"SELECT SLEEP(5)", kRuleTimeBased, true},
    {"SELECT a FROM t WHERE b = 1 AND BENCHMARK(1000000, MD5('a'))", kRuleTimeBased, true},
    {"SELECT pg_sleep(5)", kRuleTimeBased, true},
    {"SELECT 1 WAITFOR DELAY '0:0:5'", kRuleTimeBased, true},
    {"SELECT a FROM t WHERE b = 1 AND GET_LOCK('x', 5)", kRuleTimeBased, true},
    {"SELECT GET_LOCK('migrations', 10)", kRuleTimeBased, false},
    {"SELECT sleep_minutes FROM t", kRuleTimeBased, false},
    {"SELECT a FROM t WHERE b = 'admin'#'", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = '' OR 1=1 -- '", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = 1 OR 1=1 -- ", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = 1 OR 1=1#", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = 1-- -", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = 'x' /* never closed", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = ''; DROP TABLE x; --'", kRuleCommentTruncation, true},
    {"SELECT a FROM t WHERE b = 1 -- list users", kRuleCommentTruncation, false},
    {"SELECT a FROM t /* controller=users */", kRuleCommentTruncation, false},
    {"SELECT a /* -- ' */ FROM t WHERE b = 1", kRuleCommentTruncation, false},
    {"SELECT a FROM t -- gatehouse:strategy=random", kRuleCommentTruncation, false},
    {"SELECT a FROM t WHERE b = '-- not a comment'", kRuleCommentTruncation, false},
    {"SELECT * FROM information_schema.tables", kRuleSchemaProbe, true},
    {"SELECT * FROM `INFORMATION_SCHEMA`.`COLUMNS`", kRuleSchemaProbe, true},
    {"SELECT * FROM mysql.user", kRuleSchemaProbe, true},
    {"SELECT * FROM performance_schema.threads", kRuleSchemaProbe, true},
    {"SELECT * FROM sys.session", kRuleSchemaProbe, true},
    {"SELECT mysql, sys FROM servers", kRuleSchemaProbe, false},
    {"SELECT s.sys FROM servers s", kRuleSchemaProbe, false},
    {"SELECT CHAR(97,100,109,105,110)", kRuleEncodedPayload, true},
    {"SELECT a FROM t WHERE b = CHAR(39)", kRuleEncodedPayload, true},
    {"SELECT a FROM t WHERE b = 0x61646d696e", kRuleEncodedPayload, true},
    {"SELECT a FROM t WHERE b = X'61646d696e'", kRuleEncodedPayload, true},
    {"SELECT UNHEX('61646d696e')", kRuleEncodedPayload, true},
    {"SELECT FROM_BASE64('YWRtaW4=')", kRuleEncodedPayload, true},
    {"SELECT CONV(10, 10, 36)", kRuleEncodedPayload, true},
    {"SELECT REPLACE(a, CHAR(13,10), ' ') FROM t", kRuleEncodedPayload, false},
    {"SELECT a FROM t WHERE id = UNHEX(?)", kRuleEncodedPayload, false},
    {"SELECT a FROM t WHERE id = 0x3F2504E04F8911D39A0C0305E82C3301", kRuleEncodedPayload, false},
    {"SELECT a FROM t WHERE flags = 0x7e", kRuleEncodedPayload, false},
    {"SELECT 1; SELECT 2", kRuleStackedQuery, true},
    {"SELECT a FROM t WHERE b = ''; DROP TABLE x; --'", kRuleStackedQuery, true},
    {"SELECT 1;", kRuleStackedQuery, false},
    {"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", kRuleStackedQuery, false},
    {"SELECT LOAD_FILE('/etc/passwd')", kRuleDangerousFunction, true},
    {"SELECT a FROM t INTO OUTFILE '/tmp/x'", kRuleDangerousFunction, true},
    {"SELECT sys_exec('id')", kRuleDangerousFunction, true},
    {"SELECT a FROM t WHERE b = '' AND SUBSTRING(version(),1,1)='5'", kRuleFingerprint, true},
    {"SELECT a FROM t WHERE b = '' AND database()='sakila'", kRuleFingerprint, true},
    {"SELECT a FROM t WHERE b = 1 AND @@version LIKE '5%'", kRuleFingerprint, true},
    {"SELECT VERSION(), DATABASE(), USER(), @@version", kRuleFingerprint, false},
    {"SELECT * FROM audit WHERE actor = CURRENT_USER()", kRuleFingerprint, false},
    {"SELECT * FROM t WHERE db = DATABASE() AND a = 1", kRuleFingerprint, false},
    {"SELECT a FROM t WHERE b = 1 AND extractvalue(1, concat(0x7e, version()))", kRuleErrorBased, true},
    {"SELECT a FROM t WHERE b = 1 AND updatexml(1, concat(0x7e, user()), 1)", kRuleErrorBased, true},
    {"SELECT COUNT(*), CONCAT(version(), FLOOR(RAND(0)*2)) x FROM t GROUP BY x", kRuleErrorBased, true},
    {"SELECT a FROM t WHERE b = 1 AND exp(~(SELECT * FROM (SELECT user()) a))", kRuleErrorBased, true},
    {"SELECT * FROM (SELECT NAME_CONST(version(), 1), NAME_CONST(version(), 1)) a", kRuleErrorBased, true},
    {"SELECT EXTRACTVALUE(doc, '/a/b') FROM xmldocs", kRuleErrorBased, false},
    {"SELECT FLOOR(RAND() * 10)", kRuleErrorBased, false},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, RuleTest, ::testing::ValuesIn(kRuleCases));

TEST(Injection, FindingsAreOrderedUniqueAndLocated) {
  const std::string sql = "SELECT a FROM t WHERE b = '' OR 1=1 UNION SELECT NULL, version() -- '";
  auto fs = detect_injection(sql);
  ASSERT_GE(fs.size(), 3u) << rules_of(fs);
  EXPECT_EQ(fs[0].rule, kRuleTautology);
  EXPECT_EQ(fs[1].rule, kRuleUnionSelect);
  for (size_t i = 0; i < fs.size(); ++i) {
    EXPECT_LE(fs[i].offset, sql.size());
    EXPECT_FALSE(fs[i].message.empty());
    for (size_t j = i + 1; j < fs.size(); ++j) EXPECT_NE(fs[i].rule, fs[j].rule);
  }
  EXPECT_EQ(sql.substr(fs[0].offset, 2), "OR");
  EXPECT_EQ(fs[0].message, "constant comparison: OR 1=1");
  EXPECT_EQ(detect_injection("SELECT 1 FROM t WHERE a = 1 OR NULL IS NULL")[0].message,
            "constant IS test: OR NULL IS NULL");
}

TEST(Injection, EmptyAndGarbage) {
  EXPECT_TRUE(detect_injection("").empty());
  EXPECT_TRUE(detect_injection("   ").empty());
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131 + 17) & 0xff));
  (void)detect_injection(junk);  // must not crash
}

}  // namespace
}  // namespace gh::sql
