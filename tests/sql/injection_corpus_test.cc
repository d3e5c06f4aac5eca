// Detection and false-positive rates of detect_injection(): a payload corpus (classic families:
// tautologies, UNION, stacked, time-based, boolean-blind, error-based, encoded, comment
// truncation) placed into vulnerable query templates must be detected >= 95%, and a corpus of
// ordinary application queries (Sakila, sysbench, ORM-generated, driver/session queries) must
// be flagged < 1%. Both rates and every miss / false positive are printed.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "injection_corpus.h"
#include "sql/injection.h"
#include "sql/script.h"

namespace gh::sql {
namespace {

std::string rules_of(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs) out += std::string(f.rule) + "(" + f.message + ") ";
  return out;
}

using namespace corpus;  // NOLINT: the shared corpora (injection_corpus.h)

TEST(InjectionCorpus, DetectionAndFalsePositiveRates) {
  size_t attacks = 0;
  size_t detected = 0;
  std::vector<std::string> missed;
  auto run = [&](const auto& payloads, const auto& templates) {
    for (const char* p : payloads) {
      for (const char* tpl : templates) {
        std::string sql = fill(tpl, p);
        ++attacks;
        if (!detect_injection(sql).empty()) {
          ++detected;
        } else {
          missed.push_back(sql);
        }
      }
    }
  };
  run(kStringPayloads, kStringTemplates);
  run(kNumericPayloads, kNumericTemplates);

  size_t benign = 0;
  std::vector<std::string> false_positives;
  for (const char* q : kBenignQueries) {
    ++benign;
    auto fs = detect_injection(q);
    if (!fs.empty()) false_positives.push_back(std::string(q) + "  -> " + rules_of(fs));
  }
  const double detection = double(detected) / double(attacks);
  const double fp_rate = double(false_positives.size()) / double(benign);
  std::printf("injection detection: %zu/%zu = %.2f%%; false positives: %zu/%zu = %.2f%%\n",
              detected, attacks, 100 * detection, false_positives.size(), benign, 100 * fp_rate);
  for (const auto& m : missed) std::printf("  missed: %s\n", m.c_str());
  for (const auto& f : false_positives) std::printf("  false positive: %s\n", f.c_str());
  EXPECT_GE(benign, 150u);
  EXPECT_GE(detection, 0.95);
  EXPECT_LT(fp_rate, 0.01);
}

// The real Sakila dump (DDL, triggers, routines, 47k rows with binary blobs) is benign too.
TEST(InjectionCorpus, SakilaDumpIsClean) {
  std::filesystem::path dir = "/work/shared/data/sakila";
  if (const char* src = std::getenv("GATEHOUSE_SRC")) {
    auto p = std::filesystem::path(src).parent_path() / "shared" / "data" / "sakila";
    if (std::filesystem::exists(p)) dir = p;
  }
  if (!std::filesystem::exists(dir / "sakila-schema.sql")) GTEST_SKIP() << "Sakila not found";
  size_t statements = 0;
  for (const char* file : {"sakila-schema.sql", "sakila-data.sql"}) {
    std::ifstream in(dir / file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    for (const std::string& stmt : split_script(ss.str())) {
      ++statements;
      auto fs = detect_injection(stmt);
      EXPECT_TRUE(fs.empty()) << stmt.substr(0, 100) << " -> " << rules_of(fs);
    }
  }
  EXPECT_GT(statements, 100u);
}

}  // namespace
}  // namespace gh::sql
