// Progress: the live progress line bench draws on stderr when stderr is a terminal: the phase,
// a bar, requests done, the current rate (over the last second) and the ETA. Redrawn in place
// (carriage return) at most every 100 ms; finish() ends the line. Disabled: does nothing.
#pragma once

#include <chrono>
#include <deque>
#include <string>

#include "bench/runner.h"

namespace gh::bench {

class Progress {
 public:
  // Enabled when `wanted` and stderr is a terminal.
  explicit Progress(bool wanted);
  bool enabled() const { return enabled_; }
  void update(const ProgressInfo& info);
  void finish();  // ends the current line (keeps the final state visible)

  // The line for `info` at `rate` req/s, `width` bar cells (exposed for tests).
  static std::string render(const ProgressInfo& info, double rate, int width);

 private:
  bool enabled_ = false;
  bool drawn_ = false;
  std::deque<std::pair<double, uint64_t>> window_;  // (elapsed_s, done) over the last second
  std::string last_phase_;
};

}  // namespace gh::bench
