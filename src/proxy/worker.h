// Worker: one thread of the proxy data plane. It owns an io_context, a Router and one NodePool
// per node. Worker 0 also owns the listening socket and deals accepted clients out to the
// workers round-robin (the kernel's SO_REUSEPORT hashing spread 8 clients as unevenly as 6/2).
// Client sessions live on exactly one worker, so pools never lock.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "proxy/counters.h"
#include "proxy/pool.h"
#include "proxy/router.h"

namespace gh::proxy {

class Worker;

struct Shared {
  const ProxyOptions& options;
  NodeList& nodes;
  Counters& counters;
  std::atomic<uint32_t> next_connection_id{1};
  std::vector<Worker*> workers;  // the first one accepts and deals sessions out round-robin
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
  // This worker's shard of the route counters.
  RouteCounters& node_counters(int node) { return shared_.counters.node(id_, node); }
  RouteCounters& strategy_counters(Strategy s) { return shared_.counters.strategy(id_, s); }

 private:
  Task<void> accept_loop();
  // Starts a session for an accepted socket on this worker (called on this worker's thread).
  void adopt(tcp::socket::native_handle_type fd);
  Task<void> maintenance_loop();

  size_t id_;
  Shared& shared_;
  // One thread runs this context, and only it touches the worker's sockets: Asio may skip the
  // per-socket locks (posting from other threads stays safe).
  asio::io_context ctx_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  tcp::acceptor acceptor_;
  Router router_;
  std::vector<std::unique_ptr<NodePool>> pools_;
  std::thread thread_;
  size_t next_worker_ = 0;
  boost::system::error_code rec_ignored_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gh::proxy
