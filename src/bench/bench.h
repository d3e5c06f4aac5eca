// Bench: the `gatehouse bench` scenario end to end. It prepares the bench table, runs the phases
// (by default the original project's 4,000 requests: 1,000 writes, then 1,000 reads for each of
// direct, random and customized), measures the proxy's per-node counters and the CPU time of the
// client and server processes around each phase, and writes the outputs:
//   OUT/benchmark_log.txt   one appended, human-readable block per run
//   OUT/bench-last.json     this run's results (the HTML report is rebuilt from it)
//   OUT/bench-report.html   the self-contained report (with the latest sysbench comparison)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/cluster_info.h"
#include "bench/results.h"

namespace gh::bench {

inline constexpr const char* kBenchTable = "gatehouse_bench.requests";

struct BenchOptions {
  std::string target = "http";  // http | mysql
  uint64_t requests = 1000;     // per phase; 0 with duration_s: time-bound only
  int concurrency = 8;
  double duration_s = 0;
  double rate = 0;  // open loop, req/s per phase
  std::optional<double> read_ratio;
  std::vector<std::string> strategies = {"direct", "random", "customized"};
  std::string mix_file;
  std::string out_dir;  // default: the cluster dir
  bool quiet = false;
  bool json = false;
  bool progress = true;
  std::string command_line;
  uint64_t seed = 42;
  int timeout_ms = 10000;
  double max_phase_s = 600;
};

// Runs the bench; prints the table (or JSON) and where the files are. Returns the exit code:
// 0 ok, 1 a phase had no successful request or an output could not be written, 2 bad setup
// (no endpoint, no credentials, unreadable mix).
int run_bench(const BenchOptions& options, const ClusterInfo& info);

// Rebuilds OUT/bench-report.html from OUT/bench-last.json and OUT/bench-sysbench.json (either
// may be missing). Returns the report's path, or a message.
std::expected<std::string, std::string> rebuild_report(const std::string& out_dir);

// Output file names inside OUT.
inline constexpr const char* kLogFile = "benchmark_log.txt";
inline constexpr const char* kReportFile = "bench-report.html";
inline constexpr const char* kLastRunFile = "bench-last.json";
inline constexpr const char* kSysbenchFile = "bench-sysbench.json";

}  // namespace gh::bench
