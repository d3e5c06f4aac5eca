// NodePool: the backend connections of one node on one worker thread, and the request queue
// in front of them (the original orchestrator: "dispatch to a free worker, otherwise queue").
//
// At most max_connections exist at once. acquire() returns an idle connection with the right
// key, opens a new one while under the limit, or else waits in a FIFO queue. The queue is
// bounded in length (-> Errc::kQueueFull at once) and in wait time (-> Errc::kQueueTimeout).
// A released connection goes straight to the oldest waiter.
//
// Pipelining (off unless [proxy] pipeline_depth > 1). MySQL answers the commands of one
// connection in order, so reads of several sessions may share a connection: while a session
// reads the response to a plain autocommit read, other sessions' plain reads are sent behind it
// (up to pipeline_depth in flight) and read in turn, each woken by the reader before it. The
// node then works through them without sleeping between statements. Only reads that change no
// session state, on unpinned sessions, with the statement already prepared on that connection
// take part, and only behind a statement that has been running for under 1 ms. A connection
// given back while statements are still pipelined behind it stays parked on itself until the
// last of them returns it.
//
// Single-threaded: only the owning worker's coroutines call it, so nothing here locks.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "proxy/backend_connection.h"
#include "proxy/options.h"

namespace gh::proxy {

struct PoolCounters {
  uint64_t connects = 0;
  uint64_t connect_failures = 0;
  uint64_t queued = 0;  // acquisitions that had to wait
  uint64_t queue_full = 0;
  uint64_t queue_timeouts = 0;
  double queue_wait_ms_total = 0;
};

class NodePool {
 public:
  NodePool(asio::any_io_executor ex, Node& node, const ProxyOptions& options);
  ~NodePool();

  using ConnPtr = std::unique_ptr<BackendConnection>;
  // Prefers an idle connection already on `schema` (no COM_INIT_DB needed, and a session
  // without a schema must not inherit one).
  Task<Result<ConnPtr>> acquire(const BackendKey& key, const std::string& schema = {});
  // Step 1 of acquire() alone, without waiting: an idle connection with `key`, or null.
  ConnPtr try_acquire(const BackendKey& key, const std::string& schema = {});
  // Returns a connection; a broken or stale one is closed and its slot freed.
  void release(ConnPtr conn);

  Node& node() { return node_; }
  int open_connections() const { return open_; }
  int idle_connections() const { return int(idle_.size()); }
  size_t queue_length() const { return waiters_.size(); }
  const PoolCounters& counters() const { return counters_; }
  // Closes idle connections unused for idle_timeout, and all of them when the node went down.
  void prune();

  // Pipelining (see above). Connections whose borrower is reading the response to
  // a plain read, so that more reads may be sent behind it.
  const std::vector<BackendConnection*>& pipes() const { return pipes_; }
  void open_pipe(BackendConnection& c);
  // A reader (the borrower or a pipelined one) has read its whole response: wakes the next
  // reader, or, with none left, unlists the connection and returns it if it was parked.
  void end_turn(BackendConnection& c);

 private:
  struct Waiter {
    asio::steady_timer timer;
    ConnPtr conn;       // handed over by release()
    bool slot = false;  // or: permission to open a new connection
    explicit Waiter(asio::any_io_executor ex) : timer(ex) {}
  };

  Task<Result<ConnPtr>> open(const BackendKey& key);
  bool stale(const BackendConnection& c) const;

  asio::any_io_executor ex_;
  Node& node_;
  const ProxyOptions& options_;
  std::vector<ConnPtr> idle_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
  std::vector<BackendConnection*> pipes_;
  int open_ = 0;  // connections in existence or being opened
  PoolCounters counters_;
};

}  // namespace gh::proxy
