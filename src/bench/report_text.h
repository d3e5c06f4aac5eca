// Text reports: the human-readable tables of a bench run and of a sysbench comparison. The same
// text goes to the terminal and, as one block per run, to OUT/benchmark_log.txt.
#pragma once

#include <string>

#include "bench/results.h"

namespace gh::bench {

// Latency/throughput table, reads-by-node table, errors and CPU per request.
std::string render_run_text(const RunResult& run);
// Stand-alone vs cluster, side by side.
std::string render_sysbench_text(const SysbenchResult& sb);
// One log block: a header line with the timestamp, then the body.
std::string log_block(const std::string& title, const std::string& timestamp,
                      const std::string& body);
// Appends to FILE (creating it).
Status append_file(const std::string& path, std::string_view text);

// Helpers shared with the HTML report.
std::string fmt_ms(double ms);                  // "0.42", "12.3", "1,204"
std::string fmt_count(uint64_t n);              // "12,345"
std::string fmt_rate(double per_s);             // "1,234"
std::string phase_label(const PhaseResult& p);  // "read (random)"
// All node names that appear in any phase's responses or counters, sources first.
std::vector<std::string> node_names(const RunResult& run);

}  // namespace gh::bench
