// Runner: coordinated omission. A fake server freezes for 200 ms in the middle of a phase.
// Open loop measures from each request's scheduled send time, so every request that arrived
// during the freeze shows the wait (p90/p99 in the hundred-millisecond range); a closed loop
// only sees the few requests that were in flight (p99 stays small, only max shows the freeze).
// Also: count and time bounds, and the per-request timeout.
#include "bench/runner.h"

#include <gtest/gtest.h>

#include <optional>

namespace gh::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct FakeServer {
  std::optional<Clock::time_point> origin;  // first request seen
  Clock::duration service = 200us;
  Clock::duration stall_from = 100ms, stall_to = 300ms;  // relative to origin
  bool hang = false;                                     // never answer
  int opened = 0;
};

class FakeConnection : public Connection {
 public:
  FakeConnection(asio::any_io_executor ex, FakeServer& s) : timer_(ex), server_(s) {}
  Task<Outcome> open() override {
    ++server_.opened;
    Outcome o;
    o.ok = true;
    co_return o;
  }
  Task<Outcome> execute(const Statement& st, const std::string& strategy) override {
    Clock::time_point now = Clock::now();
    if (!server_.origin) server_.origin = now;
    Clock::time_point done = now + server_.service;
    Clock::time_point s0 = *server_.origin + server_.stall_from;
    Clock::time_point s1 = *server_.origin + server_.stall_to;
    if (now >= s0 && now < s1) done = s1 + server_.service;
    timer_.expires_at(server_.hang ? Clock::time_point::max() : done);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    Outcome o;
    if (ec) {
      o.error = "closed";
      o.broken = true;
      co_return o;
    }
    o.ok = true;
    o.served_by = st.is_read ? "replica" + std::to_string(strategy.size() % 2 + 1) : "source";
    co_return o;
  }
  void close() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  FakeServer& server_;
};

class FakeTarget : public Target {
 public:
  explicit FakeTarget(FakeServer& s) : server_(s) {}
  std::unique_ptr<Connection> connect(asio::any_io_executor ex) override {
    return std::make_unique<FakeConnection>(ex, server_);
  }
  bool inline_params() const override { return true; }
  std::string name() const override { return "fake"; }
  std::string endpoint() const override { return "fake"; }

 private:
  FakeServer& server_;
};

Mix read_mix() { return Mix::single(true, "SELECT {id}"); }

TEST(Runner, OpenLoopMeasuresFromTheScheduledTime) {
  FakeServer server;
  FakeTarget target(server);
  Mix mix = read_mix();
  PhaseSpec spec;
  spec.name = "open";
  spec.strategy = "random";
  spec.mix = &mix;
  spec.requests = 1000;
  spec.rate = 2000;  // 0.5 s; the freeze covers 40 % of the schedule
  spec.concurrency = 4;
  PhaseRaw raw = run_phase(target, spec);
  ASSERT_EQ(raw.ok, 1000u);
  EXPECT_GE(raw.wall_s, 0.45);
  double p50 = double(raw.latency_ns.value_at_quantile(0.5)) / 1e6;
  double p90 = double(raw.latency_ns.value_at_quantile(0.9)) / 1e6;
  double p99 = double(raw.latency_ns.value_at_quantile(0.99)) / 1e6;
  // Requests scheduled during the freeze waited from their scheduled time until it ended:
  // latencies spread evenly over 0..200 ms for about 400 of the 1000 requests.
  EXPECT_GT(p90, 100.0) << "p50=" << p50 << " p99=" << p99;
  EXPECT_GT(p99, 170.0);
  EXPECT_LT(p99, 600.0);  // loose: a loaded machine catches up more slowly after the freeze
  EXPECT_EQ(raw.served_reads.at("replica1"), 1000u);  // the fake names a node by strategy
}

TEST(Runner, ClosedLoopHidesTheFreezeExceptInMax) {
  FakeServer server;
  FakeTarget target(server);
  Mix mix = read_mix();
  PhaseSpec spec;
  spec.name = "closed";
  spec.mix = &mix;
  spec.requests = 0;  // time-bound
  spec.duration_s = 0.5;
  spec.concurrency = 4;
  PhaseRaw raw = run_phase(target, spec);
  ASSERT_GT(raw.ok, 1000u);  // thousands of 0.2 ms requests around the freeze
  EXPECT_TRUE(raw.time_bound_hit);
  double p99 = double(raw.latency_ns.value_at_quantile(0.99)) / 1e6;
  double max = double(raw.latency_ns.max()) / 1e6;
  EXPECT_LT(p99, 50.0) << "only the 4 in-flight requests saw the freeze";
  EXPECT_GT(max, 150.0);
  EXPECT_EQ(server.opened, 4);
}

TEST(Runner, CountBoundAndTimeline) {
  FakeServer server;
  server.stall_from = server.stall_to = 0ms;
  FakeTarget target(server);
  Mix mix = Mix::single(false, "INSERT {int:1:9}");
  PhaseSpec spec;
  spec.name = "w";
  spec.mix = &mix;
  spec.requests = 300;
  spec.concurrency = 3;
  PhaseRaw raw = run_phase(target, spec);
  EXPECT_EQ(raw.ok + raw.failed, 300u);
  EXPECT_EQ(raw.writes, 300u);
  EXPECT_EQ(raw.served_writes.at("source"), 300u);
  ASSERT_EQ(raw.samples.size(), 300u);
  for (size_t i = 1; i < raw.samples.size(); ++i)
    ASSERT_LE(raw.samples[i - 1].t_s, raw.samples[i].t_s);
}

TEST(Runner, HungRequestsTimeOutAndReconnect) {
  FakeServer server;
  server.hang = true;
  FakeTarget target(server);
  target.request_timeout = 100ms;
  Mix mix = read_mix();
  PhaseSpec spec;
  spec.name = "hang";
  spec.mix = &mix;
  spec.requests = 4;
  spec.concurrency = 2;
  auto t0 = Clock::now();
  PhaseRaw raw = run_phase(target, spec);
  EXPECT_LT(Clock::now() - t0, 3s);
  EXPECT_EQ(raw.ok, 0u);
  EXPECT_EQ(raw.errors["timeout"], 4u);
  EXPECT_GE(server.opened, 4);  // reopened after each timeout
}

TEST(Runner, ProgressIsReported) {
  FakeServer server;
  server.stall_from = server.stall_to = 0ms;
  FakeTarget target(server);
  Mix mix = read_mix();
  PhaseSpec spec;
  spec.name = "p";
  spec.mix = &mix;
  spec.requests = 500;
  spec.rate = 2000;
  spec.concurrency = 2;
  std::vector<ProgressInfo> seen;
  ProgressFn fn = [&](const ProgressInfo& i) { seen.push_back(i); };
  run_phase(target, spec, fn);
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.back().done, 500u);
  EXPECT_EQ(seen.back().total, 500u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_LE(seen[i - 1].done, seen[i].done);
}

}  // namespace
}  // namespace gh::bench
