// `gatehouse gatekeeper`: runs the gatekeeper role in the foreground until SIGTERM. Builds
// GatekeeperOptions from the config ([gatekeeper], [trusted_host], [proxy] for the upstream
// address and default strategy) and DIR/gatekeeper-secrets.toml — never credentials.toml: the
// gatekeeper holds no database credentials.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "cli/commands.h"
#include "config/config.h"
#include "gatekeeper/gatekeeper_server.h"

namespace gh::cli {
namespace {

struct GatekeeperFlags {
  config::CliOverrides overrides;
  std::string dir;
};

std::filesystem::path or_default(const std::string& configured, const std::filesystem::path& dir,
                                 const char* name) {
  return configured.empty() ? dir / name : std::filesystem::path(configured);
}

std::expected<gatekeeper::GatekeeperOptions, std::string> gatekeeper_options(
    const config::Config& c) {
  using namespace gatekeeper;
  const auto& g = c.gatekeeper;
  const auto& dir = c.cluster.dir;
  GatekeeperOptions o;
  o.listen_host = c.cluster.host;
  o.http_port = uint16_t(g.effective_http_port(c.cluster.base_port));
  o.mysql_port = uint16_t(g.effective_mysql_port(c.cluster.base_port));
  o.threads = g.threads;
  o.tls = g.tls == "required"   ? TlsMode::kRequired
          : g.tls == "optional" ? TlsMode::kOptional
                                : TlsMode::kOff;
  o.tls_cert = or_default(g.tls_cert, dir, "gatekeeper-cert.pem");
  o.tls_key = or_default(g.tls_key, dir, "gatekeeper-key.pem");
  o.generate_self_signed = g.tls_cert.empty() && g.tls_key.empty();
  o.keys_file = or_default(g.keys_file, dir, "gatekeeper-keys.toml");
  o.allowlist_dir = or_default(g.allowlist_dir, dir, "allowlist");
  o.audit_log = or_default(g.audit_log, dir, "gatekeeper-audit.log");
  o.stats_file = dir / "gatekeeper-stats.json";

  auto secrets_path = dir / kGatekeeperSecretsFile;
  auto secrets = load_link_secrets(secrets_path);
  if (!secrets) return std::unexpected(secrets.error());
  o.secrets = std::move(*secrets);
  o.upstream_host = c.cluster.host;
  if (c.trusted_host.enabled) {
    if (o.secrets.trusted_host_secret.empty())
      return std::unexpected(fmt::format(
          "{}: [trusted_host] secret is empty but the trusted host is enabled; run `gatehouse up`",
          secrets_path.string()));
    o.via_trusted_host = true;
    o.upstream_name = "trusted_host";
    o.upstream_port = uint16_t(c.trusted_host.effective_port(c.cluster.base_port));
  } else {
    if (o.secrets.upstream_user.empty())
      return std::unexpected(
          fmt::format("{}: [upstream] user is empty; run `gatehouse up`", secrets_path.string()));
    o.upstream_name = "proxy";
    o.upstream_port = uint16_t(c.proxy.effective_port(c.cluster.base_port));
  }
  o.upstream_connections = g.upstream_connections;

  o.api.limits.max_query_bytes = size_t(g.max_query_bytes);
  o.api.limits.max_params = size_t(g.max_params);
  o.api.limits.detect_injection = g.detect_injection;
  o.api.request_limits.max_params = size_t(g.max_params);
  o.api.result_limits.max_rows = size_t(g.max_result_rows);
  o.api.result_limits.max_bytes = size_t(g.max_result_bytes);
  o.api.request_timeout = std::chrono::milliseconds(g.request_timeout_ms);
  o.api.rate_per_s = g.rate_limit_per_s;
  o.api.rate_burst = g.rate_limit_burst;
  o.api.default_strategy = c.proxy.default_strategy;
  o.max_queue_wait = std::chrono::milliseconds(std::min(g.request_timeout_ms, 2000));

  o.http.max_body_bytes = size_t(g.max_body_bytes);
  o.http.max_header_bytes = size_t(g.max_header_bytes);
  o.http.request_read_timeout = std::chrono::milliseconds(g.header_timeout_ms);
  o.http.idle_timeout = std::chrono::milliseconds(g.idle_timeout_ms);
  o.http.max_connections = g.max_connections;

  o.front.front = "mysql";
  o.front.limits = o.api.limits;
  o.front.idle_timeout = std::chrono::milliseconds(g.idle_timeout_ms);
  o.front.request_timeout = o.api.request_timeout;
  o.front.max_packet_bytes = size_t(std::max(g.max_body_bytes, g.max_query_bytes)) + 1024;
  o.front_rate_per_s = g.rate_limit_per_s;
  o.front_rate_burst = g.rate_limit_burst;
  return o;
}

int run_gatekeeper(const GatekeeperFlags& flags) {
  auto cfg = config::resolve_config(flags.overrides);
  if (!cfg) {
    std::fprintf(stderr, "gatehouse gatekeeper: %s\n", cfg.error().message.c_str());
    return 2;
  }
  auto options = gatekeeper_options(*cfg);
  if (!options) {
    std::fprintf(stderr, "gatehouse gatekeeper: %s\n", options.error().c_str());
    return 2;
  }
  try {
    gatekeeper::GatekeeperServer server(std::move(*options));
    server.start();
    server.run_until_signal();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gatehouse gatekeeper: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace

void register_gatekeeper(CLI::App& app) {
  auto flags = std::make_shared<GatekeeperFlags>();
  auto* cmd = app.add_subcommand("gatekeeper",
                                 "Run the gatekeeper: HTTP/JSON API and MySQL front (foreground)");
  cmd->add_option("--config", flags->overrides.config_file, "TOML config file");
  cmd->add_option("--dir", flags->dir, "cluster directory (default ./run)");
  cmd->callback([flags] {
    if (!flags->dir.empty()) flags->overrides.dir = flags->dir;
    set_exit_code(run_gatekeeper(*flags));
  });
}

}  // namespace gh::cli
