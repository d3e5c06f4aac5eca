// Checks of `gatehouse up` that run before anything starts. A failure here is bad input (exit 2):
// a missing binary, an unwritable or too-long directory, a port in use, a missing Sakila folder.
// If the check had to create DIR it removes it again, so bad input leaves nothing behind.
//
// Owner: the cluster control plane (Foundation issue).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"
#include "cluster/file_util.h"

namespace gh::cluster {

struct UpPlan {
  std::string mariadbd;  // resolved absolute paths
  std::string install_db;
  std::vector<config::NodeSpec> to_start;  // nodes not running now
  std::vector<config::NodeSpec> running;   // nodes already running
  bool fresh = false;                      // no node of this cluster was ever bootstrapped
  std::optional<FileLock> lock;            // DIR/.gatehouse.lock, held while `up` runs
};

// Takes DIR's lock, or explains that another gatehouse command is working on DIR.
Outcome<FileLock> lock_cluster_dir(const ClusterContext& context);

// `configured` (may be empty), else `default_path` if executable, else the first of `names` on
// PATH; "" when none is found.
std::string find_program(const std::string& configured, const std::string& default_path,
                         const std::vector<std::string>& names);

// Whether a node's datadir is complete (install-db ran and its accounts were created).
bool node_bootstrapped(const NodeLayout& layout);

Outcome<UpPlan> preflight_up(ClusterContext& context);

}  // namespace gh::cluster
