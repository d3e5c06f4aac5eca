// ProxyServer: the proxy role assembled — nodes, counters, health monitor and worker threads —
// with a blocking run() that returns on SIGINT/SIGTERM after a graceful stop.
#pragma once

#include <memory>
#include <vector>

#include "proxy/health_monitor.h"
#include "proxy/worker.h"

namespace gh::proxy {

class ProxyServer {
 public:
  explicit ProxyServer(ProxyOptions options);
  ~ProxyServer();

  // Binds, probes the nodes once, starts workers. Throws std::runtime_error at start-up only.
  void start();
  // Blocks until SIGINT/SIGTERM, then stops everything.
  void run_until_signal();
  void stop();
  Counters& counters() { return *counters_; }
  NodeList& nodes() { return nodes_; }

 private:
  ProxyOptions options_;
  NodeList nodes_;
  std::unique_ptr<Counters> counters_;
  std::unique_ptr<Shared> shared_;
  std::unique_ptr<HealthMonitor> health_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace gh::proxy
