// Tests of the MariaDB replication dialect and of the status JSON built from its results.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "cluster/cluster_status.h"
#include "cluster/replication_dialect.h"

namespace gh::cluster {
namespace {

const ReplicationDialect& mariadb() { return dialect_for("mariadb"); }

client::QueryResult slave_status(std::string io, std::string sql, std::optional<std::string> behind,
                                 std::string io_error = "") {
  client::QueryResult r;
  r.columns = {"Slave_IO_State", "Master_Host",      "Master_User",
               "Master_Port",    "Slave_IO_Running", "Slave_SQL_Running",
               "Last_IO_Error",  "Last_SQL_Error",   "Seconds_Behind_Master"};
  r.rows.push_back(
      {"Waiting for master", "127.0.0.1", "gh_repl", "3307", io, sql, io_error, "", behind});
  return r;
}

TEST(MariaDbDialect, AccountsOnBothHostsWithTheirGrants) {
  Credentials c = generate_credentials({});
  auto statements = mariadb().account_statements(c);
  ASSERT_EQ(statements.size(), 16u);  // 4 accounts x 2 hosts x (create + grant)
  std::string all;
  for (const auto& s : statements) all += s + ";\n";
  EXPECT_NE(all.find("CREATE OR REPLACE USER 'gh_admin'@'127.0.0.1' IDENTIFIED BY '" +
                     c.admin.password + "'"),
            std::string::npos);
  EXPECT_NE(all.find("CREATE OR REPLACE USER 'gh_admin'@'localhost'"), std::string::npos);
  EXPECT_NE(all.find("GRANT ALL PRIVILEGES ON *.* TO 'gh_admin'@'127.0.0.1' WITH GRANT OPTION"),
            std::string::npos);
  EXPECT_NE(all.find("GRANT REPLICATION SLAVE ON *.* TO 'gh_repl'@'127.0.0.1';"),
            std::string::npos);
  EXPECT_NE(all.find("GRANT SLAVE MONITOR, REPLICATION CLIENT, PROCESS ON *.* TO 'gh_monitor'"),
            std::string::npos);
  EXPECT_NE(all.find("CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE"), std::string::npos);
  EXPECT_EQ(all.find("gh_client"), std::string::npos);  // not a MariaDB account
  EXPECT_EQ(mariadb().session_binlog_off(), "SET sql_log_bin=0");
}

TEST(MariaDbDialect, ReplicaConfiguration) {
  auto sql = mariadb().configure_replica({"127.0.0.1", 3307}, {"gh_repl", "pw'x"});
  ASSERT_EQ(sql.size(), 2u);
  EXPECT_EQ(sql[0],
            "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3307, MASTER_USER='gh_repl', "
            "MASTER_PASSWORD='pw\\'x', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
  EXPECT_EQ(sql[1], "START SLAVE");
  EXPECT_EQ(mariadb().position_query(config::NodeRole::kSource),
            "SELECT @@GLOBAL.gtid_binlog_pos AS pos");
  EXPECT_EQ(mariadb().position_query(config::NodeRole::kReplica),
            "SELECT @@GLOBAL.gtid_slave_pos AS pos");
  EXPECT_EQ(mariadb().wait_for_position("0-1-42", 30),
            "SELECT MASTER_GTID_WAIT('0-1-42', 30) AS reached");
}

TEST(MariaDbDialect, ParsesSlaveStatus) {
  ReplicaStatus s = mariadb().parse_replica_status(slave_status("Yes", "Yes", "0"));
  EXPECT_TRUE(s.configured);
  EXPECT_EQ(s.source_port, 3307);
  EXPECT_EQ(s.source_user, "gh_repl");
  EXPECT_TRUE(s.io_running());
  EXPECT_TRUE(s.sql_running());
  EXPECT_EQ(s.seconds_behind, 0);
  EXPECT_EQ(s.last_error(), "");

  s = mariadb().parse_replica_status(slave_status("Connecting", "Yes", std::nullopt, "refused"));
  EXPECT_FALSE(s.io_running());
  EXPECT_FALSE(s.seconds_behind.has_value());
  EXPECT_EQ(s.last_error(), "refused");

  EXPECT_FALSE(mariadb().parse_replica_status(client::QueryResult{}).configured);
}

TEST(MariaDbDialect, ServerOptionsPerRole) {
  config::ReplicationOptions o;
  o.semi_sync = true;
  auto source = mariadb().server_options({"source", config::NodeRole::kSource, 3307, 1}, o);
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  EXPECT_TRUE(has(source, "server_id=1"));
  EXPECT_TRUE(has(source, "rpl_semi_sync_master_enabled=ON"));
  auto replica = mariadb().server_options({"replica1", config::NodeRole::kReplica, 3308, 2}, o);
  EXPECT_TRUE(has(replica, "read_only=1"));
  EXPECT_TRUE(has(replica, "rpl_semi_sync_slave_enabled=ON"));
}

TEST(SqlQuote, Escapes) {
  EXPECT_EQ(sql_quote("a'b\\c"), "'a\\'b\\\\c'");
  EXPECT_EQ(sql_quote(""), "''");
}

TEST(StatusJson, StableShape) {
  ClusterStatus status;
  status.cluster = "gatehouse";
  status.dir = "/srv/gh";
  status.credentials_file = "/srv/gh/credentials.toml";
  status.endpoints = {{"source", "127.0.0.1:3307"}, {"replica1", "127.0.0.1:3308"}};
  NodeStatus source;
  source.node = {"source", config::NodeRole::kSource, 3307, 1};
  source.host = "127.0.0.1";
  source.state = "up";
  source.pid = 42;
  source.gtid_position = "0-1-5";
  source.healthy = true;
  NodeStatus replica;
  replica.node = {"replica1", config::NodeRole::kReplica, 3308, 2};
  replica.host = "127.0.0.1";
  replica.state = "down";
  replica.error = "not running";
  status.nodes = {source, replica};

  auto root = boost::json::parse(status_json(status)).as_object();
  EXPECT_EQ(root.at("cluster").as_string(), "gatehouse");
  EXPECT_FALSE(root.at("healthy").as_bool());
  EXPECT_EQ(root.at("credentials_file").as_string(), "/srv/gh/credentials.toml");
  EXPECT_EQ(root.at("endpoints").at("replica1").as_string(), "127.0.0.1:3308");
  const auto& nodes = root.at("nodes").as_array();
  ASSERT_EQ(nodes.size(), 2u);
  const auto& s = nodes[0].as_object();
  for (const char* key : {"name", "role", "host", "port", "healthy", "state", "gtid_position",
                          "io_running", "sql_running", "seconds_behind", "last_error"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  EXPECT_EQ(s.at("role").as_string(), "source");
  EXPECT_EQ(s.at("port").as_int64(), 3307);
  EXPECT_TRUE(s.at("io_running").is_null());
  EXPECT_EQ(s.at("gtid_position").as_string(), "0-1-5");
  const auto& r = nodes[1].as_object();
  EXPECT_EQ(r.at("state").as_string(), "down");
  EXPECT_FALSE(r.at("healthy").as_bool());
  EXPECT_FALSE(r.at("io_running").as_bool());
  EXPECT_TRUE(r.at("gtid_position").is_null());
  EXPECT_EQ(r.at("last_error").as_string(), "not running");

  std::string table = status_table(status);
  EXPECT_NE(table.find("UNHEALTHY"), std::string::npos);
  EXPECT_NE(table.find("replica1"), std::string::npos);
}

}  // namespace
}  // namespace gh::cluster
