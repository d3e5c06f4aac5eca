// `gatehouse status`: what every node is doing, as a table for people or JSON for scripts.
//
// Owner: the cluster control plane (Foundation issue). The JSON is a stable interface:
//   {"cluster": "gatehouse", "dir": "/abs", "healthy": true,
//    "nodes": [{"name": "replica1", "role": "replica", "host": "127.0.0.1", "port": 3308,
//               "healthy": true, "state": "up", "pid": 812, "gtid_position": "0-1-57",
//               "io_running": true, "sql_running": true, "io_state": "Yes",
//               "seconds_behind": 0, "last_error": ""}, ...],
//    "endpoints": {"source": "127.0.0.1:3307", "replica1": "127.0.0.1:3308", ...},
//    "credentials_file": "/abs/credentials.toml"}
// state: "up" (answers SQL), "down" (no process), "unreachable" (process alive, SQL login fails).
// For the source, io_running/sql_running/io_state/seconds_behind are null; gtid_position is null
// when the node cannot be asked. Fields may be added, never renamed or removed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster.h"
#include "cluster/credentials.h"
#include "cluster/roles.h"

namespace gh::cluster {

struct NodeStatus {
  config::NodeSpec node;
  std::string host;
  std::optional<pid_t> pid;
  std::string state = "down";
  std::optional<std::string> gtid_position;
  std::optional<ReplicaStatus> replica;  // replicas that answered SHOW SLAVE STATUS
  std::string error;                     // why it is unhealthy, or the last replication error
  bool healthy = false;
};

struct ClusterStatus {
  std::string cluster;
  std::filesystem::path dir;
  std::vector<NodeStatus> nodes;
  config::Endpoints endpoints;
  std::filesystem::path credentials_file;
  std::vector<RoleStatus> roles;  // proxy, ... (see roles.h)
  bool healthy() const;
};

// Asks every node (as the monitor account). Never fails: problems end up in the node's status.
ClusterStatus collect_status(ClusterContext& context, const Credentials& credentials);

std::string status_json(const ClusterStatus& status);
std::string status_table(const ClusterStatus& status);

}  // namespace gh::cluster
