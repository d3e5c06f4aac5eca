// Bench: orchestration of a `gatehouse bench` run (see bench.h).
#include "bench/bench.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "bench/cluster_sql.h"
#include "bench/http_target.h"
#include "bench/mysql_target.h"
#include "bench/progress.h"
#include "bench/report_html.h"
#include "bench/report_text.h"
#include "common/file_io.h"

namespace gh::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kWriteSql =
    "INSERT INTO gatehouse_bench.requests (payload) VALUES ({str:32})";
constexpr const char* kReadSql =
    "SELECT id, payload, created FROM gatehouse_bench.requests WHERE id = {id}";
// The proxy refreshes DIR/proxy-stats.json every 250 ms: wait a little longer than that.
constexpr auto kCountersSettle = std::chrono::milliseconds(400);

struct PlannedPhase {
  std::string name;
  std::string strategy;
  const Mix* mix = nullptr;
  bool needs_ids = false;  // reads {id}: refresh the id range first
  bool wait_replicas_before = false;
};

struct CpuMark {
  double self_us = 0;
  std::optional<double> gatekeeper_us, proxy_us;
};

CpuMark cpu_mark(std::optional<pid_t> gk, std::optional<pid_t> proxy) {
  CpuMark m;
  m.self_us = self_cpu_us();
  if (gk) m.gatekeeper_us = process_cpu_us(*gk);
  if (proxy) m.proxy_us = process_cpu_us(*proxy);
  return m;
}

std::expected<MixContext, std::string> id_range(const ClusterInfo& info) {
  auto r = run_sql(*info.proxy, info.proxy_client,
                   {"/* gatehouse:strategy=direct */ SELECT MIN(id) AS lo, MAX(id) AS hi FROM "
                    "gatehouse_bench.requests"});
  if (!r) return std::unexpected(r.error());
  MixContext ctx;
  auto lo = r->first("lo"), hi = r->first("hi");
  if (!lo || !hi) return ctx;  // empty table
  auto parse = [](const std::string& t, int64_t& v) {
    std::from_chars(t.data(), t.data() + t.size(), v);
  };
  parse(*lo, ctx.id_lo);
  parse(*hi, ctx.id_hi);
  return ctx;
}

std::string scenario_line(const BenchOptions& o, const std::vector<PlannedPhase>& phases) {
  std::string bound;
  if (o.duration_s > 0 && o.requests)
    bound = fmt::format("up to {} requests or {} s per phase", o.requests, o.duration_s);
  else if (o.duration_s > 0)
    bound = fmt::format("{} s per phase", o.duration_s);
  else
    bound = fmt::format("{} requests per phase", o.requests);
  std::string names;
  for (const auto& p : phases) names += (names.empty() ? "" : ", ") + p.name;
  std::string what = !o.mix_file.empty() ? fmt::format("mix file {}", o.mix_file)
                     : o.read_ratio      ? fmt::format("read ratio {:.2f}", *o.read_ratio)
                                         : std::string("default (writes, then reads)");
  return fmt::format("{}; phases: {}; {}", what, names, bound);
}

void print_err(const std::string& line) {
  std::fprintf(stderr, "gatehouse bench: %s\n", line.c_str());
}

}  // namespace

std::expected<std::string, std::string> rebuild_report(const std::string& out_dir) {
  std::filesystem::path out = out_dir;
  std::optional<RunResult> run;
  std::optional<SysbenchResult> sb;
  if (auto text = read_file((out / kLastRunFile).string())) {
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    if (!ec)
      if (auto r = run_from_json(v)) run = std::move(*r);
  }
  if (auto text = read_file((out / kSysbenchFile).string())) {
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    if (!ec)
      if (auto r = sysbench_from_json(v)) sb = std::move(*r);
  }
  std::string html = render_html(run ? &*run : nullptr, sb ? &*sb : nullptr);
  std::string path = (out / kReportFile).string();
  if (!write_file_atomic(path, html)) return std::unexpected(fmt::format("cannot write {}", path));
  return path;
}

