// GatekeeperServer: workers, shared state, reloads and stats (see gatekeeper_server.h).
#include "gatekeeper/gatekeeper_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>

#include "common/file_io.h"
#include "gatekeeper/mysql_front.h"
#include "gatekeeper/tls.h"
#include "protocol/auth.h"

namespace gh::gatekeeper {

namespace asio = proxy::asio;
using proxy::kNoThrow;
using proxy::Task;
using proxy::tcp;

// The key store in force: replaced whole by the reloader, read by every request. A mutex rather
// than std::atomic<std::shared_ptr>: g++ 12's version hides its lock from ThreadSanitizer, which
// then reported every reload as a data race.
class KeysInForce {
 public:
  std::shared_ptr<const KeyStore> load() const {
    std::lock_guard lock(mu_);
    return keys_;
  }
  void store(std::shared_ptr<const KeyStore> keys) {
    std::lock_guard lock(mu_);
    keys_.swap(keys);  // the old store is freed after the lock is released
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const KeyStore> keys_;
};

struct GatekeeperShared {
  explicit GatekeeperShared(const GatekeeperOptions& o) : allowlist(o.allowlist_dir) {}
  KeysInForce keys;
  DigestAllowlist allowlist;
  RateLimiter limiter;
  AuditLog audit;
  ApiCounters api_counters;
  HttpFrontCounters http_counters;
  FrontCounters front_counters;
  std::unique_ptr<asio::ssl::context> ssl;
};

namespace {

class ApiEnvImpl;
class FrontEnvImpl;

}  // namespace

class GatekeeperWorker {
 public:
  GatekeeperWorker(const GatekeeperOptions& options, GatekeeperShared& shared);
  ~GatekeeperWorker();
  void listen();
  void start();
  void stop();
  void join() {
    if (thread_.joinable()) thread_.join();
  }

  const GatekeeperOptions& options() const { return options_; }
  GatekeeperShared& shared() { return shared_; }
  asio::io_context& context() { return ctx_; }
  proxy::NodePool& upstream(Role role) {
    return options_.via_trusted_host ? *pools_[size_t(role)] : *pools_[0];
  }

 private:
  Task<void> mysql_accept_loop();
  Task<void> prune_loop();

  const GatekeeperOptions& options_;
  GatekeeperShared& shared_;
  asio::io_context ctx_{1};
  proxy::Node upstream_node_;
  std::vector<proxy::ProxyOptions> pool_options_;  // one per pool (credentials differ)
  std::vector<std::unique_ptr<proxy::NodePool>> pools_;
  std::unique_ptr<ApiEnvImpl> api_env_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpFront> http_;
  std::unique_ptr<FrontEnvImpl> front_env_;
  tcp::acceptor mysql_acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

namespace {

class ApiEnvImpl final : public ApiEnv {
 public:
  explicit ApiEnvImpl(GatekeeperWorker& w) : w_(w) {}
  const ApiSettings& settings() const override { return w_.options().api; }
  std::shared_ptr<const KeyStore> keys() const override { return w_.shared().keys.load(); }
  DigestAllowlist& allowlist() override { return w_.shared().allowlist; }
  RateLimiter& rate_limiter() override { return w_.shared().limiter; }
  AuditLog& audit() override { return w_.shared().audit; }
  ApiCounters& counters() override { return w_.shared().api_counters; }
  proxy::NodePool& upstream(Role role) override { return w_.upstream(role); }

 private:
  GatekeeperWorker& w_;
};

class FrontEnvImpl final : public FrontEnv {
 public:
  explicit FrontEnvImpl(GatekeeperWorker& w) : w_(w) {}
  asio::any_io_executor executor() override { return w_.context().get_executor(); }
  const FrontSettings& settings() const override { return w_.options().front; }
  std::optional<FrontUser> find_user(std::string_view name) const override {
    auto keys = w_.shared().keys.load();
    const Principal* p = keys ? keys->mysql_user(name) : nullptr;
    if (!p) return std::nullopt;
    FrontUser u;
    u.id = p->id;
    u.role = p->role;
    u.password_hash = mysql::stored_hash_from_hex(p->hash);
    u.database = p->database;
    u.digest_mode = p->digest_mode;
    u.rate_limit_per_s =
        p->rate_limit_per_s > 0 ? p->rate_limit_per_s : w_.options().front_rate_per_s;
    u.rate_limit_burst = std::max(w_.options().front_rate_burst, u.rate_limit_per_s);
    return u;
  }
  bool client_allowed(const asio::ip::address&) const override { return true; }
  proxy::NodePool& upstream(Role role) override { return w_.upstream(role); }
  DigestAllowlist* allowlist() override { return &w_.shared().allowlist; }
  RateLimiter& rate_limiter() override { return w_.shared().limiter; }
  AuditLog& audit() override { return w_.shared().audit; }
  FrontCounters& counters() override { return w_.shared().front_counters; }

