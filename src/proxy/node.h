// Node: a backend MariaDB server as the proxy sees it, with its live health and latency
// estimates. The health monitor writes; router and sessions on every worker thread read.
// All live fields are atomics: no locks on the routing path.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proxy/options.h"

namespace gh::proxy {

struct NodeHealth {
  std::atomic<bool> up{false};       // reachable (after fail_threshold misses: false)
  std::atomic<bool> lagging{false};  // replica beyond max_replication_lag, or threads stopped
  std::atomic<int> consecutive_failures{0};
  std::atomic<double> lag_seconds{0};
  std::atomic<double> probe_rtt_ewma_ms{-1};  // ping round trip, smoothed
  std::atomic<double> query_ewma_ms{-1};      // routed statement latency, smoothed
  std::atomic<int64_t> last_sample_ns{0};     // steady clock of the last latency sample
  std::atomic<uint64_t> generation{0};        // bumped when a node goes down: pools drop conns
};

class Node {
 public:
  Node(int index, NodeOptions options) : index_(index), options_(std::move(options)) {}

  int index() const { return index_; }
  const NodeOptions& options() const { return options_; }
  const std::string& name() const { return options_.name; }
  bool is_source() const { return options_.role == NodeRole::kSource; }
  NodeHealth& health() { return health_; }
  const NodeHealth& health() const { return health_; }

  // Up and (for replicas) not lagging: may serve reads.
  bool readable() const {
    return health_.up.load(std::memory_order_relaxed) &&
           !health_.lagging.load(std::memory_order_relaxed);
  }
  // The latency estimate the customized strategy ranks by (ms; -1 when unknown).
  double latency_estimate() const;
  void record_query_latency(double ms);
  void record_probe_rtt(double ms);

 private:
  int index_;
  NodeOptions options_;
  NodeHealth health_;
};

using NodeList = std::vector<std::unique_ptr<Node>>;

// Smoothing factor of every EWMA here: recent samples weigh 20 %.
inline constexpr double kEwmaAlpha = 0.2;

}  // namespace gh::proxy
