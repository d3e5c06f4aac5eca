// SQL injection through the gatekeeper's policy: well-known payload families (tautologies,
// UNION-based extraction, time-based SLEEP/BENCHMARK, comment truncation, information_schema
// probes, hex/CHAR()-encoded payloads, stacked queries, error-based) injected into benign query
// templates (string, numeric, LIKE, ORDER BY and INSERT ... VALUES contexts).
//
// Measured and printed:
//   (a) detect mode:  check_statement() with injection detection, role write, no allowlist;
//   (b) enforce mode: the same plus a DigestAllowlist in enforce mode that learned the templates
//       filled with benign values (and the benign corpus as the application's normal traffic);
//   (c) false positives of both modes on a benign corpus (Sakila-style application queries,
//       sysbench, ORMs, drivers) and on the templates filled with other benign values; in
//       enforce mode the benign corpus is replayed with different literal values.
// Required: (a) >= 95 %, (b) 100 %, (c) < 1 % in both modes. Every miss is printed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "../sql/injection_corpus.h"
#include "gatekeeper/allowlist.h"
#include "gatekeeper/policy.h"
#include "sql/tokenizer.h"
#include "temp_dir.h"

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;
using sql::corpus::fill;
using test_util::TempDir;

// Templates beyond the shared corpus: more contexts an application concatenates input into.
const char* const kExtraStringTemplates[] = {
    "SELECT * FROM customer WHERE last_name LIKE '{}%' ORDER BY last_name",
    "INSERT INTO film (title, description) VALUES ('{}', 'A film')",
};
const char* const kExtraNumericTemplates[] = {
    "SELECT film_id, title FROM film ORDER BY {}",
    "SELECT * FROM payment WHERE amount > {} LIMIT 10",
    "INSERT INTO rental (inventory_id, customer_id, staff_id) VALUES ({}, 1, 1)",
};

// The value each template is learned with, and other benign values it must keep accepting.
constexpr const char* kLearnString = "ACADEMY DINOSAUR";
constexpr const char* kLearnNumber = "42";
const char* const kOtherStrings[] = {"ZORRO ARK",  "O''BRIEN", "mary.smith@sakilacustomer.org",
                                     "2005-05-25", "50% off",  "a -- b # c",
                                     "x\\'y",      ""};
const char* const kOtherNumbers[] = {"1", "7", "1000", "-3", "2.99", "0"};

std::vector<const char*> string_templates() {
  std::vector<const char*> out(std::begin(sql::corpus::kStringTemplates),
                               std::end(sql::corpus::kStringTemplates));
  out.insert(out.end(), std::begin(kExtraStringTemplates), std::end(kExtraStringTemplates));
  return out;
}
std::vector<const char*> numeric_templates() {
  std::vector<const char*> out(std::begin(sql::corpus::kNumericTemplates),
                               std::end(sql::corpus::kNumericTemplates));
  out.insert(out.end(), std::begin(kExtraNumericTemplates), std::end(kExtraNumericTemplates));
  return out;
}

// The same query with different literal values (numbers other than 0/1, strings), as an
// application sends it with other parameters.
std::string with_other_literals(std::string_view sql) {
  std::string out;
  size_t pos = 0;
  int n = 0;
  for (const sql::Token& t : sql::tokenize(sql)) {
    out.append(sql.substr(pos, t.offset - pos));
    pos = t.end();
    if (t.kind == sql::TokenKind::kNumber && t.text != "0" && t.text != "1") {
      out.append(t.text);
      out.push_back('7');
    } else if (t.kind == sql::TokenKind::kString) {
      size_t quote = t.text.find_first_of("'\"");
      char q = t.text[quote];
      out.append(t.text.substr(0, quote));  // keep an introducer (_utf8mb4, N)
      out += q;
      out += "other value " + std::to_string(++n);
      out += q;
    } else {
      out.append(t.text);
    }
  }
  out.append(sql.substr(pos));
  return out;
}

std::vector<std::string> attacks() {
  std::vector<std::string> out;
  for (const char* p : sql::corpus::kStringPayloads) {
    for (const char* tpl : string_templates()) out.push_back(fill(tpl, p));
  }
  for (const char* p : sql::corpus::kNumericPayloads) {
    for (const char* tpl : numeric_templates()) out.push_back(fill(tpl, p));
  }
  return out;
}

