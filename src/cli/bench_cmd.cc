// `gatehouse bench`: load-tests the local cluster through the gatekeeper's HTTP API (default) or
// the proxy's MySQL port, and `gatehouse bench sysbench`: stand-alone vs cluster with sysbench.
// The work is in src/bench/ (bench.h, sysbench_runner.h). Exit codes: 0 ok, 1 a phase or run
// failed, 2 bad usage or no usable cluster.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "bench/bench.h"
#include "bench/cluster_info.h"
#include "bench/sysbench_runner.h"
#include "cli/commands.h"
#include "config/config.h"

namespace gh::cli {
namespace {

struct BenchFlags {
  std::string dir, config_file;
  CLI::Option* dir_opt = nullptr;
  bench::BenchOptions bench;
  bench::SysbenchOptions sysbench;
  CLI::Option* requests_opt = nullptr;
  CLI::App* sysbench_cmd = nullptr;
  bool no_progress = false;
};

std::string command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string raw = ss.str(), out;
  for (char c : raw) out += c ? c : ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (auto slash = out.find("gatehouse "); slash != std::string::npos) {
    size_t start = out.rfind('/', slash);
    if (start != std::string::npos && out.find(' ') > start) out = out.substr(start + 1);
  }
  return out;
}

std::optional<bench::ClusterInfo> cluster_info(const BenchFlags& f, const char* who) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) {
    fmt::print(stderr, "gatehouse {}: {}\n", who, config.error().message);
    return std::nullopt;
  }
  auto info = bench::load_cluster_info(*config);
  if (!info) {
    fmt::print(stderr, "gatehouse {}: {}\n", who, info.error());
    return std::nullopt;
  }
  return *info;
}

int run_bench_cmd(BenchFlags& f) {
  bench::BenchOptions& o = f.bench;
  if (o.duration_s > 0 && !f.requests_opt->count()) o.requests = 0;  // time-bound only
  if (o.requests == 0 && o.duration_s <= 0) {
    fmt::print(stderr, "gatehouse bench: --requests must be at least 1 (or give --duration)\n");
    return 2;
  }
  o.progress = !f.no_progress;
  o.command_line = command_line();
  auto info = cluster_info(f, "bench");
  if (!info) return 2;
  return bench::run_bench(o, *info);
}

int run_sysbench_cmd(BenchFlags& f) {
  f.sysbench.out_dir = f.bench.out_dir;
  f.sysbench.quiet = f.bench.quiet;
  f.sysbench.json = f.bench.json;
  auto info = cluster_info(f, "bench sysbench");
  if (!info) return 2;
  return bench::run_sysbench_compare(f.sysbench, *info);
}

}  // namespace

void register_bench(CLI::App& app) {
  auto f = std::make_shared<BenchFlags>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Benchmark the local cluster: by default 4,000 HTTP requests through the gatekeeper "
      "(1,000 writes, then 1,000 reads per strategy); writes benchmark_log.txt and "
      "bench-report.html");
  cmd->require_subcommand(0, 1);
  f->dir_opt = cmd->add_option("--dir", f->dir, "Cluster directory (default ./run)");
  cmd->add_option("--config", f->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
  cmd->add_option("--out", f->bench.out_dir,
                  "Where benchmark_log.txt and bench-report.html go (default: DIR)");
  cmd->add_flag("--quiet", f->bench.quiet, "Print nothing but errors");
  cmd->add_flag("--json", f->bench.json, "Print the results as JSON on stdout");
  cmd->add_option("--target", f->bench.target,
                  "http (the gatekeeper, default) or mysql (the proxy)")
      ->check(CLI::IsMember({"http", "mysql"}));
  f->requests_opt =
      cmd->add_option("--requests", f->bench.requests, "Requests per phase (default 1000)")
          ->check(CLI::Range(uint64_t(1), uint64_t(100'000'000)));
  cmd->add_option("--concurrency", f->bench.concurrency, "Concurrent connections (default 8)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--duration", f->bench.duration_s,
                  "Seconds per phase (with --requests: whichever ends first)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--rate", f->bench.rate,
                  "Open loop: requests/s per phase; latency counts from each request's "
                  "scheduled send time (default: closed loop)")
      ->check(CLI::Range(0.1, 10'000'000.0));
  auto* ratio = cmd->add_option("--read-ratio", f->bench.read_ratio,
                                "Mixed phases (one per strategy): this share of point selects, "
                                "the rest inserts")
                    ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--strategy", f->bench.strategies,
                  "Read strategies to run, comma-separated (default direct,random,customized)")
      ->delimiter(',')
      ->check(CLI::IsMember({"direct", "random", "customized"}));
  cmd->add_option("--mix", f->bench.mix_file,
                  "Query mix file: lines of `WEIGHT read|write SQL` with {id}, {int:LO:HI}, "
                  "{str:N} placeholders (see README)")
      ->excludes(ratio);
  cmd->add_option("--timeout-ms", f->bench.timeout_ms, "Per-request timeout (default 10000)")
      ->check(CLI::Range(10, 600'000));
  cmd->add_option("--seed", f->bench.seed, "Random seed for generated statements (default 42)");
  cmd->add_flag("--no-progress", f->no_progress, "No live progress bar on stderr");

  CLI::App* sb = cmd->add_subcommand(
      "sysbench",
      "Stand-alone vs cluster: sysbench oltp_point_select, oltp_read_only and oltp_read_write "
      "against the source alone and through the proxy, same threads and duration");
  sb->fallthrough();  // --dir, --out, --json ... of `bench` work after `sysbench` too
  sb->add_option("--threads", f->sysbench.threads, "sysbench threads (default 4)")
      ->check(CLI::Range(1, 1024));
  sb->add_option("--time", f->sysbench.time_s, "Seconds per workload and way (default 10)")
      ->check(CLI::Range(1, 3600));
  sb->add_option("--table-size", f->sysbench.table_size, "Rows per table (default 10000)")
      ->check(CLI::Range(1, 100'000'000));
  sb->add_option("--tables", f->sysbench.tables, "Tables (default 2)")->check(CLI::Range(1, 64));
  f->sysbench_cmd = sb;
  sb->callback([f] { set_exit_code(run_sysbench_cmd(*f)); });
  cmd->callback([f] {
    if (f->sysbench_cmd->parsed()) return;
    set_exit_code(run_bench_cmd(*f));
  });
}

}  // namespace gh::cli