 private:
  GatekeeperWorker& w_;
};

std::filesystem::file_time_type mtime_of(const std::filesystem::path& p) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(p, ec);
  return ec ? std::filesystem::file_time_type::min() : t;
}

// The newest mtime among the directory and its files (the allowlist changes when any does).
std::filesystem::file_time_type dir_stamp(const std::filesystem::path& dir) {
  auto newest = mtime_of(dir);
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    newest = std::max(newest, mtime_of(it->path()));
  }
  return newest;
}

}  // namespace

GatekeeperWorker::GatekeeperWorker(const GatekeeperOptions& options, GatekeeperShared& shared)
    : options_(options),
      shared_(shared),
      upstream_node_(0, proxy::NodeOptions{options.upstream_name, proxy::NodeRole::kSource,
                                           options.upstream_host, options.upstream_port}),
      mysql_acceptor_(ctx_) {
  upstream_node_.health().up = true;
  int pools = options.via_trusted_host ? 3 : 1;
  pool_options_.resize(size_t(pools));
  for (int i = 0; i < pools; ++i) {
    proxy::ProxyOptions& o = pool_options_[size_t(i)];
    if (options.via_trusted_host) {
      o.backend_user = trusted_link_user(Role(i));
      o.backend_password = trusted_link_password(options.secrets.trusted_host_secret, Role(i));
    } else {
      o.backend_user = options.secrets.upstream_user;
      o.backend_password = options.secrets.upstream_password;
    }
    o.max_connections_per_node = options.upstream_connections;
    o.connect_timeout = options.connect_timeout;
    o.max_queue_length = options.max_queue_length;
    o.max_queue_wait = options.max_queue_wait;
  }
  for (int i = 0; i < pools; ++i)
    pools_.push_back(std::make_unique<proxy::NodePool>(ctx_.get_executor(), upstream_node_,
                                                       pool_options_[size_t(i)]));
  api_env_ = std::make_unique<ApiEnvImpl>(*this);
  api_ = std::make_unique<Api>(*api_env_);
  http_ = std::make_unique<HttpFront>(ctx_, *api_, options.http, options.tls, shared.ssl.get(),
                                      shared.http_counters);
  front_env_ = std::make_unique<FrontEnvImpl>(*this);
}

GatekeeperWorker::~GatekeeperWorker() {
  stop();
  join();
}

void GatekeeperWorker::listen() {
  http_->listen(options_.listen_host, options_.http_port);
  if (options_.mysql_port) {
    tcp::endpoint ep(asio::ip::make_address(options_.listen_host), options_.mysql_port);
    mysql_acceptor_.open(ep.protocol());
    mysql_acceptor_.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    ::setsockopt(mysql_acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    mysql_acceptor_.bind(ep);
    mysql_acceptor_.listen(asio::socket_base::max_listen_connections);
  }
}

void GatekeeperWorker::start() {
  http_->start();
  if (mysql_acceptor_.is_open()) asio::co_spawn(ctx_, mysql_accept_loop(), asio::detached);
  asio::co_spawn(ctx_, prune_loop(), asio::detached);
  thread_ = std::thread([this] { ctx_.run(); });
}

void GatekeeperWorker::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ctx_, [this] {
    http_->stop();
    boost::system::error_code ignored;
    mysql_acceptor_.close(ignored);
    ctx_.stop();
  });
}

Task<void> GatekeeperWorker::mysql_accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await mysql_acceptor_.async_accept(kNoThrow);
    if (ec) {
      if (!mysql_acceptor_.is_open()) co_return;
      asio::steady_timer t(ctx_, std::chrono::milliseconds(50));
      co_await t.async_wait(kNoThrow);
      continue;
    }
    auto session = std::make_shared<MysqlFrontSession>(*front_env_, std::move(socket));
    asio::co_spawn(ctx_, session->run(), asio::detached);
  }
}

Task<void> GatekeeperWorker::prune_loop() {
  asio::steady_timer t(ctx_);
  while (!stopping_) {
    t.expires_after(std::chrono::seconds(5));
    co_await t.async_wait(kNoThrow);
    for (auto& p : pools_) p->prune();
  }
}

GatekeeperServer::GatekeeperServer(GatekeeperOptions options) : options_(std::move(options)) {}

GatekeeperServer::~GatekeeperServer() { stop(); }

