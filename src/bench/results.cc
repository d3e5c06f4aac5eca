// Results: phase summaries and the JSON form of runs and sysbench comparisons (see results.h).
#include "bench/results.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace gh::bench {
namespace json = boost::json;
namespace {

double exact_quantile(std::vector<float>& v, double q) {
  if (v.empty()) return 0;
  size_t rank = size_t(std::ceil(q * double(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size()) - 1;
  std::nth_element(v.begin(), v.begin() + ptrdiff_t(rank), v.end());
  return v[rank];
}

// Rounds to 0.1 µs (for ms values) / 0.1 ms (for seconds): enough for any report, and the JSON
// reads back to the same doubles (full-precision values do not survive boost::json's printing).
double r4(double v) { return std::round(v * 1e4) / 1e4; }

json::object map_json(const std::map<std::string, uint64_t>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

// Readers that tolerate missing keys (older files) and wrong types (then: default).
double num(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return double(v->get_int64());
  if (v->is_uint64()) return double(v->get_uint64());
  return 0;
}
uint64_t count(const json::object& o, std::string_view key) {
  double d = num(o, key);
  return d > 0 ? uint64_t(d) : 0;
}
std::string str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
const json::object& obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : kEmpty;
}
const json::array& arr(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : kEmpty;
}
std::map<std::string, uint64_t> count_map(const json::object& o) {
  std::map<std::string, uint64_t> m;
  for (const auto& [k, v] : o) m[std::string(k)] = count(o, k);
  return m;
}

}  // namespace

double timeline_slice(double total_s) {
  double raw = std::max(total_s / 100.0, 0.001);
  static constexpr double kNice[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25,
                                     0.5,   1,     2,     5,    10,   15,    30,   60,  120, 300};
  for (double n : kNice)
    if (n >= raw) return n;
  return 600;
}

PhaseResult summarize(const PhaseSpec& spec, const PhaseRaw& raw, double start_s, double slice_s) {
  PhaseResult p;
  p.name = spec.name;
  bool reads = spec.mix && spec.mix->has_reads(), writes = spec.mix && spec.mix->has_writes();
  p.kind = reads && writes ? "mix" : (reads ? "read" : "write");
  p.strategy = reads ? spec.strategy : std::string();
  p.concurrency = spec.concurrency;
  p.connections = raw.connections;
  p.target_rate = spec.rate;
  p.ok = raw.ok;
  p.failed = raw.failed;
  p.completed = raw.ok + raw.failed;
  p.reads = raw.reads;
  p.writes = raw.writes;
  p.wall_s = raw.wall_s;
  p.throughput = raw.wall_s > 0 ? double(p.completed) / raw.wall_s : 0;
  const Histogram& h = raw.latency_ns;
  p.latency.count = h.count();
  p.latency.mean_ms = h.mean() / 1e6;
  p.latency.p50_ms = double(h.value_at_quantile(0.50)) / 1e6;
  p.latency.p90_ms = double(h.value_at_quantile(0.90)) / 1e6;
  p.latency.p99_ms = double(h.value_at_quantile(0.99)) / 1e6;
  p.latency.p999_ms = double(h.value_at_quantile(0.999)) / 1e6;
  p.latency.max_ms = double(h.max()) / 1e6;
  p.errors = raw.errors;
  p.served_reads = raw.served_reads;
  p.served_writes = raw.served_writes;
  p.start_s = start_s;
  p.open_error = raw.open_error;
  // Latency over time: samples come in completion order, so slices are contiguous runs.
  if (slice_s <= 0) slice_s = 1;
  size_t i = 0;
  std::vector<float> lat;
  const auto& s = raw.samples;
  while (i < s.size()) {
    auto slice = int64_t(std::floor(double(s[i].t_s) / slice_s));
    TimelinePoint pt;
    pt.t_s = start_s + double(slice + 1) * slice_s;
    lat.clear();
    while (i < s.size() && int64_t(std::floor(double(s[i].t_s) / slice_s)) == slice) {
      if (s[i].ok)
        lat.push_back(s[i].latency_ms);
      else
        ++pt.errors;
      ++i;
    }
    pt.count = lat.size() + pt.errors;
    if (!lat.empty()) {
      pt.max_ms = *std::max_element(lat.begin(), lat.end());
      pt.p99_ms = exact_quantile(lat, 0.99);
      pt.p50_ms = exact_quantile(lat, 0.50);
    }
    // The last slice is usually partial: place its point at the phase's end.
    pt.t_s = std::min(pt.t_s, start_s + raw.wall_s);
    p.timeline.push_back(pt);
  }
  return p;
}

json::value to_json(const RunResult& r) {
  json::object o;
  o["timestamp"] = r.timestamp;
  o["command"] = r.command;
  o["target"] = r.target;
  o["endpoint"] = r.endpoint;
  o["scenario"] = r.scenario;
  o["concurrency"] = r.concurrency;
  o["requests_per_phase"] = r.requests;
  o["duration_s"] = r.duration_s;
  o["rate"] = r.rate;
  o["machine"] = r.machine;
  json::array phases;
  for (const auto& p : r.phases) {
    json::object j;
    j["name"] = p.name;
    j["kind"] = p.kind;
    j["strategy"] = p.strategy;
    j["concurrency"] = p.concurrency;
    j["connections"] = p.connections;
    j["target_rate"] = p.target_rate;
    j["completed"] = p.completed;
    j["ok"] = p.ok;
    j["failed"] = p.failed;
    j["reads"] = p.reads;
    j["writes"] = p.writes;
    j["wall_s"] = r4(p.wall_s);
    j["throughput"] = r4(p.throughput);
    j["latency_ms"] = {{"count", p.latency.count},    {"mean", r4(p.latency.mean_ms)},
                       {"p50", r4(p.latency.p50_ms)}, {"p90", r4(p.latency.p90_ms)},
                       {"p99", r4(p.latency.p99_ms)}, {"p99.9", r4(p.latency.p999_ms)},
                       {"max", r4(p.latency.max_ms)}};
    j["errors"] = map_json(p.errors);
    j["served_by"] = {{"reads", map_json(p.served_reads)}, {"writes", map_json(p.served_writes)}};
    if (p.proxy_delta_valid) {
      json::object d;
      for (const auto& [node, nd] : p.proxy_delta)
        d[node] = {{"reads", nd.reads}, {"writes", nd.writes}};
      j["proxy_counters_delta"] = std::move(d);
    } else {
      j["proxy_counters_delta"] = nullptr;
    }
    j["cpu_us_per_request"] = {{"client", r4(p.client_cpu_us)},
                               {"gatekeeper", r4(p.gatekeeper_cpu_us)},
                               {"proxy", r4(p.proxy_cpu_us)}};
    j["start_s"] = r4(p.start_s);
    json::array tl;
    for (const auto& t : p.timeline)
      tl.push_back(
          json::array{r4(t.t_s), t.count, t.errors, r4(t.p50_ms), r4(t.p99_ms), r4(t.max_ms)});
    j["timeline"] = std::move(tl);  // [t_s, count, errors, p50_ms, p99_ms, max_ms]
    if (!p.open_error.empty()) j["open_error"] = p.open_error;
    phases.push_back(std::move(j));
  }
  o["phases"] = std::move(phases);
  json::array notes;
  for (const auto& n : r.notes) notes.push_back(json::string(n));
  o["notes"] = std::move(notes);
  return o;
}

Result<RunResult> run_from_json(const json::value& v) {
  if (!v.is_object()) return fail(Errc::kMalformedPacket);
  const json::object& o = v.get_object();
  RunResult r;
  r.timestamp = str(o, "timestamp");
  r.command = str(o, "command");
  r.target = str(o, "target");
  r.endpoint = str(o, "endpoint");
  r.scenario = str(o, "scenario");
  r.concurrency = int(num(o, "concurrency"));
  r.requests = count(o, "requests_per_phase");
  r.duration_s = num(o, "duration_s");
  r.rate = num(o, "rate");
  r.machine = str(o, "machine");
  for (const auto& pv : arr(o, "phases")) {
    if (!pv.is_object()) continue;
    const json::object& j = pv.get_object();
    PhaseResult p;
    p.name = str(j, "name");
    p.kind = str(j, "kind");
    p.strategy = str(j, "strategy");
    p.concurrency = int(num(j, "concurrency"));
    p.connections = int(num(j, "connections"));
    p.target_rate = num(j, "target_rate");
    p.completed = count(j, "completed");
    p.ok = count(j, "ok");
    p.failed = count(j, "failed");
    p.reads = count(j, "reads");
    p.writes = count(j, "writes");
    p.wall_s = num(j, "wall_s");
    p.throughput = num(j, "throughput");
    const json::object& l = obj(j, "latency_ms");
    p.latency = {count(l, "count"), num(l, "mean"),  num(l, "p50"), num(l, "p90"),
                 num(l, "p99"),     num(l, "p99.9"), num(l, "max")};
    p.errors = count_map(obj(j, "errors"));
    p.served_reads = count_map(obj(obj(j, "served_by"), "reads"));
    p.served_writes = count_map(obj(obj(j, "served_by"), "writes"));
    if (const json::value* d = j.if_contains("proxy_counters_delta"); d && d->is_object()) {
      p.proxy_delta_valid = true;
      for (const auto& [node, nv] : d->get_object()) {
        if (!nv.is_object()) continue;
        p.proxy_delta[std::string(node)] = {count(nv.get_object(), "reads"),
                                            count(nv.get_object(), "writes")};
      }
    }
    const json::object& cpu = obj(j, "cpu_us_per_request");
    p.client_cpu_us = cpu.contains("client") ? num(cpu, "client") : -1;
    p.gatekeeper_cpu_us = cpu.contains("gatekeeper") ? num(cpu, "gatekeeper") : -1;
    p.proxy_cpu_us = cpu.contains("proxy") ? num(cpu, "proxy") : -1;
    p.start_s = num(j, "start_s");
    for (const auto& tv : arr(j, "timeline")) {
      if (!tv.is_array() || tv.get_array().size() < 6) continue;
      const json::array& a = tv.get_array();
      auto at = [&](size_t k) { return a[k].is_number() ? a[k].to_number<double>() : 0.0; };
      p.timeline.push_back({at(0), uint64_t(at(1)), uint64_t(at(2)), at(3), at(4), at(5)});
    }
    p.open_error = str(j, "open_error");
    r.phases.push_back(std::move(p));
  }
  for (const auto& n : arr(o, "notes"))
    if (n.is_string()) r.notes.emplace_back(n.get_string());
  return r;
}

json::value to_json(const SysbenchResult& r) {
  json::object o;
  o["timestamp"] = r.timestamp;
  o["threads"] = r.threads;
  o["time_s"] = r.time_s;
  o["tables"] = r.tables;
  o["table_size"] = r.table_size;
  o["sysbench_version"] = r.sysbench_version;
  o["machine"] = r.machine;
  json::array rows;
  for (const auto& s : r.rows)
    rows.push_back(json::object{{"workload", s.workload},
                                {"mode", s.mode},
                                {"endpoint", s.endpoint},
                                {"ran", s.ran},
                                {"qps", s.qps},
                                {"tps", s.tps},
                                {"p95_ms", s.p95_ms},
                                {"queries", s.queries},
                                {"errors", s.errors},
                                {"reconnects", s.reconnects},
                                {"seconds", s.seconds},
                                {"failure", s.failure}});
  o["rows"] = std::move(rows);
  return o;
}

Result<SysbenchResult> sysbench_from_json(const json::value& v) {
  if (!v.is_object()) return fail(Errc::kMalformedPacket);
  const json::object& o = v.get_object();
  SysbenchResult r;
  r.timestamp = str(o, "timestamp");
  r.threads = int(num(o, "threads"));
  r.time_s = int(num(o, "time_s"));
  r.tables = int(num(o, "tables"));
  r.table_size = int(num(o, "table_size"));
  r.sysbench_version = str(o, "sysbench_version");
  r.machine = str(o, "machine");
  for (const auto& rv : arr(o, "rows")) {
    if (!rv.is_object()) continue;
    const json::object& j = rv.get_object();
    SysbenchRow s;
    s.workload = str(j, "workload");
    s.mode = str(j, "mode");
    s.endpoint = str(j, "endpoint");
    const json::value* ran = j.if_contains("ran");
    s.ran = ran && ran->is_bool() && ran->get_bool();
    s.qps = num(j, "qps");
    s.tps = num(j, "tps");
    s.p95_ms = num(j, "p95_ms");
    s.queries = count(j, "queries");
    s.errors = count(j, "errors");
    s.reconnects = count(j, "reconnects");
    s.seconds = num(j, "seconds");
    s.failure = str(j, "failure");
    r.rows.push_back(std::move(s));
  }
  return r;
}

}  // namespace gh::bench
