// ClusterInfo: reading a cluster's config-derived endpoints, credentials, pids, counters and
// CPU times (see cluster_info.h).
#include "bench/cluster_info.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace gh::bench {
namespace {

std::optional<HostPort> parse_host_port(std::string_view s) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  HostPort hp;
  hp.host = std::string(s.substr(0, colon));
  unsigned port = 0;
  std::string_view p = s.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || ptr != p.data() + p.size() || port == 0 || port > 65535)
    return std::nullopt;
  hp.port = uint16_t(port);
  return hp;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::string HostPort::str() const { return fmt::format("{}:{}", host, port); }

std::map<std::string, std::map<std::string, std::string>> parse_simple_toml(std::string_view text) {
  std::map<std::string, std::map<std::string, std::string>> out;
  std::string section;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(trim(line.substr(1, line.size() - 2)));
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"') {
      size_t close = value.find('"', 1);
      value = value.substr(1, close == std::string_view::npos ? value.size() - 1 : close - 1);
    }
    out[section][std::string(key)] = std::string(value);
  }
  return out;
}

std::expected<ClusterInfo, std::string> load_cluster_info(const config::Config& config) {
  ClusterInfo info;
  std::filesystem::path dir = config.cluster.dir;
  info.dir = dir.string();
  info.stats_file = (dir / "proxy-stats.json").string();
  info.run_dir = (dir / "run").string();
  std::string creds_path = (dir / "credentials.toml").string();
  std::string creds = slurp(creds_path);
  if (creds.empty())
    return std::unexpected(
        fmt::format("no cluster in {} ({} is missing); start one with: gatehouse up --dir {}",
                    info.dir, creds_path, info.dir));
  auto sections = parse_simple_toml(creds);
  auto login = [&](const char* name) {
    return Login{sections[name]["user"], sections[name]["password"]};
  };
  info.proxy_client = login("proxy_client");
  info.admin = login("admin");
  info.app = login("app");
  for (const char* role : {"read", "write", "admin"}) {
    auto it = sections.find(fmt::format("api_key_{}", role));
    if (it != sections.end() && it->second.count("token"))
      info.api_tokens[role] = it->second["token"];
  }
  for (const auto& [name, address] : config.endpoints()) {
    auto hp = parse_host_port(address);
    if (!hp) continue;
    if (name == "proxy_mysql") {
      info.proxy = *hp;
    } else if (name == "gatekeeper_http") {
      info.gatekeeper = *hp;
    } else {
      for (const auto& node : config.cluster.nodes())
        if (node.name == name) info.nodes.emplace_back(name, *hp);
    }
  }
  return info;
}

std::optional<pid_t> role_pid(const std::string& run_dir, const std::string& name) {
  std::string text = slurp(run_dir + "/" + name + ".pid");
  long pid = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  (void)p;
  if (ec != std::errc() || pid <= 0) return std::nullopt;
  if (!std::filesystem::exists(fmt::format("/proc/{}/stat", pid))) return std::nullopt;
  return pid_t(pid);
}

std::optional<double> process_cpu_us(pid_t pid) {
  // The process's CPU-time clock counts every thread, exited ones too, in nanoseconds. A short
  // bench phase (200 requests in ~30 ms) would often read as 0 in /proc/PID/stat's 10 ms ticks.
  clockid_t clock{};
  timespec ts{};
  if (clock_getcpuclockid(pid, &clock) == 0 && clock_gettime(clock, &ts) == 0)
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
  std::string stat = slurp(fmt::format("/proc/{}/stat", pid));
  size_t paren = stat.rfind(')');  // the command name may contain spaces
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream in(stat.substr(paren + 2));
  std::string field;
  // Fields after the name start at #3 (state); utime is #14, stime #15.
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) std::from_chars(field.data(), field.data() + field.size(), utime);
    if (i == 15) std::from_chars(field.data(), field.data() + field.size(), stime);
  }
  long tck = sysconf(_SC_CLK_TCK);
  if (tck <= 0) tck = 100;
  return double(utime + stime) * 1e6 / double(tck);
}

double self_cpu_us() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](const timeval& t) { return double(t.tv_sec) * 1e6 + double(t.tv_usec); };
  return us(ru.ru_utime) + us(ru.ru_stime);
}

std::optional<std::map<std::string, NodeDelta>> read_proxy_counters(const std::string& path) {
  std::string text = slurp(path);
  if (text.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const boost::json::value* nodes = v.get_object().if_contains("nodes");
  if (!nodes || !nodes->is_object()) return std::nullopt;
  std::map<std::string, NodeDelta> out;
  for (const auto& [name, nv] : nodes->get_object()) {
    if (!nv.is_object()) continue;
    auto get = [&](std::string_view key) -> uint64_t {
      const boost::json::value* x = nv.get_object().if_contains(key);
      if (x && x->is_uint64()) return x->get_uint64();
      if (x && x->is_int64() && x->get_int64() > 0) return uint64_t(x->get_int64());
      return 0;
    };
    out[std::string(name)] = {get("reads"), get("writes")};
  }
  return out;
}

std::optional<std::map<std::string, NodeDelta>> counters_delta(
    const std::map<std::string, NodeDelta>& before, const std::map<std::string, NodeDelta>& after) {
  std::map<std::string, NodeDelta> out;
  for (const auto& [name, a] : after) {
    NodeDelta b;
    if (auto it = before.find(name); it != before.end()) b = it->second;
    if (a.reads < b.reads || a.writes < b.writes) return std::nullopt;
    out[name] = {a.reads - b.reads, a.writes - b.writes};
  }
  return out;
}

std::string machine_summary() {
  std::string load = slurp("/proc/loadavg");
  std::istringstream in(load);
  std::string l1, l5, l15;
  in >> l1 >> l5 >> l15;
  return fmt::format("{} CPUs, load {} {} {}", std::thread::hardware_concurrency(), l1, l5, l15);
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

}  // namespace gh::bench
