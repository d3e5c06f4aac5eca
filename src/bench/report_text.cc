// Text reports of bench runs and sysbench comparisons (see report_text.h).
#include "bench/report_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

namespace gh::bench {
namespace {

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

}  // namespace

std::string fmt_count(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  int k = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++k) {
    if (k && k % 3 == 0) out += ',';
    out += *it;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string fmt_rate(double per_s) {
  if (per_s < 100) return fmt::format("{:.1f}", per_s);
  return fmt_count(uint64_t(std::llround(per_s)));
}

std::string fmt_ms(double ms) {
  if (ms < 10) return fmt::format("{:.2f}", ms);
  if (ms < 100) return fmt::format("{:.1f}", ms);
  return fmt_count(uint64_t(std::llround(ms)));
}

std::string phase_label(const PhaseResult& p) {
  if (p.strategy.empty()) return p.name;
  return p.name;
}

std::vector<std::string> node_names(const RunResult& run) {
  std::set<std::string> names;
  for (const auto& p : run.phases) {
    for (const auto& [n, c] : p.served_reads) names.insert(n);
    for (const auto& [n, c] : p.served_writes) names.insert(n);
    for (const auto& [n, d] : p.proxy_delta) names.insert(n);
  }
  std::vector<std::string> out;
  if (names.erase("source")) out.push_back("source");
  for (const auto& n : names) out.push_back(n);
  return out;
}

namespace {

std::string cpu_cell(double v) { return v < 0 ? std::string("—") : fmt::format("{:.1f}", v); }

std::string share(uint64_t n, uint64_t total) {
  if (total == 0) return "—";
  return fmt::format("{} ({:.0f}%)", fmt_count(n), 100.0 * double(n) / double(total));
}

}  // namespace

std::string render_run_text(const RunResult& run) {
  std::string out;
  put(out, "target    {} {}\n", run.target, run.endpoint);
  put(out, "scenario  {}\n", run.scenario);
  put(out, "load      concurrency {}, {}\n", run.concurrency,
      run.rate > 0 ? fmt::format("open loop at {} req/s (latency from the scheduled send time)",
                                 fmt_rate(run.rate))
                   : std::string("closed loop (latency from the actual send time)"));
  put(out, "machine   {}\n", run.machine);
  put(out, "command   {}\n\n", run.command);

  put(out, "{:<18} {:<10} {:>7} {:>6} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", "phase",
      "strategy", "done", "errors", "req/s", "mean", "p50", "p90", "p99", "p99.9", "max");
  for (const auto& p : run.phases) {
    put(out, "{:<18} {:<10} {:>7} {:>6} {:>9} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n", p.name,
        p.strategy.empty() ? "-" : p.strategy, fmt_count(p.completed), fmt_count(p.failed),
        fmt_rate(p.throughput), fmt_ms(p.latency.mean_ms), fmt_ms(p.latency.p50_ms),
        fmt_ms(p.latency.p90_ms), fmt_ms(p.latency.p99_ms), fmt_ms(p.latency.p999_ms),
        fmt_ms(p.latency.max_ms));
  }
  put(out, "(latency in ms, successful requests only; req/s counts every completed request)\n\n");

  std::vector<std::string> nodes = node_names(run);
  put(out, "which nodes served the statements\n");
  put(out, "{:<18} {:<7} {:<15}", "phase", "kind", "according to");
  for (const auto& n : nodes) put(out, " {:>15}", n);
  put(out, "\n");
  for (const auto& p : run.phases) {
    bool reads = p.kind != "write";
    const auto& served = reads ? p.served_reads : p.served_writes;
    uint64_t served_total = 0, proxy_total = 0;
    for (const auto& [n, c] : served) served_total += c;
    for (const auto& [n, d] : p.proxy_delta) proxy_total += reads ? d.reads : d.writes;
    put(out, "{:<18} {:<7} {:<15}", p.name, reads ? "reads" : "writes", "responses");
    for (const auto& n : nodes)
      put(out, " {:>15}",
          served_total ? share(served.count(n) ? served.at(n) : 0, served_total) : "n/a");
    put(out, "\n{:<18} {:<7} {:<15}", "", "", "proxy counters");
    for (const auto& n : nodes) {
      uint64_t c = 0;
      if (auto it = p.proxy_delta.find(n); it != p.proxy_delta.end())
        c = reads ? it->second.reads : it->second.writes;
      put(out, " {:>15}", p.proxy_delta_valid ? share(c, proxy_total) : "n/a");
    }
    put(out, "\n");
  }
  put(out,
      "(responses: the served_by field of each reply; proxy counters: the change in the "
      "proxy's per-node counters over the phase{})\n",
      run.target == "mysql" ? "; MySQL replies do not name the node" : "");
  put(out, "\n");

  bool any_errors = false;
  for (const auto& p : run.phases) {
    for (const auto& [code, n] : p.errors) {
      if (!any_errors) put(out, "errors by code\n");
      any_errors = true;
      put(out, "  {:<18} {:>7} × {}\n", p.name, fmt_count(n), code);
    }
    if (!p.open_error.empty()) put(out, "  {:<18} could not connect: {}\n", p.name, p.open_error);
  }
  if (!any_errors) put(out, "errors by code: none\n");
  put(out, "\n");

  std::string server = run.target == "http" ? "gatekeeper" : "proxy";
  put(out, "CPU per request (µs): client (this bench process) vs {}{}\n", server,
      run.target == "http" ? " (and the proxy behind it)" : "");
  put(out, "{:<18} {:>10} {:>12} {:>10}\n", "phase", "client", "gatekeeper", "proxy");
  for (const auto& p : run.phases)
    put(out, "{:<18} {:>10} {:>12} {:>10}\n", p.name, cpu_cell(p.client_cpu_us),
        cpu_cell(p.gatekeeper_cpu_us), cpu_cell(p.proxy_cpu_us));
  for (const auto& n : run.notes) put(out, "note: {}\n", n);
  return out;
}

std::string render_sysbench_text(const SysbenchResult& sb) {
  std::string out;
  put(out, "sysbench {}: {} threads, {} s per run, {} table(s) × {} rows\n", sb.sysbench_version,
      sb.threads, sb.time_s, sb.tables, fmt_count(uint64_t(sb.table_size)));
  put(out, "machine   {}\n", sb.machine);
  std::set<std::string> seen;
  std::vector<std::string> workloads;
  for (const auto& r : sb.rows)
    if (seen.insert(r.workload).second) workloads.push_back(r.workload);
  put(out, "\n{:<20} | {:<34} | {:<34} |\n", "", "stand-alone (source only)",
      "cluster (through the proxy)");
  put(out, "{:<20} | {:>9} {:>8} {:>8} {:>6} | {:>9} {:>8} {:>8} {:>6} | {:>8}\n", "workload",
      "QPS", "TPS", "p95 ms", "errors", "QPS", "TPS", "p95 ms", "errors", "QPS ratio");
  for (const auto& w : workloads) {
    const SysbenchRow* a = nullptr;
    const SysbenchRow* b = nullptr;
    for (const auto& r : sb.rows) {
      if (r.workload != w) continue;
      (r.mode == "stand-alone" ? a : b) = &r;
    }
    auto cells = [&](const SysbenchRow* r) {
      if (!r || !r->ran) return fmt::format("{:>9} {:>8} {:>8} {:>6}", "failed", "", "", "");
      return fmt::format("{:>9} {:>8} {:>8} {:>6}", fmt_rate(r->qps), fmt_rate(r->tps),
                         fmt_ms(r->p95_ms), fmt_count(r->errors));
    };
    std::string ratio = a && b && a->ran && b->ran && a->qps > 0
                            ? fmt::format("{:.2f}×", b->qps / a->qps)
                            : std::string("—");
    put(out, "{:<20} | {} | {} | {:>8}\n", w, cells(a), cells(b), ratio);
  }
  for (const auto& r : sb.rows)
    if (!r.failure.empty()) put(out, "  {} {}: {}\n", r.workload, r.mode, r.failure);
  for (const auto& r : sb.rows)
    if (r.mode == "stand-alone") {
      put(out, "stand-alone: {}\n", r.endpoint);
      break;
    }
  for (const auto& r : sb.rows)
    if (r.mode == "cluster") {
      put(out, "cluster:     {}\n", r.endpoint);
      break;
    }
  return out;
}

std::string log_block(const std::string& title, const std::string& timestamp,
                      const std::string& body) {
  std::string rule(100, '=');
  return fmt::format("{}\n{} — {}\n{}\n{}\n", rule, title, timestamp, rule, body);
}

Status append_file(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out) return fail(Errc::kIo);
  out.write(text.data(), std::streamsize(text.size()));
  if (!out) return fail(Errc::kIo);
  return {};
}

}  // namespace gh::bench
