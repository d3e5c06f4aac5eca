// Tests for split_script(): table-driven edge cases plus the real Sakila schema and data dumps.
#include "sql/script.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gh::sql {
namespace {

struct SplitCase {
  const char* name;
  std::string input;
  std::vector<std::string> want;
};

class SplitScriptTest : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitScriptTest, Splits) {
  const auto& c = GetParam();
  EXPECT_EQ(split_script(c.input), c.want) << c.name;
}

// clang-format off
const SplitCase kSplitCases[] = {
    {"empty", "", {}},
    {"only_whitespace", " \n\t\r\n ", {}},
    {"only_delimiters", ";;; ; ;", {}},
    {"single_no_delim", "SELECT 1", {"SELECT 1"}},
    {"single_with_delim", "SELECT 1;", {"SELECT 1"}},
    {"two", "SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"}},
    {"trims", "\n\n  SELECT 1  \n;\n", {"SELECT 1"}},
    {"multiline", "SELECT a,\n  b\nFROM t;", {"SELECT a,\n  b\nFROM t"}},
    {"semicolon_in_single_quote", "SELECT ';';SELECT 2", {"SELECT ';'", "SELECT 2"}},
    {"semicolon_in_double_quote", "SELECT \";\";", {"SELECT \";\""}},
    {"semicolon_in_backtick", "SELECT `a;b` FROM t;", {"SELECT `a;b` FROM t"}},
    {"backslash_escape", "SELECT 'it\\'s;';SELECT 2", {"SELECT 'it\\'s;'", "SELECT 2"}},
    {"doubled_quote", "SELECT 'it''s;';SELECT 2", {"SELECT 'it''s;'", "SELECT 2"}},
    {"backtick_no_backslash_escape", "SELECT `a\\`;SELECT 2", {"SELECT `a\\`", "SELECT 2"}},
    {"doubled_backtick", "SELECT `a``;b`;", {"SELECT `a``;b`"}},
    {"dash_comment", "-- hello; world\nSELECT 1;", {"SELECT 1"}},
    {"dash_comment_eol", "SELECT 1 -- x;\n;", {"SELECT 1"}},
    {"dash_no_space_is_minus", "SELECT 1--1;", {"SELECT 1--1"}},
    {"dash_at_eof", "SELECT 1 --", {"SELECT 1"}},
    {"hash_comment", "# c;\nSELECT 1; # trailing;\n", {"SELECT 1"}},
    {"block_comment", "/* a; b */ SELECT /* ; */ 1;", {"SELECT  1"}},
    {"block_comment_joins_words", "SELECT/**/1;", {"SELECT 1"}},
    {"comment_only_statement", "/* x */;-- y\n;", {}},
    {"versioned_kept", "/*!40101 SET NAMES utf8 */;", {"/*!40101 SET NAMES utf8 */"}},
    {"versioned_mariadb_kept", "/*M!100100 SET x=1 */;", {"/*M!100100 SET x=1 */"}},
    {"versioned_inline", "INSERT INTO t VALUES (1,/*!50705 0x00,*/'a');",
     {"INSERT INTO t VALUES (1,/*!50705 0x00,*/'a')"}},
    {"hint_kept", "SELECT /*+ MAX_EXECUTION_TIME(1) */ 1;", {"SELECT /*+ MAX_EXECUTION_TIME(1) */ 1"}},
    {"delimiter_change",
     "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a=1; END;;\nDELIMITER ;\nSELECT 1;",
     {"CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a=1; END", "SELECT 1"}},
    {"delimiter_dollar", "delimiter $$\nSELECT 1; SELECT 2$$\ndelimiter ;\n",
     {"SELECT 1; SELECT 2"}},
    {"delimiter_slashes", "DELIMITER //\nBEGIN; END //\nDELIMITER ;", {"BEGIN; END"}},
    {"delimiter_indented", "  DELIMITER $$\nA$$B$$", {"A", "B"}},
    {"delimiter_after_stmt_same_line", "SELECT 1; DELIMITER $$\nSELECT 2; SELECT 3$$",
     {"SELECT 1", "SELECT 2; SELECT 3"}},
    {"delimiter_quoted", "DELIMITER '$$'\nSELECT 1$$", {"SELECT 1"}},
    {"delimiter_word_in_statement", "SELECT delimiter FROM t;", {"SELECT delimiter FROM t"}},
    {"delimiter_column_mid_statement", "SELECT a,\ndelimiter FROM t;", {"SELECT a,\ndelimiter FROM t"}},
    {"delimiter_prefix_word", "delimiters;", {"delimiters"}},
    {"delimiter_empty_arg_ignored", "DELIMITER\nSELECT 1;", {"DELIMITER\nSELECT 1"}},
    {"delimiter_after_comment", "-- x\nDELIMITER ;;\nSELECT 1;;", {"SELECT 1"}},
    {"delimiter_inside_string", "DELIMITER $$\nSELECT '$$'$$", {"SELECT '$$'"}},
    {"unterminated_quote", "SELECT 'abc; SELECT 2", {"SELECT 'abc; SELECT 2"}},
    {"unterminated_comment", "SELECT 1; /* never closed; SELECT 2", {"SELECT 1"}},
    {"unterminated_versioned", "SELECT 1 /*! abc; def", {"SELECT 1 /*! abc", "def"}},
    {"crlf", "SELECT 1;\r\nSELECT 2;\r\n", {"SELECT 1", "SELECT 2"}},
    {"nul_bytes", std::string("SELECT '\0';\0", 12), {std::string("SELECT '\0'", 10), std::string("\0", 1)}},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, SplitScriptTest, ::testing::ValuesIn(kSplitCases),
                         [](const auto& tpi) { return std::string(tpi.param.name); });