constexpr std::string_view kKey = "0123456789ab";

class Pipeline {
 public:
  explicit Pipeline(const fs::path& dir) : allowlist_(dir) {}

  // Detect mode: the policy alone.
  Verdict detect(std::string_view sql) const {
    return check_statement(Role::kWrite, sql, 0, PolicyLimits{}).verdict;
  }
  // The policy, then the digest allowlist in `mode` (what a front does).
  Verdict with_allowlist(std::string_view sql, DigestMode mode, bool detect_injection = true) {
    PolicyLimits limits;
    limits.detect_injection = detect_injection;
    CheckedStatement c = check_statement(Role::kWrite, sql, 0, limits);
    if (!c.verdict.ok()) return c.verdict;
    return allowlist_.apply(kKey, mode, c.digest, c.digest_text);
  }
  size_t learned() const { return allowlist_.list(kKey).size(); }

 private:
  DigestAllowlist allowlist_;
};

struct Rate {
  size_t total = 0;
  std::vector<std::string> hits;  // blocked attacks, or false positives
  double percent() const { return total ? 100.0 * double(hits.size()) / double(total) : 0; }
};

TEST(InjectionPolicy, DetectEnforceAndFalsePositiveRates) {
  TempDir dir;
  Pipeline pipeline(dir.path() / "allowlist");

  // Learn mode: the application's normal traffic.
  std::vector<std::string> learn_queries;
  for (const char* tpl : string_templates()) learn_queries.push_back(fill(tpl, kLearnString));
  for (const char* tpl : numeric_templates()) learn_queries.push_back(fill(tpl, kLearnNumber));
  for (const char* q : sql::corpus::kBenignQueries) learn_queries.emplace_back(q);
  for (const auto& q : learn_queries) pipeline.with_allowlist(q, DigestMode::kLearn);
  std::printf("enforce mode allowlist: %zu digests learned from %zu queries\n", pipeline.learned(),
              learn_queries.size());

  // (a) and (b): attacks.
  const std::vector<std::string> attack_sql = attacks();
  std::vector<std::string> detect_missed, enforce_missed, allowlist_only_missed;
  for (const auto& sql : attack_sql) {
    if (pipeline.detect(sql).ok()) detect_missed.push_back(sql);
    if (pipeline.with_allowlist(sql, DigestMode::kEnforce).ok()) enforce_missed.push_back(sql);
    if (pipeline.with_allowlist(sql, DigestMode::kEnforce, false).ok())
      allowlist_only_missed.push_back(sql);
  }
  const double n = double(attack_sql.size());
  const double detect_rate = 100.0 * (n - double(detect_missed.size())) / n;
  const double enforce_rate = 100.0 * (n - double(enforce_missed.size())) / n;
  const double allowlist_only_rate = 100.0 * (n - double(allowlist_only_missed.size())) / n;

  // (c): benign traffic.
  std::vector<std::string> benign_detect;  // detect mode: the corpus and filled templates
  for (const char* q : sql::corpus::kBenignQueries) benign_detect.emplace_back(q);
  std::vector<std::string> benign_enforce;  // enforce mode: other literal values
  for (const char* q : sql::corpus::kBenignQueries)
    benign_enforce.push_back(with_other_literals(q));
  for (const char* tpl : string_templates()) {
    for (const char* v : kOtherStrings) {
      benign_detect.push_back(fill(tpl, v));
      benign_enforce.push_back(fill(tpl, v));
    }
  }
  for (const char* tpl : numeric_templates()) {
    for (const char* v : kOtherNumbers) {
      benign_detect.push_back(fill(tpl, v));
      benign_enforce.push_back(fill(tpl, v));
    }
  }
  Rate fp_detect{benign_detect.size(), {}};
  for (const auto& q : benign_detect) {
    Verdict v = pipeline.detect(q);
    if (!v.ok()) fp_detect.hits.push_back(q + "  -> " + v.rule);
  }
  Rate fp_enforce{benign_enforce.size(), {}};
  for (const auto& q : benign_enforce) {
    Verdict v = pipeline.with_allowlist(q, DigestMode::kEnforce);
    if (!v.ok()) fp_enforce.hits.push_back(q + "  -> " + v.rule);
  }

  std::printf("attacks: %zu (%zu payloads x templates)\n", attack_sql.size(),
              std::size(sql::corpus::kStringPayloads) + std::size(sql::corpus::kNumericPayloads));
  std::printf("(a) detect mode block rate:  %zu/%zu = %.2f%%\n",
              attack_sql.size() - detect_missed.size(), attack_sql.size(), detect_rate);
  std::printf("(b) enforce mode block rate: %zu/%zu = %.2f%%\n",
              attack_sql.size() - enforce_missed.size(), attack_sql.size(), enforce_rate);
  std::printf(
      "    (allowlist alone, detection off: %.2f%%; its %zu misses have the digest of a "
      "learned query)\n",
      allowlist_only_rate, allowlist_only_missed.size());
  std::printf("(c) false positives: detect mode %zu/%zu = %.2f%%, enforce mode %zu/%zu = %.2f%%\n",
              fp_detect.hits.size(), fp_detect.total, fp_detect.percent(), fp_enforce.hits.size(),
              fp_enforce.total, fp_enforce.percent());
  for (const auto& m : detect_missed) std::printf("  detect missed: %s\n", m.c_str());
  for (const auto& m : enforce_missed) std::printf("  enforce missed: %s\n", m.c_str());
  for (const auto& m : allowlist_only_missed)
    std::printf("  allowlist alone missed (same digest as a learned query): %s\n", m.c_str());
  for (const auto& f : fp_detect.hits) std::printf("  detect false positive: %s\n", f.c_str());
  for (const auto& f : fp_enforce.hits) std::printf("  enforce false positive: %s\n", f.c_str());

  EXPECT_GE(attack_sql.size(), 750u);
  EXPECT_GE(fp_detect.total, 250u);
  EXPECT_GE(detect_rate, 95.0);
  EXPECT_EQ(enforce_missed.size(), 0u);
  EXPECT_LT(fp_detect.percent(), 1.0);
  EXPECT_LT(fp_enforce.percent(), 1.0);
}

