// Counters: what the proxy reports per node and per strategy — statements routed, errors,
// queue waits and a latency histogram — plus a JSON snapshot that `gatehouse status` reads.
// Every field is a relaxed atomic. The per-route counters come in one shard per worker thread,
// so the statement path never writes a cache line another worker writes; readers add them up.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proxy/node.h"
#include "proxy/options.h"

namespace gh::proxy {

// Latency histogram with log2 buckets of microseconds: bucket i holds [2^i, 2^(i+1)) us.
class LatencyHistogram {
 public:
  static constexpr int kBuckets = 32;
  void record(double micros);
  uint64_t count() const;
  // Approximate quantile (upper bucket bound), in milliseconds.
  double quantile_ms(double q) const;
  double mean_ms() const;
  // Adds this histogram's counts into `sum` (readers merging per-worker shards).
  void add_to(LatencyHistogram& sum) const;

 private:
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> total_us_{0};
};

struct RouteCounters {
  std::atomic<uint64_t> statements{0};
  std::atomic<uint64_t> reads{0};
  std::atomic<uint64_t> writes{0};
  std::atomic<uint64_t> errors{0};       // ERR from the backend or gatehouse
  std::atomic<uint64_t> queue_waits{0};  // statements that waited for a connection
  std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> pipelined{0};  // sent behind another session's read (pipelining)
  LatencyHistogram latency;

  void add_to(RouteCounters& sum) const;
};

class Counters {
 public:
  // `shards`: one per worker thread.
  Counters(size_t nodes, size_t shards);

  // The route counters of worker `shard`.
  RouteCounters& node(size_t shard, int i) { return shards_[shard]->per_node[size_t(i)]; }
  RouteCounters& strategy(size_t shard, Strategy s) {
    return shards_[shard]->per_strategy[size_t(s)];
  }
  std::atomic<uint64_t> client_connections{0};
  std::atomic<uint64_t> client_connections_total{0};
  std::atomic<uint64_t> auth_failures{0};
  std::atomic<uint64_t> protocol_errors{0};
  std::atomic<uint64_t> queue_full{0};
  std::atomic<uint64_t> queue_timeouts{0};
  std::atomic<uint64_t> no_healthy_node{0};
  // Execute results whose skipped column definitions the proxy put back (statement_meta.h).
  std::atomic<uint64_t> metadata_injections{0};

  // {"nodes": {name: {...}}, "strategies": {...}, "clients": {...}} with node health too.
  std::string to_json(const NodeList& nodes) const;

 private:
  struct alignas(64) Shard {
    explicit Shard(size_t nodes) : per_node(nodes) {}
    std::vector<RouteCounters> per_node;
    std::array<RouteCounters, kStrategyCount> per_strategy;
  };
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace gh::proxy
