// Node: latency bookkeeping (see node.h).
#include "proxy/node.h"

namespace gh::proxy {
namespace {

void ewma_update(std::atomic<double>& a, double sample) {
  double old = a.load(std::memory_order_relaxed);
  double next = old < 0 ? sample : old + kEwmaAlpha * (sample - old);
  // Lost updates under contention only drop a sample; never a torn value.
  a.store(next, std::memory_order_relaxed);
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

double Node::latency_estimate() const {
  double probe = health_.probe_rtt_ewma_ms.load(std::memory_order_relaxed);
  double query = health_.query_ewma_ms.load(std::memory_order_relaxed);
  if (probe < 0) return query;
  if (query < 0) return probe;
  // Statement latency includes the work; probe RTT reflects the path and load right now.
  return 0.5 * probe + 0.5 * query;
}

void Node::record_query_latency(double ms) {
  ewma_update(health_.query_ewma_ms, ms);
  health_.last_sample_ns.store(now_ns(), std::memory_order_relaxed);
}

void Node::record_probe_rtt(double ms) {
  ewma_update(health_.probe_rtt_ewma_ms, ms);
  health_.last_sample_ns.store(now_ns(), std::memory_order_relaxed);
}

}  // namespace gh::proxy