void GatekeeperServer::start() {
  shared_ = std::make_unique<GatekeeperShared>(options_);
  auto keys = KeyStore::load(options_.keys_file);
  if (!keys) throw std::runtime_error(keys.error());
  shared_->keys.store(std::make_shared<const KeyStore>(std::move(*keys)));
  if (auto s = shared_->allowlist.reload(); !s)
    throw std::runtime_error(fmt::format("cannot read the allowlist directory {}: {}",
                                         options_.allowlist_dir.string(), s.error().message()));
  if (!options_.audit_log.empty()) {
    if (auto s = shared_->audit.open(options_.audit_log); !s)
      throw std::runtime_error(fmt::format("cannot open the audit log {}: {}",
                                           options_.audit_log.string(), s.error().message()));
  }
  if (options_.tls != TlsMode::kOff) {
    std::error_code ec;
    if (options_.generate_self_signed && !std::filesystem::exists(options_.tls_cert, ec)) {
      auto made = write_self_signed(options_.tls_cert, options_.tls_key, options_.listen_host);
      if (!made) throw std::runtime_error(made.error());
      spdlog::info("wrote a self-signed certificate to {}", options_.tls_cert.string());
    }
    auto ctx = make_server_context(options_.tls_cert, options_.tls_key);
    if (!ctx) throw std::runtime_error(ctx.error());
    shared_->ssl = std::move(*ctx);
  }
  for (int i = 0; i < options_.threads; ++i)
    workers_.push_back(std::make_unique<GatekeeperWorker>(options_, *shared_));
  for (auto& w : workers_) w->listen();
  for (auto& w : workers_) w->start();
  maintenance_thread_ = std::thread([this] { maintenance(); });
  spdlog::info("gatekeeper: HTTP on {}:{} (TLS {}), MySQL front on {}:{}, upstream {} at {}:{}",
               options_.listen_host, options_.http_port,
               options_.tls == TlsMode::kOff        ? "off"
               : options_.tls == TlsMode::kOptional ? "optional"
                                                    : "required",
               options_.listen_host, options_.mysql_port, options_.upstream_name,
               options_.upstream_host, options_.upstream_port);
}

void GatekeeperServer::maintenance() {
  auto keys_stamp = mtime_of(options_.keys_file);
  auto allow_stamp = dir_stamp(options_.allowlist_dir);
  int tick = 0;
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    if (++tick % 4 == 0) {
      auto k = mtime_of(options_.keys_file);
      if (k != keys_stamp) {
        keys_stamp = k;
        auto keys = KeyStore::load(options_.keys_file);
        if (keys) {
          shared_->keys.store(std::make_shared<const KeyStore>(std::move(*keys)));
          spdlog::info("reloaded {}", options_.keys_file.string());
        } else {
          spdlog::error("keeping the previous keys: {}", keys.error());
        }
      }
      auto a = dir_stamp(options_.allowlist_dir);
      if (a != allow_stamp) {
        allow_stamp = a;
        if (auto s = shared_->allowlist.reload(); !s)
          spdlog::error("allowlist reload failed: {}", s.error().message());
      }
    }
    if (!options_.stats_file.empty()) {
      const auto& h = shared_->http_counters;
      const auto& f = shared_->front_counters;
      auto v = [](const std::atomic<uint64_t>& c) { return c.load(std::memory_order_relaxed); };
      auto keys = shared_->keys.load();
      std::string json = fmt::format(
          "{{\"http\":{{\"api\":{},\"connections\":{},\"connections_total\":{},"
          "\"tls_connections\":{},\"malformed\":{},\"timeouts\":{},\"refused\":{}}},"
          "\"mysql\":{{\"connections\":{},\"auth_failures\":{},\"statements\":{},\"denied\":{},"
          "\"protocol_errors\":{},\"upstream_errors\":{}}},\"keys\":{},\"mysql_users\":{},"
          "\"audit_lines\":{}}}\n",
          shared_->api_counters.to_json(), v(h.connections), v(h.connections_total),
          v(h.tls_connections), v(h.malformed), v(h.timeouts), v(h.refused), v(f.connections),
          v(f.auth_failures), v(f.statements), v(f.denied), v(f.protocol_errors),
          v(f.upstream_errors), keys ? keys->keys().size() : 0,
          keys ? keys->mysql_users().size() : 0, shared_->audit.lines_written());
      (void)write_file_atomic(options_.stats_file, json);
    }
  }
}

void GatekeeperServer::run_until_signal() {
  asio::io_context signals_ctx(1);
  asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int sig) {
    spdlog::info("gatekeeper: signal {}, stopping", sig);
  });
  signals_ctx.run();
  stop();
}

void GatekeeperServer::stop() {
  if (stopping_.exchange(true)) return;
  for (auto& w : workers_) w->stop();
  for (auto& w : workers_) w->join();
  if (maintenance_thread_.joinable()) maintenance_thread_.join();
  // Left to the exiting process on purpose (like the proxy's): MySQL-front sessions suspended
  // in a worker's io_context would return upstream connections to pools destroyed before it.
  for (auto& w : workers_) (void)w.release();
  workers_.clear();
}

}  // namespace gh::gatekeeper
