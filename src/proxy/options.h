// ProxyOptions: everything the proxy role needs at run time, filled from the [proxy] section of
// the TOML config plus the cluster's node list and the credentials file (see config/).
// Plain data; the proxy never reads files after start-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gh::proxy {

enum class Strategy : uint8_t { kDirect = 0, kRandom = 1, kCustomized = 2 };
inline constexpr int kStrategyCount = 3;

std::string_view strategy_name(Strategy s);
// Parses "direct" | "random" | "customized"; false if unknown.
bool parse_strategy(std::string_view text, Strategy& out);

enum class NodeRole : uint8_t { kSource, kReplica };

struct NodeOptions {
  std::string name;  // "source", "replica1", ...
  NodeRole role = NodeRole::kReplica;
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};

struct ProxyUser {
  std::string name;
  std::string password_hash;  // SHA1(SHA1(password)), 20 raw bytes; empty: no password
  Strategy default_strategy = Strategy::kRandom;
};

struct ProxyOptions {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 3327;
  int threads = 2;
  std::vector<NodeOptions> nodes;
  std::vector<ProxyUser> users;
  // Backend credentials (the application user of the cluster).
  std::string backend_user;
  std::string backend_password;
  // Health monitor credentials (may equal the backend user if it can SHOW SLAVE STATUS).
  std::string monitor_user;
  std::string monitor_password;

  // Pools: per node, per worker thread.
  int max_connections_per_node = 64;
  // Statements in flight per backend connection (1: no pipelining). Above 1, a plain read is
  // sent behind another session's read on a busy connection, when one can take it, rather
  // than on an idle connection (see proxy/pool.h).
  int pipeline_depth = 1;
  int min_idle_per_node = 2;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds idle_timeout{60000};
  // Request queue when every connection of a node is busy.
  int max_queue_length = 1024;
  std::chrono::milliseconds max_queue_wait{2000};

  // Health.
  std::chrono::milliseconds health_interval{500};
  int fail_threshold = 3;          // consecutive failed probes before a node is down
  double max_replication_lag = 5;  // seconds; replicas beyond are shunned for reads
  bool reads_fall_back_to_source = true;

  // customized strategy: share of reads sent to a replica that is not the fastest.
  double exploration_ratio = 0.05;
  // Offer mariadb_cap::kCacheMetadata to clients (backend connections then ask the nodes for it).
  bool cache_metadata = true;
  std::chrono::milliseconds latency_stale_after{2000};

  // Only accept client connections from these addresses (empty: anyone).
  std::vector<std::string> allowed_upstreams;

  // Where the proxy writes its counters snapshot (JSON), and how often. Empty: nowhere.
  std::string stats_file;
  std::chrono::milliseconds stats_interval{250};
  size_t max_packet_size = 64u << 20;
};

}  // namespace gh::proxy
