// Runner: the closed- and open-loop request engine of one phase (see runner.h).
#include "bench/runner.h"

#include <algorithm>
#include <random>

namespace gh::bench {
namespace {

using Clock = std::chrono::steady_clock;

class PhaseRun {
 public:
  PhaseRun(Target& target, const PhaseSpec& spec, const ProgressFn& progress)
      : target_(target), spec_(spec), progress_(progress) {
    limit_ = spec.requests ? spec.requests : ~uint64_t(0) >> 1;
    if (spec.rate > 0 && spec.duration_s > 0)
      limit_ = std::min<uint64_t>(limit_, uint64_t(spec.rate * spec.duration_s));
    double bound = spec.max_seconds;
    if (spec.duration_s > 0) bound = std::min(bound, spec.duration_s);
    time_bound_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(bound));
    if (spec.rate > 0) interval_ns_ = std::chrono::nanoseconds(int64_t(1e9 / spec.rate));
    raw_.samples.reserve(size_t(std::min<uint64_t>(limit_, 4'000'000)));
  }

  PhaseRaw run() {
    auto ex = ioc_.get_executor();
    int n = std::max(1, spec_.concurrency);
    connections_.resize(size_t(n));
    // Open every connection first; the phase clock starts once they are all up.
    for (int i = 0; i < n; ++i) asio::co_spawn(ex, open_one(size_t(i)), asio::detached);
    ioc_.run();
    ioc_.restart();
    for (auto& c : connections_)
      if (c) ++raw_.connections;
    if (raw_.connections == 0) return std::move(raw_);
    t0_ = Clock::now();
    raw_.t0 = t0_;
    running_ = raw_.connections;
    uint64_t seed = spec_.seed;
    in_flight_since_.assign(connections_.size(), Clock::time_point{});
    timed_out_.assign(connections_.size(), false);
    for (size_t i = 0; i < connections_.size(); ++i)
      if (connections_[i]) asio::co_spawn(ex, worker(i, seed++), asio::detached);
    asio::co_spawn(ex, watchdog(), asio::detached);
    if (progress_) asio::co_spawn(ex, report_progress(), asio::detached);
    ioc_.run();
    if (progress_) final_progress();
    for (auto& c : connections_)
      if (c) c->close();
    return std::move(raw_);
  }

 private:
  Task<void> open_one(size_t i) {
    auto conn = target_.connect(ioc_.get_executor());
    Outcome o = co_await conn->open();
    if (o.ok) {
      connections_[i] = std::move(conn);
    } else if (raw_.open_error.empty()) {
      raw_.open_error = o.error;
    }
  }

  Task<void> worker(size_t index, uint64_t seed) {
    Connection& conn = *connections_[index];
    std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 1);
    asio::steady_timer timer(ioc_.get_executor());
    Statement st;
    const bool inline_params = target_.inline_params();
    const std::string strategy = spec_.strategy;
    for (;;) {
      if (next_ >= limit_) break;
      Clock::time_point now = Clock::now();
      if (now - t0_ >= time_bound_) {
        raw_.time_bound_hit = true;
        break;
      }
      uint64_t i = next_++;
      spec_.mix->draw(rng, spec_.context, inline_params, st);
      Clock::time_point start = now;
      if (interval_ns_.count() > 0) {
        start = t0_ + interval_ns_ * int64_t(i);
        if (start > now) {
          timer.expires_at(start);
          co_await timer.async_wait(kNoThrowAwait);
        }
      }
      in_flight_since_[index] = Clock::now();
      Outcome out = co_await conn.execute(st, strategy);
      Clock::time_point end = Clock::now();
      in_flight_since_[index] = Clock::time_point{};
      if (timed_out_[index]) {
        timed_out_[index] = false;
        out = Outcome{};
        out.error = "timeout";
        out.broken = true;
      }
      record(st.is_read, start, end, out);
      if (out.broken) {
        conn.close();
        Outcome reopened = co_await conn.open();
        if (!reopened.ok) {
          // Count it and back off a little: a dead endpoint must not turn into a busy loop.
          ++raw_.errors["reconnect: " + reopened.error];
          timer.expires_after(std::chrono::milliseconds(100));
          co_await timer.async_wait(kNoThrowAwait);
          // The statement slot stays consumed: the count bound still ends the loop.
        }
      }
    }
    if (--running_ == 0) ioc_.stop();
  }

