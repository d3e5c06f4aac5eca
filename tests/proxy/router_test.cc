// Router: strategies over live node health, exploration, fallback.
#include "proxy/router.h"

#include <gtest/gtest.h>

#include <map>

namespace gh::proxy {
namespace {

struct Fixture {
  ProxyOptions options;
  NodeList nodes;
  Fixture() {
    options.exploration_ratio = 0.05;
    nodes.push_back(std::make_unique<Node>(0, NodeOptions{"source", NodeRole::kSource, "h", 1}));
    nodes.push_back(std::make_unique<Node>(1, NodeOptions{"replica1", NodeRole::kReplica, "h", 2}));
    nodes.push_back(std::make_unique<Node>(2, NodeOptions{"replica2", NodeRole::kReplica, "h", 3}));
    for (auto& n : nodes) n->health().up = true;
  }
  std::map<int, int> tally(Router& r, Strategy s, int n = 10000) {
    std::map<int, int> out;
    for (int i = 0; i < n; ++i) out[r.pick_read(s)]++;
    return out;
  }
};

TEST(Router, DirectReadsAndWritesGoToTheSource) {
  Fixture f;
  Router r(f.nodes, f.options, 1);
  EXPECT_EQ(r.pick_write(), 0);
  EXPECT_EQ(f.tally(r, Strategy::kDirect, 100)[0], 100);
}

TEST(Router, RandomSpreadsOverHealthyReplicasOnly) {
  Fixture f;
  Router r(f.nodes, f.options, 2);
  auto t = f.tally(r, Strategy::kRandom);
  EXPECT_EQ(t[0], 0);
  EXPECT_GT(t[1], 4000);
  EXPECT_GT(t[2], 4000);
  f.nodes[2]->health().up = false;
  t = f.tally(r, Strategy::kRandom);
  EXPECT_EQ(t[1], 10000);
  f.nodes[1]->health().lagging = true;
  t = f.tally(r, Strategy::kRandom, 100);
  EXPECT_EQ(t[0], 100) << "no readable replica: fall back to the source";
  f.options.reads_fall_back_to_source = false;
  EXPECT_EQ(r.pick_read(Strategy::kRandom), -1);
}

TEST(Router, CustomizedPrefersTheFastestButKeepsProbingTheOther) {
  Fixture f;
  Router r(f.nodes, f.options, 3);
  for (int i = 0; i < 20; ++i) {
    f.nodes[1]->record_probe_rtt(5.0);
    f.nodes[2]->record_probe_rtt(0.5);
  }
  auto t = f.tally(r, Strategy::kCustomized);
  EXPECT_GT(t[2], 9000);
  EXPECT_GT(t[1], 100) << "the slow replica still gets exploration traffic";
  EXPECT_LT(t[1], 1000);
  // The slow one recovers: it wins again.
  for (int i = 0; i < 50; ++i) {
    f.nodes[1]->record_probe_rtt(0.2);
    f.nodes[1]->record_query_latency(0.2);
    f.nodes[2]->record_query_latency(0.9);
  }
  t = f.tally(r, Strategy::kCustomized);
  EXPECT_GT(t[1], 9000);
}

TEST(Router, NoSourceMeansNoWrites) {
  Fixture f;
  f.nodes[0]->health().up = false;
  Router r(f.nodes, f.options, 4);
  EXPECT_EQ(r.pick_write(), -1);
}

}  // namespace
}  // namespace gh::proxy
