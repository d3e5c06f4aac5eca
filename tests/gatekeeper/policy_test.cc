// check_statement(): one table of (role, SQL, expected code, expected rule) covering every rule
// and role boundary, tokenizer corner cases (versioned comments, hints, quoted keywords),
// messages (name the rule, never echo literals) and digests.
#include "gatekeeper/policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/tokenizer.h"

namespace gh::gatekeeper {
namespace {

constexpr Role R = Role::kRead;
constexpr Role W = Role::kWrite;
constexpr Role A = Role::kAdmin;

struct Case {
  Role role;
  const char* sql;
  Errc code;
  const char* rule;  // "" when allowed
};

constexpr Errc kOk = Errc::kOk;
constexpr Errc kBad = Errc::kBadRequest;
constexpr Errc kForbidden = Errc::kForbidden;
constexpr Errc kInjection = Errc::kInjectionSuspected;

const Case kCases[] = {
    // 2. empty
    {R, "", kBad, "empty_statement"},
    {R, "   \n\t ", kBad, "empty_statement"},
    {R, "/* just a comment */", kBad, "empty_statement"},
    {R, "-- a comment\n", kBad, "empty_statement"},
    {R, "# hash comment", kBad, "empty_statement"},
    {A, ";", kBad, "empty_statement"},
    {A, " ; ; /* x */ ;", kBad, "empty_statement"},
    // 3. stacked
    {A, "SELECT 1; DROP TABLE t", kForbidden, "stacked_query"},
    {R, "SELECT 1; SELECT 2", kForbidden, "stacked_query"},
    {R, "SELECT 1;SELECT 2;", kForbidden, "stacked_query"},
    {A, "SELECT 1 /*!; DROP TABLE t*/", kForbidden, "stacked_query"},
    {R, "SELECT 1;", kOk, ""},
    {R, "SELECT ';' AS semi", kOk, ""},
    {R, "SELECT 1 -- ; DROP TABLE t", kOk, ""},  // a comment is not a statement
    {A, "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", kOk, ""},
    // 4. always denied, whatever the role
    {A, "GRANT ALL ON *.* TO 'x'@'%'", kForbidden, "always_denied"},
    {A, "grant select on sakila.* to bob", kForbidden, "always_denied"},
    {A, "/*!50000 GRANT ALL ON *.* TO x*/", kForbidden, "always_denied"},
    {A, "/*!GRANT ALL ON *.* TO x*/", kForbidden, "always_denied"},
    {A, "/*M!100100 GRANT ALL ON *.* TO x*/", kForbidden, "always_denied"},
    {A, "REVOKE ALL ON *.* FROM x", kForbidden, "always_denied"},
    {A, "CREATE USER x IDENTIFIED BY 'pw'", kForbidden, "always_denied"},
    {A, "CREATE OR REPLACE USER x", kForbidden, "always_denied"},
    {A, "DROP USER x", kForbidden, "always_denied"},
    {A, "ALTER USER x IDENTIFIED BY 'pw'", kForbidden, "always_denied"},
    {A, "RENAME USER a TO b", kForbidden, "always_denied"},
    {A, "CREATE ROLE r", kForbidden, "always_denied"},
    {A, "DROP ROLE r", kForbidden, "always_denied"},
    {A, "SET ROLE dba", kForbidden, "always_denied"},
    {A, "SET DEFAULT ROLE dba FOR bob", kForbidden, "always_denied"},
    {A, "SET PASSWORD = PASSWORD('x')", kForbidden, "always_denied"},
    {A, "SET PASSWORD FOR bob = 'x'", kForbidden, "always_denied"},
    {A, "SHUTDOWN", kForbidden, "always_denied"},
    {A, "RESTART", kForbidden, "always_denied"},
    {A, "KILL 12", kForbidden, "always_denied"},
    {A, "KILL QUERY 12", kForbidden, "always_denied"},
    {A, "LOAD DATA INFILE '/etc/passwd' INTO TABLE t", kForbidden, "always_denied"},
    {A, "LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t", kForbidden, "always_denied"},
    {A, "LOAD XML INFILE 'x.xml' INTO TABLE t", kForbidden, "always_denied"},
    {A, "SELECT * FROM film INTO OUTFILE '/tmp/films'", kForbidden, "always_denied"},
    {A, "SELECT 1 INTO DUMPFILE '/tmp/x'", kForbidden, "always_denied"},
    {A, "TABLE film INTO OUTFILE '/tmp/x'", kForbidden, "always_denied"},
    {A, "SELECT LOAD_FILE('/etc/passwd')", kForbidden, "always_denied"},
    {R, "select load_file ( '/etc/passwd' )", kForbidden, "always_denied"},
    {A, "SELECT title FROM film WHERE title = (SELECT LOAD_FILE('/x'))", kForbidden,
     "always_denied"},
    {A, "UPDATE t SET a = LOAD_FILE('/etc/passwd')", kForbidden, "always_denied"},
    {A, "SET GLOBAL max_connections = 1", kForbidden, "always_denied"},
    {A, "SET @@global.read_only = 0", kForbidden, "always_denied"},
    {A, "SET @@GLOBAL.general_log = 1", kForbidden, "always_denied"},
    {A, "SET PERSIST max_connections = 10", kForbidden, "always_denied"},
    {A, "SET sql_mode = 'ANSI', GLOBAL max_connections = 1", kForbidden, "always_denied"},
    {A, "SET sql_log_bin = 0", kForbidden, "always_denied"},
    {A, "SET SESSION gtid_seq_no = 5", kForbidden, "always_denied"},
    {A, "SET STATEMENT sql_log_bin = 0 FOR DELETE FROM t", kForbidden, "always_denied"},
    {A, "INSTALL PLUGIN x SONAME 'x.so'", kForbidden, "always_denied"},
    {A, "INSTALL SONAME 'auth_ed25519'", kForbidden, "always_denied"},
    {A, "UNINSTALL PLUGIN x", kForbidden, "always_denied"},
    {A, "CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so'", kForbidden,
     "always_denied"},
    {A, "FLUSH PRIVILEGES", kForbidden, "always_denied"},
    {A, "FLUSH TABLES", kForbidden, "always_denied"},
    {A, "HANDLER film OPEN", kForbidden, "always_denied"},
    {A, "BINLOG 'AAAAAAAAAA=='", kForbidden, "always_denied"},
    {A, "CHANGE MASTER TO MASTER_HOST = 'evil'", kForbidden, "always_denied"},
    {A, "START SLAVE", kForbidden, "always_denied"},
    {A, "STOP SLAVE", kForbidden, "always_denied"},
    {A, "RESET MASTER", kForbidden, "always_denied"},
    {A, "PURGE BINARY LOGS BEFORE NOW()", kForbidden, "always_denied"},
    {A, "xyzzy plugh", kForbidden, "always_denied"},
    {A, "BEGIN NOT ATOMIC SELECT 1; END", kForbidden, "always_denied"},
    {A, "PREPARE s FROM @sql", kForbidden, "always_denied"},
    {A, "PREPARE s FROM 'GRANT ALL ON *.* TO x'", kForbidden, "always_denied"},
    {A, "EXECUTE IMMEDIATE @q", kForbidden, "always_denied"},
    {A, "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'evil')", kForbidden,
     "always_denied"},
    // ... and stored programs whose body would run them later.
    {A, "CREATE PROCEDURE p() BEGIN GRANT ALL ON *.* TO x; END", kForbidden, "always_denied"},
    {A, "CREATE DEFINER = CURRENT_USER PROCEDURE p() BEGIN PREPARE s FROM @q; EXECUTE s; END",
     kForbidden, "always_denied"},
    {A, "CREATE PROCEDURE p() SELECT * FROM film INTO OUTFILE '/tmp/x'", kForbidden,
     "always_denied"},
    {A, "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO FLUSH LOGS", kForbidden, "always_denied"},
    {A, "CREATE TRIGGER t BEFORE INSERT ON film FOR EACH ROW SET GLOBAL general_log = 1",
     kForbidden, "always_denied"},
    {A, "CREATE PROCEDURE p() BEGIN CREATE USER x; END", kForbidden, "always_denied"},
    {A, "CREATE PROCEDURE p() BEGIN SELECT LOAD_FILE('/etc/passwd'); END", kForbidden,
     "always_denied"},
    {A, "CREATE PROCEDURE p(IN x INT) BEGIN UPDATE film SET length = x; END", kOk, ""},
    // Quoted keywords, hints and comments are not statements.
    {R, "SELECT 'GRANT ALL ON *.* TO x'", kOk, ""},
    {R, "SELECT * FROM messages WHERE body = 'INTO OUTFILE'", kOk, ""},
    {R, "SELECT \"LOAD_FILE('/etc/passwd')\" AS s", kOk, ""},
    {R, "SELECT `grant`, `kill` FROM `flush`", kOk, ""},
    {R, "SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM film", kOk, ""},
    {R, "SELECT * FROM film /* GRANT ALL */ WHERE film_id = 3", kOk, ""},
    {R, "SELECT * FROM film WHERE film_id = 3 /* gatehouse:strategy=random */", kOk, ""},
    {R, "/*!40101 SELECT 1 */", kOk, ""},
    // 5. read
    {R, "SELECT * FROM film", kOk, ""},
    {R, "(SELECT title FROM film) UNION (SELECT name FROM category)", kOk, ""},
    {R, "WITH t AS (SELECT 1 AS a) SELECT a FROM t", kOk, ""},
    {R, "VALUES (1, 2)", kOk, ""},
    {R, "SHOW TABLES", kOk, ""},
    {R, "SHOW CREATE TABLE film", kOk, ""},
    {R, "DESCRIBE film", kOk, ""},
    {R, "EXPLAIN SELECT * FROM film", kOk, ""},
    {R, "HELP 'contents'", kOk, ""},
    {R, "USE sakila", kOk, ""},
    {R, "SET NAMES utf8mb4", kOk, ""},
    {R, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci", kOk, ""},
    {R, "SET CHARACTER SET utf8mb4", kOk, ""},
    {R, "SET autocommit = 1", kOk, ""},
    {R, "SET SESSION sql_mode = 'ANSI_QUOTES'", kOk, ""},
    {R, "SET @@session.time_zone = '+00:00'", kOk, ""},
    {R, "SET max_statement_time = 5", kOk, ""},
    {R, "SET SESSION sort_buffer_size = 1048576", kOk, ""},
    {R, "SET LOCAL sql_select_limit = DEFAULT", kOk, ""},
    {R, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", kOk, ""},
    {R, "SET TRANSACTION READ ONLY", kOk, ""},
    {R, "SET @gatehouse_strategy = 'random'", kOk, ""},
    {R, "SELECT @gatehouse_strategy", kOk, ""},
    {R, "SET STATEMENT max_statement_time = 1 FOR SELECT * FROM film", kOk, ""},
    // 5. read is not enough
    {R, "INSERT INTO t VALUES (1)", kForbidden, "role"},
    {R, "UPDATE film SET length = 1 WHERE film_id = 2", kForbidden, "role"},
    {R, "DELETE FROM film WHERE film_id = 2", kForbidden, "role"},
    {R, "REPLACE INTO t VALUES (1)", kForbidden, "role"},
    {R, "CALL film_in_stock(1, 1, @n)", kForbidden, "role"},
    {R, "DO 1", kForbidden, "role"},
    {R, "BEGIN", kForbidden, "role"},
    {R, "START TRANSACTION READ ONLY", kForbidden, "role"},
    {R, "COMMIT", kForbidden, "role"},
    {R, "ROLLBACK", kForbidden, "role"},
    {R, "SAVEPOINT sp1", kForbidden, "role"},
    {R, "RELEASE SAVEPOINT sp1", kForbidden, "role"},
    {R, "XA START 'x'", kForbidden, "role"},
    {R, "LOCK TABLES film READ", kForbidden, "role"},
    {R, "UNLOCK TABLES", kForbidden, "role"},
    {R, "CREATE TEMPORARY TABLE tmp (id INT)", kForbidden, "role"},
    {R, "DROP TEMPORARY TABLE tmp", kForbidden, "role"},
    {R, "PREPARE s FROM 'SELECT 1'", kForbidden, "role"},
    {R, "EXECUTE s", kForbidden, "role"},
    {R, "DEALLOCATE PREPARE s", kForbidden, "role"},
    {R, "SET @x = 1", kForbidden, "role"},
    {R, "SET @gatehouse_strategy = 'random', @x = 1", kForbidden, "role"},
    {R, "SELECT @x := 1", kForbidden, "role"},
    {R, "SELECT title INTO @t FROM film LIMIT 1", kForbidden, "role"},
    {R, "SELECT * FROM film WHERE film_id = 1 FOR UPDATE", kForbidden, "role"},
    {R, "SELECT * FROM film WHERE film_id = 1 LOCK IN SHARE MODE", kForbidden, "role"},
    {R, "SELECT * FROM film WHERE film_id = 1 FOR SHARE", kForbidden, "role"},
    {R, "SET sql_mode = my_stored_function()", kForbidden, "role"},
    {R, "SET STATEMENT max_statement_time = 1 FOR DELETE FROM t", kForbidden, "role"},
    {R, "CREATE TABLE t (id INT)", kForbidden, "role"},
    // 5. write
    {W, "INSERT INTO t VALUES (1)", kOk, ""},
    {W, "UPDATE film SET length = 1 WHERE film_id = 2", kOk, ""},
    {W, "DELETE FROM film WHERE film_id = 2", kOk, ""},
    {W, "REPLACE INTO t VALUES (1)", kOk, ""},
    {W, "CALL film_in_stock(1, 1, @n)", kOk, ""},
    {W, "DO 1", kOk, ""},
    {W, "BEGIN", kOk, ""},
    {W, "COMMIT", kOk, ""},
    {W, "ROLLBACK TO SAVEPOINT sp1", kOk, ""},
    {W, "LOCK TABLES film READ", kOk, ""},
    {W, "UNLOCK TABLES", kOk, ""},
    {W, "CREATE TEMPORARY TABLE tmp (id INT)", kOk, ""},
    {W, "DROP TEMPORARY TABLE IF EXISTS tmp", kOk, ""},
    {W, "PREPARE s FROM 'SELECT * FROM film WHERE film_id = ?'", kOk, ""},
    {W, "EXECUTE s USING @id", kOk, ""},
    {W, "DEALLOCATE PREPARE s", kOk, ""},
    {W, "SET @x = 1", kOk, ""},
    {W, "SELECT * FROM film WHERE film_id = 1 FOR UPDATE", kOk, ""},
    {W, "SELECT * FROM film", kOk, ""},
    {W, "CREATE TABLE t (id INT)", kForbidden, "role"},
    {W, "CREATE TABLE event (id INT, `grant` INT)", kForbidden, "role"},
    {W, "DROP TABLE t", kForbidden, "role"},
    {W, "ALTER TABLE t ADD COLUMN c INT", kForbidden, "role"},
    {W, "TRUNCATE TABLE t", kForbidden, "role"},
    {W, "RENAME TABLE a TO b", kForbidden, "role"},
    {W, "CREATE INDEX i ON t (c)", kForbidden, "role"},
    {W, "CREATE VIEW v AS SELECT 1", kForbidden, "role"},
    {W, "CREATE DATABASE d", kForbidden, "role"},
    {W, "ANALYZE TABLE t", kForbidden, "role"},
    {W, "OPTIMIZE TABLE t", kForbidden, "role"},
    {W, "CHECK TABLE t", kForbidden, "role"},
    {W, "REPAIR TABLE t", kForbidden, "role"},
    {W, "CREATE PROCEDURE p() BEGIN SELECT 1; END", kForbidden, "role"},
    {W, "PREPARE s FROM 'DROP TABLE t'", kForbidden, "role"},
    // 5. admin
    {A, "CREATE TABLE t (id INT)", kOk, ""},
    {A, "CREATE TABLE event (id INT, `grant` INT)", kOk, ""},
    {A, "DROP TABLE t", kOk, ""},
    {A, "ALTER TABLE t ADD COLUMN c INT", kOk, ""},
    {A, "TRUNCATE TABLE t", kOk, ""},
    {A, "RENAME TABLE a TO b", kOk, ""},
    {A, "CREATE OR REPLACE VIEW v AS SELECT title FROM film", kOk, ""},
    {A, "CREATE DEFINER = CURRENT_USER VIEW v AS SELECT event FROM t", kOk, ""},
    {A, "ANALYZE TABLE t", kOk, ""},
    {A, "CREATE DATABASE d", kOk, ""},
    {A, "INSERT INTO t VALUES (1)", kOk, ""},
    {A, "SELECT 1", kOk, ""},
    // 6. injection (detection on by default)
    {W, "SELECT * FROM film WHERE title = '' OR '1'='1'", kInjection, "injection:tautology"},
    {R, "SELECT * FROM film WHERE film_id = 1 OR 1=1", kInjection, "injection:tautology"},
    {R, "SELECT title FROM film WHERE film_id = -1 UNION SELECT NULL, version()", kInjection,
     "injection:union_select"},
    {R, "SELECT * FROM film WHERE film_id = 1 AND SLEEP(5)", kInjection, "injection:time_based"},
    {R, "SELECT * FROM staff WHERE username = 'admin' -- ' AND password = 'x'", kInjection,
     "injection:comment_truncation"},
    {R, "SELECT * FROM film WHERE film_id = 1 AND (SELECT COUNT(*) FROM information_schema.tables)",
     kInjection, "injection:schema_probe"},
    {R, "SELECT * FROM staff WHERE username = CHAR(97,100,109,105,110)", kInjection,
     "injection:encoded_payload"},
    {R, "SELECT * FROM film WHERE film_id = 1 AND extractvalue(1, concat(0x7e, version()))",
     kInjection, "injection:fingerprint"},
    // A role denial comes before the injection check.
    {R, "DELETE FROM film WHERE 1 OR 1=1", kForbidden, "role"},
};

std::string describe(const Case& c) { return std::string(role_name(c.role)) + ": " + c.sql; }

TEST(Policy, Table) {
  const PolicyLimits limits;
  for (const Case& c : kCases) {
    CheckedStatement r = check_statement(c.role, c.sql, 0, limits);
    EXPECT_EQ(r.verdict.code, c.code)
        << describe(c) << " -> " << r.verdict.rule << ": " << r.verdict.message;
    EXPECT_EQ(r.verdict.rule, c.rule) << describe(c) << " -> " << r.verdict.message;
    EXPECT_EQ(r.verdict.ok(), c.code == kOk) << describe(c);
    if (!r.verdict.ok()) {
      EXPECT_FALSE(r.verdict.message.empty()) << describe(c);
      EXPECT_NE(r.verdict.message.find("(rule " + r.verdict.rule + ")"), std::string::npos)
          << describe(c) << " -> " << r.verdict.message;
    }
  }
}

// Messages never echo literal values (strings and numbers of 3+ characters) from the SQL.
TEST(Policy, MessagesNeverContainLiterals) {
  const PolicyLimits limits;
  size_t checked = 0;
  for (const Case& c : kCases) {
    CheckedStatement r = check_statement(c.role, c.sql, 0, limits);
    if (r.verdict.ok()) continue;
    for (const sql::Token& t : sql::tokenize(c.sql)) {
      if (!sql::is_literal(t.kind)) continue;
      std::string value =
          t.kind == sql::TokenKind::kString ? sql::unquote_string(t.text) : std::string(t.text);
      if (value.size() < 3) continue;
      ++checked;
      EXPECT_EQ(r.verdict.message.find(value), std::string::npos)
          << describe(c) << " -> " << r.verdict.message;
    }
  }
  EXPECT_GT(checked, 20u);
}

TEST(Policy, MessagesNameTheStatement) {
  const PolicyLimits limits;
  auto message = [&](Role role, const char* sql) {
    return check_statement(role, sql, 0, limits).verdict.message;
  };
  EXPECT_EQ(message(A, "GRANT ALL ON *.* TO 'x'@'%'"),
            "GRANT is never allowed through the gatekeeper (rule always_denied)");
  EXPECT_EQ(message(R, "INSERT INTO t VALUES ('secret')"),
            "role read may not run INSERT (rule role)");
  EXPECT_EQ(message(W, "CREATE TABLE t (id INT)"),
            "role write may not run CREATE TABLE (rule role)");
  EXPECT_EQ(message(A, "CREATE USER bob"),
            "CREATE USER is never allowed through the gatekeeper (rule always_denied)");
  EXPECT_EQ(message(A, "LOAD DATA INFILE '/etc/passwd' INTO TABLE t"),
            "LOAD DATA is never allowed through the gatekeeper (rule always_denied)");
  EXPECT_EQ(message(R, "CREATE TEMPORARY TABLE t (id INT)"),
            "role read may not run CREATE TEMPORARY TABLE (rule role)");
  EXPECT_EQ(message(R, "WITH x AS (SELECT 1) DELETE FROM t"),
            "role read may not run WITH ... DELETE (rule role)");
  EXPECT_EQ(message(R, "SET @x = 1"), "role read may not run SET of a user variable (rule role)");
  EXPECT_EQ(message(A, "CREATE PROCEDURE p() BEGIN KILL 1; END"),
            "CREATE PROCEDURE whose body runs KILL is never allowed through the gatekeeper (rule "
            "always_denied)");
  EXPECT_NE(message(A, "SELECT LOAD_FILE('/etc/passwd')").find("LOAD_FILE()"), std::string::npos);
  EXPECT_NE(message(A, "SET sql_log_bin = 0").find("sql_log_bin"), std::string::npos);
  EXPECT_NE(message(R, "SELECT * FROM t FOR UPDATE").find("locking read"), std::string::npos);
  EXPECT_NE(message(A, "xyzzy 'secret value'").find("unrecognized statement"), std::string::npos);
  std::string inj = message(R, "SELECT * FROM t WHERE name = '' OR 'top-secret'='top-secret'");
  EXPECT_NE(inj.find("(rule injection:tautology)"), std::string::npos) << inj;
  EXPECT_EQ(inj.find("top-secret"), std::string::npos) << inj;
}

TEST(Policy, SizeLimits) {
  PolicyLimits limits;
  limits.max_query_bytes = 32;
  limits.max_params = 2;
  std::string at_limit = "SELECT 1 FROM t WHERE a = 123456";  // 32 bytes
  ASSERT_EQ(at_limit.size(), 32u);
  EXPECT_TRUE(check_statement(R, at_limit, 2, limits).verdict.ok());

  CheckedStatement big = check_statement(R, at_limit + " ", 0, limits);
  EXPECT_EQ(big.verdict.code, Errc::kTooLarge);
  EXPECT_EQ(big.verdict.rule, "query_bytes");
  EXPECT_EQ(big.digest, 0u);  // not computed before checks 1-3 pass

  CheckedStatement params = check_statement(R, "SELECT ?, ?, ?", 3, limits);
  EXPECT_EQ(params.verdict.code, Errc::kTooLarge);
  EXPECT_EQ(params.verdict.rule, "param_count");

  // Size is checked first, even for what would be denied anyway.
  std::string huge_grant = "GRANT ALL ON *.* TO " + std::string(100, 'x');
  EXPECT_EQ(check_statement(A, huge_grant, 0, limits).verdict.rule, "query_bytes");
  // The default limit is 64 KiB.
  std::string long_sql = "SELECT '" + std::string(70000, 'a') + "'";
  EXPECT_EQ(check_statement(R, long_sql, 0, PolicyLimits{}).verdict.rule, "query_bytes");
}

TEST(Policy, InjectionDetectionCanBeDisabled) {
  PolicyLimits off;
  off.detect_injection = false;
  const char* sql = "SELECT * FROM film WHERE title = '' OR '1'='1'";
  EXPECT_EQ(check_statement(R, sql, 0, PolicyLimits{}).verdict.code, Errc::kInjectionSuspected);
  EXPECT_TRUE(check_statement(R, sql, 0, off).verdict.ok());
  // Always-denied and role rules do not depend on it.
  EXPECT_EQ(check_statement(A, "GRANT ALL ON *.* TO x", 0, off).verdict.rule, "always_denied");
  EXPECT_EQ(check_statement(R, "DELETE FROM t", 0, off).verdict.rule, "role");
}

TEST(Policy, DigestIsComputedAfterChecksOneToThree) {
  const PolicyLimits limits;
  CheckedStatement ok = check_statement(R, "SELECT * FROM film WHERE film_id = 7", 0, limits);
  ASSERT_TRUE(ok.verdict.ok());
  EXPECT_NE(ok.digest, 0u);
  EXPECT_EQ(ok.digest_text, "SELECT * FROM film WHERE film_id = ?");
  EXPECT_EQ(ok.digest, check_statement(R, "select *  from film where film_id=8", 0, limits).digest);

  CheckedStatement denied = check_statement(R, "DELETE FROM film WHERE film_id = 7", 0, limits);
  EXPECT_EQ(denied.verdict.rule, "role");
  EXPECT_NE(denied.digest, 0u);  // denied by 4-6: the audit log still gets the digest
  EXPECT_EQ(denied.digest_text, "DELETE FROM film WHERE film_id = ?");

  EXPECT_EQ(check_statement(R, "/* nothing */", 0, limits).digest, 0u);
  EXPECT_EQ(check_statement(R, "SELECT 1; SELECT 2", 0, limits).digest, 0u);
  EXPECT_EQ(ok.info.statement_class, sql::StatementClass::kSelect);
}

TEST(Policy, NamesRoundTrip) {
  for (Role r : {Role::kRead, Role::kWrite, Role::kAdmin}) {
    Role back = Role::kAdmin;
    ASSERT_TRUE(parse_role(role_name(r), back));
    EXPECT_EQ(back, r);
  }
  Role r = Role::kRead;
  EXPECT_FALSE(parse_role("root", r));
  EXPECT_FALSE(parse_role("READ", r));
  EXPECT_FALSE(parse_role("", r));
  for (DigestMode m : {DigestMode::kOff, DigestMode::kLearn, DigestMode::kEnforce}) {
    DigestMode back = DigestMode::kOff;
    ASSERT_TRUE(parse_digest_mode(digest_mode_name(m), back));
    EXPECT_EQ(back, m);
  }
  DigestMode m = DigestMode::kOff;
  EXPECT_FALSE(parse_digest_mode("on", m));
  EXPECT_EQ(digest_hex(0x9f86d081884c7d65ull), "9f86d081884c7d65");
  EXPECT_EQ(digest_hex(1), "0000000000000001");
}

// Any bytes: no crash, and a verdict either way.
TEST(Policy, UntrustedBytes) {
  const PolicyLimits limits;
  std::string junk;
  for (int i = 0; i < 256; ++i) junk.push_back(static_cast<char>(i));
  for (std::string sql :
       {junk, std::string("SELECT '\xff\xfe"), std::string("/*"),
        std::string("SELECT `unterminated"), std::string("\0\0", 2), std::string("((((((((")}) {
    CheckedStatement r = check_statement(A, sql, 0, limits);
    EXPECT_FALSE(r.verdict.rule.empty() && !r.verdict.ok());
  }
}

}  // namespace
}  // namespace gh::gatekeeper