  // Aborts (closes) a connection whose request has run longer than the target's timeout; its
  // worker then sees an error, counts a timeout and reconnects.
  Task<void> watchdog() {
    asio::steady_timer timer(ioc_.get_executor());
    while (running_ > 0) {
      timer.expires_after(std::chrono::milliseconds(200));
      co_await timer.async_wait(kNoThrowAwait);
      Clock::time_point now = Clock::now();
      for (size_t i = 0; i < connections_.size(); ++i) {
        if (!connections_[i] || in_flight_since_[i] == Clock::time_point{}) continue;
        if (now - in_flight_since_[i] > target_.request_timeout && !timed_out_[i]) {
          timed_out_[i] = true;
          connections_[i]->close();
        }
      }
    }
  }

  void record(bool is_read, Clock::time_point start, Clock::time_point end, const Outcome& out) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    if (ns < 0) ns = 0;
    Sample s;
    s.t_s = float(std::chrono::duration<double>(end - t0_).count());
    s.latency_ms = float(double(ns) / 1e6);
    s.ok = out.ok;
    raw_.samples.push_back(s);
    raw_.wall_s = std::max(raw_.wall_s, double(s.t_s));
    (is_read ? raw_.reads : raw_.writes)++;
    if (out.ok) {
      ++raw_.ok;
      raw_.latency_ns.record(uint64_t(ns));
      if (!out.served_by.empty())
        ++(is_read ? raw_.served_reads : raw_.served_writes)[out.served_by];
      raw_.max_insert_id = std::max(raw_.max_insert_id, out.last_insert_id);
    } else {
      ++raw_.failed;
      ++raw_.errors[out.error.empty() ? std::string("unknown") : out.error];
    }
    ++done_;
  }

  Task<void> report_progress() {
    asio::steady_timer timer(ioc_.get_executor());
    ProgressInfo info;
    info.phase = &spec_.name;
    info.total = spec_.requests ? limit_ : 0;
    info.duration_s = spec_.duration_s;
    while (running_ > 0) {
      info.done = done_;
      info.elapsed_s = std::chrono::duration<double>(Clock::now() - t0_).count();
      progress_(info);
      timer.expires_after(std::chrono::milliseconds(100));
      co_await timer.async_wait(kNoThrowAwait);
    }
  }

  void final_progress() {
    ProgressInfo info;
    info.phase = &spec_.name;
    info.total = spec_.requests ? limit_ : 0;
    info.duration_s = spec_.duration_s;
    info.done = done_;
    info.elapsed_s = raw_.wall_s;
    progress_(info);
  }

  static constexpr auto kNoThrowAwait = asio::as_tuple(asio::use_awaitable);

  Target& target_;
  const PhaseSpec& spec_;
  const ProgressFn& progress_;
  asio::io_context ioc_{1};
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Clock::time_point> in_flight_since_;
  std::vector<bool> timed_out_;
  PhaseRaw raw_;
  uint64_t limit_ = 0;
  uint64_t next_ = 0;
  uint64_t done_ = 0;
  int running_ = 0;
  Clock::time_point t0_;
  Clock::duration time_bound_{};
  std::chrono::nanoseconds interval_ns_{0};
};

}  // namespace

PhaseRaw run_phase(Target& target, const PhaseSpec& spec, const ProgressFn& progress) {
  PhaseRun run(target, spec, progress);
  return run.run();
}

}  // namespace gh::bench
