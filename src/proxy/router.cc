// Router: implementation (see router.h).
#include "proxy/router.h"

namespace gh::proxy {

std::string_view strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kDirect:
      return "direct";
    case Strategy::kRandom:
      return "random";
    case Strategy::kCustomized:
      return "customized";
  }
  return "direct";
}

bool parse_strategy(std::string_view text, Strategy& out) {
  for (int i = 0; i < kStrategyCount; ++i) {
    if (text == strategy_name(Strategy(i))) {
      out = Strategy(i);
      return true;
    }
  }
  return false;
}

Router::Router(NodeList& nodes, const ProxyOptions& options, uint64_t seed)
    : nodes_(nodes), options_(options), rng_(seed) {
  for (const auto& n : nodes_) {
    if (n->is_source()) {
      source_ = n->index();
    } else {
      replicas_.push_back(n->index());
    }
  }
}

int Router::pick_write() const {
  if (source_ < 0 || !nodes_[size_t(source_)]->health().up.load(std::memory_order_relaxed))
    return -1;
  return source_;
}

int Router::pick_random_replica(int exclude) {
  scratch_.clear();
  for (int i : replicas_)
    if (i != exclude && nodes_[size_t(i)]->readable()) scratch_.push_back(i);
  if (scratch_.empty()) return -1;
  return scratch_[rng_() % scratch_.size()];
}

int Router::pick_fastest_replica() {
  int best = -1;
  double best_ms = 0;
  for (int i : replicas_) {
    const Node& n = *nodes_[size_t(i)];
    if (!n.readable()) continue;
    double ms = n.latency_estimate();
    if (ms < 0) return i;  // never measured: measure it now
    if (best < 0 || ms < best_ms) {
      best = i;
      best_ms = ms;
    }
  }
  if (best < 0) return -1;
  // Exploration: a small share of reads goes to another replica so its estimate stays fresh.
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  if (replicas_.size() > 1 && coin(rng_) < options_.exploration_ratio) {
    int other = pick_random_replica(best);
    if (other >= 0) return other;
  }
  return best;
}

int Router::pick_read(Strategy strategy) {
  int chosen = -1;
  switch (strategy) {
    case Strategy::kDirect:
      return pick_write();
    case Strategy::kRandom:
      chosen = pick_random_replica(-1);
      break;
    case Strategy::kCustomized:
      chosen = pick_fastest_replica();
      break;
  }
  if (chosen < 0 && options_.reads_fall_back_to_source) return pick_write();
  return chosen;
}

}  // namespace gh::proxy
