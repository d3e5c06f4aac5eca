// RateLimiter: one token bucket per principal (API key id or MySQL front user), shared by the
// gatekeeper's worker threads. A bucket holds up to `burst` tokens and refills at `rate_per_s`;
// each request takes one. Buckets idle for a minute are dropped so the map stays small.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace gh::gatekeeper {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // True if a token was available (and took it). rate_per_s <= 0: always true. A new (or
  // dropped) bucket starts full; burst < 1 counts as max(1, rate_per_s).
  bool try_acquire(std::string_view principal, double rate_per_s, double burst,
                   Clock::time_point now = Clock::now());
  // Seconds until one token is available (for Retry-After), given the same parameters.
  double retry_after_s(std::string_view principal, double rate_per_s,
                       Clock::time_point now = Clock::now()) const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
    double rate = 0;  // the parameters of the last try_acquire()
    double burst = 0;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_sweep_{};
};

}  // namespace gh::gatekeeper
