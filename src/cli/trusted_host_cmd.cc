// `gatehouse trusted-host`: runs the trusted host role in the foreground until SIGINT/SIGTERM.
// Owner: the gatekeeper role. Builds TrustedHostOptions from the config ([cluster] host and
// base port, [proxy] port, [trusted_host], and the policy limits of [gatekeeper]) and
// DIR/trusted-host-secrets.toml (the proxy login and the shared secret; `gatehouse up` writes
// it), then hands over to TrustedHostServer (gatekeeper/trusted_host.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.h"
#include "config/config.h"
#include "gatekeeper/secrets.h"
#include "gatekeeper/trusted_host.h"

namespace gh::cli {
namespace {

struct TrustedHostFlags {
  config::CliOverrides overrides;
  std::string dir;
};

// The trusted host keeps idle gatekeeper connections at least this long, longer than the
// gatekeeper keeps them in its pool, so it is never the side that closes a pooled connection.
constexpr int kMinIdleTimeoutMs = 5 * 60 * 1000;
// Its statement timeout is the gatekeeper's plus this margin: the gatekeeper, which answers
// the real client, times out first.
constexpr int kRequestTimeoutMarginMs = 1000;

std::expected<gatekeeper::TrustedHostOptions, std::string> trusted_host_options(
    const config::Config& c) {
  gatekeeper::TrustedHostOptions o;
  const auto& t = c.trusted_host;
  const auto& g = c.gatekeeper;
  auto secrets_path = c.cluster.dir / gatekeeper::kTrustedHostSecretsFile;
  auto secrets = gatekeeper::load_link_secrets(secrets_path);
  if (!secrets) return std::unexpected(secrets.error());
  if (secrets->trusted_host_secret.empty())
    return std::unexpected(fmt::format("{}: [trusted_host] secret is empty; run `gatehouse up`",
                                       secrets_path.string()));
  if (secrets->upstream_user.empty())
    return std::unexpected(
        fmt::format("{}: [upstream] user is empty; run `gatehouse up`", secrets_path.string()));
  o.listen_host = c.cluster.host;
  o.listen_port = uint16_t(t.effective_port(c.cluster.base_port));
  o.threads = t.threads;
  o.allowed_clients = t.allowed_clients;
  o.secret = secrets->trusted_host_secret;
  o.upstream_host = c.cluster.host;
  o.upstream_port = uint16_t(c.proxy.effective_port(c.cluster.base_port));
  o.upstream_user = secrets->upstream_user;
  o.upstream_password = secrets->upstream_password;
  o.upstream_connections = t.upstream_connections;
  o.upstream_queue_wait = std::chrono::milliseconds(c.proxy.max_queue_wait_ms);
  o.upstream_connect_timeout = std::chrono::milliseconds(c.proxy.connect_timeout_ms);
  o.settings.front = "trusted_host";
  o.settings.limits.max_query_bytes = size_t(g.max_query_bytes);
  o.settings.limits.max_params = size_t(g.max_params);
  o.settings.limits.detect_injection = g.detect_injection;
  o.settings.idle_timeout =
      std::chrono::milliseconds(std::max(g.idle_timeout_ms, kMinIdleTimeoutMs));
  o.settings.request_timeout =
      std::chrono::milliseconds(g.request_timeout_ms + kRequestTimeoutMarginMs);
  o.audit_log = c.cluster.dir / "trusted-host-audit.log";
  o.stats_file = c.cluster.dir / "trusted-host-stats.json";
  return o;
}

int run_trusted_host(const TrustedHostFlags& flags) {
  auto cfg = config::resolve_config(flags.overrides);
  if (!cfg) {
    std::fprintf(stderr, "gatehouse trusted-host: %s\n", cfg.error().message.c_str());
    return 2;
  }
  auto options = trusted_host_options(*cfg);
  if (!options) {
    std::fprintf(stderr, "gatehouse trusted-host: %s\n", options.error().c_str());
    return 2;
  }
  try {
    gatekeeper::TrustedHostServer server(std::move(*options));
    server.start();
    server.run_until_signal();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse trusted-host: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

void register_trusted_host(CLI::App& app) {
  auto flags = std::make_shared<TrustedHostFlags>();
  auto* cmd =
      app.add_subcommand("trusted-host",
                         "Run the trusted host: the policy-checking relay between the gatekeeper "
                         "and the proxy (foreground)");
  cmd->add_option("--config", flags->overrides.config_file, "TOML config file");
  cmd->add_option("--dir", flags->dir, "cluster directory (default ./run)");
  cmd->callback([flags] {
    if (!flags->dir.empty()) flags->overrides.dir = flags->dir;
    set_exit_code(run_trusted_host(*flags));
  });
}

}  // namespace gh::cli