int run_bench(const BenchOptions& o, const ClusterInfo& info) {
  // The target.
  std::unique_ptr<Target> target;
  if (!info.proxy) {
    print_err(fmt::format("the cluster in {} has no proxy endpoint", info.dir));
    return 2;
  }
  if (o.target == "http") {
    if (!info.gatekeeper) {
      print_err(
          "the cluster has no gatekeeper endpoint (gatekeeper disabled?); try --target mysql");
      return 2;
    }
    auto read = info.api_tokens.find("read"), write = info.api_tokens.find("write");
    if (read == info.api_tokens.end() || write == info.api_tokens.end()) {
      print_err(
          fmt::format("no [api_key_read]/[api_key_write] tokens in {}/credentials.toml "
                      "(is the gatekeeper set up?); try --target mysql",
                      info.dir));
      return 2;
    }
    HttpEndpoint e;
    e.host = info.gatekeeper->host;
    e.port = info.gatekeeper->port;
    e.read_token = read->second;
    e.write_token = write->second;
    target = std::make_unique<HttpTarget>(e);
  } else {
    MysqlEndpoint e;
    e.host = info.proxy->host;
    e.port = info.proxy->port;
    e.user = info.proxy_client.user;
    e.password = info.proxy_client.password;
    target = std::make_unique<MysqlTarget>(e);
  }
  target->request_timeout = std::chrono::milliseconds(o.timeout_ms);

  // The phases.
  Mix write_mix = Mix::single(false, kWriteSql);
  Mix read_mix = Mix::single(true, kReadSql);
  Mix custom;
  std::vector<PlannedPhase> phases;
  if (!o.mix_file.empty() || o.read_ratio) {
    if (!o.mix_file.empty()) {
      auto m = Mix::load(o.mix_file);
      if (!m) {
        print_err(m.error());
        return 2;
      }
      custom = std::move(*m);
    } else {
      int reads = int(std::lround(*o.read_ratio * 1000));
      std::string text =
          fmt::format("{} read {}\n{} write {}\n", reads, kReadSql, 1000 - reads, kWriteSql);
      // A weight of 0 is not allowed in a mix: keep only the kinds that occur.
      if (reads == 0) text = fmt::format("1 write {}\n", kWriteSql);
      if (reads == 1000) text = fmt::format("1 read {}\n", kReadSql);
      custom = *Mix::parse(text, "--read-ratio");
    }
    std::string prefix = o.mix_file.empty() ? "mixed" : "mix";
    if (custom.has_reads()) {
      for (const auto& s : o.strategies)
        phases.push_back({prefix + "-" + s, s, &custom, custom.uses_id(), false});
    } else {
      phases.push_back({prefix, "", &custom, false, false});
    }
  } else {
    phases.push_back({"write", "", &write_mix, false, false});
    bool first = true;
    for (const auto& s : o.strategies) {
      phases.push_back({"read-" + s, s, &read_mix, true, first});
      first = false;
    }
  }

  // The bench table (harmless for custom mixes that do not use it).
  if (auto r = run_sql(*info.proxy, info.proxy_client,
                       {"CREATE DATABASE IF NOT EXISTS gatehouse_bench",
                        "CREATE TABLE IF NOT EXISTS gatehouse_bench.requests (id BIGINT "
                        "AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(255), created TIMESTAMP(6) "
                        "DEFAULT CURRENT_TIMESTAMP(6))"});
      !r) {
    print_err(fmt::format("preparing the bench table: {}", r.error()));
    return 2;
  }
  bool any_ids = false;
  for (const auto& p : phases) any_ids |= p.needs_ids;
  if (any_ids && phases.front().needs_ids) {
    // Reads before any write: make sure there is something to read.
    auto ctx = id_range(info);
    if (ctx && ctx->id_hi <= 1) {
      std::vector<std::string> seed;
      for (int i = 0; i < 100; ++i)
        seed.push_back(
            fmt::format("INSERT INTO gatehouse_bench.requests (payload) VALUES ('seed-{}')", i));
      if (auto r = run_sql(*info.proxy, info.proxy_client, seed); !r) {
        print_err(fmt::format("seeding the bench table: {}", r.error()));
        return 2;
      }
    }
    phases.front().wait_replicas_before = true;
  }

  std::optional<pid_t> gk_pid = role_pid(info.run_dir, "gatekeeper");
  std::optional<pid_t> proxy_pid = role_pid(info.run_dir, "proxy");
  RunResult run;
  run.timestamp = utc_timestamp();
  run.command = o.command_line;
  run.target = target->name();
  run.endpoint = target->endpoint();
  run.concurrency = o.concurrency;
  run.requests = o.requests;
  run.duration_s = o.duration_s;
  run.rate = o.rate;
  run.machine = machine_summary();
  run.scenario = scenario_line(o, phases);
  if (!proxy_pid) run.notes.push_back("proxy pid not found in DIR/run/proxy.pid: no proxy CPU");
  if (o.target == "http" && !gk_pid)
    run.notes.push_back("gatekeeper pid not found in DIR/run/gatekeeper.pid: no gatekeeper CPU");

  Progress progress(o.progress && !o.quiet && !o.json);
  ProgressFn on_progress = [&progress](const ProgressInfo& i) { progress.update(i); };
  std::vector<PhaseSpec> specs;
  std::vector<PhaseRaw> raws;
  std::vector<PhaseResult> partial;  // counters and CPU, filled per phase
  specs.reserve(phases.size());
  MixContext ctx;
  int exit_code = 0;
  for (size_t k = 0; k < phases.size(); ++k) {
    const PlannedPhase& pp = phases[k];
    if (pp.wait_replicas_before) {
      if (auto w = wait_for_replicas(info, std::chrono::seconds(30)); !w)
        run.notes.push_back(fmt::format("before {}: {}", pp.name, w.error()));
    }
    if (pp.needs_ids) {
      auto c = id_range(info);
      if (!c) {
        print_err(fmt::format("reading the id range: {}", c.error()));
        return 2;
      }
      ctx = *c;
    }
    PhaseSpec spec;
    spec.name = pp.name;
    spec.strategy = pp.strategy;
    spec.mix = pp.mix;
    spec.context = ctx;
    spec.requests = o.requests;
    spec.duration_s = o.duration_s;
    spec.rate = o.rate;
    spec.concurrency = o.concurrency;
    spec.max_seconds = o.max_phase_s;
    spec.seed = o.seed + k * 1000;
    specs.push_back(spec);

    std::this_thread::sleep_for(kCountersSettle);
    auto before = read_proxy_counters(info.stats_file);
    CpuMark c0 = cpu_mark(gk_pid, proxy_pid);
    PhaseRaw raw = run_phase(*target, specs.back(), on_progress);
    CpuMark c1 = cpu_mark(gk_pid, proxy_pid);
    progress.finish();
    std::this_thread::sleep_for(kCountersSettle);
    auto after = read_proxy_counters(info.stats_file);

    PhaseResult extra;
    uint64_t n = raw.ok + raw.failed;
    if (n > 0) {
      extra.client_cpu_us = (c1.self_us - c0.self_us) / double(n);
      if (c0.gatekeeper_us && c1.gatekeeper_us)
        extra.gatekeeper_cpu_us = (*c1.gatekeeper_us - *c0.gatekeeper_us) / double(n);
      if (c0.proxy_us && c1.proxy_us)
        extra.proxy_cpu_us = (*c1.proxy_us - *c0.proxy_us) / double(n);
    }
    if (before && after) {
      if (auto d = counters_delta(*before, *after)) {
        extra.proxy_delta_valid = true;
        extra.proxy_delta = std::move(*d);
      }
    }
    if (raw.ok == 0) exit_code = 1;
    raws.push_back(std::move(raw));
    partial.push_back(std::move(extra));
  }

  // Summaries, with one timeline resolution for the whole run. The timeline puts the phases
  // back to back: the idle time between them (counter settling, replication wait) is left out.
  double total_s = 0;
  for (const auto& r : raws) total_s += r.wall_s;
  double slice = timeline_slice(total_s);
  double start = 0;
  for (size_t k = 0; k < raws.size(); ++k) {
    PhaseResult p = summarize(specs[k], raws[k], start, slice);
    start += raws[k].wall_s;
    p.client_cpu_us = partial[k].client_cpu_us;
    p.gatekeeper_cpu_us = o.target == "http" ? partial[k].gatekeeper_cpu_us : -1;
    p.proxy_cpu_us = partial[k].proxy_cpu_us;
    p.proxy_delta_valid = partial[k].proxy_delta_valid;
    p.proxy_delta = std::move(partial[k].proxy_delta);
    if (!p.proxy_delta_valid)
      run.notes.push_back(
          fmt::format("{}: proxy counters unavailable ({})", p.name, info.stats_file));
    run.phases.push_back(std::move(p));
  }

  // Outputs.
  std::string out_dir = o.out_dir.empty() ? info.dir : o.out_dir;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::filesystem::path out = out_dir;
  std::string text = render_run_text(run);
  std::string log_path = std::filesystem::absolute(out / kLogFile).string();
  std::string json_text = boost::json::serialize(to_json(run));
  if (!append_file(log_path, log_block("gatehouse bench", run.timestamp, text) + "\n")) {
    print_err(fmt::format("cannot write {}", log_path));
    exit_code = 1;
  }
  if (!write_file_atomic((out / kLastRunFile).string(), json_text)) {
    print_err(fmt::format("cannot write {}", (out / kLastRunFile).string()));
    exit_code = 1;
  }
  auto report = rebuild_report(out_dir);
  if (!report) {
    print_err(report.error());
    exit_code = 1;
  }
  std::string report_path =
      report ? std::filesystem::absolute(*report).string() : std::string("(not written)");
  if (o.json) {
    std::printf("%s\n", json_text.c_str());
  } else if (!o.quiet) {
    std::printf("%s\n", text.c_str());
  }
  if (!o.quiet) {
    std::FILE* where = o.json ? stderr : stdout;
    std::fprintf(where, "log:    %s\nreport: %s\n", log_path.c_str(), report_path.c_str());
  }
  return exit_code;
}

}  // namespace gh::bench
