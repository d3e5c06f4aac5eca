// `gatehouse proxy`: runs the MySQL-protocol proxy role in the foreground until SIGTERM.
// Builds ProxyOptions from the config ([cluster] nodes, [proxy]) and the credentials file
// (backend and monitor accounts, the [proxy_client] user), then hands over to ProxyServer.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/commands.h"
#include "cluster/credentials.h"
#include "config/config.h"
#include "protocol/auth.h"
#include "proxy/server.h"

namespace gh::cli {
namespace {

struct ProxyFlags {
  config::CliOverrides overrides;
  std::string dir;
};

// Builds the proxy's options; a problem comes back as one printable line.
std::expected<proxy::ProxyOptions, std::string> proxy_options(const config::Config& c) {
  proxy::ProxyOptions o;
  const auto& p = c.proxy;
  o.listen_host = c.cluster.host;
  o.listen_port = uint16_t(p.effective_port(c.cluster.base_port));
  o.threads = p.threads;
  for (const auto& n : c.cluster.nodes()) {
    proxy::NodeOptions node;
    node.name = n.name;
    node.role =
        n.role == config::NodeRole::kSource ? proxy::NodeRole::kSource : proxy::NodeRole::kReplica;
    node.host = c.cluster.host;
    node.port = n.port;
    o.nodes.push_back(node);
  }
  auto creds_path = c.cluster.dir / "credentials.toml";
  auto creds = cluster::load_credentials(creds_path);
  if (!creds)
    return std::unexpected(fmt::format("cannot read {}: {}; run `gatehouse up` first",
                                       creds_path.string(), creds.error().message));
  o.backend_user = creds->app.user;
  o.backend_password = creds->app.password;
  o.monitor_user = creds->monitor.user;
  o.monitor_password = creds->monitor.password;
  proxy::Strategy def = proxy::Strategy::kRandom;
  proxy::parse_strategy(p.default_strategy, def);
  if (!creds->proxy_client.user.empty())
    o.users.push_back({creds->proxy_client.user,
                       mysql::native_password_stored_hash(creds->proxy_client.password), def});
  // The gatekeeper tier's login (gatekeeper or trusted host), provisioned by `gatehouse up`.
  if (!creds->gatekeeper_upstream.user.empty())
    o.users.push_back({creds->gatekeeper_upstream.user,
                       mysql::native_password_stored_hash(creds->gatekeeper_upstream.password),
                       def});
  for (const auto& spec : p.users) {
    // name:HASH[:strategy]
    auto first = spec.find(':');
    auto second = first == std::string::npos ? std::string::npos : spec.find(':', first + 1);
    std::string name = spec.substr(0, first);
    std::string hash = first == std::string::npos ? "" : spec.substr(first + 1, second - first - 1);
    proxy::ProxyUser u{name, mysql::stored_hash_from_hex(hash), def};
    if (second != std::string::npos &&
        !proxy::parse_strategy(spec.substr(second + 1), u.default_strategy))
      return std::unexpected(
          fmt::format("{}: proxy.users: unknown strategy in '{}'", c.where("proxy.users"), spec));
    if (name.empty() || u.password_hash.size() != 20)
      return std::unexpected(
          fmt::format("{}: proxy.users: '{}' is not name:HASH[:strategy] with a 40-hex-digit HASH",
                      c.where("proxy.users"), spec));
    o.users.push_back(std::move(u));
  }
  o.max_connections_per_node = p.max_connections_per_node;
  o.pipeline_depth = p.pipeline_depth;
  o.max_queue_length = p.max_queue_length;
  o.max_queue_wait = std::chrono::milliseconds(p.max_queue_wait_ms);
  o.connect_timeout = std::chrono::milliseconds(p.connect_timeout_ms);
  o.health_interval = std::chrono::milliseconds(p.health_interval_ms);
  o.fail_threshold = p.fail_threshold;
  o.max_replication_lag = p.max_replication_lag_s;
  o.reads_fall_back_to_source = p.reads_fall_back_to_source;
  o.exploration_ratio = p.exploration_percent / 100.0;
  o.cache_metadata = p.cache_metadata;
  o.allowed_upstreams = p.allowed_upstreams;
  o.stats_file = (c.cluster.dir / "proxy-stats.json").string();
  return o;
}

int run_proxy(const ProxyFlags& flags) {
  auto cfg = config::resolve_config(flags.overrides);
  if (!cfg) {
    std::fprintf(stderr, "gatehouse proxy: %s\n", cfg.error().message.c_str());
    return 2;
  }
  auto options = proxy_options(*cfg);
  if (!options) {
    std::fprintf(stderr, "gatehouse proxy: %s\n", options.error().c_str());
    return 2;
  }
  try {
    proxy::ProxyServer server(std::move(*options));
    server.start();
    server.run_until_signal();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse proxy: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

void register_proxy(CLI::App& app) {
  auto flags = std::make_shared<ProxyFlags>();
  auto* cmd = app.add_subcommand("proxy", "Run the MySQL-protocol proxy (foreground)");
  cmd->add_option("--config", flags->overrides.config_file, "TOML config file");
  cmd->add_option("--dir", flags->dir, "cluster directory (default ./run)");
  cmd->callback([flags] {
    if (!flags->dir.empty()) flags->overrides.dir = flags->dir;
    set_exit_code(run_proxy(*flags));
  });
}

}  // namespace gh::cli
