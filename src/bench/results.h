// Results: what a bench run and a sysbench comparison found, as plain data that the text, JSON
// and HTML reports render. A RunResult is also saved as JSON (OUT/bench-last.json), so that
// `gatehouse bench sysbench` can rebuild the HTML report with the latest bench run in it;
// SysbenchResult is saved as OUT/bench-sysbench.json.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/runner.h"
#include "common/error.h"

namespace gh::bench {

struct LatencySummary {
  uint64_t count = 0;
  double mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};

// One slice of "latency over time".
struct TimelinePoint {
  double t_s = 0;  // end of the slice, seconds of load since the run started (phases back to back)
  uint64_t count = 0;
  uint64_t errors = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

struct NodeDelta {
  uint64_t reads = 0, writes = 0;
};

struct PhaseResult {
  std::string name;      // "write", "read-direct", ...
  std::string kind;      // "write" | "read" | "mix"
  std::string strategy;  // "" for writes
  int concurrency = 0, connections = 0;
  double target_rate = 0;  // open loop; 0: closed
  uint64_t completed = 0, ok = 0, failed = 0, reads = 0, writes = 0;
  double wall_s = 0, throughput = 0;  // completed requests per second
  LatencySummary latency;
  std::map<std::string, uint64_t> errors;
  std::map<std::string, uint64_t> served_reads, served_writes;  // from the responses
  bool proxy_delta_valid = false;
  std::map<std::string, NodeDelta> proxy_delta;  // from the proxy's counters (after - before)
  // CPU per completed request, µs (-1: not measured).
  double client_cpu_us = -1, gatekeeper_cpu_us = -1, proxy_cpu_us = -1;
  double start_s = 0;  // where the phase starts on the timeline (previous phases' wall time)
  std::vector<TimelinePoint> timeline;
  std::string open_error;  // no connection could be opened
};

struct RunResult {
  std::string timestamp;  // UTC, "2026-11-21 09:12:03 UTC"
  std::string command;    // the command line
  std::string target;     // "http" | "mysql"
  std::string endpoint;
  std::string scenario;  // one line describing the phases
  int concurrency = 0;
  uint64_t requests = 0;  // per phase (0: time-bound)
  double duration_s = 0, rate = 0;
  std::string machine;  // "2 CPUs, load 0.52 0.61 0.70"
  std::vector<PhaseResult> phases;
  std::vector<std::string> notes;
};

struct SysbenchRow {
  std::string workload;  // "oltp_point_select"
  std::string mode;      // "stand-alone" | "cluster"
  std::string endpoint;  // "127.0.0.1:3307 (source)"
  double qps = 0, tps = 0, p95_ms = 0;
  uint64_t queries = 0, errors = 0, reconnects = 0;
  double seconds = 0;
  bool ran = false;
  std::string failure;  // why it did not run / failed
};

struct SysbenchResult {
  std::string timestamp;
  int threads = 0, time_s = 0, tables = 0, table_size = 0;
  std::string sysbench_version;
  std::string machine;
  std::vector<SysbenchRow> rows;
};

// Turns a phase's raw measurements into its summary; `slice_s` is the timeline resolution.
PhaseResult summarize(const PhaseSpec& spec, const PhaseRaw& raw, double start_s, double slice_s);
// A slice width that gives about 100 slices over `total_s` (at least 1 ms, a "nice" value).
double timeline_slice(double total_s);

boost::json::value to_json(const RunResult& r);
boost::json::value to_json(const SysbenchResult& r);
Result<RunResult> run_from_json(const boost::json::value& v);
Result<SysbenchResult> sysbench_from_json(const boost::json::value& v);

}  // namespace gh::bench
