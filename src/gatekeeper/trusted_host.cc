// TrustedHostServer: workers, the trusted-link users, the FrontEnv of the trusted host, stats
// and graceful stop (see trusted_host.h).
#include "gatekeeper/trusted_host.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <stdexcept>

#include "common/file_io.h"
#include "gatekeeper/mysql_front.h"
#include "gatekeeper/secrets.h"
#include "protocol/auth.h"
#include "proxy/node.h"
#include "proxy/pool.h"

namespace gh::gatekeeper {

using proxy::kNoThrow;
using proxy::Task;
using proxy::tcp;

namespace {

constexpr Role kRoles[] = {Role::kRead, Role::kWrite, Role::kAdmin};

// IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d: compare them as IPv4.
asio::ip::address canonical(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a;
}

}  // namespace

// --- Worker: one thread, one io_context, one pool per role to the proxy ----------------------

class TrustedHostServer::Worker {
 public:
  Worker(TrustedHostServer& server, int id)
      : server_(server), env_(*this), acceptor_(ctx_), maintenance_(ctx_) {
    const auto& o = server.options_;
    upstream_options_.backend_user = o.upstream_user;
    upstream_options_.backend_password = o.upstream_password;
    upstream_options_.max_connections_per_node = o.upstream_connections;
    upstream_options_.max_queue_wait = o.upstream_queue_wait;
    upstream_options_.connect_timeout = o.upstream_connect_timeout;
    proxy::NodeOptions node;
    node.name = "proxy";
    node.role = proxy::NodeRole::kSource;
    node.host = o.upstream_host;
    node.port = o.upstream_port;
    node_ = std::make_unique<proxy::Node>(id, node);
    for (size_t i = 0; i < std::size(kRoles); ++i)
      pools_.push_back(
          std::make_unique<proxy::NodePool>(ctx_.get_executor(), *node_, upstream_options_));
  }

  ~Worker() {
    if (thread_.joinable()) thread_.join();
  }

  void listen() {
    const auto& o = server_.options_;
    boost::system::error_code ec;
    auto address = asio::ip::make_address(o.listen_host, ec);
    if (ec) throw std::runtime_error("bad listen address '" + o.listen_host + "'");
    tcp::endpoint endpoint(address, o.listen_port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint, ec);
    if (ec)
      throw std::runtime_error(
          fmt::format("cannot listen on {}:{}: {}", o.listen_host, o.listen_port, ec.message()));
    acceptor_.listen(1024);
    server_.bound_port_ = acceptor_.local_endpoint().port();
  }

  void start() {
    if (acceptor_.is_open()) asio::co_spawn(ctx_, accept_loop(), asio::detached);
    asio::co_spawn(ctx_, maintenance_loop(), asio::detached);
    thread_ = std::thread([this] {
      ctx_.run();
      finished_ = true;
    });
  }

  // Stops accepting and ends every session; run() then returns once they have unwound.
  void request_stop() {
    asio::post(ctx_, [this] {
      stopping_ = true;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      maintenance_.cancel();
      for (auto& weak : sessions_)
        if (auto s = weak.lock()) s->stop();
    });
  }

  // Joins within `deadline`; false (and the thread forced to stop) when it did not finish.
  bool join_until(std::chrono::steady_clock::time_point deadline) {
    if (!thread_.joinable()) return true;  // never started (start() failed before it)
    while (!finished_ && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    bool clean = finished_;
    if (!clean) ctx_.stop();
    if (thread_.joinable()) thread_.join();
    return clean;
  }

  // Starts a session for an accepted socket on this worker (runs on this worker's thread).
  void adopt(tcp::socket::native_handle_type fd, bool v6) {
    boost::system::error_code ec;
    tcp::socket socket(ctx_);
    socket.assign(v6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      return;
    }
    if (stopping_) return;  // the socket closes
    std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
    auto session = std::make_shared<MysqlFrontSession>(env_, std::move(socket));
    sessions_.push_back(session);
    asio::co_spawn(ctx_, session->run(), asio::detached);
  }

 private:
  class Env final : public FrontEnv {
   public:
    explicit Env(Worker& worker) : w_(worker) {}
    asio::any_io_executor executor() override { return w_.ctx_.get_executor(); }
    const FrontSettings& settings() const override { return w_.server_.options_.settings; }
    std::optional<FrontUser> find_user(std::string_view name) const override {
      for (const auto& u : w_.server_.users_)
        if (u.id == name) return u;
      return std::nullopt;
    }
    bool client_allowed(const asio::ip::address& address) const override {
      const auto& allowed = w_.server_.allowed_;
      return std::find(allowed.begin(), allowed.end(), canonical(address)) != allowed.end();
    }
    proxy::NodePool& upstream(Role role) override { return *w_.pools_[size_t(role)]; }
    DigestAllowlist* allowlist() override { return nullptr; }
    RateLimiter& rate_limiter() override { return w_.server_.rate_limiter_; }
    AuditLog& audit() override { return w_.server_.audit_; }
    FrontCounters& counters() override { return w_.server_.counters_; }

   private:
    Worker& w_;
  };

  Task<void> accept_loop() {
    auto& workers = server_.workers_;
    bool v6 = acceptor_.local_endpoint().address().is_v6();
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        if (!acceptor_.is_open() || stopping_) co_return;
        spdlog::warn("trusted host: accept failed: {}", ec.message());
        continue;
      }
      Worker* target = workers[next_worker_++ % workers.size()].get();
      boost::system::error_code ignored;
      auto fd = socket.release(ignored);
      asio::post(target->ctx_, [target, fd, v6] { target->adopt(fd, v6); });
    }
  }

