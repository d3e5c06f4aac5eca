// ClusterInfo: what bench needs to know about the cluster in DIR, read from its config and files
// (no network): the proxy and gatekeeper endpoints, logins from DIR/credentials.toml (the
// [proxy_client], [admin] and [app] accounts, and the demo API keys [api_key_read|write|admin]),
// the nodes, and the pids of the proxy and gatekeeper processes (DIR/run/<name>.pid).
// Also: the proxy's counters snapshot (DIR/proxy-stats.json) and per-process CPU time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/results.h"
#include "config/config.h"

namespace gh::bench {

struct Login {
  std::string user;
  std::string password;
};

struct HostPort {
  std::string host;
  uint16_t port = 0;
  std::string str() const;
};

struct ClusterInfo {
  std::string dir;
  std::optional<HostPort> proxy;                        // endpoints.proxy_mysql
  std::optional<HostPort> gatekeeper;                   // endpoints.gatekeeper_http
  std::vector<std::pair<std::string, HostPort>> nodes;  // source first
  Login proxy_client, admin, app;
  // API tokens by role: "read", "write", "admin" (absent when the file has no such section).
  std::map<std::string, std::string> api_tokens;
  std::string stats_file;  // DIR/proxy-stats.json
  std::string run_dir;     // DIR/run
};

// Reads the cluster's files; the message says what is missing ("no cluster in DIR ...").
std::expected<ClusterInfo, std::string> load_cluster_info(const config::Config& config);

// "[section]" / `key = "value"` lines of a generated TOML file (credentials.toml).
std::map<std::string, std::map<std::string, std::string>> parse_simple_toml(std::string_view text);

// The live pid recorded in RUN_DIR/<name>.pid, if that process exists.
std::optional<pid_t> role_pid(const std::string& run_dir, const std::string& name);
// CPU time of a process (all its threads), in microseconds: its CPU-time clock (ns resolution),
// or /proc/PID/stat's utime + stime (CLK_TCK granularity) when that clock is not readable.
std::optional<double> process_cpu_us(pid_t pid);
// This process's user + system CPU time, µs (getrusage: microsecond granularity).
double self_cpu_us();

// Per-node reads/writes from the proxy's counters file; nullopt if unreadable.
std::optional<std::map<std::string, NodeDelta>> read_proxy_counters(const std::string& path);
// after - before, per node (nodes missing from `before` count from 0); nullopt when a counter
// went backwards (the proxy restarted in between).
std::optional<std::map<std::string, NodeDelta>> counters_delta(
    const std::map<std::string, NodeDelta>& before, const std::map<std::string, NodeDelta>& after);

// "2 CPUs, load 0.52 0.61 0.70".
std::string machine_summary();
// "2026-11-21 09:12:03 UTC".
std::string utc_timestamp();

}  // namespace gh::bench
