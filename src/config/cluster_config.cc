// Reading, checking and rendering of the cluster's configuration sections (see cluster_config.h).
#include "config/cluster_config.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <cctype>

#include "config/toml_reader.h"

namespace gh::config {
namespace {

constexpr std::array<std::string_view, 2> kDurability = {"relaxed", "durable"};
constexpr std::array<std::string_view, 3> kBinlogFormats = {"ROW", "MIXED", "STATEMENT"};
constexpr std::array<std::string_view, 1> kDialects = {"mariadb"};

bool is_size(std::string_view s) {  // 64M, 1G, 16777216
  if (s.empty()) return false;
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  if (digits == 0) return false;
  if (digits == s.size()) return true;
  return digits + 1 == s.size() && std::string_view("KMGkmg").find(s.back()) != std::string::npos;
}

bool is_account_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

bool is_mycnf_line(std::string_view s) {
  if (s.empty() || s.front() == '[') return false;
  for (char c : s)
    if (c == '\n' || c == '\r') return false;
  return std::isalpha(static_cast<unsigned char>(s.front())) != 0;
}

bool is_ipv4(const std::string& s) {
  in_addr addr{};
  return inet_pton(AF_INET, s.c_str(), &addr) == 1;
}

void read_size(TomlSection& section, std::string_view key, std::string& out) {
  std::string value = out;
  section.read(key, value);
  if (!is_size(value))
    section.error(key,
                  fmt::format("expected a size like \"64M\" or \"1G\", got {}", toml_quote(value)));
  else
    out = value;
}

void read_account(TomlSection& section, std::string_view key, std::string& out) {
  std::string value = out;
  section.read(key, value);
  if (!is_account_name(value))
    section.error(key, fmt::format("expected an account name of 1-32 letters, digits or _, got {}",
                                   toml_quote(value)));
  else
    out = value;
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + toml_quote(values[i]);
  return out + "]";
}

}  // namespace

std::filesystem::path clean_path(const std::filesystem::path& path) {
  std::filesystem::path out = path.lexically_normal();
  if (!out.has_filename() && out.has_relative_path()) out = out.parent_path();
  return out;
}

std::string_view role_name(NodeRole role) {
  return role == NodeRole::kSource ? "source" : "replica";
}

std::vector<NodeSpec> ClusterConfig::nodes() const {
  std::vector<NodeSpec> out;
  out.push_back({"source", NodeRole::kSource, static_cast<uint16_t>(base_port), 1});
  for (int i = 1; i <= replicas; ++i) {
    out.push_back({fmt::format("replica{}", i), NodeRole::kReplica,
                   static_cast<uint16_t>(base_port + i), static_cast<uint32_t>(1 + i)});
  }
  return out;
}

void read_cluster_sections(TomlReader& reader, ClusterConfig& c,
                           const std::filesystem::path& base_dir) {
  {
    TomlSection s = reader.section("cluster");
    s.read("name", c.name);
    std::string dir;
    s.read("dir", dir);
    if (!dir.empty()) c.dir = clean_path(base_dir / dir);
    s.read("mariadbd", c.mariadbd);
    s.read("install_db", c.install_db);
    std::string host = c.host;
    s.read("host", host);
    if (!is_ipv4(host))
      s.error("host",
              fmt::format("expected an IPv4 address like \"127.0.0.1\", got {}", toml_quote(host)));
    else
      c.host = host;
    s.read("base_port", c.base_port, kMinPort, kMaxPort);
    s.read("replicas", c.replicas, 0, kMaxReplicas);
    s.read("startup_timeout_s", c.startup_timeout_s, 1, 3600);
    s.read("stop_timeout_s", c.stop_timeout_s, 1, 3600);
    if (c.name.empty()) s.error("name", "expected a non-empty name");
    if (std::string msg = validate_ports(c); !msg.empty()) s.error("base_port", msg);
    s.finish();
  }
  {
    TomlSection s = reader.section("mariadb");
    read_size(s, "innodb_buffer_pool_size", c.mariadb.innodb_buffer_pool_size);
    read_size(s, "innodb_log_file_size", c.mariadb.innodb_log_file_size);
    s.read("max_connections", c.mariadb.max_connections, 10, 100000);
    s.read("performance_schema", c.mariadb.performance_schema);
    s.read_choice("durability", c.mariadb.durability, kDurability);
    std::vector<std::string> extra = c.mariadb.extra;
    s.read("extra", extra);
    bool extra_ok = true;
    for (const auto& line : extra) {
      if (!is_mycnf_line(line)) {
        s.error("extra",
                fmt::format("expected my.cnf lines like \"key=value\", got {}", toml_quote(line)));
        extra_ok = false;
        break;
      }
    }
    if (extra_ok) c.mariadb.extra = std::move(extra);
    s.finish();
  }
  {
    TomlSection s = reader.section("replication");
    s.read_choice("dialect", c.replication.dialect, kDialects);
    s.read_choice("binlog_format", c.replication.binlog_format, kBinlogFormats);
    s.read("semi_sync", c.replication.semi_sync);
    s.read("semi_sync_timeout_ms", c.replication.semi_sync_timeout_ms, 1, 3600000);
    s.read("catchup_timeout_s", c.replication.catchup_timeout_s, 1, 3600);
    s.finish();
  }
  {
    TomlSection s = reader.section("users");
    read_account(s, "admin", c.users.admin);
    read_account(s, "repl", c.users.repl);
    read_account(s, "app", c.users.app);
    read_account(s, "monitor", c.users.monitor);
    read_account(s, "proxy_client", c.users.proxy_client);
    s.finish();
  }
  {
    TomlSection s = reader.section("data");
    s.read("demo", c.data.demo);
    std::string sakila;
    s.read("sakila_dir", sakila);
    if (!sakila.empty()) c.data.sakila_dir = clean_path(base_dir / sakila).string();
    s.read("seed", c.data.seed, 0, 2147483647);
    s.finish();
  }
}

std::string validate_ports(const ClusterConfig& c) {
  if (c.base_port + c.replicas > kMaxPort) {
    return fmt::format("base port {} + {} replicas runs past port {}; pick a lower base port",
                       c.base_port, c.replicas, kMaxPort);
  }
  return "";
}

std::string render_cluster_sections(const ClusterConfig& c, std::string_view dir_value) {
  std::string out;
  out += "[cluster]\n";
  out += fmt::format("name = {}\n", toml_quote(c.name));
  out +=
      "# Where nodes, credentials and pid files live; relative paths are relative to this file.\n";
  out += fmt::format("dir = {}\n", toml_quote(dir_value));
  out += "# Programs; empty means auto-detect (/usr/sbin/mariadbd, /usr/bin/mariadb-install-db,\n";
  out += "# then PATH). Install them with `make deps` (Debian package mariadb-server).\n";
  out += fmt::format("mariadbd = {}\n", toml_quote(c.mariadbd));
  out += fmt::format("install_db = {}\n", toml_quote(c.install_db));
  out += "# Every node binds to this address. The source listens on base_port, replica i on\n";
  out += "# base_port + i; server_id is 1 for the source and 1 + i for replica i.\n";
  out += fmt::format("host = {}\n", toml_quote(c.host));
  out += fmt::format("base_port = {}\n", c.base_port);
  out += fmt::format("replicas = {}  # 0 to {}\n", c.replicas, kMaxReplicas);
  out += fmt::format("startup_timeout_s = {}\n", c.startup_timeout_s);
  out += "# `down` sends SIGTERM, waits this long, then SIGKILL.\n";
  out += fmt::format("stop_timeout_s = {}\n\n", c.stop_timeout_s);

  out += "# Options of each node's generated my.cnf (DIR/nodes/<name>/my.cnf).\n[mariadb]\n";
  out +=
      fmt::format("innodb_buffer_pool_size = {}\n", toml_quote(c.mariadb.innodb_buffer_pool_size));
  out += fmt::format("innodb_log_file_size = {}\n", toml_quote(c.mariadb.innodb_log_file_size));
  out += fmt::format("max_connections = {}\n", c.mariadb.max_connections);
  out += fmt::format("performance_schema = {}\n", c.mariadb.performance_schema);
  out +=
      "# \"relaxed\": innodb_flush_log_at_trx_commit=2 and sync_binlog=0 (fast; fine for a local\n";
  out += "# cluster). \"durable\": innodb_flush_log_at_trx_commit=1 and sync_binlog=1.\n";
  out += fmt::format("durability = {}\n", toml_quote(c.mariadb.durability));
  out += "# Extra my.cnf lines for every node, e.g. [\"slow_query_log=1\"].\n";
  out += fmt::format("extra = {}\n\n", quoted_list(c.mariadb.extra));

  out += "# GTID replication from the source to every replica.\n[replication]\n";
  out += "dialect = \"mariadb\"  # MySQL 8 is not supported yet\n";
  out += fmt::format("binlog_format = {}  # ROW, MIXED or STATEMENT\n",
                     toml_quote(c.replication.binlog_format));
  out += "# Semi-synchronous replication: a commit on the source waits for one replica's ack.\n";
  out += fmt::format("semi_sync = {}\n", c.replication.semi_sync);
  out += fmt::format("semi_sync_timeout_ms = {}\n", c.replication.semi_sync_timeout_ms);
  out += "# How long `up` waits for every replica to apply the source's GTID position.\n";
  out += fmt::format("catchup_timeout_s = {}\n\n", c.replication.catchup_timeout_s);

  out += "# Account names; their random passwords are in DIR/credentials.toml (mode 0600).\n";
  out += "[users]\n";
  out += fmt::format("admin = {}  # ALL WITH GRANT OPTION (the control plane)\n",
                     toml_quote(c.users.admin));
  out += fmt::format("repl = {}  # REPLICATION SLAVE\n", toml_quote(c.users.repl));
  out += fmt::format("app = {}  # data and schema statements (the proxy's backend user)\n",
                     toml_quote(c.users.app));
  out += fmt::format("monitor = {}  # health checks\n", toml_quote(c.users.monitor));
  out += fmt::format("proxy_client = {}  # clients of the proxy (not a MariaDB account)\n\n",
                     toml_quote(c.users.proxy_client));

  out += "# The data set `up` loads into a fresh cluster (database `sakila`).\n[data]\n";
  out += "# A Sakila-shaped data set generated from a fixed seed: same rows on every run.\n";
  out += fmt::format("demo = {}\n", c.data.demo);
  out += fmt::format("seed = {}\n", c.data.seed);
  out += "# A folder with sakila-schema.sql and sakila-data.sql: load the real Sakila instead.\n";
  out += fmt::format("sakila_dir = {}\n", toml_quote(c.data.sakila_dir));
  return out;
}

}  // namespace gh::config
