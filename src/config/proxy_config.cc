// The [proxy] section: reading and rendering (see proxy_config.h).
#include "config/proxy_config.h"

#include <fmt/format.h>

#include <array>

#include "config/config.h"

namespace gh::config {

void read_proxy_section(TomlReader& reader, Config& config) {
  ProxyConfig& p = config.proxy;
  TomlSection s = reader.section("proxy");
  static constexpr std::array<std::string_view, 3> kStrategies = {"direct", "random", "customized"};
  s.read("enabled", p.enabled);
  s.read("port", p.port, 0, 65535);
  s.read("threads", p.threads, 1, 64);
  s.read_choice("default_strategy", p.default_strategy, kStrategies);
  s.read("max_connections_per_node", p.max_connections_per_node, 1, 10000);
  s.read("pipeline_depth", p.pipeline_depth, 1, 64);
  s.read("max_queue_length", p.max_queue_length, 0, 1000000);
  s.read("max_queue_wait_ms", p.max_queue_wait_ms, 1, 3600000);
  s.read("connect_timeout_ms", p.connect_timeout_ms, 10, 600000);
  s.read("health_interval_ms", p.health_interval_ms, 50, 600000);
  s.read("fail_threshold", p.fail_threshold, 1, 1000);
  s.read("max_replication_lag_s", p.max_replication_lag_s, 0, 86400);
  s.read("reads_fall_back_to_source", p.reads_fall_back_to_source);
  s.read("exploration_percent", p.exploration_percent, 0, 100);
  s.read("cache_metadata", p.cache_metadata);
  s.read("allowed_upstreams", p.allowed_upstreams);
  s.read("users", p.users);
  s.finish();
}

std::string render_proxy_section(const Config& config) {
  const ProxyConfig& p = config.proxy;
  std::string users;
  for (const auto& u : p.users) users += fmt::format("{}\"{}\"", users.empty() ? "" : ", ", u);
  std::string upstreams;
  for (const auto& u : p.allowed_upstreams)
    upstreams += fmt::format("{}\"{}\"", upstreams.empty() ? "" : ", ", u);
  return fmt::format(R"(
# The MySQL-protocol proxy: routes writes to the source and reads by strategy.
[proxy]
enabled = {}
port = {}                      # 0: cluster.base_port + 20
threads = {}                   # worker threads (each has its own backend pools)
default_strategy = "{}"      # direct | random | customized
max_connections_per_node = {}  # backend connections per node and worker
pipeline_depth = {}            # reads in flight per backend connection when all are busy; 1: off
max_queue_length = {}         # statements waiting for a busy node; beyond: ERR queue_full
max_queue_wait_ms = {}        # longest wait for a connection; beyond: ERR queue_timeout
connect_timeout_ms = {}
health_interval_ms = {}        # probe every node this often
fail_threshold = {}              # consecutive failed probes before a node is down
max_replication_lag_s = {}       # replicas lagging more are shunned for reads
reads_fall_back_to_source = {}
exploration_percent = {}         # customized: share of reads that probe the other replicas
cache_metadata = {}           # offer MariaDB's prepared-statement metadata caching (MariaDB >= 10.6 nodes)
allowed_upstreams = [{}]         # client addresses allowed to connect; empty: any
users = [{}]                     # extra users "name:SHA1SHA1HEX[:strategy]"
)",
                     p.enabled, p.port, p.threads, p.default_strategy, p.max_connections_per_node,
                     p.pipeline_depth, p.max_queue_length, p.max_queue_wait_ms,
                     p.connect_timeout_ms, p.health_interval_ms, p.fail_threshold,
                     p.max_replication_lag_s, p.reads_fall_back_to_source, p.exploration_percent,
                     p.cache_metadata, upstreams, users);
}

}  // namespace gh::config
