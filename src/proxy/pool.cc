// NodePool: implementation (see pool.h).
#include "proxy/pool.h"

#include <spdlog/spdlog.h>

namespace gh::proxy {

NodePool::NodePool(asio::any_io_executor ex, Node& node, const ProxyOptions& options)
    : ex_(std::move(ex)), node_(node), options_(options) {}

NodePool::~NodePool() {
  // Parked connections own themselves; free them with the pool.
  for (BackendConnection* c : std::vector<BackendConnection*>(pipes_))
    auto owned = std::move(c->parked);
}

void NodePool::open_pipe(BackendConnection& c) {
  if (c.pipe_open) return;
  c.pipe_open = true;
  pipes_.push_back(&c);
}

void NodePool::end_turn(BackendConnection& c) {
  if (!c.turns.empty()) {
    asio::steady_timer* next = c.turns.front();
    c.turns.pop_front();
    next->cancel();
    return;
  }
  if (c.pipelined > 0) {  // the next reader is still writing its statement: it goes at once
    c.turn_free = true;
    return;
  }
  if (c.pipe_open) {
    c.pipe_open = false;
    std::erase(pipes_, &c);
  }
  if (c.parked) release(std::move(c.parked));
}

bool NodePool::stale(const BackendConnection& c) const {
  return c.broken() || c.generation() != node_.health().generation.load(std::memory_order_relaxed);
}

Task<Result<NodePool::ConnPtr>> NodePool::open(const BackendKey& key) {
  auto conn = std::make_unique<BackendConnection>(ex_, node_);
  auto s = co_await conn->connect(key, options_.backend_user, options_.backend_password,
                                  options_.connect_timeout);
  if (!s) {
    --open_;
    ++counters_.connect_failures;
    co_return fail(s.error());
  }
  ++counters_.connects;
  co_return conn;
}

NodePool::ConnPtr NodePool::try_acquire(const BackendKey& key, const std::string& schema) {
  // An idle connection with the same key, on the same schema if possible (most recently used
  // first: warm caches).
  size_t same_key = idle_.size();
  for (size_t i = idle_.size(); i-- > 0;) {
    if (stale(*idle_[i]) || !(idle_[i]->key() == key)) continue;
    if (idle_[i]->schema == schema) {
      same_key = i;
      break;
    }
    if (same_key == idle_.size()) same_key = i;
  }
  if (same_key == idle_.size()) return nullptr;
  ConnPtr c = std::move(idle_[same_key]);
  idle_.erase(idle_.begin() + long(same_key));
  return c;
}

Task<Result<NodePool::ConnPtr>> NodePool::acquire(const BackendKey& key,
                                                  const std::string& schema) {
  // 1. An idle connection with the same key.
  if (ConnPtr c = try_acquire(key, schema)) co_return c;
  // 2. Room for a new one.
  if (open_ < options_.max_connections_per_node) {
    ++open_;
    co_return co_await open(key);
  }
  // 3. An idle connection with another key: close it and reuse its slot.
  if (!idle_.empty()) {
    idle_.erase(idle_.begin());
    co_return co_await open(key);
  }
  // 4. Wait in line.
  if (int(waiters_.size()) >= options_.max_queue_length) {
    ++counters_.queue_full;
    co_return fail(Errc::kQueueFull);
  }
  ++counters_.queued;
  auto waiter = std::make_shared<Waiter>(ex_);
  waiter->timer.expires_after(options_.max_queue_wait);
  waiters_.push_back(waiter);
  auto started = std::chrono::steady_clock::now();
  co_await waiter->timer.async_wait(kNoThrow);
  counters_.queue_wait_ms_total +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (waiter->conn) {
    if (waiter->conn->key() == key && !stale(*waiter->conn)) co_return std::move(waiter->conn);
    waiter->conn.reset();  // wrong key: reuse the slot for a fresh connection
    co_return co_await open(key);
  }
  if (waiter->slot) co_return co_await open(key);
  // Timed out: leave the queue.
  std::erase(waiters_, waiter);
  ++counters_.queue_timeouts;
  co_return fail(Errc::kQueueTimeout);
}

void NodePool::release(ConnPtr conn) {
  if (!conn) return;
  if (conn->pipelined > 0) {  // readers behind it: the last one returns it (end_turn)
    BackendConnection* c = conn.get();
    c->parked = std::move(conn);
    return;
  }
  bool reusable = !stale(*conn);
  if (!waiters_.empty()) {
    auto w = waiters_.front();
    waiters_.pop_front();
    if (reusable) {
      w->conn = std::move(conn);
    } else {
      w->slot = true;  // the slot passes on; the waiter opens a new connection
    }
    w->timer.cancel();
    return;
  }
  if (!reusable) {
    --open_;
    return;
  }
  conn->last_used = std::chrono::steady_clock::now();
  idle_.push_back(std::move(conn));
}

void NodePool::prune() {
  auto now = std::chrono::steady_clock::now();
  size_t before = idle_.size();
  std::erase_if(idle_, [&](const ConnPtr& c) {
    return stale(*c) || now - c->last_used > options_.idle_timeout;
  });
  open_ -= int(before - idle_.size());
}

}  // namespace gh::proxy
