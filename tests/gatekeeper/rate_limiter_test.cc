// RateLimiter: token buckets with an injected clock (burst, refill, Retry-After, independence
// of principals, idle buckets dropped, a clock that goes backwards) and thread safety.
#include "gatekeeper/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gh::gatekeeper {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Clock::time_point kT0 = Clock::time_point(seconds(1000));

TEST(RateLimiter, BurstThenRefill) {
  RateLimiter rl;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.try_acquire("k", 2, 3, kT0)) << i;
  EXPECT_FALSE(rl.try_acquire("k", 2, 3, kT0));
  EXPECT_DOUBLE_EQ(rl.retry_after_s("k", 2, kT0), 0.5);
  EXPECT_DOUBLE_EQ(rl.retry_after_s("k", 2, kT0 + milliseconds(250)), 0.25);
  EXPECT_FALSE(rl.try_acquire("k", 2, 3, kT0 + milliseconds(400)));
  EXPECT_TRUE(rl.try_acquire("k", 2, 3, kT0 + milliseconds(500)));
  EXPECT_FALSE(rl.try_acquire("k", 2, 3, kT0 + milliseconds(500)));
  // A long pause refills only up to the burst.
  Clock::time_point later = kT0 + seconds(30);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.try_acquire("k", 2, 3, later)) << i;
  EXPECT_FALSE(rl.try_acquire("k", 2, 3, later));
}

TEST(RateLimiter, SteadyRate) {
  RateLimiter rl;
  int granted = 0;
  // 10 s of requests every 10 ms against 5/s with burst 5: 5 + 10 * 5 = 55.
  for (int ms = 0; ms <= 10000; ms += 10) {
    if (rl.try_acquire("k", 5, 5, kT0 + milliseconds(ms))) ++granted;
  }
  EXPECT_EQ(granted, 55);
}

TEST(RateLimiter, NoLimitAndPrincipalsAreIndependent) {
  RateLimiter rl;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(rl.try_acquire("free", 0, 0, kT0));
  EXPECT_TRUE(rl.try_acquire("free", -1, 5, kT0));
  EXPECT_DOUBLE_EQ(rl.retry_after_s("free", 0, kT0), 0);
  EXPECT_TRUE(rl.try_acquire("a", 1, 1, kT0));
  EXPECT_FALSE(rl.try_acquire("a", 1, 1, kT0));
  EXPECT_TRUE(rl.try_acquire("b", 1, 1, kT0));
  EXPECT_DOUBLE_EQ(rl.retry_after_s("unknown", 1, kT0), 0);
}

TEST(RateLimiter, BurstBelowOneUsesTheRate) {
  RateLimiter rl;
  EXPECT_TRUE(rl.try_acquire("k", 0.5, 0, kT0));  // burst max(1, 0.5) = 1
  EXPECT_FALSE(rl.try_acquire("k", 0.5, 0, kT0));
  EXPECT_DOUBLE_EQ(rl.retry_after_s("k", 0.5, kT0), 2.0);
  RateLimiter r2;
  int granted = 0;
  for (int i = 0; i < 10; ++i) granted += r2.try_acquire("k", 4, 0, kT0) ? 1 : 0;
  EXPECT_EQ(granted, 4);
}

TEST(RateLimiter, ClockGoingBackwardsDoesNotRefill) {
  RateLimiter rl;
  EXPECT_TRUE(rl.try_acquire("k", 1, 1, kT0));
  EXPECT_FALSE(rl.try_acquire("k", 1, 1, kT0 - seconds(100)));
  EXPECT_FALSE(rl.try_acquire("k", 1, 1, kT0 + milliseconds(500)));
  EXPECT_TRUE(rl.try_acquire("k", 1, 1, kT0 + seconds(1)));
}

TEST(RateLimiter, IdleBucketsAreDroppedWithoutGivingExtraTokens) {
  RateLimiter rl;
  for (int i = 0; i < 5; ++i) rl.try_acquire("gone" + std::to_string(i), 10, 2, kT0);
  // A very slow bucket that is not full after a minute keeps its state.
  EXPECT_TRUE(rl.try_acquire("slow", 0.01, 5, kT0));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(rl.try_acquire("slow", 0.01, 5, kT0));
  EXPECT_FALSE(rl.try_acquire("slow", 0.01, 5, kT0));
  Clock::time_point later = kT0 + seconds(61);          // 0.61 tokens refilled
  EXPECT_TRUE(rl.try_acquire("trigger", 1, 1, later));  // sweeps
  EXPECT_FALSE(rl.try_acquire("slow", 0.01, 5, later));
  EXPECT_NEAR(rl.retry_after_s("slow", 0.01, later), 39, 0.01);
  EXPECT_DOUBLE_EQ(rl.retry_after_s("gone0", 10, later), 0);
}

TEST(RateLimiter, ConcurrentAcquireGrantsExactlyTheBurst) {
  RateLimiter rl;
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (rl.try_acquire("shared", 1, 1000, kT0)) ++granted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 1000);
}

}  // namespace
}  // namespace gh::gatekeeper
