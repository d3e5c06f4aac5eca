// The self-contained HTML report (see report_html.h).
#include "bench/report_html.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "bench/report_text.h"
#include "bench/svg_chart.h"

namespace gh::bench {
namespace {

using svg::escape;

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

constexpr const char* kCss = R"(
body{margin:0;background:#f6f7f9;color:#111827;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;padding-top:8px;border-top:1px solid #e5e7eb}
.sub{color:#4b5563;margin:0 0 16px}
dl.cfg{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;background:#fff;padding:12px 16px;border:1px solid #e5e7eb;border-radius:8px}
dl.cfg dt{color:#6b7280}dl.cfg dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e5e7eb;border-radius:8px;overflow:hidden;margin:8px 0}
th,td{padding:6px 10px;border-bottom:1px solid #f0f1f3;text-align:right;white-space:nowrap}
th{background:#f9fafb;color:#374151;font-weight:600}td:first-child,th:first-child{text-align:left}
td.l,th.l{text-align:left}
figure{margin:16px 0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:8px 8px 4px}
figcaption{color:#4b5563;font-size:12.5px;padding:4px 8px 6px}
.note{color:#4b5563;font-size:13px}.bad{color:#b91c1c}.ok{color:#047857}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;background:#eef0f3;padding:1px 4px;border-radius:4px}
)";

double nan() { return std::nan(""); }

std::string pct(uint64_t n, uint64_t total) {
  if (!total) return "—";
  return fmt::format("{} <span class=\"note\">({:.0f}%)</span>", fmt_count(n),
                     100.0 * double(n) / double(total));
}

void run_section(std::string& out, const RunResult& run) {
  put(out, "<h2>Configuration</h2>\n<dl class=\"cfg\">\n");
  auto row = [&](const char* k, const std::string& v) {
    put(out, "<dt>{}</dt><dd>{}</dd>\n", k, escape(v));
  };
  row("when", run.timestamp);
  row("target", run.target + "  " + run.endpoint);
  row("scenario", run.scenario);
  row("load", fmt::format("concurrency {}, {}", run.concurrency,
                          run.rate > 0 ? fmt::format("open loop at {} req/s", fmt_rate(run.rate))
                                       : std::string("closed loop")));
  row("machine", run.machine);
  row("command", run.command);
  out += "</dl>\n";

  out +=
      "<h2>Results per phase</h2>\n<table id=\"table-phases\">\n<tr><th>phase</th>"
      "<th class=\"l\">strategy</th><th>done</th><th>errors</th><th>req/s</th><th>mean</th>"
      "<th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n";
  for (const auto& p : run.phases) {
    put(out,
        "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        escape(p.name), p.strategy.empty() ? "—" : escape(p.strategy), fmt_count(p.completed),
        p.failed ? "bad" : "", fmt_count(p.failed), fmt_rate(p.throughput),
        fmt_ms(p.latency.mean_ms), fmt_ms(p.latency.p50_ms), fmt_ms(p.latency.p90_ms),
        fmt_ms(p.latency.p99_ms), fmt_ms(p.latency.p999_ms), fmt_ms(p.latency.max_ms));
  }
  out +=
      "</table>\n<p class=\"note\">Latency in milliseconds over successful requests; req/s "
      "counts every completed request. ";
  out += run.rate > 0
             ? "Open loop: each request has a scheduled send time and its latency is measured "
               "from that time, so a stall shows up as the queueing it caused (no coordinated "
               "omission).</p>\n"
             : "Closed loop: each client sends its next request when the previous one returns; "
               "latency is measured from the actual send (run with <code>--rate</code> for "
               "open-loop, coordinated-omission-free latency under a fixed arrival rate).</p>\n";

  // Throughput.
  svg::BarChart tp;
  tp.id = "chart-throughput";
  tp.title = "Throughput per phase and strategy (requests/s)";
  tp.y_label = "requests/s";
  svg::Series s{"req/s", "#4e79a7", {}};
  std::set<std::string> legend_seen;
  for (const auto& p : run.phases) {
    tp.categories.push_back(p.name);
    s.values.push_back(p.throughput);
    std::string key = p.strategy.empty() ? p.kind : p.strategy;
    tp.category_colors.push_back(strategy_color(key));
    if (legend_seen.insert(key).second) tp.legend_items.emplace_back(key, strategy_color(key));
  }
  tp.series.push_back(std::move(s));
  put(out,
      "<h2>Charts</h2>\n<figure>{}<figcaption>Completed requests per second in each "
      "phase, colored by read strategy (writes always go to the source).</figcaption>"
      "</figure>\n",
      svg::render(tp));

  // Latency percentiles.
  svg::BarChart lp;
  lp.id = "chart-latency-percentiles";
  lp.title = "Latency percentiles per phase (ms)";
  lp.y_label = "ms";
  lp.log_y = true;
  lp.categories = tp.categories;
  const char* names[] = {"p50", "p90", "p99", "p99.9", "max"};
  const char* colors[] = {"#4e79a7", "#76b7b2", "#f28e2b", "#e15759", "#7f1d1d"};
  for (int k = 0; k < 5; ++k) {
    svg::Series ls{names[k], colors[k], {}};
    for (const auto& p : run.phases) {
      const LatencySummary& l = p.latency;
      double v[] = {l.p50_ms, l.p90_ms, l.p99_ms, l.p999_ms, l.max_ms};
      ls.values.push_back(l.count ? v[k] : nan());
    }
    lp.series.push_back(std::move(ls));
  }
  put(out,
      "<figure>{}<figcaption>From a log-linear histogram with under 0.4&nbsp;% relative "
      "error per value (log scale).</figcaption></figure>\n",
      svg::render(lp));

  // Latency over time.
  svg::LineChart lt;
  lt.id = "chart-latency-over-time";
  lt.title = "Latency over time (ms)";
  lt.x_label = "seconds of load (phases back to back; the idle time between them is left out)";
  lt.y_label = "ms";
  lt.log_y = true;
  svg::LineSeries p50{"p50", "#4e79a7", {}, false}, p99{"p99", "#e15759", {}, false},
      mx{"max", "#9ca3af", {}, true};
  for (const auto& p : run.phases) {
    lt.markers.push_back({p.start_s, p.name});
    for (auto* line : {&p50, &p99, &mx}) line->points.emplace_back(p.start_s, nan());  // gap
    for (const auto& t : p.timeline) {
      if (t.count == t.errors) continue;
      p50.points.emplace_back(t.t_s, t.p50_ms);
      p99.points.emplace_back(t.t_s, t.p99_ms);
      mx.points.emplace_back(t.t_s, t.max_ms);
    }
  }
  lt.series = {mx, p99, p50};
  put(out,
      "<figure>{}<figcaption>Per time slice of the run: median, 99th percentile and "
      "maximum latency of the requests that completed in it; dashed lines mark where each "
      "phase starts.</figcaption></figure>\n",
      svg::render(lt));

  // Share of reads per node.
  svg::StackChart rs;
  rs.id = "chart-read-share";
  rs.title = "Share of reads per node";
  std::vector<std::string> nodes = node_names(run);
  for (size_t i = 0; i < nodes.size(); ++i)
    rs.colors.emplace_back(nodes[i], node_color(nodes[i], i));
  bool any_served = false;
  for (const auto& p : run.phases) any_served |= !p.served_reads.empty();
  for (const auto& p : run.phases) {
    if (p.kind == "write") continue;
    if (any_served) {
      svg::StackRow r{p.name + " · responses", {}};
      for (const auto& n : nodes)
        r.segments.emplace_back(n, double(p.served_reads.count(n) ? p.served_reads.at(n) : 0));
      rs.rows.push_back(std::move(r));
    }
    svg::StackRow r{p.name + " · proxy counters", {}};
    for (const auto& n : nodes) {
      auto it = p.proxy_delta.find(n);
      r.segments.emplace_back(n, it == p.proxy_delta.end() ? 0.0 : double(it->second.reads));
    }
    rs.rows.push_back(std::move(r));
  }
  put(out,
      "<figure>{}<figcaption>For each read phase: the nodes named by the responses' "
      "<code>served_by</code>{} and the change in the proxy's per-node read counters "
      "over the phase.</figcaption></figure>\n",
      svg::render(rs), any_served ? "" : " (not available: MySQL responses do not carry it)");

  // CPU per request.
  svg::BarChart cpu;
  cpu.id = "chart-cpu";
  cpu.title = "CPU time per request (µs): bench client vs server processes";
  cpu.y_label = "µs per request";
  cpu.categories = tp.categories;
  svg::Series c1{"bench client", "#59a14f", {}}, c2{"gatekeeper", "#af7aa1", {}},
      c3{"proxy", "#edc948", {}};
  bool has_gk = false;
  for (const auto& p : run.phases) {
    c1.values.push_back(p.client_cpu_us >= 0 ? p.client_cpu_us : nan());
    c2.values.push_back(p.gatekeeper_cpu_us >= 0 ? p.gatekeeper_cpu_us : nan());
    c3.values.push_back(p.proxy_cpu_us >= 0 ? p.proxy_cpu_us : nan());
    has_gk |= p.gatekeeper_cpu_us >= 0;
  }
  cpu.series.push_back(std::move(c1));
  if (has_gk) cpu.series.push_back(std::move(c2));
  cpu.series.push_back(std::move(c3));
  put(out,
      "<figure>{}<figcaption>User + system CPU per completed request: the bench process "
      "(getrusage) against the server processes (their CPU-time clocks, "
      "<code>clock_getcpuclockid</code>). The client must stay well below the server for the "
      "figures to measure the server.</figcaption></figure>\n",
      svg::render(cpu));

  // Routing and errors tables.
  out +=
      "<h2>Which nodes served the statements</h2>\n<table id=\"table-nodes\">\n<tr><th>phase"
      "</th><th class=\"l\">kind</th><th class=\"l\">source of the figure</th>";
  for (const auto& n : nodes) put(out, "<th>{}</th>", escape(n));
  out += "</tr>\n";
  for (const auto& p : run.phases) {
    bool reads = p.kind != "write";
    const auto& served = reads ? p.served_reads : p.served_writes;
    uint64_t st = 0, pt = 0;
    for (const auto& [n, c] : served) st += c;
    for (const auto& [n, d] : p.proxy_delta) pt += reads ? d.reads : d.writes;
    put(out, "<tr><td>{}</td><td class=\"l\">{}</td><td class=\"l\">responses</td>", escape(p.name),
        reads ? "reads" : "writes");
    for (const auto& n : nodes)
      put(out, "<td>{}</td>", st ? pct(served.count(n) ? served.at(n) : 0, st) : "n/a");
    put(out, "</tr>\n<tr><td></td><td></td><td class=\"l\">proxy counters</td>");
    for (const auto& n : nodes) {
      uint64_t v = 0;
      if (auto it = p.proxy_delta.find(n); it != p.proxy_delta.end())
        v = reads ? it->second.reads : it->second.writes;
      put(out, "<td>{}</td>", p.proxy_delta_valid ? pct(v, pt) : "n/a");
    }
    out += "</tr>\n";
  }
  out += "</table>\n<h2>Errors by code</h2>\n";
  bool any = false;
  for (const auto& p : run.phases) {
    for (const auto& [code, n] : p.errors) {
      if (!any)
        out +=
            "<table id=\"table-errors\"><tr><th>phase</th><th "
            "class=\"l\">code</th><th>count</th></tr>\n";
      any = true;
      put(out, "<tr><td>{}</td><td class=\"l\">{}</td><td class=\"bad\">{}</td></tr>\n",
          escape(p.name), escape(code), fmt_count(n));
    }
  }
  out += any ? "</table>\n" : "<p class=\"ok\" id=\"table-errors\">No errors.</p>\n";
  for (const auto& p : run.phases)
    if (!p.open_error.empty())
      put(out, "<p class=\"bad\">{}: could not connect: {}</p>\n", escape(p.name),
          escape(p.open_error));
  if (!run.notes.empty()) {
    out += "<ul class=\"note\">\n";
    for (const auto& n : run.notes) put(out, "<li>{}</li>\n", escape(n));
    out += "</ul>\n";
  }
}

void sysbench_section(std::string& out, const SysbenchResult* sb) {
  out += "<h2>Stand-alone vs cluster (sysbench)</h2>\n";
  if (!sb) {
    out +=
        "<p class=\"note\" id=\"sysbench-missing\">No comparison yet: run "
        "<code>gatehouse bench sysbench</code> to add one.</p>\n";
    return;
  }
  put(out,
      "<p class=\"sub\">{}: sysbench {}, {} threads, {} s per run, {} table(s) × {} rows; the "
      "same workloads stand-alone (the source alone) and through the proxy (the cluster).</p>\n",
      escape(sb->timestamp), escape(sb->sysbench_version), sb->threads, sb->time_s, sb->tables,
      fmt_count(uint64_t(sb->table_size)));
  std::vector<std::string> workloads;
  std::set<std::string> seen;
  for (const auto& r : sb->rows)
    if (seen.insert(r.workload).second) workloads.push_back(r.workload);
  out +=
      "<table id=\"table-sysbench\">\n<tr><th>workload</th><th class=\"l\">mode</th>"
      "<th>QPS</th><th>TPS</th><th>p95 ms</th><th>errors</th><th>QPS ÷ stand-alone</th></tr>\n";
  svg::BarChart ch;
  ch.id = "chart-sysbench";
  ch.title = "sysbench queries per second: stand-alone vs cluster";
  ch.y_label = "queries/s";
  svg::Series a{"stand-alone (source only)", "#4e79a7", {}},
      b{"cluster (through the proxy)", "#f28e2b", {}};
  for (const auto& w : workloads) {
    const SysbenchRow* base = nullptr;
    for (const auto& r : sb->rows)
      if (r.workload == w && r.mode == "stand-alone" && r.ran) base = &r;
    double qa = nan(), qb = nan();
    for (const auto& r : sb->rows) {
      if (r.workload != w) continue;
      std::string ratio = base && base->qps > 0 && r.ran ? fmt::format("{:.2f}×", r.qps / base->qps)
                                                         : std::string("—");
      if (r.ran)
        put(out,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td class=\"{}\">{}</td><td>{}</td></tr>\n",
            escape(w), escape(r.mode), fmt_rate(r.qps), fmt_rate(r.tps), fmt_ms(r.p95_ms),
            r.errors ? "bad" : "", fmt_count(r.errors), ratio);
      else
        put(out,
            "<tr><td>{}</td><td class=\"l\">{}</td><td colspan=\"5\" class=\"bad "
            "l\">{}</td></tr>\n",
            escape(w), escape(r.mode), escape(r.failure.empty() ? "failed" : r.failure));
      if (r.ran) (r.mode == "stand-alone" ? qa : qb) = r.qps;
    }
    ch.categories.push_back(w);
    a.values.push_back(qa);
    b.values.push_back(qb);
  }
  out += "</table>\n";
  ch.series = {a, b};
  put(out,
      "<figure>{}<figcaption>Same threads and duration for both; the cluster spreads reads "
      "over the replicas, while transactions (oltp_read_write) stay on the source.</figcaption>"
      "</figure>\n",
      svg::render(ch));
  for (const auto& r : sb->rows)
    if (r.mode == "stand-alone") {
      put(out, "<p class=\"note\">stand-alone: <code>{}</code>", escape(r.endpoint));
      break;
    }
  for (const auto& r : sb->rows)
    if (r.mode == "cluster") {
      put(out, " · cluster: <code>{}</code>", escape(r.endpoint));
      break;
    }
  out += "</p>\n";
}

}  // namespace

std::string strategy_color(std::string_view key) {
  if (key == "direct") return "#4e79a7";
  if (key == "random") return "#f28e2b";
  if (key == "customized") return "#59a14f";
  if (key == "write") return "#9c755f";
  return "#76b7b2";
}

std::string node_color(std::string_view node, size_t index) {
  if (node == "source") return "#4e79a7";
  static const char* kPalette[] = {"#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
  return kPalette[index % 8];
}

std::string render_html(const RunResult* run, const SysbenchResult* sysbench) {
  std::string out;
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>gatehouse bench report</title>\n<style>";
  out += kCss;
  out += "</style>\n</head>\n<body>\n<main>\n<h1>gatehouse bench report</h1>\n";
  if (run) {
    put(out, "<p class=\"sub\">{} · {} target · {} phases</p>\n", escape(run->timestamp),
        escape(run->target), run->phases.size());
    run_section(out, *run);
  } else {
    out +=
        "<p class=\"note\" id=\"run-missing\">No bench run yet: run <code>gatehouse bench"
        "</code>.</p>\n";
  }
  sysbench_section(out, sysbench);
  out +=
      "<p class=\"note\">Generated by <code>gatehouse bench</code>. This file is "
      "self-contained: it loads nothing from the network.</p>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace gh::bench
