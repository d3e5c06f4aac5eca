// Tests for the SQL tokenizer: table-driven token streams, versioned comments, error tokens,
// invariants on arbitrary bytes, and the string helpers.
#include "sql/tokenizer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace gh::sql {
namespace {

// "kind:text" for each token, versioned-comment tokens prefixed with "!".
std::vector<std::string> render(std::string_view sql) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(sql)) {
    std::string s = t.in_versioned_comment ? "!" : "";
    s += token_kind_name(t.kind);
    s += ':';
    s += t.text;
    out.push_back(std::move(s));
  }
  return out;
}

struct TokCase {
  const char* name;
  std::string input;
  std::vector<std::string> want;
};

class TokenizerTest : public ::testing::TestWithParam<TokCase> {};

TEST_P(TokenizerTest, Tokens) {
  const auto& c = GetParam();
  EXPECT_EQ(render(c.input), c.want) << c.name << ": " << c.input;
}

// clang-format off
const TokCase kTokCases[] = {
    {"empty", "", {}},
    {"spaces", " \t\r\n\f\v ", {}},
    {"select", "SELECT a, b FROM t;",
     {"word:SELECT", "word:a", "punctuation:,", "word:b", "word:FROM", "word:t", "semicolon:;"}},
    {"qualified", "db.t.col", {"word:db", "punctuation:.", "word:t", "punctuation:.", "word:col"}},
    {"backtick", "`my table`.`a``b`", {"quoted_ident:`my table`", "punctuation:.", "quoted_ident:`a``b`"}},
    {"string_single", "'it''s' 'a\\'b'", {"string:'it''s'", "string:'a\\'b'"}},
    {"string_double", "\"x\\\"y\" \"a\"\"b\"", {"string:\"x\\\"y\"", "string:\"a\"\"b\""}},
    {"string_backslash_end", "'a\\\\' x", {"string:'a\\\\'", "word:x"}},
    {"national", "N'abc' n'x'", {"string:N'abc'", "string:n'x'"}},
    {"introducer", "_utf8mb4'abc' _binary\"x\"", {"string:_utf8mb4'abc'", "string:_binary\"x\""}},
    {"introducer_space", "_latin1 'a'", {"word:_latin1", "string:'a'"}},
    {"numbers", "1 12.5 .5 1e10 1.5E-3 3.", {"number:1", "number:12.5", "number:.5", "number:1e10", "number:1.5E-3", "number:3."}},
    {"digit_identifier", "1abc 2e 9_x", {"word:1abc", "word:2e", "word:9_x"}},
    {"hex", "0x1F X'1f' x'' 0xZZ", {"hex:0x1F", "hex:X'1f'", "hex:x''", "word:0xZZ"}},
    {"hex_ident", "0x1g", {"word:0x1g"}},
    {"bit", "0b101 b'01' B'1'", {"bit:0b101", "bit:b'01'", "bit:B'1'"}},
    {"bit_ident", "0b12", {"word:0b12"}},
    {"variables", "@x @'a b' @`c` @@version @@session.sql_mode @@GLOBAL.x @",
     {"variable:@x", "variable:@'a b'", "variable:@`c`", "variable:@@version",
      "variable:@@session.sql_mode", "variable:@@GLOBAL.x", "variable:@"}},
    {"var_dotted", "@a.b", {"variable:@a.b"}},
    {"placeholder", "id=?", {"word:id", "operator:=", "placeholder:?"}},
    {"operators", ":= <=> || && -> ->> <= >= <> != << >> = < > ! ~ ^ % * / + - & | :",
     {"operator::=", "operator:<=>", "operator:||", "operator:&&", "operator:->", "operator:->>",
      "operator:<=", "operator:>=", "operator:<>", "operator:!=", "operator:<<", "operator:>>",
      "operator:=", "operator:<", "operator:>", "operator:!", "operator:~", "operator:^",
      "operator:%", "operator:*", "operator:/", "operator:+", "operator:-", "operator:&",
      "operator:|", "operator::"}},
    {"json_arrow", "c->>'$.a'", {"word:c", "operator:->>", "string:'$.a'"}},
    {"dash_comment", "a -- c\nb", {"word:a", "comment:-- c", "word:b"}},
    {"dash_comment_tab", "a --\tc", {"word:a", "comment:--\tc"}},
    {"dash_comment_eof", "a --", {"word:a", "comment:--"}},
    {"double_minus", "1--1", {"number:1", "operator:-", "operator:-", "number:1"}},
    {"hash_comment", "a # c\nb", {"word:a", "comment:# c", "word:b"}},
    {"block_comment", "a /* c */ b", {"word:a", "comment:/* c */", "word:b"}},
    {"empty_block", "/**/", {"comment:/**/"}},
    {"hint", "SELECT /*+ BKA(t) */ 1", {"word:SELECT", "hint_comment:/*+ BKA(t) */", "number:1"}},
    {"versioned", "/*!40101 SET x=1 */;",
     {"!word:SET", "!word:x", "!operator:=", "!number:1", "semicolon:;"}},
    {"versioned_no_version", "a /*! b */ c", {"word:a", "!word:b", "word:c"}},
    {"versioned_mariadb", "/*M!100100 b */", {"!word:b"}},
    {"versioned_string_with_end", "/*! 'a*/b' */ c", {"!string:'a*/b'", "word:c"}},
    {"versioned_nested_comment", "/*!50001 a /* x */ b */ c",
     {"!word:a", "!comment:/* x */", "!word:b", "word:c"}},
    {"versioned_unterminated", "/*!50001 a", {"!word:a"}},
    {"unterminated_string", "SELECT 'abc", {"word:SELECT", "error:'abc"}},
    {"unterminated_string_escape_end", "'abc\\", {"error:'abc\\"}},
    {"unterminated_ident", "`abc", {"error:`abc"}},
    {"unterminated_comment", "a /* b", {"word:a", "error:/* b"}},
    {"unterminated_hint", "/*+ b", {"error:/*+ b"}},
    {"unterminated_hex", "X'12", {"error:X'12"}},
    {"utf8_ident", "SELECT caf\xc3\xa9", {"word:SELECT", "word:caf\xc3\xa9"}},
    {"invalid_utf8", "\xff\xfe", {"word:\xff\xfe"}},
    {"nul_byte", std::string("a\0b", 3), {"word:a", std::string("operator:\0", 10), "word:b"}},
    {"dot_after_paren", "(a).5", {"punctuation:(", "word:a", "punctuation:)", "punctuation:.", "number:5"}},
    {"braces", "{d '2020-01-01'}", {"punctuation:{", "word:d", "string:'2020-01-01'", "punctuation:}"}},
    {"dollar", "$x a$b", {"word:$x", "word:a$b"}},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, TokenizerTest, ::testing::ValuesIn(kTokCases),
                         [](const auto& tpi) { return std::string(tpi.param.name); });