TEST(SplitScript, HandlesArbitraryBytes) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  auto out = split_script(junk);
  for (const auto& s : out) EXPECT_FALSE(s.empty());
}

// ---- Sakila ----------------------------------------------------------------------------------

std::filesystem::path sakila_dir() {
  if (const char* d = std::getenv("GATEHOUSE_SAKILA_DIR")) return d;
  if (const char* src = std::getenv("GATEHOUSE_SRC")) {
    auto p = std::filesystem::path(src).parent_path() / "shared" / "data" / "sakila";
    if (std::filesystem::exists(p)) return p;
  }
  return "/work/shared/data/sakila";
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool istarts_with(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

size_t count_prefix(const std::vector<std::string>& stmts, std::string_view prefix) {
  return static_cast<size_t>(std::count_if(
      stmts.begin(), stmts.end(), [&](const std::string& s) { return istarts_with(s, prefix); }));
}

bool contains_icase(const std::string& s, std::string_view needle) {
  auto it = std::search(s.begin(), s.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::toupper(static_cast<unsigned char>(a)) ==
           std::toupper(static_cast<unsigned char>(b));
  });
  return it != s.end();
}

TEST(SplitScriptSakila, Schema) {
  auto path = sakila_dir() / "sakila-schema.sql";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto stmts = split_script(read_all(path));
  // Counted by hand with grep on the file (top-level statements only; the CREATE TEMPORARY
  // TABLE inside rewards_report stays inside the procedure body).
  EXPECT_EQ(count_prefix(stmts, "CREATE TABLE"), 16u);
  EXPECT_EQ(count_prefix(stmts, "CREATE TRIGGER"), 3u);
  EXPECT_EQ(count_prefix(stmts, "CREATE PROCEDURE"), 3u);
  EXPECT_EQ(count_prefix(stmts, "CREATE FUNCTION"), 3u);
  EXPECT_EQ(count_prefix(stmts, "CREATE VIEW") + count_prefix(stmts, "CREATE DEFINER"), 7u);
  EXPECT_EQ(count_prefix(stmts, "CREATE SCHEMA"), 1u);
  EXPECT_EQ(count_prefix(stmts, "USE "), 1u);
  EXPECT_EQ(count_prefix(stmts, "SET "), 10u);  // grep -c "^SET"
  EXPECT_EQ(count_prefix(stmts, "DROP SCHEMA"), 1u);
  EXPECT_EQ(count_prefix(stmts, "/*!50610 SET"), 1u);  // a whole statement in a versioned comment
  for (const auto& s : stmts) {
    EXPECT_FALSE(contains_icase(s, "DELIMITER")) << s.substr(0, 200);
    EXPECT_FALSE(s.empty());
    EXPECT_NE(s.back(), ';') << s.substr(0, 200);
    EXPECT_FALSE(s.starts_with("--") || s.starts_with("#") || s.starts_with("/* "))
        << s.substr(0, 80);
  }
  // Routine bodies keep their inner statements.
  auto proc = std::find_if(stmts.begin(), stmts.end(), [](const auto& s) {
    return istarts_with(s, "CREATE PROCEDURE REWARDS_REPORT");
  });
  ASSERT_NE(proc, stmts.end());
  EXPECT_TRUE(contains_icase(*proc, "CREATE TEMPORARY TABLE tmpCustomer"));
  EXPECT_TRUE(proc->ends_with("END")) << proc->substr(proc->size() - 40);
  EXPECT_EQ(stmts.size(), 16u + 3 + 3 + 3 + 7 + 1 + 1 + 10 + 1 + 1);
}

TEST(SplitScriptSakila, Data) {
  auto path = sakila_dir() / "sakila-data.sql";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto stmts = split_script(read_all(path));
  EXPECT_EQ(count_prefix(stmts, "INSERT INTO"), 17u);
  EXPECT_EQ(count_prefix(stmts, "CREATE TRIGGER"), 3u);
  EXPECT_EQ(count_prefix(stmts, "COMMIT"), 15u);
  EXPECT_EQ(count_prefix(stmts, "LOCK TABLES"), 1u);
  EXPECT_EQ(count_prefix(stmts, "UNLOCK TABLES"), 1u);
  EXPECT_EQ(count_prefix(stmts, "USE "), 1u);
  EXPECT_EQ(count_prefix(stmts, "SET "), 24u);
  EXPECT_EQ(stmts.size(), 17u + 3 + 15 + 1 + 1 + 1 + 24);
  for (const auto& s : stmts) {
    EXPECT_FALSE(contains_icase(s, "DELIMITER")) << s.substr(0, 200);
  }
  // Versioned comments in the address rows survive.
  auto addr = std::find_if(stmts.begin(), stmts.end(),
                           [](const auto& s) { return istarts_with(s, "INSERT INTO `ADDRESS`"); });
  ASSERT_NE(addr, stmts.end());
  EXPECT_NE(addr->find("/*!50705 0x"), std::string::npos);
}

}  // namespace
}  // namespace gh::sql
