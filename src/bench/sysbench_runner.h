// SysbenchRunner: `gatehouse bench sysbench`, the original project's "stand-alone vs cluster"
// comparison. It runs sysbench prepare / run (oltp_point_select, oltp_read_only,
// oltp_read_write) / cleanup twice with the same threads, duration and table size:
//   stand-alone: against the source alone, as the [app] account;
//   cluster:     through the proxy, as the [proxy_client] account (reads spread over replicas
//                by the user's default strategy; transactions stay on the source).
// Results go to OUT/bench-sysbench.json, a block in OUT/benchmark_log.txt, and the HTML report.
#pragma once

#include <string>
#include <vector>

#include "bench/cluster_info.h"
#include "bench/results.h"

namespace gh::bench {

struct SysbenchOptions {
  int threads = 4;
  int time_s = 10;
  int table_size = 10000;
  int tables = 2;
  std::vector<std::string> workloads = {"oltp_point_select", "oltp_read_only", "oltp_read_write"};
  std::string out_dir;  // default: the cluster dir
  std::string sysbench = "sysbench";
  bool quiet = false;
  bool json = false;
  std::string database = "gatehouse_sysbench";
};

int run_sysbench_compare(const SysbenchOptions& options, const ClusterInfo& info);

// What one `sysbench ... run` printed (exposed for tests). `ran` is false if nothing parsed.
SysbenchRow parse_sysbench_output(std::string_view text);

struct CommandResult {
  int exit_code = -1;  // -1: could not start / killed by the timeout
  std::string output;  // stdout and stderr
};
// Runs argv (no shell) with a time limit, capturing its output.
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::seconds timeout);

}  // namespace gh::bench
