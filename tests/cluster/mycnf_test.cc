// Tests of the generated my.cnf and the mariadb-install-db options.
#include <gtest/gtest.h>

#include "cluster/cluster_up.h"
#include "cluster/layout.h"
#include "cluster/mycnf.h"
#include "config/config.h"

namespace gh::cluster {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text + "\n").find("\n" + line + "\n") != std::string::npos;
}

class MyCnf : public ::testing::Test {
 protected:
  config::ClusterConfig cluster;
  ClusterLayout layout{"/srv/gh"};
  const ReplicationDialect& dialect = dialect_for("mariadb");
  std::string render(size_t index, bool root = false) {
    auto nodes = cluster.nodes();
    return render_my_cnf(cluster, nodes.at(index), layout.node(nodes.at(index).name), dialect,
                         root);
  }
};

TEST_F(MyCnf, SourceHasItsOwnPathsPortAndServerId) {
  std::string cnf = render(0);
  EXPECT_TRUE(cnf.find("[mariadbd]\n") != std::string::npos);
  EXPECT_TRUE(has_line(cnf, "datadir=/srv/gh/nodes/source/data"));
  EXPECT_TRUE(has_line(cnf, "socket=/srv/gh/nodes/source/mariadbd.sock"));
  EXPECT_TRUE(has_line(cnf, "pid-file=/srv/gh/nodes/source/mariadbd.pid"));
  EXPECT_TRUE(has_line(cnf, "log-error=/srv/gh/nodes/source/error.log"));
  EXPECT_TRUE(has_line(cnf, "tmpdir=/srv/gh/nodes/source/tmp"));
  EXPECT_TRUE(has_line(cnf, "port=3307"));
  EXPECT_TRUE(has_line(cnf, "bind-address=127.0.0.1"));
  EXPECT_TRUE(has_line(cnf, "server_id=1"));
  EXPECT_TRUE(has_line(cnf, "read_only=0"));
  EXPECT_TRUE(has_line(cnf, "log_bin=binlog"));
  EXPECT_TRUE(has_line(cnf, "binlog_format=ROW"));
  EXPECT_TRUE(has_line(cnf, "gtid_strict_mode=1"));
  EXPECT_TRUE(has_line(cnf, "log_slave_updates=1"));
  EXPECT_TRUE(has_line(cnf, "log_bin_trust_function_creators=1"));
  EXPECT_TRUE(has_line(cnf, "skip-name-resolve"));
  EXPECT_TRUE(has_line(cnf, "performance_schema=OFF"));
  EXPECT_TRUE(has_line(cnf, "innodb_buffer_pool_size=64M"));
  EXPECT_TRUE(has_line(cnf, "max_connections=500"));
  EXPECT_TRUE(has_line(cnf, "innodb_flush_log_at_trx_commit=2"));
  EXPECT_TRUE(has_line(cnf, "sync_binlog=0"));
  EXPECT_TRUE(has_line(cnf, "rpl_semi_sync_master_enabled=OFF"));
  EXPECT_FALSE(has_line(cnf, "user=root"));
}

TEST_F(MyCnf, ReplicasAreReadOnlyWithDistinctIdsAndPorts) {
  cluster.base_port = 4000;
  cluster.replicas = 2;
  std::string r2 = render(2);
  EXPECT_TRUE(has_line(r2, "datadir=/srv/gh/nodes/replica2/data"));
  EXPECT_TRUE(has_line(r2, "port=4002"));
  EXPECT_TRUE(has_line(r2, "server_id=3"));
  EXPECT_TRUE(has_line(r2, "read_only=1"));
}

TEST_F(MyCnf, SemiSyncDurabilityRootAndExtra) {
  cluster.replication.semi_sync = true;
  cluster.mariadb.durability = "durable";
  cluster.mariadb.extra = {"slow_query_log=1"};
  std::string source = render(0, /*root=*/true);
  std::string replica = render(1, true);
  EXPECT_TRUE(has_line(source, "user=root"));
  EXPECT_TRUE(has_line(source, "rpl_semi_sync_master_enabled=ON"));
  EXPECT_TRUE(has_line(source, "rpl_semi_sync_slave_enabled=OFF"));
  EXPECT_TRUE(has_line(replica, "rpl_semi_sync_master_enabled=OFF"));
  EXPECT_TRUE(has_line(replica, "rpl_semi_sync_slave_enabled=ON"));
  EXPECT_TRUE(has_line(source, "innodb_flush_log_at_trx_commit=1"));
  EXPECT_TRUE(has_line(source, "sync_binlog=1"));
  EXPECT_TRUE(has_line(source, "slow_query_log=1"));
}

TEST_F(MyCnf, InstallDbOptionsAndNodeArgv) {
  auto node = layout.node("replica1");
  auto options = install_db_options(cluster, node, true);
  ASSERT_FALSE(options.empty());
  EXPECT_EQ(options.front(), "--no-defaults");
  auto has = [&](const std::string& o) {
    return std::find(options.begin(), options.end(), o) != options.end();
  };
  EXPECT_TRUE(has("--datadir=/srv/gh/nodes/replica1/data"));
  EXPECT_TRUE(has("--skip-test-db"));
  EXPECT_TRUE(has("--user=root"));
  EXPECT_FALSE(has_line(install_db_options(cluster, node, false).back(), "--user=root"));

  auto argv = node_argv("/usr/sbin/mariadbd", node, true);
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[1], "--defaults-file=/srv/gh/nodes/replica1/my.cnf");  // must come first
  EXPECT_EQ(argv[2], "--init-file=/srv/gh/nodes/replica1/init.sql");
  EXPECT_EQ(node_argv("/x", node, false).size(), 2u);
}

}  // namespace
}  // namespace gh::cluster
