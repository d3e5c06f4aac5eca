// Api: the HTTP/JSON API of the gatekeeper, independent of the HTTP transport (http_server.h
// feeds it parsed requests). Two stages:
//   prepare()  pure, no I/O: route, authenticate (Bearer API key), rate-limit, decode the JSON
//              body, check every statement against the policy and the key's digest allowlist.
//              Either a final reply (health, errors, denials) or a Plan. Fuzzed.
//   execute()  borrows an upstream connection for the key's role and runs the Plan there
//              within the request timeout.
// Routes: POST /v1/query, POST /v1/transaction, GET /v1/cluster (authenticated),
// GET /v1/health (open). Every error is {"error":{"code","message"[,"rule"|"mysql_errno"]}}
// with the status of http_status_for(); every denial (401/403/413/429) is an audit line.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "gatekeeper/allowlist.h"
#include "gatekeeper/audit_log.h"
#include "gatekeeper/keys.h"
#include "gatekeeper/policy.h"
#include "gatekeeper/rate_limiter.h"
#include "gatekeeper/request.h"
#include "gatekeeper/result_json.h"
#include "proxy/counters.h"
#include "proxy/pool.h"

namespace gh::gatekeeper {

struct ApiSettings {
  PolicyLimits limits;
  RequestLimits request_limits;
  ResultLimits result_limits;
  std::chrono::milliseconds request_timeout{10000};
  double rate_per_s = 0;  // per key default; 0: unlimited
  double rate_burst = 0;
  std::string default_strategy = "random";
};

struct ApiCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> ok{0};
  std::atomic<uint64_t> status_400{0}, status_401{0}, status_403{0}, status_404{0}, status_413{0},
      status_429{0}, status_502{0}, status_503{0}, status_504{0}, status_other{0};
  std::atomic<uint64_t> denied{0};  // policy denials (403)
  proxy::LatencyHistogram latency;
  void count_status(unsigned status);
  std::string to_json() const;
};

// What the API needs from the worker thread that runs it.
class ApiEnv {
 public:
  virtual ~ApiEnv() = default;
  virtual const ApiSettings& settings() const = 0;
  virtual std::shared_ptr<const KeyStore> keys() const = 0;
  virtual DigestAllowlist& allowlist() = 0;
  virtual RateLimiter& rate_limiter() = 0;
  virtual AuditLog& audit() = 0;
  virtual ApiCounters& counters() = 0;
  virtual proxy::NodePool& upstream(Role role) = 0;
};

struct HttpRequestView {
  std::string_view method;
  std::string_view target;
  std::string_view authorization;
  std::string_view content_type;
  std::string_view body;
  std::string_view client;  // "ip:port", for the audit log
};

struct HttpReply {
  unsigned status = 200;
  std::string body;
  int retry_after_s = 0;   // 429: Retry-After
  bool allow_get = false;  // 405 on a GET-only route
  bool allow_post = false;
};

struct Plan {
  enum class Kind { kQuery, kTransaction, kCluster } kind = Kind::kQuery;
  std::string principal;  // key id
  Role role = Role::kRead;
  std::string strategy;  // effective strategy name
  std::string database;  // effective default schema ("" none)
  struct Statement {
    std::string sql;  // as sent upstream (strategy hint prepended for queries)
    std::vector<ParamValue> params;
    std::string digest;  // hex
  };
  std::vector<Statement> statements;
};

// The HTTP status for a gatehouse error code (4xx/5xx).
unsigned http_status_for(Errc code);
// {"error":{"code":..,"message":..[,"rule":..]}}
std::string error_body(Errc code, std::string_view message, std::string_view rule = {});

class Api {
 public:
  explicit Api(ApiEnv& env) : env_(env) {}

  std::variant<HttpReply, Plan> prepare(const HttpRequestView& request);
  proxy::Task<HttpReply> execute(const Plan& plan);
  // Both stages, counting and timing the request.
  proxy::Task<HttpReply> handle(const HttpRequestView& request);
  // A request the transport refused before it reached the Api (oversized body or head): counts
  // it and writes its audit line. Returns the reply to send.
  HttpReply refuse(std::string_view client, Errc code, std::string_view rule,
                   std::string_view message);

 private:
  HttpReply deny(const HttpRequestView& request, std::string_view key, std::string_view digest,
                 Errc code, std::string_view rule, std::string_view message);
  std::variant<HttpReply, Plan> prepare_statements(const HttpRequestView& request,
                                                   const Principal& key, Plan plan,
                                                   std::vector<StatementRequest> statements);
  proxy::Task<HttpReply> run_query(proxy::BackendConnection& conn, const Plan& plan);
  proxy::Task<HttpReply> run_transaction(proxy::BackendConnection& conn, const Plan& plan);
  proxy::Task<HttpReply> run_cluster(proxy::BackendConnection& conn);

  // What the policy said about one statement text for one role: the stateless checks are pure,
  // so applications that send the same texts (prepared statements with params) pay for parsing
  // once per worker thread. Bounded; cleared when full.
  struct CachedCheck {
    Verdict verdict;
    uint64_t digest = 0;
    std::string digest_text;
    size_t placeholders = 0;
    bool transaction_control = false;
  };
  const CachedCheck& checked(Role role, const std::string& sql, size_t params);
  // Bearer token -> principal for the current key-store snapshot (SHA-256 once per token).
  const Principal* authenticate(std::string_view token);

  ApiEnv& env_;
  std::unordered_map<std::string, CachedCheck> check_cache_;
  CachedCheck scratch_check_;
  PolicyLimits cached_limits_;
  std::shared_ptr<const KeyStore> key_snapshot_;
  std::unordered_map<std::string, const Principal*> key_cache_;
};

}  // namespace gh::gatekeeper
