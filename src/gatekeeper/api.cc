// Api: routing, authentication, validation and execution of HTTP API requests (see api.h).
#include "gatekeeper/api.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include "common/json_text.h"
#include "gatekeeper/executor.h"
#include "protocol/capabilities.h"
#include "sql/tokenizer.h"

namespace gh::gatekeeper {

using proxy::Task;
namespace asio = proxy::asio;

namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

HttpReply json_reply(unsigned status, std::string body) {
  HttpReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpReply error_reply(Errc code, std::string_view message, std::string_view rule = {}) {
  return json_reply(http_status_for(code), error_body(code, message, rule));
}

// `?` placeholders outside literals and comments.
size_t count_placeholders(std::string_view sql) {
  sql::Tokenizer t(sql);
  size_t n = 0;
  for (sql::Token tok = t.next_significant(); tok.kind != sql::TokenKind::kEnd;
       tok = t.next_significant())
    n += tok.kind == sql::TokenKind::kPlaceholder;
  return n;
}

// A pooled connection whose peer closed it while it sat idle (e.g. the proxy restarted):
// readable with nothing to read. One non-blocking peek, no waiting.
bool peer_closed(proxy::BackendConnection& conn) {
  if (conn.read_buffer().size() > 0) return false;
  char byte;
  ssize_t n = ::recv(conn.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// Transaction control has no place inside /v1/transaction: the endpoint owns the boundaries.
bool is_transaction_control(const sql::StatementInfo& info) {
  using C = sql::StatementClass;
  switch (info.statement_class) {
    case C::kBegin:
    case C::kCommit:
    case C::kRollback:
    case C::kSavepoint:
    case C::kXa:
    case C::kLockTables:
    case C::kUnlockTables:
      return true;
    default:
      return info.autocommit.has_value();
  }
}

// The part of an upstream ERR that the client sees: gatehouse codes keep their meaning
// (7000 + Errc), others are backend errors with the MySQL number and message passed through.
HttpReply upstream_error_reply(const StatementResult& r, std::string_view extra = {}) {
  if (r.err_code >= kMysqlErrorBase && r.err_code < kMysqlErrorBase + 1000) {
    Errc code = static_cast<Errc>(r.err_code - kMysqlErrorBase);
    if (errc_name(code) != "unknown") {
      std::string body = error_body(code, r.err_message);
      if (!extra.empty()) body.insert(body.size() - 2, extra);
      return json_reply(http_status_for(code), std::move(body));
    }
  }
  std::string body = "{\"error\":{\"code\":\"backend_error\",\"message\":";
  append_json_string(body, r.err_message);
  body += fmt::format(",\"mysql_errno\":{},\"sqlstate\":", r.err_code);
  append_json_string(body, r.sqlstate);
  body += extra;
  body += "}}";
  return json_reply(502, std::move(body));
}

void append_result_fields(std::string& out, const StatementResult& r, std::string_view served_by) {
  out += "\"columns\":";
  out += r.columns_json;
  out += ",\"rows\":";
  out += r.rows_json;
  out += fmt::format(",\"row_count\":{},\"affected_rows\":{},\"last_insert_id\":{},\"served_by\":",
                     r.row_count, r.affected_rows, r.last_insert_id);
  append_json_string(out, served_by);
  out += fmt::format(",\"truncated\":{}", r.truncated ? "true" : "false");
}

// Bounds a request's upstream work: on expiry the connection's socket is closed, which ends
// every pending read/write on it; the caller reports 504 and drops the connection.
class Deadline {
 public:
  Deadline(asio::any_io_executor ex, proxy::BackendConnection& conn,
           std::chrono::milliseconds after)
      : timer_(ex) {
    timer_.expires_after(after);
    timer_.async_wait([&conn, expired = expired_](boost::system::error_code ec) {
      if (ec) return;
      *expired = true;
      conn.mark_broken();
      boost::system::error_code ignored;
      conn.socket().close(ignored);
    });
  }
  ~Deadline() { timer_.cancel(); }
  bool expired() const { return *expired_; }

 private:
  asio::steady_timer timer_;
  std::shared_ptr<bool> expired_ = std::make_shared<bool>(false);
};

}  // namespace

unsigned http_status_for(Errc code) {
  switch (code) {
    case Errc::kOk:
      return 200;
    case Errc::kBadRequest:
    case Errc::kMalformedPacket:
      return 400;
    case Errc::kUnauthorized:
      return 401;
    case Errc::kForbidden:
    case Errc::kInjectionSuspected:
    case Errc::kNotAllowlisted:
    case Errc::kAccessDenied:
      return 403;
    case Errc::kNotFound:
      return 404;
    case Errc::kMethodNotAllowed:
      return 405;
    case Errc::kTooLarge:
    case Errc::kPacketTooLarge:
      return 413;
    case Errc::kRateLimited:
      return 429;
    case Errc::kNoHealthyNode:
    case Errc::kQueueFull:
    case Errc::kNodeDown:
    case Errc::kConnectionLimit:
    case Errc::kNotRunning:
      return 503;
    case Errc::kQueueTimeout:
    case Errc::kRequestTimeout:
    case Errc::kTimeout:
      return 504;
    default:
      return 502;
  }
}

std::string error_body(Errc code, std::string_view message, std::string_view rule) {
  std::string out = "{\"error\":{\"code\":\"";
  out += errc_name(code);
  out += "\",\"message\":";
  append_json_string(out, message);
  if (!rule.empty()) {
    out += ",\"rule\":";
    append_json_string(out, rule);
  }
  out += "}}";
  return out;
}

void ApiCounters::count_status(unsigned status) {
  auto bump = [](std::atomic<uint64_t>& c) { c.fetch_add(1, std::memory_order_relaxed); };
  switch (status) {
    case 200:
      bump(ok);
      break;
    case 400:
      bump(status_400);
      break;
    case 401:
      bump(status_401);
      break;
    case 403:
      bump(status_403);
      break;
    case 404:
      bump(status_404);
      break;
    case 413:
      bump(status_413);
      break;
    case 429:
      bump(status_429);
      break;
    case 502:
      bump(status_502);
      break;
    case 503:
      bump(status_503);
      break;
    case 504:
      bump(status_504);
      break;
    default:
      bump(status_other);
  }
}

std::string ApiCounters::to_json() const {
  auto v = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  return fmt::format(
      "{{\"requests\":{},\"status\":{{\"200\":{},\"400\":{},\"401\":{},\"403\":{},\"404\":{},"
      "\"413\":{},\"429\":{},\"502\":{},\"503\":{},\"504\":{},\"other\":{}}},\"denied\":{},"
      "\"latency_ms\":{{\"mean\":{:.3f},\"p50\":{:.3f},\"p99\":{:.3f}}}}}",
      v(requests), v(ok), v(status_400), v(status_401), v(status_403), v(status_404), v(status_413),
      v(status_429), v(status_502), v(status_503), v(status_504), v(status_other), v(denied),
      latency.mean_ms(), latency.quantile_ms(0.5), latency.quantile_ms(0.99));
}

HttpReply Api::deny(const HttpRequestView& request, std::string_view key, std::string_view digest,
                    Errc code, std::string_view rule, std::string_view message) {
  AuditEvent e;
  e.front = "http";
  e.event = "deny";
  e.key = key;
  e.client = request.client;
  e.digest = digest;
  e.code = code;
  e.rule = rule;
  e.reason = message;
  env_.audit().write(e);
  if (code == Errc::kForbidden || code == Errc::kInjectionSuspected ||
      code == Errc::kNotAllowlisted)
    env_.counters().denied.fetch_add(1, std::memory_order_relaxed);
  return error_reply(code, message, rule);
}

std::variant<HttpReply, Plan> Api::prepare(const HttpRequestView& request) {
  std::string_view path = request.target.substr(0, request.target.find('?'));
  Plan::Kind kind;
  bool post = false;
  if (path == "/v1/health") {
    if (request.method != "GET" && request.method != "HEAD") {
      HttpReply r = error_reply(Errc::kMethodNotAllowed, "use GET /v1/health");
      r.allow_get = true;
      return r;
    }
    return json_reply(200, "{\"status\":\"ok\"}");
  } else if (path == "/v1/query") {
    kind = Plan::Kind::kQuery;
    post = true;
  } else if (path == "/v1/transaction") {
    kind = Plan::Kind::kTransaction;
    post = true;
  } else if (path == "/v1/cluster") {
    kind = Plan::Kind::kCluster;
  } else {
    return error_reply(Errc::kNotFound,
                       "no such route; use POST /v1/query, POST /v1/transaction, "
                       "GET /v1/cluster or GET /v1/health");
  }
  if ((post && request.method != "POST") || (!post && request.method != "GET")) {
    HttpReply r =
        error_reply(Errc::kMethodNotAllowed, fmt::format("use {} {}", post ? "POST" : "GET", path));
    r.allow_post = post;
    r.allow_get = !post;
    return r;
  }

  // Authentication.
  if (request.authorization.empty())
    return deny(request, "", "", Errc::kUnauthorized, "authentication",
                "missing credentials: send Authorization: Bearer <API key>");
  if (!iequals_prefix(request.authorization, "bearer "))
    return deny(request, "", "", Errc::kUnauthorized, "authentication",
                "unsupported Authorization scheme: use Bearer <API key>");
  std::string_view token = request.authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  const Principal* key = authenticate(token);
  if (!key)
    return deny(request, "", "", Errc::kUnauthorized, "authentication",
                "unknown or revoked API key");

  // Rate limit.
  const ApiSettings& s = env_.settings();
  double rate = key->rate_limit_per_s > 0 ? key->rate_limit_per_s : s.rate_per_s;
  if (rate > 0) {
    double burst = std::max(s.rate_burst, rate);
    if (!env_.rate_limiter().try_acquire(key->id, rate, burst)) {
      double wait = env_.rate_limiter().retry_after_s(key->id, rate);
      HttpReply r = deny(request, key->id, "", Errc::kRateLimited, "rate_limit",
                         fmt::format("more than {} requests per second for this key", rate));
      r.retry_after_s = std::max(1, int(wait + 0.999));
      return r;
    }
  }

  Plan plan;
  plan.kind = kind;
  plan.principal = key->id;
  plan.role = key->role;
  plan.database = key->database;
  plan.strategy = s.default_strategy;
  if (kind == Plan::Kind::kCluster) return plan;

  RequestLimits limits = s.request_limits;
  limits.max_params = 65535;  // the policy reports too many params with 413 and a rule
  std::vector<StatementRequest> statements;
  if (kind == Plan::Kind::kQuery) {
    auto decoded = decode_query_request(request.body, limits);
    if (!decoded) return error_reply(Errc::kBadRequest, decoded.error());
    if (decoded->strategy) plan.strategy = *decoded->strategy;
    if (decoded->database) plan.database = *decoded->database;
    statements.push_back(std::move(decoded->statement));
  } else {
    auto decoded = decode_transaction_request(request.body, limits);
    if (!decoded) return error_reply(Errc::kBadRequest, decoded.error());
    if (decoded->database) plan.database = *decoded->database;
    statements = std::move(decoded->statements);
  }
  return prepare_statements(request, *key, std::move(plan), std::move(statements));
}

std::variant<HttpReply, Plan> Api::prepare_statements(const HttpRequestView& request,
                                                      const Principal& key, Plan plan,
                                                      std::vector<StatementRequest> statements) {
  bool transaction = plan.kind == Plan::Kind::kTransaction;
  for (size_t i = 0; i < statements.size(); ++i) {
    StatementRequest& st = statements[i];
    const CachedCheck& check = checked(key.role, st.sql, st.params.size());
    std::string digest = check.digest ? digest_hex(check.digest) : std::string();
    std::string where = transaction ? fmt::format("statements[{}]: ", i) : std::string();
    if (!check.verdict.ok())
      return deny(request, key.id, digest, check.verdict.code, check.verdict.rule,
                  where + check.verdict.message);
    if (st.params.empty() && check.placeholders > 0)
      return error_reply(Errc::kBadRequest,
                         where + fmt::format("the statement has {} ? placeholders but no params "
                                             "were given",
                                             check.placeholders),
                         "param_count");
    if (transaction && check.transaction_control)
      return error_reply(Errc::kBadRequest,
                         where +
                             "transaction control is not allowed inside /v1/transaction: "
                             "the endpoint begins and commits itself",
                         "transaction_control");
    Verdict listed =
        env_.allowlist().apply(key.id, key.digest_mode, check.digest, check.digest_text);
    if (!listed.ok())
      return deny(request, key.id, digest, listed.code, listed.rule, where + listed.message);
    Plan::Statement out;
    out.sql = transaction ? std::move(st.sql)
                          : fmt::format("/* gatehouse:strategy={} */ {}", plan.strategy, st.sql);
    out.params = std::move(st.params);
    out.digest = std::move(digest);
    plan.statements.push_back(std::move(out));
  }
  return plan;
}

const Api::CachedCheck& Api::checked(Role role, const std::string& sql, size_t params) {
  static constexpr size_t kMaxCached = 4096;
  static constexpr size_t kMaxCachedText = 4096;
  const PolicyLimits& limits = env_.settings().limits;
  if (limits.max_query_bytes != cached_limits_.max_query_bytes ||
      limits.max_params != cached_limits_.max_params ||
      limits.detect_injection != cached_limits_.detect_injection) {
    check_cache_.clear();
    cached_limits_ = limits;
  }
  // The parameter count only matters against max_params: fold it into the key as over/under.
  bool too_many = params > limits.max_params;
  std::string key;
  key.reserve(sql.size() + 2);
  key += char('0' + int(role));
  key += too_many ? '+' : '-';
  key += sql;
  auto it = check_cache_.find(key);
  if (it != check_cache_.end()) return it->second;
  CheckedStatement c = check_statement(role, sql, params, limits);
  CachedCheck entry;
  entry.verdict = std::move(c.verdict);
  entry.digest = c.digest;
  entry.digest_text = std::move(c.digest_text);
  entry.placeholders = count_placeholders(sql);
  entry.transaction_control = is_transaction_control(c.info);
  if (sql.size() > kMaxCachedText) {  // one-off big texts are not worth keeping
    scratch_check_ = std::move(entry);
    return scratch_check_;
  }
  if (check_cache_.size() >= kMaxCached) check_cache_.clear();
  return check_cache_.emplace(std::move(key), std::move(entry)).first->second;
}

const Principal* Api::authenticate(std::string_view token) {
  auto keys = env_.keys();
  if (!keys) return nullptr;
  if (keys != key_snapshot_) {  // the keys file changed: forget every cached answer
    key_snapshot_ = keys;
    key_cache_.clear();
  }
  std::string t(token);
  auto it = key_cache_.find(t);
  if (it != key_cache_.end()) return it->second;
  const Principal* p = keys->authenticate(token);
  if (key_cache_.size() >= 1024) key_cache_.clear();  // bounded: random bad tokens
  key_cache_.emplace(std::move(t), p);
  return p;
}

Task<HttpReply> Api::execute(const Plan& plan) {
  proxy::NodePool& pool = env_.upstream(plan.role);
  proxy::BackendKey key;
  key.capabilities =
      mysql::cap::kDeprecateEof | mysql::cap::kMultiResults | mysql::cap::kPsMultiResults;
  key.collation = mysql::kDefaultCollation;
  // MariaDB's metadata caching when the upstream offers it (the proxy does; the trusted host
  // does not): repeated executes then come back without their column definitions.
  key.mariadb_capabilities = mysql::mariadb_cap::kCacheMetadata;
  key.mariadb_optional = true;
  auto conn = co_await pool.acquire(key, plan.database);
  // A connection left in another request's schema, or closed by the upstream while idle, is
  // dropped and replaced (a fresh connection has no schema). Bounded: each drop frees a slot.
  for (int attempt = 0; conn && attempt < 4; ++attempt) {
    bool wrong_schema = plan.database.empty() && !(*conn)->schema.empty();
    if (!wrong_schema && !peer_closed(**conn)) break;
    (*conn)->mark_broken();
    pool.release(std::move(*conn));
    conn = co_await pool.acquire(key, plan.database);
  }
  if (!conn) {
    auto e = static_cast<Errc>(conn.error().value());
    if (conn.error().category() != gatehouse_category()) e = Errc::kBackendLost;
    if (e == Errc::kQueueFull || e == Errc::kQueueTimeout)
      co_return error_reply(e, e == Errc::kQueueFull
                                   ? "every upstream connection is busy and the queue is full"
                                   : "timed out waiting for a free upstream connection");
    co_return error_reply(Errc::kNoHealthyNode,
                          fmt::format("the upstream proxy is unavailable ({})", errc_name(e)));
  }
  HttpReply reply;
  {
    auto ex = co_await asio::this_coro::executor;
    Deadline deadline(ex, **conn, env_.settings().request_timeout);
    switch (plan.kind) {
      case Plan::Kind::kQuery:
        reply = co_await run_query(**conn, plan);
        break;
      case Plan::Kind::kTransaction:
        reply = co_await run_transaction(**conn, plan);
        break;
      case Plan::Kind::kCluster:
        reply = co_await run_cluster(**conn);
        break;
    }
    if (deadline.expired()) {
      (*conn)->mark_broken();
      reply = error_reply(Errc::kRequestTimeout,
                          fmt::format("no answer within {} ms; the statement was abandoned",
                                      env_.settings().request_timeout.count()));
    }
  }
  pool.release(std::move(*conn));
  co_return reply;
}

Task<HttpReply> Api::run_query(proxy::BackendConnection& conn, const Plan& plan) {
  auto started = std::chrono::steady_clock::now();
  const Plan::Statement& st = plan.statements.front();
  ExecRequest req;
  req.sql = st.sql;
  req.params = &st.params;
  req.database = plan.database;
  req.limits = env_.settings().result_limits;
  auto outcome = co_await execute_statement(conn, req);
  if (!outcome) {
    conn.mark_broken();
    co_return error_reply(Errc::kBackendLost, "lost the upstream connection during the statement");
  }
  if (outcome->expected_params >= 0)
    co_return error_reply(Errc::kBadRequest,
                          fmt::format("the statement takes {} parameters, {} were given",
                                      outcome->expected_params, st.params.size()),
                          "param_count");
  if (outcome->result.error) co_return upstream_error_reply(outcome->result);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::string body = "{";
  body.reserve(outcome->result.rows_json.size() + outcome->result.columns_json.size() + 256);
  append_result_fields(body, outcome->result, outcome->served_by);
  body += ",\"strategy\":";
  append_json_string(body, plan.strategy);
  body += fmt::format(",\"elapsed_ms\":{:.3f}}}", ms);
  co_return json_reply(200, std::move(body));
}

Task<HttpReply> Api::run_transaction(proxy::BackendConnection& conn, const Plan& plan) {
  auto started = std::chrono::steady_clock::now();
  auto lost = [] {
    return error_reply(Errc::kBackendLost, "lost the upstream connection during the transaction");
  };
  ExecRequest req;
  req.database = plan.database;
  req.limits = env_.settings().result_limits;
  req.sql = "START TRANSACTION";
  req.ask_served_by = false;
  auto begin = co_await execute_statement(conn, req);
  if (!begin) {
    conn.mark_broken();
    co_return lost();
  }
  if (begin->result.error) co_return upstream_error_reply(begin->result);
  std::string results = "[";
  for (size_t i = 0; i < plan.statements.size(); ++i) {
    const Plan::Statement& st = plan.statements[i];
    ExecRequest sreq;
    sreq.sql = st.sql;
    sreq.params = &st.params;
    sreq.limits = env_.settings().result_limits;
    auto outcome = co_await execute_statement(conn, sreq);
    if (!outcome) {
      conn.mark_broken();  // the server rolls back when the connection drops
      co_return lost();
    }
    bool failed = outcome->result.error || outcome->expected_params >= 0;
    if (failed) {
      auto rollback = co_await execute_simple(conn, "ROLLBACK");
      if (!rollback || rollback->error) conn.mark_broken();
      if (outcome->expected_params >= 0)
        co_return error_reply(Errc::kBadRequest,
                              fmt::format("statements[{}]: takes {} parameters, {} were given; "
                                          "the transaction was rolled back",
                                          i, outcome->expected_params, st.params.size()),
                              "param_count");
      std::string extra = fmt::format(",\"statement\":{},\"rolled_back\":true", i);
      co_return upstream_error_reply(outcome->result, extra);
    }
    if (i) results += ',';
    results += '{';
    append_result_fields(results, outcome->result, outcome->served_by);
    results += '}';
  }
  results += ']';
  ExecRequest commit_req;
  commit_req.sql = "COMMIT";
  commit_req.limits = req.limits;
  auto commit = co_await execute_statement(conn, commit_req);
  if (!commit) {
    conn.mark_broken();
    co_return lost();
  }
  if (commit->result.error) co_return upstream_error_reply(commit->result);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::string body = "{\"committed\":true,\"results\":";
  body += results;
  body += ",\"served_by\":";
  append_json_string(body, commit->served_by);
  body += fmt::format(",\"elapsed_ms\":{:.3f}}}", ms);
  co_return json_reply(200, std::move(body));
}

Task<HttpReply> Api::run_cluster(proxy::BackendConnection& conn) {
  std::string payload;
  payload += char(mysql::Command::kQuery);
  payload += "SELECT @gatehouse_cluster";
  std::string frames;
  auto summary = co_await conn.run(payload, &frames);
  if (!summary) {
    conn.mark_broken();
    co_return error_reply(Errc::kBackendLost, "lost the upstream connection");
  }
  auto value = decode_single_value(frames, conn.capabilities(), conn.mariadb_capabilities());
  if (!value) {
    StatementResult r;
    if (decode_response(frames, conn.capabilities(), false, {}, false, r,
                        {conn.mariadb_capabilities()}) &&
        r.error)
      co_return upstream_error_reply(r);
    co_return error_reply(Errc::kBackendError, "the upstream did not report the cluster state");
  }
  co_return json_reply(200, "{\"cluster\":" + *value + "}");
}

HttpReply Api::refuse(std::string_view client, Errc code, std::string_view rule,
                      std::string_view message) {
  env_.counters().requests.fetch_add(1, std::memory_order_relaxed);
  HttpRequestView view;
  view.client = client;
  HttpReply reply = code == Errc::kTooLarge || code == Errc::kUnauthorized ||
                            code == Errc::kForbidden || code == Errc::kRateLimited
                        ? deny(view, "", "", code, rule, message)
                        : error_reply(code, message, rule);
  env_.counters().count_status(reply.status);
  return reply;
}

Task<HttpReply> Api::handle(const HttpRequestView& request) {
  auto started = std::chrono::steady_clock::now();
  env_.counters().requests.fetch_add(1, std::memory_order_relaxed);
  auto prepared = prepare(request);
  HttpReply reply;
  if (auto* r = std::get_if<HttpReply>(&prepared)) {
    reply = std::move(*r);
  } else {
    const Plan& plan = std::get<Plan>(prepared);
    reply = co_await execute(plan);
  }
  env_.counters().count_status(reply.status);
  env_.counters().latency.record(
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
          .count());
  co_return reply;
}

}  // namespace gh::gatekeeper