  Task<void> maintenance_loop() {
    for (;;) {
      maintenance_.expires_after(std::chrono::seconds(1));
      auto [ec] = co_await maintenance_.async_wait(kNoThrow);
      if (ec || stopping_) co_return;
      for (auto& p : pools_) p->prune();
    }
  }

  TrustedHostServer& server_;
  asio::io_context ctx_{1};
  proxy::ProxyOptions upstream_options_;
  std::unique_ptr<proxy::Node> node_;
  std::vector<std::unique_ptr<proxy::NodePool>> pools_;  // indexed by Role
  Env env_;
  tcp::acceptor acceptor_;
  asio::steady_timer maintenance_;
  std::vector<std::weak_ptr<MysqlFrontSession>> sessions_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  bool stopping_ = false;
  size_t next_worker_ = 0;
};

// --- TrustedHostServer ------------------------------------------------------------------------

TrustedHostServer::TrustedHostServer(TrustedHostOptions options) : options_(std::move(options)) {
  options_.settings.front = "trusted_host";
  for (Role role : kRoles) {
    FrontUser u;
    u.id = trusted_link_user(role);
    u.role = role;
    u.password_hash =
        mysql::native_password_stored_hash(trusted_link_password(options_.secret, role));
    users_.push_back(std::move(u));
  }
}

TrustedHostServer::~TrustedHostServer() { stop(); }

void TrustedHostServer::start() {
  if (options_.secret.empty())
    throw std::runtime_error("no trusted-host secret: the [trusted_host] secret is empty");
  for (const auto& text : options_.allowed_clients) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(text, ec);
    if (ec)
      throw std::runtime_error(
          fmt::format("trusted_host.allowed_clients: '{}' is not an IP address", text));
    allowed_.push_back(canonical(address));
  }
  if (allowed_.empty())
    spdlog::warn("trusted host: allowed_clients is empty: every client will be refused");
  if (!options_.audit_log.empty()) {
    if (auto opened = audit_.open(options_.audit_log); !opened)
      throw std::runtime_error(fmt::format("cannot open the audit log {}: {}",
                                           options_.audit_log.string(), opened.error().message()));
  }
  int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>(*this, i));
  workers_.front()->listen();  // fail fast on a busy port, before anything runs
  started_ = std::chrono::steady_clock::now();
  for (auto& w : workers_) w->start();
  if (!options_.stats_file.empty()) stats_thread_ = std::thread([this] { stats_loop(); });
  spdlog::info("trusted host listening on {}:{} with {} worker threads; upstream proxy {}:{} as {}",
               options_.listen_host, bound_port_, threads, options_.upstream_host,
               options_.upstream_port, options_.upstream_user);
}

void TrustedHostServer::run_until_signal() {
  asio::io_context signals_ctx(1);
  asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int sig) {
    spdlog::info("trusted host: signal {}: stopping", sig);
  });
  signals_ctx.run();
  stop();
}

void TrustedHostServer::stop() {
  if (stopped_ || workers_.empty()) return;
  stopped_ = true;
  for (auto& w : workers_) w->request_stop();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool clean = true;
  for (auto& w : workers_) clean = w->join_until(deadline) && clean;
  if (clean) {
    workers_.clear();
  } else {
    // Sessions still hold pool connections: tearing the workers down in any order would
    // touch freed pools or io_contexts. The process is exiting; let it reclaim them.
    spdlog::warn("trusted host: sessions did not end within 5 s; exiting without cleanup");
    for (auto& w : workers_) (void)w.release();
    workers_.clear();
  }
  {
    std::lock_guard lock(stats_mu_);
    stats_stop_ = true;
  }
  stats_cv_.notify_all();
  if (stats_thread_.joinable()) stats_thread_.join();
  write_stats();
  spdlog::info("trusted host stopped");
}

void TrustedHostServer::write_stats() {
  if (options_.stats_file.empty()) return;
  auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string json = fmt::format(
      "{{\"role\":\"trusted-host\",\"listen\":\"{}:{}\",\"upstream\":\"{}:{}\","
      "\"uptime_s\":{:.1f},\"connections\":{},\"auth_failures\":{},\"statements\":{},"
      "\"denied\":{},\"protocol_errors\":{},\"upstream_errors\":{}}}\n",
      options_.listen_host, bound_port_, options_.upstream_host, options_.upstream_port, uptime,
      load(counters_.connections), load(counters_.auth_failures), load(counters_.statements),
      load(counters_.denied), load(counters_.protocol_errors), load(counters_.upstream_errors));
  (void)write_file_atomic(options_.stats_file, json);
}

void TrustedHostServer::stats_loop() {
  std::unique_lock lock(stats_mu_);
  while (!stats_stop_) {
    lock.unlock();
    write_stats();
    lock.lock();
    stats_cv_.wait_for(lock, options_.stats_interval, [this] { return stats_stop_; });
  }
}

}  // namespace gh::gatekeeper
