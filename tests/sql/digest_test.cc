// Tests for digest(): normalized texts, equal/different hashes, and stability.
#include "sql/digest.h"

#include <gtest/gtest.h>

#include <string>

namespace gh::sql {
namespace {

struct DigestCase {
  std::string sql;
  std::string want;
};

void PrintTo(const DigestCase& c, std::ostream* os) { *os << c.sql; }

class DigestTest : public ::testing::TestWithParam<DigestCase> {};

TEST_P(DigestTest, Text) {
  EXPECT_EQ(digest(GetParam().sql).text, GetParam().want) << GetParam().sql;
}

// clang-format off
const DigestCase kDigestCases[] = {
    {"SELECT * FROM film WHERE film_id = 7", "SELECT * FROM film WHERE film_id = ?"},
    {"select *  from film where film_id=42", "SELECT * FROM film WHERE film_id = ?"},
    {"SELECT `title` FROM `sakila`.`film`", "SELECT title FROM sakila.film"},
    {"SELECT a FROM t WHERE s = 'x' AND h = 0x1F AND b = b'101' AND n = N'y'", "SELECT a FROM t WHERE s = ? AND h = ? AND b = ? AND n = ?"},
    {"SELECT a FROM t WHERE x IS NULL", "SELECT a FROM t WHERE x IS NULL"},
    {"SELECT a FROM t WHERE id IN (1, 2, 3)", "SELECT a FROM t WHERE id IN (...)"},
    {"SELECT a FROM t WHERE id IN (?)", "SELECT a FROM t WHERE id IN (...)"},
    {"SELECT a FROM t WHERE id IN (SELECT b FROM u)", "SELECT a FROM t WHERE id IN (SELECT b FROM u)"},
    {"INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c')", "INSERT INTO t VALUES (...)"},
    {"INSERT INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES (...)"},
    {"INSERT INTO t VALUES (1, NOW())", "INSERT INTO t VALUES (?, NOW())"},
    {"SELECT COUNT(*) FROM t", "SELECT COUNT(*) FROM t"},
    {"select count( * ) from t", "SELECT COUNT(*) FROM t"},
    {"SELECT a FROM t WHERE x = -5 AND y = +3", "SELECT a FROM t WHERE x = ? AND y = ?"},
    {"SELECT a - 5, -1 FROM t", "SELECT a - ?, ? FROM t"},
    {"SELECT a FROM t LIMIT 10, 20", "SELECT a FROM t LIMIT ?, ?"},
    {"SELECT /* comment */ a -- x\nFROM t # y", "SELECT a FROM t"},
    {"SELECT /*+ BKA(t) */ a FROM t", "SELECT a FROM t"},
    {"/*!40101 SET NAMES utf8 */", "SET NAMES utf8"},
    {"SELECT 1;", "SELECT ?"},
    {"SELECT 1; SELECT 2;", "SELECT ?; SELECT ?"},
    {"SELECT @x, @@session.sql_mode", "SELECT @x, @@session.sql_mode"},
    {"SELECT t.a, u.b FROM t JOIN u ON t.id = u.id", "SELECT t.a, u.b FROM t JOIN u ON t.id = u.id"},
    {"SELECT my_func(a) FROM t", "SELECT my_func(a) FROM t"},
    {"SELECT 'unterminated", "SELECT ?"},
    {"", ""},
    {"   ", ""},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, DigestTest, ::testing::ValuesIn(kDigestCases));

TEST(Digest, SameForLiteralVariants) {
  const auto a = digest("SELECT * FROM film WHERE film_id = 7");
  const auto b = digest("select *  from film where film_id=42");
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(digest("SELECT a FROM t WHERE id IN (1)").hash,
            digest("SELECT a FROM t WHERE id IN (1,2,3,4)").hash);
  EXPECT_EQ(digest("INSERT INTO t VALUES (1,'a')").hash,
            digest("INSERT INTO t VALUES (2,'b'),(3,'c')").hash);
  EXPECT_EQ(digest("SELECT a FROM t WHERE b = 'x' /* c1 */").hash,
            digest("SELECT a FROM t WHERE b = ?").hash);
}

TEST(Digest, DifferentForDifferentShapes) {
  EXPECT_NE(digest("SELECT a FROM t").hash, digest("SELECT b FROM t").hash);
  EXPECT_NE(digest("SELECT a FROM t").hash,
            digest("SELECT a FROM T").hash);  // table names are case-sensitive
  EXPECT_NE(digest("SELECT a FROM t WHERE x = 1").hash, digest("SELECT a FROM t WHERE x > 1").hash);
}

TEST(Digest, StableHash) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(digest("SELECT 1").hash, fnv1a64("SELECT ?"));
}

TEST(Digest, ArbitraryBytes) {
  std::string s;
  for (int i = 0; i < 2000; ++i) s.push_back(static_cast<char>((i * 7919) & 0xff));
  auto d = digest(s);
  EXPECT_EQ(d.hash, fnv1a64(d.text));
}

}  // namespace
}  // namespace gh::sql
