// The [gatekeeper] and [trusted_host] sections: reading and rendering (see gatekeeper_config.h).
#include "config/gatekeeper_config.h"

#include <fmt/format.h>

#include <array>

#include "config/config.h"

namespace gh::config {
namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += fmt::format("{}{}", out.empty() ? "" : ", ", toml_quote(i));
  return out;
}

}  // namespace

void read_gatekeeper_section(TomlReader& reader, Config& config) {
  GatekeeperConfig& g = config.gatekeeper;
  TomlSection s = reader.section("gatekeeper");
  static constexpr std::array<std::string_view, 3> kTls = {"off", "optional", "required"};
  s.read("enabled", g.enabled);
  s.read("http_port", g.http_port, 0, 65535);
  s.read("mysql_port", g.mysql_port, 0, 65535);
  s.read("threads", g.threads, 1, 64);
  s.read_choice("tls", g.tls, kTls);
  s.read("tls_cert", g.tls_cert);
  s.read("tls_key", g.tls_key);
  s.read("keys_file", g.keys_file);
  s.read("allowlist_dir", g.allowlist_dir);
  s.read("audit_log", g.audit_log);
  s.read("upstream_connections", g.upstream_connections, 1, 10000);
  s.read("max_connections", g.max_connections, 1, 1000000);
  s.read("max_body_bytes", g.max_body_bytes, 64, 1 << 30);
  s.read("max_header_bytes", g.max_header_bytes, 256, 1 << 20);
  s.read("max_query_bytes", g.max_query_bytes, 16, 1 << 30);
  s.read("max_params", g.max_params, 0, 65535);
  s.read("max_result_rows", g.max_result_rows, 1, 100000000);
  s.read("max_result_bytes", g.max_result_bytes, 1024, 1 << 30);
  s.read("request_timeout_ms", g.request_timeout_ms, 1, 3600000);
  s.read("header_timeout_ms", g.header_timeout_ms, 1, 3600000);
  s.read("idle_timeout_ms", g.idle_timeout_ms, 1, 86400000);
  s.read("rate_limit_per_s", g.rate_limit_per_s, 0, 100000000);
  s.read("rate_limit_burst", g.rate_limit_burst, 1, 100000000);
  s.read("detect_injection", g.detect_injection);
  s.finish();
}

void read_trusted_host_section(TomlReader& reader, Config& config) {
  TrustedHostConfig& t = config.trusted_host;
  TomlSection s = reader.section("trusted_host");
  s.read("enabled", t.enabled);
  s.read("port", t.port, 0, 65535);
  s.read("threads", t.threads, 1, 64);
  s.read("upstream_connections", t.upstream_connections, 1, 10000);
  s.read("allowed_clients", t.allowed_clients);
  s.finish();
}

std::string render_gatekeeper_section(const Config& config) {
  const GatekeeperConfig& g = config.gatekeeper;
  return fmt::format(R"(
# The gatekeeper: the only internet-facing part. HTTP/JSON API and MySQL front; API keys and
# front users live in the keys file (`gatehouse key ...`), never database credentials.
[gatekeeper]
enabled = {}
http_port = {}                 # 0: cluster.base_port + 40
mysql_port = {}                # 0: cluster.base_port + 41
threads = {}
tls = "{}"                    # off | optional | required (HTTP front)
tls_cert = {}                 # empty: DIR/gatekeeper-cert.pem (self-signed by `up`)
tls_key = {}
keys_file = {}                # empty: DIR/gatekeeper-keys.toml
allowlist_dir = {}            # empty: DIR/allowlist
audit_log = {}                # empty: DIR/gatekeeper-audit.log (JSON lines)
upstream_connections = {}     # per worker thread
max_connections = {}
max_body_bytes = {}
max_header_bytes = {}
max_query_bytes = {}
max_params = {}
max_result_rows = {}          # beyond: rows dropped, "truncated": true
max_result_bytes = {}
request_timeout_ms = {}
header_timeout_ms = {}         # slow clients must send the request head within this
idle_timeout_ms = {}
rate_limit_per_s = {}          # per API key or front user (token bucket); 0: off
rate_limit_burst = {}
detect_injection = {}
)",
                     g.enabled, g.http_port, g.mysql_port, g.threads, g.tls, toml_quote(g.tls_cert),
                     toml_quote(g.tls_key), toml_quote(g.keys_file), toml_quote(g.allowlist_dir),
                     toml_quote(g.audit_log), g.upstream_connections, g.max_connections,
                     g.max_body_bytes, g.max_header_bytes, g.max_query_bytes, g.max_params,
                     g.max_result_rows, g.max_result_bytes, g.request_timeout_ms,
                     g.header_timeout_ms, g.idle_timeout_ms, g.rate_limit_per_s, g.rate_limit_burst,
                     g.detect_injection);
}

std::string render_trusted_host_section(const Config& config) {
  const TrustedHostConfig& t = config.trusted_host;
  return fmt::format(R"(
# The trusted host: an optional relay between the gatekeeper and the proxy. It accepts only the
# gatekeeper (shared-secret handshake + address allowlist) and re-checks the policy.
[trusted_host]
enabled = {}
port = {}                      # 0: cluster.base_port + 45
threads = {}
upstream_connections = {}
allowed_clients = [{}]
)",
                     t.enabled, t.port, t.threads, t.upstream_connections,
                     quoted_list(t.allowed_clients));
}

}  // namespace gh::config
