// The cluster's part of the configuration: [cluster], [mariadb], [replication], [users], [data].
//
// Owner: the cluster control plane (Foundation issue). Defaults live in the member initialisers
// below; the commented default file is rendered by render_cluster_sections(). The node list is
// derived: `source` on base_port, `replica<i>` on base_port + i, server_id = 1 + index.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gh::config {

class TomlReader;

inline constexpr int kMinPort = 1024;
inline constexpr int kMaxPort = 65535;
inline constexpr int kMaxReplicas = 16;

enum class NodeRole { kSource, kReplica };
std::string_view role_name(NodeRole role);  // "source" | "replica"

struct NodeSpec {
  std::string name;  // "source", "replica1", ...
  NodeRole role = NodeRole::kSource;
  uint16_t port = 0;
  uint32_t server_id = 0;
};

// [mariadb]: options of every mariadbd's generated my.cnf.
struct MariadbOptions {
  std::string innodb_buffer_pool_size = "64M";
  std::string innodb_log_file_size = "16M";
  int max_connections = 500;
  bool performance_schema = false;
  // "relaxed": innodb_flush_log_at_trx_commit=2, sync_binlog=0 (fast, fine on one machine).
  // "durable": innodb_flush_log_at_trx_commit=1, sync_binlog=1.
  std::string durability = "relaxed";
  std::vector<std::string> extra;  // extra my.cnf lines, "key=value"
};

// [replication]
struct ReplicationOptions {
  std::string dialect = "mariadb";  // only MariaDB for now; MySQL 8 is a TODO
  std::string binlog_format = "ROW";
  bool semi_sync = false;
  int semi_sync_timeout_ms = 10000;  // source falls back to async after this long without ack
  int catchup_timeout_s = 60;        // `up` waits this long for replicas to apply the source
};

// [users]: account names; passwords are generated into DIR/credentials.toml.
struct UserNames {
  std::string admin = "gh_admin";          // ALL WITH GRANT OPTION: the control plane
  std::string repl = "gh_repl";            // REPLICATION SLAVE
  std::string app = "gh_app";              // DML/DDL: the proxy's backend user
  std::string monitor = "gh_monitor";      // health checks
  std::string proxy_client = "gh_client";  // clients of the proxy (not a MariaDB account)
};

// [data]: the data set `up` loads into a fresh cluster.
struct DataOptions {
  bool demo = true;        // load the generated Sakila-shaped demo data set
  std::string sakila_dir;  // non-empty: load DIR/sakila-schema.sql + sakila-data.sql instead
  int seed = 20060215;     // PRNG seed of the demo data set: same seed, same rows
};

// [cluster]
struct ClusterConfig {
  std::string name = "gatehouse";
  std::filesystem::path dir = "run";  // absolute after loading
  std::string mariadbd;               // empty: /usr/sbin/mariadbd, then PATH
  std::string install_db;             // empty: /usr/bin/mariadb-install-db, then PATH
  std::string host = "127.0.0.1";     // address every node binds to and clients use
  int base_port = 3307;
  int replicas = 2;
  int startup_timeout_s = 60;
  int stop_timeout_s = 60;

  MariadbOptions mariadb;
  ReplicationOptions replication;
  UserNames users;
  DataOptions data;

  std::vector<NodeSpec> nodes() const;
};

// `path` normalised, without a trailing separator ("/a/b/." -> "/a/b").
std::filesystem::path clean_path(const std::filesystem::path& path);

// Readers of the sections above; `base_dir` resolves a relative `dir` (the config file's folder).
void read_cluster_sections(TomlReader& reader, ClusterConfig& cluster,
                           const std::filesystem::path& base_dir);
// Cross-field checks; returns "" or a message (without location).
std::string validate_ports(const ClusterConfig& cluster);
// The sections as TOML text with comments; `dir_value` is what to write for cluster.dir.
std::string render_cluster_sections(const ClusterConfig& cluster, std::string_view dir_value);

}  // namespace gh::config
