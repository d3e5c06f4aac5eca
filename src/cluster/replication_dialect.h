// Every server-flavour-specific piece of SQL and my.cnf the control plane uses, in one place.
//
// Owner: the cluster control plane (Foundation issue). MariaDB 10.11 is implemented. MySQL 8 is a
// TODO with different syntax almost everywhere: GTIDs are server_uuid:N sets (gtid_mode=ON,
// enforce_gtid_consistency=ON, @@gtid_executed, WAIT_FOR_EXECUTED_GTID_SET), replication is
// CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1 / START REPLICA / SHOW REPLICA STATUS
// (Replica_IO_Running, Seconds_Behind_Source), semi-sync is a plugin (rpl_semi_sync_source), and
// accounts need `IDENTIFIED WITH mysql_native_password` (or caching_sha2_password over TLS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/sync_connection.h"
#include "cluster/credentials.h"
#include "config/cluster_config.h"

namespace gh::cluster {

// Host parts of every account: TCP from 127.0.0.1 and the unix socket ('localhost' under
// skip-name-resolve matches socket connections only).
inline constexpr std::string_view kAccountHosts[] = {"127.0.0.1", "localhost"};

// What SHOW SLAVE STATUS (SHOW REPLICA STATUS) says about one replica.
struct ReplicaStatus {
  bool configured = false;  // a replication source is set
  std::string source_host;
  int source_port = 0;
  std::string source_user;
  std::string io_state;   // "Yes", "No", "Connecting"
  std::string sql_state;  // "Yes", "No"
  std::optional<int64_t> seconds_behind;
  std::string last_io_error;
  std::string last_sql_error;
  bool io_running() const { return io_state == "Yes"; }
  bool sql_running() const { return sql_state == "Yes"; }
  // The IO error, else the SQL error, else "".
  std::string last_error() const;
};

struct SourceAddress {
  std::string host;
  uint16_t port = 0;
};

class ReplicationDialect {
 public:
  virtual ~ReplicationDialect() = default;
  virtual std::string_view name() const = 0;

  // my.cnf lines for binary logging, GTIDs, read-only replicas and semi-sync.
  virtual std::vector<std::string> server_options(
      const config::NodeSpec& node, const config::ReplicationOptions& options) const = 0;
  // Statements that create every account with its privileges (run with binlog off).
  virtual std::vector<std::string> account_statements(const Credentials& credentials) const = 0;
  // Turns binary logging off for this session (account setup must not create GTIDs).
  virtual std::string session_binlog_off() const = 0;

  // Points a (stopped or unconfigured) replica at the source and starts replicating.
  virtual std::vector<std::string> configure_replica(const SourceAddress& source,
                                                     const Credential& repl) const = 0;
  virtual std::string start_replica() const = 0;
  virtual std::string stop_replica() const = 0;
  virtual std::string replica_status_query() const = 0;
  virtual ReplicaStatus parse_replica_status(const client::QueryResult& result) const = 0;

  // A query returning one row, one column `pos`: the node's applied GTID position.
  virtual std::string position_query(config::NodeRole role) const = 0;
  // A query returning one row, column `reached`: "0" once `position` is applied (or timeout).
  virtual std::string wait_for_position(std::string_view position, int timeout_s) const = 0;

  // Runtime switch of semi-sync on a running node (matching server_options()).
  virtual std::vector<std::string> semi_sync_runtime(
      config::NodeRole role, const config::ReplicationOptions& options) const = 0;
};

// The dialect named in [replication] dialect ("mariadb").
const ReplicationDialect& dialect_for(std::string_view name);

// Escapes a string for a single-quoted SQL literal.
std::string sql_quote(std::string_view value);

}  // namespace gh::cluster
