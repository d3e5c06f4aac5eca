// FrontEnv: what a MySQL-protocol front session needs from the process that runs it. Two
// processes run MysqlFrontSession (mysql_front.h): the gatekeeper's MySQL port (users from the
// keys file, upstream = trusted host or proxy) and the trusted host (one user per role whose
// password derives from the shared secret, client address allowlist, upstream = proxy).
// Each implements FrontEnv once per worker thread; a session calls it only on that thread,
// except where noted (the shared objects below are thread-safe).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gatekeeper/allowlist.h"
#include "gatekeeper/audit_log.h"
#include "gatekeeper/policy.h"
#include "gatekeeper/rate_limiter.h"
#include "proxy/asio.h"
#include "proxy/pool.h"

namespace gh::gatekeeper {

// A principal allowed to log in on a MySQL front.
struct FrontUser {
  std::string id;  // user name (audit lines, rate limiting)
  Role role = Role::kRead;
  std::string password_hash;  // SHA1(SHA1(password)), 20 raw bytes
  std::string database;       // default schema; empty: none
  DigestMode digest_mode = DigestMode::kOff;
  double rate_limit_per_s = 0;  // 0: none
  double rate_limit_burst = 0;
};

struct FrontSettings {
  std::string_view front = "mysql";  // "mysql" | "trusted_host": audit lines and logs
  PolicyLimits limits;
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds request_timeout{10000};
  size_t max_packet_bytes = 16u << 20;  // larger client packets are refused (ERR too_large)
};

// Front counters (atomics: read by the stats writer on another thread).
struct FrontCounters {
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> auth_failures{0};
  std::atomic<uint64_t> statements{0};
  std::atomic<uint64_t> denied{0};
  std::atomic<uint64_t> protocol_errors{0};  // malformed packets, unsupported commands
  std::atomic<uint64_t> upstream_errors{0};
};

class FrontEnv {
 public:
  virtual ~FrontEnv() = default;
  virtual proxy::asio::any_io_executor executor() = 0;
  virtual const FrontSettings& settings() const = 0;
  // The user named `name`, or nullopt (unknown or revoked).
  virtual std::optional<FrontUser> find_user(std::string_view name) const = 0;
  // Whether a client at `address` may connect at all (trusted host: its allowlist).
  virtual bool client_allowed(const proxy::asio::ip::address& address) const = 0;
  // The upstream pool for statements of `role` (the trusted host logs its upstream in per role).
  virtual proxy::NodePool& upstream(Role role) = 0;
  // Shared, thread-safe. allowlist() may be nullptr (no digest allowlist on this front).
  virtual DigestAllowlist* allowlist() = 0;
  virtual RateLimiter& rate_limiter() = 0;
  virtual AuditLog& audit() = 0;
  virtual FrontCounters& counters() = 0;
};

}  // namespace gh::gatekeeper
