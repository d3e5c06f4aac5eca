// TrustedHostServer: the trusted host role, an optional MySQL-protocol relay between the
// gatekeeper and the proxy. Owner: the gatekeeper role (this file, trusted_host.cc and
// cli/trusted_host_cmd.cc).
//
// It accepts only the gatekeeper: client addresses from [trusted_host] allowed_clients (exact
// IPs; an empty list refuses everyone), and logins as "gatekeeper-<role>" whose password
// derives from the shared secret (secrets.h). It then runs each session as a MysqlFrontSession
// and re-checks the policy of the role the login names: even a compromised gatekeeper can only
// run what the policy allows that role. Upstream, it logs in to the proxy with the [upstream]
// credential of DIR/trusted-host-secrets.toml, one pool per role on each worker thread; it
// holds no MariaDB account.
//
// Files: DIR/trusted-host-audit.log (JSON lines, one per denial) and
// DIR/trusted-host-stats.json (FrontCounters, rewritten atomically every 250 ms).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "proxy/asio.h"

namespace gh::gatekeeper {
namespace asio = proxy::asio;  // front_env.h names asio:: unqualified
}  // namespace gh::gatekeeper

#include "gatekeeper/audit_log.h"
#include "gatekeeper/front_env.h"
#include "gatekeeper/rate_limiter.h"

namespace gh::gatekeeper {

struct TrustedHostOptions {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 0;
  int threads = 1;
  std::vector<std::string> allowed_clients;  // exact IP addresses
  std::string secret;                        // the shared secret ([trusted_host] secret)
  // The proxy, and the proxy user the trusted host logs in as.
  std::string upstream_host = "127.0.0.1";
  uint16_t upstream_port = 0;
  std::string upstream_user;
  std::string upstream_password;
  int upstream_connections = 64;  // per role, per worker thread
  std::chrono::milliseconds upstream_queue_wait{2000};
  std::chrono::milliseconds upstream_connect_timeout{2000};
  FrontSettings settings;  // front = "trusted_host"
  std::filesystem::path audit_log;
  std::filesystem::path stats_file;
  std::chrono::milliseconds stats_interval{250};
};

class TrustedHostServer {
 public:
  explicit TrustedHostServer(TrustedHostOptions options);
  ~TrustedHostServer();
  TrustedHostServer(const TrustedHostServer&) = delete;
  TrustedHostServer& operator=(const TrustedHostServer&) = delete;

  // Opens the audit log, binds and starts the workers. Throws std::runtime_error at start-up
  // only (bad address, port in use, unwritable audit log).
  void start();
  // Blocks until SIGINT/SIGTERM, then stops gracefully.
  void run_until_signal();
  // Stops accepting, ends every session (upstream connections are dropped) and joins.
  void stop();

  FrontCounters& counters() { return counters_; }
  uint16_t port() const { return bound_port_; }

 private:
  class Worker;
  void write_stats();
  void stats_loop();

  TrustedHostOptions options_;
  std::vector<asio::ip::address> allowed_;
  std::vector<FrontUser> users_;  // one per role
  FrontCounters counters_;
  AuditLog audit_;
  RateLimiter rate_limiter_;  // trusted-link users have no rate limit; kept for FrontEnv
  std::vector<std::unique_ptr<Worker>> workers_;
  uint16_t bound_port_ = 0;
  std::chrono::steady_clock::time_point started_;

  std::thread stats_thread_;
  std::mutex stats_mu_;
  std::condition_variable stats_cv_;
  bool stats_stop_ = false;
  bool stopped_ = false;
};

}  // namespace gh::gatekeeper
