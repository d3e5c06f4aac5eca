// `gatehouse up`: bootstrap, start, wire replication, load data, wait for catch-up. Idempotent:
// running nodes are left alone, dead ones restart on their data, fresh ones are bootstrapped.
//
// Owner: the cluster control plane (Foundation issue). The steps, in order:
//   1. credentials.toml (generated once) and DIR/gatehouse.toml (written once);
//   2. per node to start: my.cnf; if never bootstrapped, mariadb-install-db (nodes in parallel)
//      and an init file that creates the accounts with binlog off (deleted once it has run);
//   3. spawn every node detached into the process table, wait until gh_admin can log in; if one
//      fails, stop the nodes this run started and show the tail of its error log;
//   4. point every replica at the source (GTID, slave_pos) unless it already is, start threads;
//   5. load the data set into a source without a `sakila` database (demo or real Sakila);
//   6. wait until every replica applied the source's GTID position (MASTER_GTID_WAIT).
#pragma once

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"
#include "cluster/preflight.h"

namespace gh::cluster {

// Runs `up` after preflight_up() said yes. Errors here are runtime failures (exit 1).
Done cluster_up(ClusterContext& context, const UpPlan& plan, const Progress& say);

// mariadbd's command line for a node: --defaults-file first, then --init-file when given.
std::vector<std::string> node_argv(const std::string& mariadbd, const NodeLayout& layout,
                                   bool with_init_file);

}  // namespace gh::cluster
