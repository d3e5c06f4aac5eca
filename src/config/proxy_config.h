// The [proxy] section of gatehouse.toml: where the proxy listens, how it routes, pools, queues
// and health-checks. Owner: the proxy role. Backend and client passwords are not here: they
// live in the credentials file written by `gatehouse up`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/toml_reader.h"

namespace gh::config {

struct Config;

struct ProxyConfig {
  bool enabled = true;  // `gatehouse up` starts it
  int port = 0;         // 0: cluster.base_port + 20
  int threads = 2;
  std::string default_strategy = "random";
  int max_connections_per_node = 64;  // per worker thread
  int pipeline_depth = 1;             // statements in flight per backend connection
  int max_queue_length = 1024;
  int max_queue_wait_ms = 2000;
  int connect_timeout_ms = 2000;
  int health_interval_ms = 500;
  int fail_threshold = 3;
  int max_replication_lag_s = 5;
  bool reads_fall_back_to_source = true;
  int exploration_percent = 5;  // customized: share of reads sent to a non-fastest replica
  // Offer MariaDB's metadata caching (MARIADB_CLIENT_CACHE_METADATA) to clients. Needs MariaDB
  // >= 10.6 nodes; set false in front of MySQL servers.
  bool cache_metadata = true;
  // Accept clients only from these addresses (e.g. the gatekeeper's); empty: anyone.
  std::vector<std::string> allowed_upstreams;
  // Extra client users "name:HASH[:strategy]" with HASH = 40 hex digits of SHA1(SHA1(pw))
  // (what MySQL's PASSWORD() shows without the '*'). The credentials file adds [proxy_client].
  std::vector<std::string> users;

  int effective_port(int base_port) const { return port ? port : base_port + 20; }
};

void read_proxy_section(TomlReader& reader, Config& config);
std::string render_proxy_section(const Config& config);

}  // namespace gh::config