TEST(Tokenizer, OffsetsPointIntoInput) {
  const std::string sql = "SELECT `a`, 'b' FROM t WHERE x = 0x1F -- c\n;";
  for (const Token& t : tokenize(sql)) {
    ASSERT_LE(t.end(), sql.size());
    EXPECT_EQ(std::string_view(sql).substr(t.offset, t.text.size()), t.text);
    EXPECT_EQ(t.text.data(), sql.data() + t.offset);
  }
}

TEST(Tokenizer, NextSignificantSkipsComments) {
  Tokenizer tz("/* a */ SELECT -- b\n 1 # c");
  EXPECT_EQ(tz.next_significant().text, "SELECT");
  EXPECT_EQ(tz.next_significant().text, "1");
  EXPECT_EQ(tz.next_significant().kind, TokenKind::kEnd);
  EXPECT_EQ(tz.next_significant().kind, TokenKind::kEnd);  // sticky
}

TEST(Tokenizer, VersionedFlag) {
  Tokenizer a("SELECT 1");
  while (a.next().kind != TokenKind::kEnd) {
  }
  EXPECT_FALSE(a.saw_versioned_comment());
  Tokenizer b("SELECT /*!50000 1 */");
  while (b.next().kind != TokenKind::kEnd) {
  }
  EXPECT_TRUE(b.saw_versioned_comment());
  EXPECT_FALSE(b.in_versioned_comment());
}

// Random bytes: tokens are contiguous views, in order, within bounds, and lexing terminates.
TEST(Tokenizer, ArbitraryBytesInvariants) {
  std::mt19937 rng(42);
  const std::string alphabet = "'\"`@?;(),.-#/*!+M<=>|&:0123456789xXbBnN_ aZ\n\\\x80\xff";
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s(rng() % 64, '\0');
    for (auto& ch : s) {
      ch = (iter % 2) ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
    }
    uint32_t last_end = 0;
    size_t count = 0;
    Tokenizer tz(s);
    for (Token t = tz.next(); t.kind != TokenKind::kEnd; t = tz.next()) {
      ASSERT_GE(t.offset, last_end) << s;
      ASSERT_LE(t.end(), s.size());
      ASSERT_FALSE(t.text.empty());
      last_end = t.end();
      ASSERT_LE(++count, s.size());
    }
  }
}

TEST(TokenHelpers, Iequals) {
  EXPECT_TRUE(iequals("select", "SELECT"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("selec", "select"));
  EXPECT_FALSE(iequals("s\xc3\xa9", "S\xc3\x89"));  // ASCII only
  EXPECT_TRUE(istarts_with("INFORMATION_SCHEMA.tables", "information_schema"));
  EXPECT_FALSE(istarts_with("info", "information"));
}

TEST(TokenHelpers, KeywordAndPunct) {
  auto toks = tokenize("select ( 'select'");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_TRUE(is_keyword(toks[0], "SELECT"));
  EXPECT_TRUE(is_punct(toks[1], '('));
  EXPECT_FALSE(is_keyword(toks[2], "SELECT"));
  EXPECT_TRUE(is_literal(toks[2].kind));
}

TEST(TokenHelpers, Unquote) {
  EXPECT_EQ(unquote_identifier("`a``b`"), "a`b");
  EXPECT_EQ(unquote_identifier("plain"), "plain");
  EXPECT_EQ(unquote_identifier("`"), "`");
  EXPECT_EQ(unquote_string("'it''s'"), "it's");
  EXPECT_EQ(unquote_string("'a\\nb\\'c'"), "a\nb'c");
  EXPECT_EQ(unquote_string("_utf8mb4'x'"), "x");
  EXPECT_EQ(unquote_string("\"q\"\"q\""), "q\"q");
  EXPECT_EQ(unquote_string("utf8"), "utf8");
  EXPECT_EQ(unquote_string("'"), "'");
  EXPECT_EQ(unquote_string("'\\%'"), "\\%");
}

}  // namespace
}  // namespace gh::sql
