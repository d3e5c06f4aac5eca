// GatekeeperServer: the gatekeeper role assembled. N worker threads, each with its own
// io_context, upstream pools (to the trusted host, one per role, or to the proxy), an HTTP front
// (http_server.h -> Api) and a MySQL front (mysql_front.h). Shared by all workers: the key store
// snapshot (re-read when the keys file changes), the digest allowlist, the rate limiter, the
// audit log and the counters, which are written to a JSON stats file for `gatehouse status`.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gatekeeper/api.h"
#include "gatekeeper/front_env.h"
#include "gatekeeper/http_server.h"
#include "gatekeeper/keys.h"
#include "gatekeeper/secrets.h"

namespace gh::gatekeeper {

struct GatekeeperOptions {
  std::string listen_host = "127.0.0.1";
  uint16_t http_port = 0;
  uint16_t mysql_port = 0;  // 0: no MySQL front
  int threads = 1;
  TlsMode tls = TlsMode::kOff;
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  bool generate_self_signed = false;  // create tls_cert/tls_key when missing

  std::filesystem::path keys_file;
  std::filesystem::path allowlist_dir;
  std::filesystem::path audit_log;
  std::filesystem::path stats_file;

  // Upstream: the trusted host (log in per role with the shared secret) or the proxy.
  std::string upstream_name = "proxy";
  std::string upstream_host = "127.0.0.1";
  uint16_t upstream_port = 0;
  bool via_trusted_host = false;
  LinkSecrets secrets;
  int upstream_connections = 64;
  std::chrono::milliseconds connect_timeout{2000};
  int max_queue_length = 1024;
  std::chrono::milliseconds max_queue_wait{2000};

  ApiSettings api;
  HttpLimits http;
  FrontSettings front;
  double front_rate_per_s = 0;
  double front_rate_burst = 0;
};

struct GatekeeperShared;
class GatekeeperWorker;

class GatekeeperServer {
 public:
  explicit GatekeeperServer(GatekeeperOptions options);
  ~GatekeeperServer();

  // Loads keys, opens the audit log, prepares TLS, binds both ports. Throws std::runtime_error
  // (start-up only).
  void start();
  void run_until_signal();
  void stop();

 private:
  void maintenance();  // keys/allowlist reload and the stats file, every 250 ms

  GatekeeperOptions options_;
  std::unique_ptr<GatekeeperShared> shared_;
  std::vector<std::unique_ptr<GatekeeperWorker>> workers_;
  std::thread maintenance_thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gh::gatekeeper
