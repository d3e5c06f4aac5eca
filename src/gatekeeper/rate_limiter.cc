// RateLimiter: per-principal token buckets with lazy refill and a periodic sweep of idle,
// full buckets (see rate_limiter.h).
#include "gatekeeper/rate_limiter.h"

#include <algorithm>

namespace gh::gatekeeper {
namespace {

constexpr auto kIdle = std::chrono::seconds(60);
// Refill sums many small increments: a token that is due must not be lost to rounding.
constexpr double kEpsilon = 1e-9;

double effective_burst(double rate_per_s, double burst) {
  return burst >= 1 ? burst : std::max(1.0, rate_per_s);
}

double seconds_between(RateLimiter::Clock::time_point from, RateLimiter::Clock::time_point to) {
  if (to <= from) return 0;  // an injected clock may go backwards: no refill
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

bool RateLimiter::try_acquire(std::string_view principal, double rate_per_s, double burst,
                              Clock::time_point now) {
  if (!(rate_per_s > 0)) return true;  // also NaN
  burst = effective_burst(rate_per_s, burst);
  std::lock_guard lock(mu_);
  if (now - last_sweep_ >= kIdle) {
    last_sweep_ = now;
    // A bucket idle for a minute that would be full by now carries no state: drop it.
    std::erase_if(buckets_, [&](const auto& entry) {
      const Bucket& b = entry.second;
      return now - b.last >= kIdle && b.tokens + seconds_between(b.last, now) * b.rate >= b.burst;
    });
  }
  auto [it, inserted] = buckets_.try_emplace(std::string(principal));
  Bucket& b = it->second;
  if (inserted) {
    b.tokens = burst;
  } else {
    b.tokens = std::min(burst, b.tokens + seconds_between(b.last, now) * rate_per_s);
  }
  b.last = std::max(b.last, now);  // a new bucket's `last` is the clock's epoch
  b.rate = rate_per_s;
  b.burst = burst;
  if (b.tokens >= 1 - kEpsilon) {
    b.tokens = std::max(0.0, b.tokens - 1);
    return true;
  }
  return false;
}

double RateLimiter::retry_after_s(std::string_view principal, double rate_per_s,
                                  Clock::time_point now) const {
  if (!(rate_per_s > 0)) return 0;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(principal));
  if (it == buckets_.end()) return 0;
  const Bucket& b = it->second;
  double tokens = std::min(b.burst, b.tokens + seconds_between(b.last, now) * rate_per_s);
  return tokens >= 1 - kEpsilon ? 0 : (1 - tokens) / rate_per_s;
}

}  // namespace gh::gatekeeper
