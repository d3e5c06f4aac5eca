// HealthMonitor: probes every node at health_interval on its own thread — a COM_PING round
// trip (its RTT feeds the latency estimate) and, on replicas, SHOW SLAVE STATUS (threads
// running, Seconds_Behind_Master). After fail_threshold consecutive failures a node is down;
// a replica lagging beyond max_replication_lag, or whose replication threads stopped, is
// shunned for reads. One good probe brings a node back. It also writes the counters snapshot.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "proxy/backend_connection.h"
#include "proxy/counters.h"

namespace gh::proxy {

class HealthMonitor {
 public:
  HealthMonitor(const ProxyOptions& options, NodeList& nodes, Counters& counters);
  ~HealthMonitor();

  // Runs one probe of every node synchronously (bounded by connect_timeout), so the proxy
  // starts with real node states; then probes continuously on a background thread.
  void start();
  void stop();

 private:
  Task<void> probe_loop(Node& node);
  Task<bool> probe(Node& node, std::unique_ptr<BackendConnection>& conn);
  Task<void> stats_loop();
  void write_stats();

  const ProxyOptions& options_;
  NodeList& nodes_;
  Counters& counters_;
  asio::io_context ctx_{1};
  std::thread thread_;
};

}  // namespace gh::proxy
