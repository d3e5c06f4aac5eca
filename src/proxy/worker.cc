// Worker: accept loop, pool maintenance and thread lifecycle (see worker.h).
#include "proxy/worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include <unistd.h>

#include "proxy/session.h"

namespace gh::proxy {

Worker::Worker(int id, Shared& shared)
    : shared_(shared),
      acceptor_(ctx_),
      router_(shared.nodes, shared.options, 0x9e3779b97f4a7c15ull * uint64_t(id + 1)) {
  for (auto& node : shared.nodes)
    pools_.push_back(std::make_unique<NodePool>(ctx_.get_executor(), *node, shared.options));
}

Worker::~Worker() {
  stop();
  join();
}

void Worker::listen() {
  const auto& o = shared_.options;
  tcp::endpoint endpoint(asio::ip::make_address(o.listen_host), o.listen_port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  boost::system::error_code ec;
  acceptor_.bind(endpoint, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + o.listen_host + ":" +
                             std::to_string(o.listen_port) + ": " + ec.message());
  acceptor_.listen(1024);
}

void Worker::start() {
  if (acceptor_.is_open()) asio::co_spawn(ctx_, accept_loop(), asio::detached);
  asio::co_spawn(ctx_, maintenance_loop(), asio::detached);
  thread_ = std::thread([this] { ctx_.run(); });
}

void Worker::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ctx_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    ctx_.stop();
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

Task<void> Worker::accept_loop() {
  const auto& allowed = shared_.options.allowed_upstreams;
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    if (!allowed.empty()) {
      boost::system::error_code rec;
      auto peer = socket.remote_endpoint(rec).address().to_string();
      if (rec || std::find(allowed.begin(), allowed.end(), peer) == allowed.end()) {
        spdlog::warn("refused connection from {}: not an allowed upstream", peer);
        shared_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
        continue;  // socket closes
      }
    }
    Worker* target =
        shared_.workers.empty() ? this : shared_.workers[next_worker_++ % shared_.workers.size()];
    auto fd = socket.release(rec_ignored_);
    asio::post(target->ctx_, [target, fd] { target->adopt(fd); });
  }
}

void Worker::adopt(tcp::socket::native_handle_type fd) {
  boost::system::error_code ec;
  tcp::socket socket(ctx_);
  bool v6 = asio::ip::make_address(shared_.options.listen_host, ec).is_v6();
  socket.assign(v6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) {
    ::close(fd);
    return;
  }
  auto session = std::make_shared<ClientSession>(*this, std::move(socket));
  asio::co_spawn(ctx_, session->run(), asio::detached);
}

Task<void> Worker::maintenance_loop() {
  asio::steady_timer timer(ctx_);
  for (;;) {
    timer.expires_after(std::chrono::seconds(1));
    auto [ec] = co_await timer.async_wait(kNoThrow);
    if (ec || stopping_) co_return;
    for (auto& p : pools_) p->prune();
  }
}

}  // namespace gh::proxy
