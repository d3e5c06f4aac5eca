// Histogram: bucket arithmetic, and quantiles within 1 % of the exact (nearest-rank) percentiles
// of recorded data, for several latency-like distributions; HdrHistogram-style correction.
#include "bench/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace gh::bench {
namespace {

uint64_t exact_quantile(std::vector<uint64_t> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = size_t(std::ceil(q * double(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

TEST(Histogram, BucketsAreContiguousAndNarrow) {
  // Every value maps to a bucket whose range contains it; ranges are adjacent; widths <= 1/128.
  const uint64_t values[] = {0,
                             1,
                             255,
                             256,
                             257,
                             511,
                             512,
                             1000,
                             123456789,
                             (uint64_t(1) << 40) + 12345,
                             Histogram::kMaxValue};
  for (uint64_t v : values) {
    size_t i = Histogram::index_of(v);
    uint64_t lo = Histogram::lowest_of(i), w = Histogram::width_of(i);
    EXPECT_LE(lo, v) << v;
    EXPECT_LT(v, lo + w) << v;
    if (v >= 256) {
      EXPECT_LE(double(w) / double(lo), 1.0 / 128 + 1e-12) << v;
    }
  }
  for (size_t i = 1; i < 5000; ++i)
    ASSERT_EQ(Histogram::lowest_of(i - 1) + Histogram::width_of(i - 1), Histogram::lowest_of(i))
        << i;
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 200; ++v) h.record(v);
  EXPECT_EQ(h.count(), 200u);
  EXPECT_EQ(h.value_at_quantile(0.5), 100u);
  EXPECT_EQ(h.value_at_quantile(0.99), 198u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 200u);
  EXPECT_DOUBLE_EQ(h.mean(), 100.5);
}

struct Distribution {
  const char* name;
  std::function<uint64_t(std::mt19937_64&)> draw;
};

TEST(Histogram, QuantilesWithinOnePercentOfExact) {
  std::vector<Distribution> dists = {
      {"uniform 50us-5ms",
       [](std::mt19937_64& r) {
         return std::uniform_int_distribution<uint64_t>(50'000, 5'000'000)(r);
       }},
      {"lognormal around 400us",
       [](std::mt19937_64& r) {
         return uint64_t(std::lognormal_distribution<double>(std::log(4e5), 0.6)(r));
       }},
      {"bimodal with a 2 s tail",
       [](std::mt19937_64& r) {
         return std::bernoulli_distribution(0.995)(r)
                    ? uint64_t(std::normal_distribution<double>(3e5, 5e4)(r))
                    : uint64_t(std::uniform_real_distribution<double>(1e9, 2e9)(r));
       }},
      {"exponential 1ms",
       [](std::mt19937_64& r) {
         return uint64_t(std::exponential_distribution<double>(1e-6)(r)) + 1;
       }},
  };
  for (const auto& d : dists) {
    std::mt19937_64 rng(7);
    Histogram h;
    std::vector<uint64_t> values;
    for (int i = 0; i < 200'000; ++i) {
      uint64_t v = d.draw(rng);
      values.push_back(v);
      h.record(v);
    }
    for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999}) {
      double exact = double(exact_quantile(values, q));
      double got = double(h.value_at_quantile(q));
      EXPECT_LE(std::fabs(got - exact) / exact, 0.01)
          << d.name << " q=" << q << " exact=" << exact << " got=" << got;
    }
    EXPECT_EQ(h.max(), *std::max_element(values.begin(), values.end())) << d.name;
    double sum = 0;
    for (uint64_t v : values) sum += double(v);
    EXPECT_NEAR(h.mean(), sum / double(values.size()), 1e-6 * h.mean()) << d.name;
  }
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  Histogram a, b, all;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 10000; ++i) {
    uint64_t v = std::uniform_int_distribution<uint64_t>(1, 1'000'000'000)(rng);
    (i % 2 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double q : {0.5, 0.9, 0.99}) EXPECT_EQ(a.value_at_quantile(q), all.value_at_quantile(q));
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.min(), all.min());
}

TEST(Histogram, CorrectedRecordingFillsInTheStall) {
  // A closed-loop client that expects a request every 1 ms and saw one take 100 ms missed 99
  // requests that would have waited 99, 98, ..., 1 ms: HdrHistogram adds them.
  Histogram h;
  for (int i = 0; i < 900; ++i) h.record_corrected(1'000'000, 1'000'000);  // 1 ms each
  h.record_corrected(100'000'000, 1'000'000);                              // one 100 ms stall
  EXPECT_EQ(h.count(), 900u + 100u);
  // Without correction p99 would be 1 ms; with it, the 11th-slowest of 1000 is 90 ms.
  double p99_ms = double(h.value_at_quantile(0.99)) / 1e6;
  EXPECT_NEAR(p99_ms, 90.0, 1.0);
  EXPECT_EQ(h.max(), 100'000'000u);
}

TEST(Histogram, HugeValuesAreClamped) {
  Histogram h;
  h.record(~uint64_t(0));
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
  EXPECT_EQ(h.count(), 1u);
}

}  // namespace
}  // namespace gh::bench
