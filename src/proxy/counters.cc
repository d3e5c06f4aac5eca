// Counters: histogram maths and the JSON snapshot (see counters.h).
#include "proxy/counters.h"

#include <bit>
#include <boost/json.hpp>
#include <cmath>
#include <utility>

namespace gh::proxy {

void LatencyHistogram::record(double micros) {
  uint64_t us = micros < 1 ? 1 : uint64_t(micros);
  int b = std::min(kBuckets - 1, int(std::bit_width(us)) - 1);
  buckets_[size_t(b)].fetch_add(1, std::memory_order_relaxed);
  total_us_.fetch_add(us, std::memory_order_relaxed);
}

uint64_t LatencyHistogram::count() const {
  uint64_t n = 0;
  for (const auto& b : buckets_) n += b.load(std::memory_order_relaxed);
  return n;
}

double LatencyHistogram::quantile_ms(double q) const {
  uint64_t n = count();
  if (n == 0) return 0;
  uint64_t rank = uint64_t(std::ceil(q * double(n)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[size_t(i)].load(std::memory_order_relaxed);
    if (seen >= rank) return double(uint64_t(1) << (i + 1)) / 1000.0;
  }
  return double(uint64_t(1) << kBuckets) / 1000.0;
}

double LatencyHistogram::mean_ms() const {
  uint64_t n = count();
  return n ? double(total_us_.load(std::memory_order_relaxed)) / double(n) / 1000.0 : 0;
}

void LatencyHistogram::add_to(LatencyHistogram& sum) const {
  for (size_t i = 0; i < buckets_.size(); ++i)
    sum.buckets_[i].fetch_add(buckets_[i].load(std::memory_order_relaxed),
                              std::memory_order_relaxed);
  sum.total_us_.fetch_add(total_us_.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

void RouteCounters::add_to(RouteCounters& sum) const {
  for (auto [from, to] : {std::pair{&statements, &sum.statements},
                          {&reads, &sum.reads},
                          {&writes, &sum.writes},
                          {&errors, &sum.errors},
                          {&queue_waits, &sum.queue_waits},
                          {&retries, &sum.retries},
                          {&pipelined, &sum.pipelined}})
    to->fetch_add(from->load(std::memory_order_relaxed), std::memory_order_relaxed);
  latency.add_to(sum.latency);
}

Counters::Counters(size_t nodes, size_t shards) {
  for (size_t i = 0; i < std::max<size_t>(1, shards); ++i)
    shards_.push_back(std::make_unique<Shard>(nodes));
}

namespace {

boost::json::object route_json(const RouteCounters& c) {
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  boost::json::object o;
  o["statements"] = load(c.statements);
  o["reads"] = load(c.reads);
  o["writes"] = load(c.writes);
  o["errors"] = load(c.errors);
  o["queue_waits"] = load(c.queue_waits);
  o["retries"] = load(c.retries);
  o["pipelined"] = load(c.pipelined);
  o["latency_ms"] = {{"mean", c.latency.mean_ms()},
                     {"p50", c.latency.quantile_ms(0.50)},
                     {"p95", c.latency.quantile_ms(0.95)},
                     {"p99", c.latency.quantile_ms(0.99)}};
  return o;
}

}  // namespace

std::string Counters::to_json(const NodeList& nodes) const {
  boost::json::object root;
  boost::json::object node_obj;
  for (const auto& n : nodes) {
    RouteCounters sum;
    for (const auto& shard : shards_) shard->per_node[size_t(n->index())].add_to(sum);
    auto o = route_json(sum);
    const auto& h = n->health();
    o["role"] = n->is_source() ? "source" : "replica";
    o["up"] = h.up.load();
    o["lagging"] = h.lagging.load();
    o["lag_seconds"] = h.lag_seconds.load();
    o["probe_rtt_ms"] = h.probe_rtt_ewma_ms.load();
    o["query_ewma_ms"] = h.query_ewma_ms.load();
    node_obj[n->name()] = std::move(o);
  }
  root["nodes"] = std::move(node_obj);
  boost::json::object strat;
  for (int s = 0; s < kStrategyCount; ++s) {
    RouteCounters sum;
    for (const auto& shard : shards_) shard->per_strategy[size_t(s)].add_to(sum);
    strat[strategy_name(Strategy(s))] = route_json(sum);
  }
  root["strategies"] = std::move(strat);
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  root["clients"] = {{"connected", load(client_connections)},
                     {"total", load(client_connections_total)},
                     {"auth_failures", load(auth_failures)},
                     {"protocol_errors", load(protocol_errors)}};
  root["queue"] = {{"full", load(queue_full)}, {"timeouts", load(queue_timeouts)}};
  root["no_healthy_node"] = load(no_healthy_node);
  root["metadata_injections"] = load(metadata_injections);
  return boost::json::serialize(root);
}

}  // namespace gh::proxy
