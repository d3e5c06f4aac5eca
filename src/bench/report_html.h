// The HTML report (OUT/bench-report.html): one self-contained file (inline CSS and SVG, no
// scripts, fonts or links to fetch) with the latest bench run and, when present, the latest
// sysbench stand-alone vs cluster comparison. Chart ids are stable (tests look for them):
//   chart-throughput, chart-latency-percentiles, chart-latency-over-time, chart-read-share,
//   chart-cpu, chart-sysbench (only with a sysbench result).
#pragma once

#include <string>

#include "bench/results.h"

namespace gh::bench {

std::string render_html(const RunResult* run, const SysbenchResult* sysbench);

// Colors shared by the charts (stable per name).
std::string strategy_color(std::string_view strategy_or_kind);
std::string node_color(std::string_view node, size_t index);

}  // namespace gh::bench
