// Reports: a run built from real phase summaries (fake measurements) renders to a text table, a
// log block, JSON that reads back the same, and a self-contained HTML file with every chart;
// sysbench's output is parsed into QPS/TPS/p95/errors. Also the progress line.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "bench/progress.h"
#include "bench/report_html.h"
#include "bench/report_text.h"
#include "bench/results.h"
#include "bench/svg_chart.h"
#include "bench/sysbench_runner.h"

namespace gh::bench {
namespace {

// A phase's raw data as the runner would produce it: `n` requests at a steady pace.
PhaseRaw fake_raw(uint64_t n, double latency_ms, const std::string& node, bool reads) {
  PhaseRaw raw;
  raw.connections = 4;
  for (uint64_t i = 0; i < n; ++i) {
    Sample s;
    s.t_s = float(double(i) * 0.001);
    s.latency_ms = float(latency_ms * (1 + double(i % 10) / 10));
    raw.samples.push_back(s);
    raw.latency_ns.record(uint64_t(double(s.latency_ms) * 1e6));
  }
  raw.ok = n - 3;
  raw.failed = 3;
  raw.errors["429 rate_limited"] = 3;
  raw.samples[5].ok = raw.samples[6].ok = raw.samples[7].ok = false;
  (reads ? raw.reads : raw.writes) = n;
  (reads ? raw.served_reads : raw.served_writes)[node] = n - 3;
  raw.wall_s = double(n) * 0.001;
  return raw;
}

RunResult fake_run(const Mix& w, const Mix& r) {
  RunResult run;
  run.timestamp = "2026-11-21 10:00:00 UTC";
  run.command = "gatehouse bench --requests 400";
  run.target = "http";
  run.endpoint = "http://127.0.0.1:16347/v1/query";
  run.scenario = "default";
  run.concurrency = 4;
  run.requests = 400;
  run.machine = "2 CPUs, load 1 1 1";
  double start = 0;
  const char* strategies[] = {"", "direct", "random", "customized"};
  for (int k = 0; k < 4; ++k) {
    PhaseSpec spec;
    spec.name = k == 0 ? "write" : std::string("read-") + strategies[k];
    spec.strategy = strategies[k];
    spec.mix = k == 0 ? &w : &r;
    spec.concurrency = 4;
    std::string node = k == 0 ? "source" : (k == 1 ? "source" : "replica" + std::to_string(k - 1));
    PhaseRaw raw = fake_raw(400, 0.5 + k, node, k > 0);
    PhaseResult p = summarize(spec, raw, start, timeline_slice(1.6));
    p.proxy_delta_valid = true;
    p.proxy_delta[node] = {k > 0 ? 397u : 0u, k == 0 ? 397u : 0u};
    p.proxy_delta["replica1"].reads += 0;
    p.client_cpu_us = 12.5;
    p.gatekeeper_cpu_us = 80;
    p.proxy_cpu_us = 40;
    start += 0.5;
    run.phases.push_back(std::move(p));
  }
  return run;
}

SysbenchResult fake_sysbench() {
  SysbenchResult sb;
  sb.timestamp = "2026-11-21 10:05:00 UTC";
  sb.threads = 4;
  sb.time_s = 10;
  sb.tables = 2;
  sb.table_size = 10000;
  sb.sysbench_version = "1.0.20";
  for (const char* w : {"oltp_point_select", "oltp_read_only", "oltp_read_write"})
    for (const char* m : {"stand-alone", "cluster"}) {
      SysbenchRow row;
      row.workload = w;
      row.mode = m;
      row.ran = true;
      row.qps = std::string(m) == "cluster" ? 9000 : 12000;
      row.tps = row.qps / 10;
      row.p95_ms = 1.5;
      row.endpoint = m;
      sb.rows.push_back(row);
    }
  return sb;
}

TEST(Report, SummaryMatchesTheSamples) {
  Mix w = Mix::single(false, "INSERT 1"), r = Mix::single(true, "SELECT {id}");
  RunResult run = fake_run(w, r);
  const PhaseResult& p = run.phases[1];
  EXPECT_EQ(p.kind, "read");
  EXPECT_EQ(p.strategy, "direct");
  EXPECT_EQ(p.completed, 400u);
  EXPECT_EQ(p.failed, 3u);
  EXPECT_NEAR(p.throughput, 1000, 1);
  // Latencies are 1.5 ms × (1.0 .. 1.9): p50 ≈ 2.1-2.25 ms, max 2.85 ms.
  EXPECT_NEAR(p.latency.max_ms, 2.85, 0.01);
  EXPECT_GE(p.latency.p50_ms, 2.05);
  EXPECT_LE(p.latency.p50_ms, 2.3);
  ASSERT_FALSE(p.timeline.empty());
  uint64_t total = 0, errors = 0;
  for (const auto& t : p.timeline) total += t.count, errors += t.errors;
  EXPECT_EQ(total, 400u);
  EXPECT_EQ(errors, 3u);
  EXPECT_EQ(run.phases[0].kind, "write");
  EXPECT_EQ(run.phases[0].strategy, "");
}

TEST(Report, TextHasEveryPhaseNodeErrorAndCpu) {
  Mix w = Mix::single(false, "INSERT 1"), r = Mix::single(true, "SELECT {id}");
  RunResult run = fake_run(w, r);
  std::string text = render_run_text(run);
  for (const char* s :
       {"write", "read-direct", "read-random", "read-customized", "replica1", "replica2", "source",
        "429 rate_limited", "12.5", "80.0", "p99.9", "served_by", "proxy counters", "closed loop"})
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  std::string block = log_block("gatehouse bench", run.timestamp, text);
  EXPECT_NE(block.find("gatehouse bench — 2026-11-21 10:00:00 UTC"), std::string::npos);
  std::string sbt = render_sysbench_text(fake_sysbench());
  EXPECT_NE(sbt.find("oltp_point_select"), std::string::npos);
  EXPECT_NE(sbt.find("0.75×"), std::string::npos) << sbt;
}

TEST(Report, JsonRoundTrips) {
  Mix w = Mix::single(false, "INSERT 1"), r = Mix::single(true, "SELECT {id}");
  RunResult run = fake_run(w, r);
  std::string text = boost::json::serialize(to_json(run));
  auto back = run_from_json(boost::json::parse(text));
  ASSERT_TRUE(back);
  EXPECT_EQ(boost::json::serialize(to_json(*back)), text);
  SysbenchResult sb = fake_sysbench();
  std::string sbtext = boost::json::serialize(to_json(sb));
  auto sbback = sysbench_from_json(boost::json::parse(sbtext));
  ASSERT_TRUE(sbback);
  EXPECT_EQ(boost::json::serialize(to_json(*sbback)), sbtext);
}

TEST(Report, HtmlIsSelfContainedWithEveryChart) {
  Mix w = Mix::single(false, "INSERT 1"), r = Mix::single(true, "SELECT {id}");
  RunResult run = fake_run(w, r);
  SysbenchResult sb = fake_sysbench();
  std::string html = render_html(&run, &sb);
  for (const char* id : {"chart-throughput", "chart-latency-percentiles", "chart-latency-over-time",
                         "chart-read-share", "chart-cpu", "chart-sysbench"})
    EXPECT_NE(html.find(std::string("<svg id=\"") + id + "\""), std::string::npos) << id;
  // Nothing to fetch: no scripts, stylesheets, images, fonts or url() references.
  for (const char* s : {"<script", "<link", "<img", "@import", "url(", "src=", "href="})
    EXPECT_EQ(html.find(s), std::string::npos) << s;
  std::regex external(R"(https?://(?!www\.w3\.org/2000/svg))");
  std::string stripped = std::regex_replace(html, std::regex("http://127\\.0\\.0\\.1:[0-9]+"), "");
  EXPECT_FALSE(std::regex_search(stripped, external));
  // The figures are in the page.
  EXPECT_NE(html.find("read-customized"), std::string::npos);
  EXPECT_NE(html.find("oltp_read_write"), std::string::npos);
  // Without a sysbench result the section says how to get one; the other charts stay.
  std::string no_sb = render_html(&run, nullptr);
  EXPECT_EQ(no_sb.find("chart-sysbench"), std::string::npos);
  EXPECT_NE(no_sb.find("gatehouse bench sysbench"), std::string::npos);
}

TEST(Report, SvgTicksAndEscaping) {
  EXPECT_EQ(svg::escape("<a&\"b\">"), "&lt;a&amp;&quot;b&quot;&gt;");
  auto t = svg::linear_ticks(0, 1230);
  ASSERT_GE(t.size(), 3u);
  EXPECT_EQ(t.front(), 0);
  EXPECT_GE(t.back(), 1230);
  auto l = svg::log_ticks(0.1, 100);
  EXPECT_EQ(l.front(), 0.1);
  EXPECT_NEAR(l.back(), 100, 1e-9);
}

constexpr std::string_view kSysbenchOut = R"(sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)

Running the test with following options:
Number of threads: 4

SQL statistics:
    queries performed:
        read:                            140000
        write:                           0
        other:                           0
        total:                           140000
    transactions:                        140000 (13998.41 per sec.)
    queries:                             140000 (13998.41 per sec.)
    ignored errors:                      2      (0.20 per sec.)
    reconnects:                          0      (0.00 per sec.)

General statistics:
    total time:                          10.0009s
    total number of events:              140000

Latency (ms):
         min:                                    0.11
         avg:                                    0.28
         max:                                   12.40
         95th percentile:                        0.50
         sum:                                39745.21
)";

TEST(Sysbench, ParsesRunOutput) {
  SysbenchRow r = parse_sysbench_output(kSysbenchOut);
  EXPECT_TRUE(r.ran);
  EXPECT_DOUBLE_EQ(r.qps, 13998.41);
  EXPECT_DOUBLE_EQ(r.tps, 13998.41);
  EXPECT_EQ(r.queries, 140000u);
  EXPECT_DOUBLE_EQ(r.p95_ms, 0.50);
  EXPECT_EQ(r.errors, 2u);
  EXPECT_EQ(r.reconnects, 0u);
  EXPECT_NEAR(r.seconds, 10.0009, 1e-9);
  EXPECT_FALSE(parse_sysbench_output("FATAL: error 2013").ran);
}

TEST(Progress, LineShowsDoneRateAndEta) {
  std::string phase = "read-random";
  ProgressInfo info;
  info.phase = &phase;
  info.done = 250;
  info.total = 1000;
  info.elapsed_s = 0.5;
  std::string line = Progress::render(info, 500, 20);
  EXPECT_NE(line.find("read-random"), std::string::npos);
  EXPECT_NE(line.find("[#####...............]"), std::string::npos) << line;
  EXPECT_NE(line.find("250/1000"), std::string::npos);
  EXPECT_NE(line.find("500 req/s"), std::string::npos);
  EXPECT_NE(line.find("ETA   1.5s"), std::string::npos) << line;
}

}  // namespace
}  // namespace gh::bench
