// ProxyServer: implementation (see server.h).
#include "proxy/server.h"

#include <spdlog/spdlog.h>

#include <csignal>

namespace gh::proxy {

ProxyServer::ProxyServer(ProxyOptions options) : options_(std::move(options)) {
  for (size_t i = 0; i < options_.nodes.size(); ++i)
    nodes_.push_back(std::make_unique<Node>(int(i), options_.nodes[i]));
  counters_ = std::make_unique<Counters>(nodes_.size(), size_t(std::max(1, options_.threads)));
  shared_ = std::unique_ptr<Shared>(new Shared{options_, nodes_, *counters_, {}, {}});
  health_ = std::make_unique<HealthMonitor>(options_, nodes_, *counters_);
}

ProxyServer::~ProxyServer() { stop(); }

void ProxyServer::start() {
  int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>(i, *shared_));
  for (auto& w : workers_) shared_->workers.push_back(w.get());
  workers_.front()->listen();  // fail fast on a busy port, before anything runs
  health_->start();
  for (auto& w : workers_) w->start();
  for (const auto& n : nodes_)
    spdlog::info("node {} ({}:{}) {} {}", n->name(), n->options().host, n->options().port,
                 n->is_source() ? "source" : "replica", n->health().up ? "up" : "DOWN");
  spdlog::info("proxy listening on {}:{} with {} worker threads", options_.listen_host,
               options_.listen_port, threads);
}

void ProxyServer::run_until_signal() {
  asio::io_context signals_ctx(1);
  asio::signal_set signals(signals_ctx, SIGINT, SIGTERM);
  signals.async_wait(
      [&](boost::system::error_code, int sig) { spdlog::info("signal {}: stopping", sig); });
  signals_ctx.run();
  stop();
}

void ProxyServer::stop() {
  for (auto& w : workers_) w->stop();
  for (auto& w : workers_) w->join();
  // The workers are left to the exiting process on purpose: destroying a worker destroys its
  // io_context after its pools, and sessions still suspended in it would hand their pinned
  // connections back to pools that are gone.
  for (auto& w : workers_) (void)w.release();
  workers_.clear();
  if (health_) health_->stop();
}

}  // namespace gh::proxy
