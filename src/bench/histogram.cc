// Histogram: log-linear bucket arithmetic and quantiles (see histogram.h).
#include "bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace gh::bench {
namespace {

constexpr size_t kBucketCount =
    size_t(Histogram::kMaxMagnitude - Histogram::kSubBits + 1) * Histogram::kHalf +
    Histogram::kHalf * 2;

}  // namespace

Histogram::Histogram() : counts_(kBucketCount, 0) {}

size_t Histogram::index_of(uint64_t value) {
  if (value > kMaxValue) value = kMaxValue;
  if (value < 2 * kHalf) return size_t(value);
  int msb = 63 - std::countl_zero(value);
  int shift = msb - (kSubBits - 1);  // value >> shift lies in [128, 256)
  return size_t(shift) * kHalf + size_t(value >> shift);
}

uint64_t Histogram::lowest_of(size_t index) {
  if (index < 2 * kHalf) return index;
  size_t shift = index / kHalf - 1;
  uint64_t sub = index - shift * kHalf;  // in [128, 256)
  return sub << shift;
}

uint64_t Histogram::width_of(size_t index) {
  if (index < 2 * kHalf) return 1;
  return uint64_t(1) << (index / kHalf - 1);
}

void Histogram::record(uint64_t value, uint64_t count) {
  if (count == 0) return;
  if (value > kMaxValue) value = kMaxValue;
  counts_[index_of(value)] += count;
  count_ += count;
  sum_ += value * count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::record_corrected(uint64_t value, uint64_t expected_interval) {
  record(value);
  if (expected_interval == 0 || value <= expected_interval) return;
  for (uint64_t missing = value - expected_interval; missing >= expected_interval;
       missing -= expected_interval)
    record(missing);
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = sum_ = max_ = 0;
  min_ = ~uint64_t(0);
}

uint64_t Histogram::value_at_quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = uint64_t(std::ceil(q * double(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  if (rank == count_) return max_;
  if (rank == 1) return min_;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t mid = lowest_of(i) + width_of(i) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace gh::bench
