// Blocking SQL helpers bench uses around its phases (not on the measured path): running a
// statement through the proxy or on a node, and waiting until every replica has applied the
// source's GTID position (so read phases find the rows the write phase inserted).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bench/cluster_info.h"
#include "client/sync_connection.h"

namespace gh::bench {

// Runs statements in order on HOST:PORT as `login`; the message names the failing statement.
std::expected<client::QueryResult, std::string> run_sql(const HostPort& at, const Login& login,
                                                        const std::vector<std::string>& sql);
// Waits (up to `timeout`) until each replica's gtid_slave_pos includes the source's
// gtid_binlog_pos (MASTER_GTID_WAIT, as the admin account).
std::expected<void, std::string> wait_for_replicas(const ClusterInfo& info,
                                                   std::chrono::seconds timeout);

}  // namespace gh::bench
