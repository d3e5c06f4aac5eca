// StatementPlan: which statements may leave the source, which carry session state, which pin.
#include "proxy/statement_plan.h"

#include <gtest/gtest.h>

namespace gh::proxy {
namespace {

struct Case {
  const char* sql;
  bool read_only;
  bool pin_session;
};

TEST(StatementPlan, ReadsWritesAndPins) {
  const Case cases[] = {
      {"SELECT * FROM film WHERE film_id = 1", true, false},
      {"select c from sbtest1 where id=5", true, false},
      {"SHOW TABLES", true, false},
      {"SELECT * FROM film FOR UPDATE", false, false},
      {"SELECT * FROM film LOCK IN SHARE MODE", false, false},
      {"INSERT INTO t VALUES (1)", false, false},
      {"UPDATE t SET a = 1", false, false},
      {"BEGIN", false, false},
      {"SET @x := 5", false, true},
      {"SELECT @x := 5", false, true},
      {"CREATE TEMPORARY TABLE tmp (a INT)", false, true},
      {"SELECT GET_LOCK('a', 1)", false, true},
      {"SELECT LAST_INSERT_ID()", false, false},
      {"PREPARE s FROM 'SELECT 1'", false, true},
  };
  for (const auto& c : cases) {
    StatementPlan p = plan_statement(c.sql);
    EXPECT_EQ(p.read_only, c.read_only) << c.sql;
    EXPECT_EQ(p.pin_session, c.pin_session) << c.sql;
  }
}

TEST(StatementPlan, SessionStateFollowsTheSession) {
  auto use = plan_statement("USE sakila");
  ASSERT_TRUE(use.use_schema.has_value());
  EXPECT_EQ(*use.use_schema, "sakila");
  auto names = plan_statement("SET NAMES utf8mb4");
  ASSERT_EQ(names.session_sets.size(), 1u);
  EXPECT_EQ(names.session_sets[0].second, "SET NAMES utf8mb4");
  auto ac = plan_statement("SET autocommit = 0");
  ASSERT_TRUE(ac.autocommit.has_value());
  EXPECT_FALSE(*ac.autocommit);
  EXPECT_TRUE(ac.session_sets.empty());  // autocommit=0 pins instead of replaying
  EXPECT_TRUE(plan_statement("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE").pin_next);
  EXPECT_TRUE(plan_statement("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1").pin_next);
}

TEST(StatementPlan, HintsAndIntercepts) {
  auto hinted = plan_statement("/* gatehouse:strategy=customized */ SELECT 1");
  ASSERT_TRUE(hinted.hint.has_value());
  EXPECT_EQ(*hinted.hint, Strategy::kCustomized);
  auto set = plan_statement("SET @gatehouse_strategy = 'direct'");
  EXPECT_EQ(set.intercept, Intercept::kSetStrategy);
  EXPECT_EQ(set.intercept_value, "direct");
  EXPECT_EQ(plan_statement("select @gatehouse_last_node;").intercept, Intercept::kShowLastNode);
  EXPECT_EQ(plan_statement("SELECT @gatehouse_strategy").intercept, Intercept::kShowStrategy);
  EXPECT_EQ(plan_statement("SELECT @other").intercept, Intercept::kNone);
  auto aliased = plan_statement("SELECT @gatehouse_last_node AS served_by");
  EXPECT_EQ(aliased.intercept, Intercept::kShowLastNode);
  EXPECT_EQ(aliased.intercept_value, "served_by");
  EXPECT_EQ(plan_statement("select @gatehouse_last_node node").intercept_value, "node");
  EXPECT_EQ(plan_statement("SELECT @gatehouse_last_node").intercept_value, "@gatehouse_last_node");
  EXPECT_EQ(plan_statement("SELECT @gatehouse_last_node, 1").intercept, Intercept::kNone);
}

TEST(StatementPlan, MultiStatementsNeverLeaveTheSource) {
  auto p = plan_statement("SELECT 1; SELECT 2");
  EXPECT_TRUE(p.multi_statement);
  EXPECT_FALSE(plan_statement("SELECT 1; UPDATE t SET a=1").read_only);
}

}  // namespace
}  // namespace gh::proxy
