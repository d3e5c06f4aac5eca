// Worker: one thread of the proxy data plane. It owns an io_context, an acceptor on the shared
// listen port (SO_REUSEPORT: the kernel spreads clients over workers), a Router and one
// NodePool per node. Client sessions live on exactly one worker, so pools never lock.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "proxy/counters.h"
#include "proxy/pool.h"
#include "proxy/router.h"

namespace gh::proxy {

struct Shared {
  const ProxyOptions& options;
  NodeList& nodes;
  Counters& counters;
  std::atomic<uint32_t> next_connection_id{1};
};

class Worker {
 public:
  Worker(int id, Shared& shared);
  ~Worker();

  // Binds the listen socket (throws at start-up on failure: the only place we throw).
  void listen();
  void start();
  void stop();
  void join();

  asio::io_context& context() { return ctx_; }
  Shared& shared() { return shared_; }
  Router& router() { return router_; }
  NodePool& pool(int node) { return *pools_[size_t(node)]; }

 private:
  Task<void> accept_loop();
  Task<void> maintenance_loop();

  Shared& shared_;
  asio::io_context ctx_{1};
  tcp::acceptor acceptor_;
  Router router_;
  std::vector<std::unique_ptr<NodePool>> pools_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gh::proxy
