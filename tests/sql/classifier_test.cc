// Tests for classify(): statement classes and categories, read-only detection, flags, SET
// parsing, USE, gatehouse hints, multi-statement texts and compound bodies.
#include "sql/classifier.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sql/script.h"

namespace gh::sql {
namespace {

using K = StatementClass;
using C = StatementCategory;

struct ClassCase {
  std::string sql;
  StatementClass cls;
  StatementCategory category;
  bool read_only;
};

void PrintTo(const ClassCase& c, std::ostream* os) { *os << c.sql; }

class ClassifyTest : public ::testing::TestWithParam<ClassCase> {};

TEST_P(ClassifyTest, ClassCategoryReadOnly) {
  const auto& c = GetParam();
  StatementInfo info = classify(c.sql);
  EXPECT_EQ(statement_class_name(info.statement_class), statement_class_name(c.cls)) << c.sql;
  EXPECT_EQ(statement_category_name(info.category), statement_category_name(c.category)) << c.sql;
  EXPECT_EQ(info.read_only, c.read_only) << c.sql;
}

// clang-format off
const ClassCase kClassCases[] = {
    // Reads.
    {"SELECT 1", K::kSelect, C::kRead, true},
    {"select * from film where film_id = 7", K::kSelect, C::kRead, true},
    {"  /* c */ SELECT a FROM t -- x", K::kSelect, C::kRead, true},
    {"(SELECT a FROM t1) UNION (SELECT a FROM t2)", K::kSelect, C::kRead, true},
    {"((SELECT 1))", K::kSelect, C::kRead, true},
    {"WITH c AS (SELECT 1 AS x) SELECT x FROM c", K::kSelect, C::kRead, true},
    {"WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT n FROM c", K::kSelect, C::kRead, true},
    {"WITH a (x) AS (SELECT 1), b (y) AS (SELECT 2) SELECT * FROM a, b", K::kSelect, C::kRead, true},
    {"WITH c AS (SELECT id FROM t) UPDATE t2 JOIN c USING (id) SET t2.v = 1", K::kUpdate, C::kDml, false},
    {"WITH c AS (SELECT id FROM t) DELETE FROM t2 WHERE id IN (SELECT id FROM c)", K::kDelete, C::kDml, false},
    {"VALUES ROW(1, 2), ROW(3, 4)", K::kSelect, C::kRead, true},
    {"TABLE film", K::kSelect, C::kRead, true},
    {"SELECT COUNT(*), SUM(amount), DATE_FORMAT(payment_date, '%Y') FROM payment GROUP BY 3", K::kSelect, C::kRead, true},
    {"SELECT CONCAT(first_name, ' ', last_name), IFNULL(a, COALESCE(b, 0)) FROM actor", K::kSelect, C::kRead, true},
    {"SELECT JSON_EXTRACT(doc, '$.a'), doc->>'$.b' FROM docs", K::kSelect, C::kRead, true},
    {"SELECT CAST(x AS DECIMAL(10,2)), CONVERT(y USING utf8mb4) FROM t", K::kSelect, C::kRead, true},
    {"SELECT * FROM t WHERE a IN (1,2,3) AND EXISTS (SELECT 1 FROM u) AND b = ANY (SELECT c FROM v)", K::kSelect, C::kRead, true},
    {"SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) FROM t WINDOW w AS (ORDER BY c)", K::kSelect, C::kRead, true},
    {"SELECT * FROM t1 JOIN t2 USING (id) JOIN t3 ON (t3.id = t1.id)", K::kSelect, C::kRead, true},
    {"SELECT * FROM t FORCE INDEX (idx) WHERE MATCH (a) AGAINST ('x' IN BOOLEAN MODE)", K::kSelect, C::kRead, true},
    {"SELECT IF(a > 1, 'x', 'y'), LEFT(s, 3), REPLACE(s, 'a', 'b'), INSERT(s, 1, 2, 'z') FROM t", K::kSelect, C::kRead, true},
    {"SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10", K::kSelect, C::kRead, true},
    {"SELECT @@version, @@session.sql_mode", K::kSelect, C::kRead, true},
    {"SELECT * FROM t WHERE id = ?", K::kSelect, C::kRead, true},
    {"SELECT a FROM t FOR UPDATE", K::kSelect, C::kDml, false},
    {"SELECT a FROM t FOR SHARE", K::kSelect, C::kDml, false},
    {"SELECT a FROM t LOCK IN SHARE MODE", K::kSelect, C::kDml, false},
    {"SELECT a INTO @x FROM t", K::kSelect, C::kRead, false},
    {"SELECT @x := a FROM t", K::kSelect, C::kRead, false},
    {"SELECT a FROM t INTO OUTFILE '/tmp/x'", K::kSelect, C::kAdmin, false},
    {"SELECT a INTO DUMPFILE '/tmp/x' FROM t", K::kSelect, C::kAdmin, false},
    {"SELECT LOAD_FILE('/etc/passwd')", K::kSelect, C::kAdmin, false},
    {"SELECT my_func(1)", K::kSelect, C::kRead, false},
    {"SELECT sakila.get_customer_balance(1, NOW())", K::kSelect, C::kRead, false},
    {"SELECT `weird func`(1)", K::kSelect, C::kRead, false},
    {"SELECT NEXTVAL(s)", K::kSelect, C::kRead, false},
    {"SELECT NEXT VALUE FOR s", K::kSelect, C::kRead, false},
    {"SELECT GET_LOCK('a', 10)", K::kSelect, C::kRead, false},
    {"SELECT LAST_INSERT_ID()", K::kSelect, C::kRead, false},
    {"SELECT @@identity", K::kSelect, C::kRead, false},
    {"SELECT FOUND_ROWS()", K::kSelect, C::kRead, false},
    {"SELECT SLEEP(1)", K::kSelect, C::kRead, false},
    {"SELECT BENCHMARK(10, MD5('a'))", K::kSelect, C::kRead, false},
    {"SHOW TABLES", K::kShow, C::kRead, true},
    {"show full processlist", K::kShow, C::kRead, true},
    {"SHOW GRANTS FOR 'app'@'%'", K::kShow, C::kRead, true},
    {"HELP 'select'", K::kShow, C::kRead, true},
    {"DESC film", K::kDescribe, C::kRead, true},
    {"DESCRIBE film title", K::kDescribe, C::kRead, true},
    {"EXPLAIN SELECT * FROM film", K::kDescribe, C::kRead, true},
    {"EXPLAIN FORMAT=JSON SELECT 1", K::kDescribe, C::kRead, true},
    {"EXPLAIN UPDATE t SET a = 1", K::kDescribe, C::kRead, true},
    {"EXPLAIN ANALYZE SELECT * FROM film", K::kDescribe, C::kRead, true},
    {"ANALYZE SELECT * FROM film", K::kDescribe, C::kRead, true},
    {"ANALYZE DELETE FROM film", K::kDescribe, C::kDml, false},
    {"EXPLAIN FOR CONNECTION 12", K::kDescribe, C::kRead, true},
    // Session control.
    {"USE sakila", K::kUse, C::kSessionControl, false},
    {"SET NAMES utf8mb4", K::kSet, C::kSessionControl, false},
    {"SET autocommit=0", K::kSet, C::kSessionControl, false},
    {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", K::kSet, C::kSessionControl, false},
    {"SET @a = 1", K::kSet, C::kSessionControl, false},
    {"SET @a = (SELECT COUNT(*) FROM t)", K::kSet, C::kSessionControl, false},
    {"SET @a = my_func()", K::kSet, C::kDml, false},
    {"SET ROLE ALL", K::kSet, C::kSessionControl, false},
    {"SET sort_buffer_size = 1000000", K::kSet, C::kDml, false},
    {"SET GLOBAL max_connections = 10", K::kSet, C::kAdmin, false},
    {"SET @@global.max_connections = 10", K::kSet, C::kAdmin, false},
    {"SET PERSIST max_connections = 10", K::kSet, C::kAdmin, false},
    {"SET sql_log_bin = 0", K::kSet, C::kAdmin, false},
    {"SET PASSWORD FOR 'u'@'%' = 'x'", K::kUserAdmin, C::kAdmin, false},
    {"SET PASSWORD = 'x'", K::kUserAdmin, C::kAdmin, false},
    {"SET DEFAULT ROLE r TO 'u'@'%'", K::kUserAdmin, C::kAdmin, false},
    {"SET STATEMENT max_statement_time=1 FOR SELECT * FROM t", K::kSelect, C::kRead, true},
    {"SET STATEMENT max_statement_time=1 FOR UPDATE t SET a = 1", K::kUpdate, C::kDml, false},
    // DML and transactions.
    {"INSERT INTO t VALUES (1)", K::kInsert, C::kDml, false},
    {"insert into t (a, b) select a, b from u", K::kInsert, C::kDml, false},
    {"UPDATE sbtest1 SET k=k+1 WHERE id=?", K::kUpdate, C::kDml, false},
    {"DELETE FROM t WHERE id = 1", K::kDelete, C::kDml, false},
    {"REPLACE INTO t VALUES (1)", K::kReplace, C::kDml, false},
    {"CALL film_in_stock(1, 1, @count)", K::kCall, C::kDml, false},
    {"DO SLEEP(1)", K::kDo, C::kDml, false},
    {"BEGIN", K::kBegin, C::kDml, false},
    {"BEGIN WORK", K::kBegin, C::kDml, false},
    {"START TRANSACTION", K::kBegin, C::kDml, false},
    {"START TRANSACTION READ ONLY", K::kBegin, C::kDml, false},
    {"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ WRITE", K::kBegin, C::kDml, false},
    {"COMMIT", K::kCommit, C::kDml, false},
    {"COMMIT WORK AND CHAIN", K::kCommit, C::kDml, false},
    {"ROLLBACK", K::kRollback, C::kDml, false},
    {"ROLLBACK TO SAVEPOINT s1", K::kSavepoint, C::kDml, false},
    {"ROLLBACK WORK TO s1", K::kSavepoint, C::kDml, false},
    {"SAVEPOINT s1", K::kSavepoint, C::kDml, false},
    {"RELEASE SAVEPOINT s1", K::kSavepoint, C::kDml, false},
    {"XA START 'x'", K::kXa, C::kDml, false},
    {"LOCK TABLES t WRITE", K::kLockTables, C::kDml, false},
    {"UNLOCK TABLES", K::kUnlockTables, C::kDml, false},
    {"PREPARE s FROM 'SELECT * FROM t WHERE id = ?'", K::kPrepareSql, C::kDml, false},
    {"PREPARE s FROM 'DROP TABLE t'", K::kPrepareSql, C::kDdl, false},
    {"PREPARE s FROM 'GRANT ALL ON *.* TO x'", K::kPrepareSql, C::kAdmin, false},
    {"PREPARE s FROM @sql", K::kPrepareSql, C::kAdmin, false},
    {"EXECUTE IMMEDIATE 'SELECT 1'", K::kPrepareSql, C::kDml, false},
    {"EXECUTE s USING @a", K::kExecuteSql, C::kDml, false},
    {"DEALLOCATE PREPARE s", K::kDeallocate, C::kDml, false},
    {"DROP PREPARE s", K::kDeallocate, C::kDml, false},
    {"CREATE TEMPORARY TABLE tmp (id INT)", K::kCreate, C::kDml, false},
    {"DROP TEMPORARY TABLE IF EXISTS tmp", K::kDrop, C::kDml, false},
    // DDL.
    {"CREATE TABLE t (id INT(11) NOT NULL, KEY idx (id))", K::kCreate, C::kDdl, false},
    {"CREATE OR REPLACE VIEW v AS SELECT 1", K::kCreate, C::kDdl, false},
    {"CREATE DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW v AS SELECT 1", K::kCreate, C::kDdl, false},
    {"CREATE DATABASE d", K::kCreate, C::kDdl, false},
    {"CREATE UNIQUE INDEX i ON t (a)", K::kCreate, C::kDdl, false},
    {"ALTER TABLE t ADD COLUMN c INT", K::kAlter, C::kDdl, false},
    {"ALTER ONLINE TABLE t ADD COLUMN c INT", K::kAlter, C::kDdl, false},
    {"DROP TABLE t", K::kDrop, C::kDdl, false},
    {"DROP DATABASE IF EXISTS d", K::kDrop, C::kDdl, false},
    {"TRUNCATE TABLE t", K::kTruncate, C::kDdl, false},
    {"TRUNCATE t", K::kTruncate, C::kDdl, false},
    {"RENAME TABLE a TO b", K::kRename, C::kDdl, false},
    {"ANALYZE TABLE t", K::kAnalyzeOptimize, C::kDdl, false},
    {"OPTIMIZE TABLE t", K::kAnalyzeOptimize, C::kDdl, false},
    {"CHECK TABLE t", K::kAnalyzeOptimize, C::kDdl, false},
    {"CHECKSUM TABLE t", K::kAnalyzeOptimize, C::kDdl, false},
    {"REPAIR TABLE t", K::kAnalyzeOptimize, C::kDdl, false},
    // Admin.
    {"GRANT SELECT ON *.* TO 'u'@'%'", K::kGrant, C::kAdmin, false},
    {"REVOKE ALL ON *.* FROM u", K::kRevoke, C::kAdmin, false},
    {"CREATE USER 'u'@'%' IDENTIFIED BY 'p'", K::kUserAdmin, C::kAdmin, false},
    {"DROP USER u", K::kUserAdmin, C::kAdmin, false},
    {"ALTER USER u IDENTIFIED BY 'p'", K::kUserAdmin, C::kAdmin, false},
    {"RENAME USER a TO b", K::kUserAdmin, C::kAdmin, false},
    {"CREATE ROLE r", K::kUserAdmin, C::kAdmin, false},
    {"LOAD DATA INFILE '/tmp/x' INTO TABLE t", K::kLoadData, C::kAdmin, false},
    {"LOAD DATA LOCAL INFILE 'x' INTO TABLE t", K::kLoadData, C::kAdmin, false},
    {"LOAD XML INFILE 'x' INTO TABLE t", K::kLoadData, C::kAdmin, false},
    {"HANDLER t OPEN", K::kHandler, C::kAdmin, false},
    {"FLUSH PRIVILEGES", K::kFlush, C::kAdmin, false},
    {"KILL 12", K::kKill, C::kAdmin, false},
    {"KILL QUERY 12", K::kKill, C::kAdmin, false},
    {"SHUTDOWN", K::kShutdown, C::kAdmin, false},
    {"INSTALL PLUGIN x SONAME 'x.so'", K::kInstallPlugin, C::kAdmin, false},
    {"INSTALL SONAME 'auth_ed25519'", K::kInstallPlugin, C::kAdmin, false},
    {"UNINSTALL PLUGIN x", K::kInstallPlugin, C::kAdmin, false},
    {"CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so'", K::kInstallPlugin, C::kAdmin, false},
    {"CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'x')", K::kCreate, C::kAdmin, false},
    {"CHANGE MASTER TO MASTER_HOST='x'", K::kOther, C::kAdmin, false},
    {"START SLAVE", K::kOther, C::kAdmin, false},
    {"PURGE BINARY LOGS TO 'x'", K::kOther, C::kAdmin, false},
    {"'just a string'", K::kOther, C::kAdmin, false},
    {"(UPDATE t SET a = 1)", K::kOther, C::kAdmin, false},
    {"BEGIN NOT ATOMIC SELECT 1; END", K::kOther, C::kAdmin, false},
    // Empty.
    {"", K::kEmpty, C::kRead, true},
    {"  ;; ; ", K::kEmpty, C::kRead, true},
    {"-- nothing\n/* here */ # at all", K::kEmpty, C::kRead, true},
    {"/* unterminated", K::kEmpty, C::kRead, true},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, ClassifyTest, ::testing::ValuesIn(kClassCases));

// ---- flags ----------------------------------------------------------------------------------

struct FlagCase {
  std::string sql;
  bool StatementInfo::*flag;
  const char* flag_name;
  bool want;
};

void PrintTo(const FlagCase& c, std::ostream* os) { *os << c.flag_name << ": " << c.sql; }

class FlagTest : public ::testing::TestWithParam<FlagCase> {};

TEST_P(FlagTest, Flag) {
  const auto& c = GetParam();
  EXPECT_EQ(classify(c.sql).*(c.flag), c.want) << c.flag_name << ": " << c.sql;
}

#define F(field) &StatementInfo::field, #field
// clang-format off
const FlagCase kFlagCases[] = {
    {"SELECT a FROM t FOR UPDATE", F(locking_read), true},
    {"SELECT a FROM t FOR UPDATE SKIP LOCKED", F(locking_read), true},
    {"SELECT a FROM t LOCK IN SHARE MODE", F(locking_read), true},
    {"SELECT SUBSTRING(a FROM 1 FOR 2) FROM t", F(locking_read), false},
    {"LOCK TABLES t READ", F(locking_read), false},
    {"BEGIN", F(starts_transaction), true},
    {"START TRANSACTION READ ONLY", F(starts_transaction), true},
    {"COMMIT AND CHAIN", F(starts_transaction), true},
    {"COMMIT AND NO CHAIN", F(starts_transaction), false},
    {"XA BEGIN 'x'", F(starts_transaction), true},
    {"SELECT 1", F(starts_transaction), false},
    {"COMMIT", F(ends_transaction), true},
    {"ROLLBACK", F(ends_transaction), true},
    {"ROLLBACK TO SAVEPOINT a", F(ends_transaction), false},
    {"CREATE TABLE t (a INT)", F(ends_transaction), true},
    {"CREATE TEMPORARY TABLE t (a INT)", F(ends_transaction), false},
    {"DROP TABLE t", F(ends_transaction), true},
    {"ALTER TABLE t ADD c INT", F(ends_transaction), true},
    {"TRUNCATE t", F(ends_transaction), true},
    {"GRANT ALL ON *.* TO u", F(ends_transaction), true},
    {"LOCK TABLES t WRITE", F(ends_transaction), true},
    {"SET autocommit = 1", F(ends_transaction), false},
    {"SET autocommit = 0", F(ends_transaction), false},
    {"INSERT INTO t VALUES (1)", F(ends_transaction), false},
    {"SET @x = 1", F(assigns_user_variable), true},
    {"SET @x := 1, @y = 2", F(assigns_user_variable), true},
    {"SELECT @x := 1", F(assigns_user_variable), true},
    {"SELECT a, b INTO @x, @y FROM t", F(assigns_user_variable), true},
    {"SELECT a FROM t WHERE b = @x", F(assigns_user_variable), false},
    {"SELECT a FROM t WHERE b = @x", F(reads_user_variable), true},
    {"SET @x = 1", F(reads_user_variable), false},
    {"SET @x = @y + 1", F(reads_user_variable), true},
    {"SELECT @@version", F(reads_user_variable), false},
    {"GRANT ALL ON *.* TO 'u'@'h'", F(reads_user_variable), false},
    {"CREATE DEFINER=root@localhost VIEW v AS SELECT 1", F(reads_user_variable), false},
    {"CALL p(@out)", F(reads_user_variable), true},
    {"CALL p(@out)", F(assigns_user_variable), true},
    {"SELECT a INTO @x FROM t", F(reads_user_variable), false},
    {"SELECT @x := 1", F(reads_user_variable), false},
    {"SELECT @x := @x + 1", F(reads_user_variable), true},
    {"EXECUTE IMMEDIATE 'COMMIT'", F(ends_transaction), true},
    {"CREATE TEMPORARY TABLE t (a INT)", F(creates_temporary_table), true},
    {"CREATE TABLE t (a INT)", F(creates_temporary_table), false},
    {"DROP TEMPORARY TABLE t", F(drops_temporary_table), true},
    {"DROP TABLE t", F(drops_temporary_table), false},
    {"SELECT GET_LOCK('x', 1)", F(uses_named_lock), true},
    {"SELECT release_lock('x')", F(uses_named_lock), true},
    {"DO RELEASE_ALL_LOCKS()", F(uses_named_lock), true},
    {"SELECT IS_USED_LOCK('x'), IS_FREE_LOCK('y')", F(uses_named_lock), true},
    {"SELECT get_lock_count FROM t", F(uses_named_lock), false},
    {"SELECT LAST_INSERT_ID()", F(uses_last_insert_id), true},
    {"INSERT INTO t (parent) VALUES (LAST_INSERT_ID())", F(uses_last_insert_id), true},
    {"SELECT @@last_insert_id", F(uses_last_insert_id), true},
    {"SELECT last_insert_id FROM t", F(uses_last_insert_id), false},
    {"SELECT FOUND_ROWS()", F(uses_found_rows), true},
    {"SELECT ROW_COUNT()", F(uses_found_rows), true},
    {"SELECT SQL_CALC_FOUND_ROWS a FROM t", F(sql_calc_found_rows), true},
    {"SELECT a FROM t INTO OUTFILE '/tmp/x'", F(into_outfile), true},
    {"SELECT a FROM t INTO DUMPFILE '/tmp/x'", F(into_outfile), true},
    {"SELECT a INTO @x FROM t", F(into_outfile), false},
    {"SELECT LOAD_FILE('/etc/passwd')", F(uses_load_file), true},
    {"SET GLOBAL x = 1", F(set_global), true},
    {"SET @@global.x = 1", F(set_global), true},
    {"SET PERSIST x = 1", F(set_global), true},
    {"SET PERSIST_ONLY x = 1", F(set_global), true},
    {"SET SESSION x = 1", F(set_global), false},
    {"SET @@session.x = 1", F(set_global), false},
    {"SELECT @@global.max_connections", F(set_global), false},
    {"/*!40101 SET NAMES utf8 */", F(has_versioned_comment), true},
    {"SELECT /*M!100100 1, */ 2", F(has_versioned_comment), true},
    {"SELECT /* 1 */ 2", F(has_versioned_comment), false},
};
// clang-format on
#undef F

INSTANTIATE_TEST_SUITE_P(Cases, FlagTest, ::testing::ValuesIn(kFlagCases));

// ---- statement counting and compound bodies --------------------------------------------------

struct CountCase {
  std::string sql;
  uint32_t count;
};

class CountTest : public ::testing::TestWithParam<CountCase> {};

TEST_P(CountTest, StatementCount) {
  EXPECT_EQ(classify(GetParam().sql).statement_count, GetParam().count) << GetParam().sql;
}

// clang-format off
const CountCase kCountCases[] = {
    {"", 0},
    {";", 0},
    {"SELECT 1", 1},
    {"SELECT 1;", 1},
    {"SELECT 1; ", 1},
    {"SELECT 1;;", 1},
    {"SELECT 1; SELECT 2", 2},
    {"SELECT ';'; SELECT 2;", 2},
    {"SELECT 1 -- ; SELECT 2", 1},
    {"SELECT 1 /* ; */", 1},
    {"SELECT 1; -- trailing comment", 1},
    {"SELECT 1; /* unterminated", 1},
    {"SELECT 'a'; DROP TABLE x; --", 2},
    {"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", 1},
    {"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; SELECT 3", 2},
    {"CREATE DEFINER=`root`@`%` PROCEDURE p(IN a INT) proc: BEGIN DECLARE x INT; IF a = 0 THEN LEAVE proc; END IF; "
     "WHILE x < 10 DO SET x = x + 1; END WHILE; SELECT CASE WHEN x > 1 THEN 'a' ELSE 'b' END; "
     "CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; l: LOOP LEAVE l; END LOOP l; "
     "REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT; SELECT REPEAT('a', 3), IF(x, 1, 2); END", 1},
    {"CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC BEGIN DECLARE r INT; SELECT COUNT(*) INTO r FROM t; RETURN r; END", 1},
    {"CREATE FUNCTION f(a INT) RETURNS INT RETURN IF(a > 0, 1, 2); SELECT 1", 2},
    {"CREATE TRIGGER t BEFORE INSERT ON c FOR EACH ROW SET NEW.d = NOW(); SELECT 1", 2},
    {"CREATE TRIGGER t AFTER INSERT ON f FOR EACH ROW BEGIN INSERT INTO x VALUES (1); END", 1},
    {"CREATE PROCEDURE IF NOT EXISTS p() BEGIN SELECT 1; END", 1},
    {"CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO BEGIN DELETE FROM t; DELETE FROM u; END", 1},
    {"BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", 1},
    {"IF @x THEN SELECT 1; ELSE SELECT 2; END IF", 1},
    {"BEGIN; SELECT 1; COMMIT", 3},
    {"SELECT CASE WHEN a THEN 1 END; SELECT 2", 2},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, CountTest, ::testing::ValuesIn(kCountCases));

TEST(Classify, MultiStatementTakesMaxCategoryAndAndsReadOnly) {
  auto a = classify("SELECT 1; DROP TABLE x");
  EXPECT_EQ(a.statement_class, K::kSelect);
  EXPECT_EQ(a.category, C::kDdl);
  EXPECT_FALSE(a.read_only);
  EXPECT_EQ(a.statement_count, 2u);
  EXPECT_TRUE(a.ends_transaction);
  auto b = classify("SELECT 1; SELECT 2");
  EXPECT_TRUE(b.read_only);
  EXPECT_EQ(b.category, C::kRead);
  auto c = classify("USE db; SELECT 1");
  EXPECT_EQ(c.statement_class, K::kUse);
  EXPECT_EQ(c.category, C::kSessionControl);
  EXPECT_EQ(c.schema, "db");
}

TEST(Classify, FirstKeyword) {
  EXPECT_EQ(classify("  select 1").first_keyword, "select");
  EXPECT_EQ(classify("((SELECT 1))").first_keyword, "SELECT");
  EXPECT_EQ(classify("/* x */ INSERT INTO t VALUES (1)").first_keyword, "INSERT");
  EXPECT_EQ(classify("").first_keyword, "");
}

// ---- USE and SET -----------------------------------------------------------------------------

TEST(Classify, UseSchema) {
  EXPECT_EQ(classify("USE sakila").schema, "sakila");
  EXPECT_EQ(classify("use `my db`;").schema, "my db");
  EXPECT_EQ(classify("USE `a``b`").schema, "a`b");
  EXPECT_EQ(classify("USE").schema, "");
}

struct SetCase {
  std::string sql;
  std::vector<SetAssignment> want;
};

class SetTest : public ::testing::TestWithParam<SetCase> {};

std::string render(const std::vector<SetAssignment>& v) {
  std::string out;
  for (const auto& a : v) {
    out += a.scope == VarScope::kGlobal ? "global:"
           : a.scope == VarScope::kUser ? "user:"
                                        : "session:";
    out += a.name + "=[" + a.value + "] ";
  }
  return out;
}

TEST_P(SetTest, Assignments) {
  const auto& c = GetParam();
  EXPECT_EQ(render(classify(c.sql).set_assignments), render(c.want)) << c.sql;
}

using VS = VarScope;
// clang-format off
const SetCase kSetCases[] = {
    {"SET autocommit=0", {{VS::kSession, "autocommit", "0"}}},
    {"SET @@session.AUTOCOMMIT = ON", {{VS::kSession, "autocommit", "ON"}}},
    {"SET SESSION sql_mode = 'TRADITIONAL'", {{VS::kSession, "sql_mode", "'TRADITIONAL'"}}},
    {"SET LOCAL sql_mode = ''", {{VS::kSession, "sql_mode", "''"}}},
    {"SET GLOBAL max_connections = 1000, sort_buffer_size = 10", {{VS::kGlobal, "max_connections", "1000"}, {VS::kGlobal, "sort_buffer_size", "10"}}},
    {"SET GLOBAL a = 1, SESSION b = 2", {{VS::kGlobal, "a", "1"}, {VS::kSession, "b", "2"}}},
    {"SET @@GLOBAL.a = 1, @@b = 2", {{VS::kGlobal, "a", "1"}, {VS::kSession, "b", "2"}}},
    {"SET @@persist.a = 1", {{VS::kGlobal, "a", "1"}}},
    {"SET @X = 1, @`y` := 'a,b', @'z' = CONCAT('a', 'b')", {{VS::kUser, "x", "1"}, {VS::kUser, "y", "'a,b'"}, {VS::kUser, "z", "CONCAT('a', 'b')"}}},
    {"SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0", {{VS::kUser, "old_unique_checks", "@@UNIQUE_CHECKS"}, {VS::kSession, "unique_checks", "0"}}},
    {"SET NAMES utf8mb4", {{VS::kSession, "names", "utf8mb4"}}},
    {"SET NAMES 'utf8mb4' COLLATE 'utf8mb4_unicode_ci'", {{VS::kSession, "names", "'utf8mb4' COLLATE 'utf8mb4_unicode_ci'"}}},
    {"SET CHARACTER SET latin1", {{VS::kSession, "character_set", "latin1"}}},
    {"SET CHARSET utf8", {{VS::kSession, "character_set", "utf8"}}},
    {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", {{VS::kSession, "next_transaction", "ISOLATION LEVEL SERIALIZABLE"}}},
    {"SET SESSION TRANSACTION READ ONLY, ISOLATION LEVEL READ COMMITTED", {{VS::kSession, "transaction", "READ ONLY, ISOLATION LEVEL READ COMMITTED"}}},
    {"SET GLOBAL TRANSACTION READ WRITE", {{VS::kGlobal, "transaction", "READ WRITE"}}},
    {"SET time_zone = '+00:00'; SET @a = 1", {{VS::kSession, "time_zone", "'+00:00'"}, {VS::kUser, "a", "1"}}},
    {"SET x = (SELECT MAX(a) FROM t WHERE b IN (1, 2)), y = 2", {{VS::kSession, "x", "(SELECT MAX(a) FROM t WHERE b IN (1, 2))"}, {VS::kSession, "y", "2"}}},
    {"SET default.key_buffer_size = 1", {{VS::kSession, "default.key_buffer_size", "1"}}},
    {"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", {{VS::kUser, "old_character_set_client", "@@CHARACTER_SET_CLIENT"}}},
    {"SET x", {}},
    {"SET", {}},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Cases, SetTest, ::testing::ValuesIn(kSetCases));

TEST(Classify, Autocommit) {
  EXPECT_EQ(classify("SET autocommit=0").autocommit, false);
  EXPECT_EQ(classify("SET autocommit = 1").autocommit, true);
  EXPECT_EQ(classify("set AUTOCOMMIT=off").autocommit, false);
  EXPECT_EQ(classify("SET autocommit = 'ON'").autocommit, true);
  EXPECT_EQ(classify("SET @@autocommit = TRUE").autocommit, true);
  EXPECT_EQ(classify("SET SESSION autocommit = FALSE").autocommit, false);
  EXPECT_EQ(classify("SET autocommit = @x").autocommit, std::nullopt);
  EXPECT_EQ(classify("SET GLOBAL autocommit = 0").autocommit, std::nullopt);
  EXPECT_EQ(classify("SET @autocommit = 0").autocommit, std::nullopt);
  EXPECT_EQ(classify("SELECT 1").autocommit, std::nullopt);
}

// ---- hints ------------------------------------------------------------------------------------

TEST(Classify, StrategyHint) {
  EXPECT_EQ(classify("/* gatehouse:strategy=random */ SELECT 1").strategy_hint, "random");
  EXPECT_EQ(classify("SELECT 1 /*gatehouse:strategy=direct*/").strategy_hint, "direct");
  EXPECT_EQ(classify("SELECT 1 -- gatehouse:strategy=customized").strategy_hint, "customized");
  EXPECT_EQ(classify("SELECT 1 # gatehouse:strategy=random").strategy_hint, "random");
  EXPECT_EQ(classify("SELECT /*+ gatehouse:strategy=random */ 1").strategy_hint, "random");
  EXPECT_EQ(classify("SELECT 1").strategy_hint, std::nullopt);
  EXPECT_EQ(classify("SELECT '/* gatehouse:strategy=random */'").strategy_hint, std::nullopt);
  EXPECT_EQ(classify("/* other comment */ SELECT 1").strategy_hint, std::nullopt);
  auto info = classify("/* GATEHOUSE: node=2, strategy=customized */ SELECT 1");
  EXPECT_EQ(info.strategy_hint, "customized");
  EXPECT_EQ(info.hint("node"), "2");
  EXPECT_EQ(info.hint("missing"), std::nullopt);
  EXPECT_EQ(info.gatehouse_hints, "node=2, strategy=customized");
}

TEST(Hints, Parse) {
  EXPECT_EQ(parse_gatehouse_comment("/* gatehouse:a=b */"), "a=b");
  EXPECT_EQ(parse_gatehouse_comment("-- gatehouse:a=b"), "a=b");
  EXPECT_EQ(parse_gatehouse_comment("/* gatehouse: */"), std::nullopt);
  EXPECT_EQ(parse_gatehouse_comment("/* gatehous:a=b */"), std::nullopt);
  EXPECT_EQ(parse_gatehouse_comment("SELECT"), std::nullopt);
  EXPECT_EQ(find_hint("a=1,b=2", "b"), "2");
  EXPECT_EQ(find_hint("a=1 b=2", "B"), "2");
  EXPECT_EQ(find_hint("a=", "a"), "");
  EXPECT_EQ(find_hint("a", "a"), std::nullopt);
  EXPECT_EQ(find_hint("", "a"), std::nullopt);
}

// ---- Sakila: every statement of the real dump is one statement with a known class ----------

std::string read_sakila(const char* file) {
  std::filesystem::path dir = "/work/shared/data/sakila";
  if (const char* d = std::getenv("GATEHOUSE_SAKILA_DIR")) dir = d;
  if (const char* src = std::getenv("GATEHOUSE_SRC")) {
    auto p = std::filesystem::path(src).parent_path() / "shared" / "data" / "sakila";
    if (std::filesystem::exists(p)) dir = p;
  }
  std::ifstream in(dir / file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ClassifySakila, EveryStatementIsSingleAndKnown) {
  for (const char* file : {"sakila-schema.sql", "sakila-data.sql"}) {
    const std::string text = read_sakila(file);
    if (text.empty()) GTEST_SKIP() << "Sakila not found";
    size_t routines = 0;
    for (const std::string& stmt : split_script(text)) {
      StatementInfo info = classify(stmt);
      EXPECT_EQ(info.statement_count, 1u) << stmt.substr(0, 120);
      EXPECT_NE(info.statement_class, K::kOther) << stmt.substr(0, 120);
      EXPECT_NE(info.category, C::kAdmin) << stmt.substr(0, 120);
      if (stmt.starts_with("CREATE PROCEDURE") || stmt.starts_with("CREATE FUNCTION")) {
        ++routines;
        EXPECT_EQ(info.statement_class, K::kCreate);
        EXPECT_EQ(info.category, C::kDdl);
      }
    }
    if (std::string_view(file) == "sakila-schema.sql") {
      EXPECT_EQ(routines, 6u);
    }
  }
}

// ---- robustness and speed ---------------------------------------------------------------------

TEST(Classify, NamesAreStable) {
  EXPECT_EQ(statement_class_name(K::kOther), "other");
  EXPECT_EQ(statement_class_name(K::kEmpty), "empty");
  EXPECT_EQ(statement_class_name(K::kXa), "xa");
  EXPECT_EQ(statement_class_name(K::kAnalyzeOptimize), "analyze_optimize");
  EXPECT_EQ(statement_category_name(C::kSessionControl), "session_control");
}

TEST(Classify, HostileInputs) {
  const char* inputs[] = {"SELECT '",
                          "SELECT `",
                          "SET @",
                          "SET @@",
                          "SET GLOBAL",
                          "SET x =",
                          "CREATE",
                          "CREATE DEFINER",
                          "CREATE DEFINER=",
                          "EXPLAIN",
                          "WITH",
                          "WITH a AS (",
                          "PREPARE s FROM",
                          "(((((",
                          ")))))",
                          "END END END",
                          "CREATE PROCEDURE p() BEGIN BEGIN BEGIN",
                          "SET STATEMENT x=1",
                          "PREPARE a FROM 'PREPARE b FROM ''PREPARE c FROM ''''SELECT 1'''''''"};
  for (const char* s : inputs) {
    StatementInfo info = classify(s);
    EXPECT_LE(info.statement_count, 1u) << s;
  }
  std::string nul("SELECT \0 1", 10);
  EXPECT_EQ(classify(nul).statement_class, K::kSelect);
}

// Sanitizer and unoptimized builds are far slower: there the timing is printed, not asserted.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GH_SQL_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GH_SQL_TEST_SANITIZED 1
#endif
#endif
#if defined(NDEBUG) && !defined(GH_SQL_TEST_SANITIZED)
constexpr bool kTimingAsserted = true;
#else
constexpr bool kTimingAsserted = false;
#endif

TEST(Classify, Speed) {
  const std::string sql =
      "SELECT f.film_id, f.title, COUNT(r.rental_id) FROM film f JOIN inventory i USING (film_id) "
      "WHERE f.rating = 'PG' GROUP BY 1, 2";
  constexpr int kIters = 200000;
  size_t sink = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kIters; ++i) sink += classify(sql).read_only ? 1 : 0;
  auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  std::printf("classify(%zu-byte SELECT): %.0f ns\n", sql.size(), ns / kIters);
  EXPECT_EQ(sink, static_cast<size_t>(kIters));
  // Typically ~0.5 us; the bound is generous for loaded shared CI machines.
  if (kTimingAsserted) {
    EXPECT_LT(ns / kIters, 20000.0);
  }
}

}  // namespace
}  // namespace gh::sql