// Each payload family is represented and blocked in detect mode.
TEST(InjectionPolicy, EveryFamilyIsBlocked) {
  struct Family {
    const char* name;
    const char* sql;
    const char* rule_prefix;
  };
  const Family families[] = {
      {"tautology", "SELECT * FROM film WHERE title = '' OR '1'='1'", "injection:tautology"},
      {"union", "SELECT * FROM film WHERE film_id = -1 UNION SELECT NULL, version()",
       "injection:union_select"},
      {"time-based sleep", "SELECT * FROM film WHERE film_id = 1 AND SLEEP(5)",
       "injection:time_based"},
      {"time-based benchmark",
       "SELECT * FROM film WHERE film_id = 1 AND BENCHMARK(1000000,SHA1(1))",
       "injection:time_based"},
      {"comment truncation", "SELECT * FROM staff WHERE username = 'admin'-- ' AND password = 'x'",
       "injection:comment_truncation"},
      {"information_schema",
       "SELECT * FROM film WHERE film_id = 1 AND 1=(SELECT COUNT(*) FROM "
       "information_schema.tables)",
       "injection:"},
      {"hex", "SELECT * FROM staff WHERE username = 0x61646d696e", "injection:encoded_payload"},
      {"char()", "SELECT * FROM staff WHERE username = CHAR(97,100,109,105,110)",
       "injection:encoded_payload"},
      {"stacked", "SELECT * FROM film WHERE film_id = 1; DROP TABLE film", "stacked_query"},
      {"file read", "SELECT * FROM film WHERE film_id = (SELECT LOAD_FILE('/etc/passwd'))",
       "always_denied"},
      {"file write", "SELECT * FROM film WHERE title = '' INTO OUTFILE '/tmp/x'", "always_denied"},
  };
  for (const Family& f : families) {
    Verdict v = check_statement(Role::kWrite, f.sql, 0, PolicyLimits{}).verdict;
    EXPECT_FALSE(v.ok()) << f.name;
    EXPECT_TRUE(v.rule.starts_with(f.rule_prefix)) << f.name << ": " << v.rule;
  }
}

}  // namespace
}  // namespace gh::gatekeeper
