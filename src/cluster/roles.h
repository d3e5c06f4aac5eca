// Roles: the gatehouse processes that run beside the nodes: the proxy, the trusted host (when
// enabled) and the gatekeeper, started in that order (each one's upstream first). `up` starts the
// enabled ones through the process table once the nodes are ready; `down` stops them with
// everything else; `status` reports them with their counters.
//
// Owner: the control plane. Each role is `gatehouse <role> --dir DIR`, logging to DIR/<role>.log.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"

namespace gh::cluster {

struct RoleStatus {
  std::string name;     // "proxy"
  std::string address;  // "127.0.0.1:3327"
  bool running = false;
  std::optional<pid_t> pid;
  std::string counters_json;  // the role's latest counters snapshot ("" when none)
};

// Starts every enabled role that is not running and waits until it listens.
Done ensure_roles(ClusterContext& context, const Progress& say);
std::vector<RoleStatus> role_status(ClusterContext& context);
// Files the roles write in DIR (logs, counter snapshots), for `down --purge`.
std::vector<std::filesystem::path> role_files(const ClusterLayout& layout);

}  // namespace gh::cluster
