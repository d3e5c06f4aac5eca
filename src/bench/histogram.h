// Histogram: a small HdrHistogram-style latency histogram of non-negative integers (the bench
// records nanoseconds). Buckets are log-linear: values below 256 are exact; above, each power of
// two is split into 128 equal sub-buckets, so a bucket's width is at most 1/128 of its lower
// bound and a reported value (the bucket's midpoint, clamped to the exact min/max) is within
// 1/256 (< 0.4 %) of any value recorded in that bucket. Values above kMaxValue are clamped.
//
// record_corrected() is HdrHistogram's recordValueWithExpectedInterval: for a closed-loop client
// that stalled, it adds the samples the stall kept it from sending. The open-loop runner does not
// need it (it measures from each request's scheduled send time instead).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gh::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 8;                       // 256 sub-buckets, half of them used
  static constexpr uint64_t kHalf = 1u << (kSubBits - 1);  // 128
  static constexpr int kMaxMagnitude = 44;                 // 2^44 ns ≈ 4.9 hours
  static constexpr uint64_t kMaxValue = (uint64_t(1) << kMaxMagnitude) - 1;

  Histogram();

  void record(uint64_t value, uint64_t count = 1);
  // Records `value`, plus value - k*interval for every k while that is >= interval.
  void record_corrected(uint64_t value, uint64_t expected_interval);
  void merge(const Histogram& other);
  void reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? double(sum_) / double(count_) : 0.0; }
  // The value at quantile q in [0, 1] (nearest rank: the ceil(q*n)-th smallest value), to within
  // the bucket resolution; 0 when empty.
  uint64_t value_at_quantile(double q) const;

  // Bucket arithmetic (public for tests).
  static size_t index_of(uint64_t value);
  static uint64_t lowest_of(size_t index);
  static uint64_t width_of(size_t index);

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = ~uint64_t(0);
  uint64_t max_ = 0;
};

}  // namespace gh::bench
