// HealthMonitor: implementation (see health_monitor.h).
#include "proxy/health_monitor.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>

#include "common/file_io.h"
#include "protocol/capabilities.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/resultset.h"

namespace gh::proxy {

using namespace gh::mysql;
using Clock = std::chrono::steady_clock;

namespace {

// Reads named columns of the first row from a captured text result set (its frames).
std::vector<std::pair<std::string, std::optional<std::string>>> first_row(std::string_view frames,
                                                                          uint32_t caps) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  std::vector<std::string> names;
  size_t pos = 0;
  auto next = [&]() -> std::optional<std::string_view> {
    auto f = parse_frame(frames.substr(pos));
    if (!f) return std::nullopt;
    pos += f->wire_size;
    return f->payload;
  };
  auto count_packet = next();
  if (!count_packet) return out;
  auto count = decode_column_count(*count_packet);
  if (!count) return out;
  for (uint64_t i = 0; i < *count; ++i) {
    auto p = next();
    if (!p) return out;
    auto def = decode_column_definition(*p);
    names.emplace_back(def ? std::string(def->name) : std::string());
  }
  if (!(caps & cap::kDeprecateEof)) next();
  auto row = next();
  if (!row || is_eof_or_ok_fe(*row, caps & cap::kDeprecateEof)) return out;
  std::vector<TextValue> values;
  if (!decode_text_row(*row, names.size(), values)) return out;
  for (size_t i = 0; i < names.size(); ++i)
    out.emplace_back(names[i], values[i] ? std::optional<std::string>(*values[i]) : std::nullopt);
  return out;
}

}  // namespace

HealthMonitor::HealthMonitor(const ProxyOptions& options, NodeList& nodes, Counters& counters)
    : options_(options), nodes_(nodes), counters_(counters) {}

HealthMonitor::~HealthMonitor() { stop(); }

Task<bool> HealthMonitor::probe(Node& node, std::unique_ptr<BackendConnection>& conn) {
  if (!conn || conn->broken()) {
    conn = std::make_unique<BackendConnection>(ctx_.get_executor(), node);
    BackendKey key{cap::kDeprecateEof, kDefaultCollation};
    auto s = co_await conn->connect(key, options_.monitor_user, options_.monitor_password,
                                    options_.connect_timeout);
    if (!s) {
      conn.reset();
      co_return false;
    }
  }
  auto started = Clock::now();
  std::string ping(1, char(Command::kPing));
  auto r = co_await conn->run(ping);
  if (!r || r->error) {
    conn.reset();
    co_return false;
  }
  node.record_probe_rtt(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  if (!node.is_source()) {
    std::string q(1, char(Command::kQuery));
    q += "SHOW SLAVE STATUS";
    std::string frames;
    auto st = co_await conn->run(q, &frames);
    if (!st || st->error) {
      conn.reset();
      co_return false;
    }
    bool io = false, sql = false;
    double lag = -1;
    for (const auto& [name, value] : first_row(frames, conn->capabilities())) {
      if (name == "Slave_IO_Running") io = value && *value == "Yes";
      if (name == "Slave_SQL_Running") sql = value && *value == "Yes";
      if (name == "Seconds_Behind_Master" && value) lag = std::atof(value->c_str());
    }
    bool lagging = !io || !sql || lag < 0 || lag > options_.max_replication_lag;
    auto& h = node.health();
    h.lag_seconds.store(lag, std::memory_order_relaxed);
    if (lagging != h.lagging.load()) {
      spdlog::warn("replica {} {} (io={}, sql={}, lag={}s)", node.name(),
                   lagging ? "shunned for reads" : "serving reads again", io, sql, lag);
    }
    h.lagging.store(lagging, std::memory_order_relaxed);
  }
  co_return true;
}

Task<void> HealthMonitor::probe_loop(Node& node) {
  std::unique_ptr<BackendConnection> conn;
  asio::steady_timer timer(ctx_);
  auto& h = node.health();
  for (;;) {
    bool ok = co_await probe(node, conn);
    if (ok) {
      h.consecutive_failures.store(0, std::memory_order_relaxed);
      if (!h.up.exchange(true)) spdlog::info("node {} is up", node.name());
    } else {
      int failures = h.consecutive_failures.fetch_add(1, std::memory_order_relaxed) + 1;
      if (failures >= options_.fail_threshold && h.up.exchange(false)) {
        h.generation.fetch_add(1, std::memory_order_relaxed);  // pools drop its connections
        spdlog::warn("node {} is down after {} failed probes", node.name(), failures);
      }
    }
    timer.expires_after(options_.health_interval);
    auto [ec] = co_await timer.async_wait(kNoThrow);
    if (ec) co_return;
  }
}

void HealthMonitor::write_stats() {
  if (options_.stats_file.empty()) return;
  (void)write_file_atomic(options_.stats_file, counters_.to_json(nodes_) + "\n");
}

Task<void> HealthMonitor::stats_loop() {
  asio::steady_timer timer(ctx_);
  for (;;) {
    write_stats();
    timer.expires_after(options_.stats_interval);
    auto [ec] = co_await timer.async_wait(kNoThrow);
    if (ec) co_return;
  }
}

void HealthMonitor::start() {
  // First round synchronously: every node gets one probe before clients are accepted.
  {
    asio::io_context first(1);
    for (size_t i = 0; i < nodes_.size(); ++i) {
      asio::co_spawn(
          first,
          [this, i]() -> Task<void> {
            Node& node = *nodes_[i];
            auto c = std::make_unique<BackendConnection>(co_await asio::this_coro::executor, node);
            BackendKey key{cap::kDeprecateEof, kDefaultCollation};
            auto s = co_await c->connect(key, options_.monitor_user, options_.monitor_password,
                                         options_.connect_timeout);
            node.health().up.store(bool(s), std::memory_order_relaxed);
          },
          asio::detached);
    }
    first.run();
  }
  for (auto& node : nodes_) asio::co_spawn(ctx_, probe_loop(*node), asio::detached);
  asio::co_spawn(ctx_, stats_loop(), asio::detached);
  thread_ = std::thread([this] { ctx_.run(); });
}

void HealthMonitor::stop() {
  ctx_.stop();
  if (thread_.joinable()) thread_.join();
  write_stats();
}

}  // namespace gh::proxy
