// Router: picks the node for a statement. Writes and pinned statements go to the source;
// reads go by strategy — direct (source), random (a random readable replica), customized (the
// readable replica with the lowest latency estimate, with a small share of exploration so
// every replica's estimate stays fresh and a replica that was slow once can win again).
#pragma once

#include <random>

#include "proxy/node.h"
#include "proxy/options.h"

namespace gh::proxy {

class Router {
 public:
  Router(NodeList& nodes, const ProxyOptions& options, uint64_t seed);

  // Index of the node for a read under `strategy`, or -1 when nothing can serve it.
  int pick_read(Strategy strategy);
  // Index of the source, or -1 when it is down.
  int pick_write() const;
  int source_index() const { return source_; }

 private:
  int pick_random_replica(int exclude);
  int pick_fastest_replica();

  NodeList& nodes_;
  const ProxyOptions& options_;
  int source_ = -1;
  std::vector<int> replicas_;
  std::mt19937_64 rng_;
  std::vector<int> scratch_;
};

}  // namespace gh::proxy
