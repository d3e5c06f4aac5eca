// The my.cnf each node runs with (DIR/nodes/<name>/my.cnf), generated from the config on every
// `up` so that config changes apply at the next start.
//
// Owner: the cluster control plane (Foundation issue). Replication-specific lines come from the
// ReplicationDialect; everything else (paths, port, memory, durability) is here.
#pragma once

#include <string>

#include "cluster/layout.h"
#include "cluster/replication_dialect.h"
#include "config/cluster_config.h"

namespace gh::cluster {

// `run_as_root`: mariadbd refuses to run as root unless the file says user=root.
std::string render_my_cnf(const config::ClusterConfig& cluster, const config::NodeSpec& node,
                          const NodeLayout& layout, const ReplicationDialect& dialect,
                          bool run_as_root);

// Options mariadb-install-db needs to create a datadir this my.cnf can open.
std::vector<std::string> install_db_options(const config::ClusterConfig& cluster,
                                            const NodeLayout& layout, bool run_as_root);

}  // namespace gh::cluster
