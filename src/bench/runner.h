// Runner: drives one bench phase against a Target, closed or open loop, on one thread.
//
// * Closed loop (rate == 0): `concurrency` clients each send their next request as soon as the
//   previous one completes; latency is measured from the actual send.
// * Open loop (rate > 0): request i is scheduled at t0 + i / rate, whatever happened before.
//   A client sends it at that time, or at once if it is already late (every client was busy),
//   and its latency is measured from the *scheduled* time. A stalled server therefore shows up
//   as the queueing delay its stall caused (no coordinated omission), as in wrk2/HdrHistogram.
//
// Every phase is bounded in count (`requests`) and time (`duration_s` if set, and always
// `max_seconds`).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/histogram.h"
#include "bench/mix.h"
#include "bench/target.h"

namespace gh::bench {

struct PhaseSpec {
  std::string name;      // "write", "read-random", ...
  std::string strategy;  // applied to reads; "" = the target's default
  const Mix* mix = nullptr;
  MixContext context;
  uint64_t requests = 1000;  // count bound (0: none, then duration_s must be set)
  double duration_s = 0;     // time bound (0: none)
  double rate = 0;           // open-loop rate, requests/s (0: closed loop)
  int concurrency = 8;
  double max_seconds = 600;  // safety bound on every phase
  uint64_t seed = 1;
};

// One completed request: when it completed and how long it took.
struct Sample {
  float t_s = 0;         // completion time, seconds since the phase's t0
  float latency_ms = 0;  // from the (scheduled, in open loop) send time
  bool ok = true;
};

struct ProgressInfo {
  const std::string* phase = nullptr;
  uint64_t done = 0;
  uint64_t total = 0;  // 0 when bounded by time only
  double elapsed_s = 0;
  double duration_s = 0;  // the time bound, 0 if none
};
using ProgressFn = std::function<void(const ProgressInfo&)>;

struct PhaseRaw {
  std::chrono::steady_clock::time_point t0;  // when the phase's clock started
  Histogram latency_ns;                      // successful requests only
  std::vector<Sample> samples;
  uint64_t ok = 0;
  uint64_t failed = 0;
  std::map<std::string, uint64_t> errors;                       // by error key
  uint64_t reads = 0, writes = 0;                               // completed, by statement kind
  std::map<std::string, uint64_t> served_reads, served_writes;  // from responses
  double wall_s = 0;                                            // t0 to the last completion
  int64_t max_insert_id = 0;                                    // largest last_insert_id seen
  int connections = 0;                                          // connections that opened
  std::string open_error;  // why no connection opened, if none did
  bool time_bound_hit = false;
};

PhaseRaw run_phase(Target& target, const PhaseSpec& spec, const ProgressFn& progress = {});

}  // namespace gh::bench
