// The MariaDB 10.11 replication dialect (see replication_dialect.h for the MySQL 8 TODO).
#include "cluster/replication_dialect.h"

#include <fmt/format.h>

#include <charconv>

namespace gh::cluster {
namespace {

using config::NodeRole;

struct AccountGrant {
  Credential Credentials::*member;
  const char* privileges;
  bool grant_option;
};

constexpr AccountGrant kGrants[] = {
    {&Credentials::admin, "ALL PRIVILEGES", true},
    {&Credentials::repl, "REPLICATION SLAVE", false},
    {&Credentials::app,
     "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, "
     "LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, TRIGGER, "
     "REFERENCES, EVENT, PROCESS",
     false},
    {&Credentials::monitor, "SLAVE MONITOR, REPLICATION CLIENT, PROCESS", false},
};

std::string text(const client::QueryResult& result, std::string_view column) {
  if (result.rows.empty()) return "";
  int index = result.column(column);
  if (index < 0 || static_cast<size_t>(index) >= result.rows.front().size()) return "";
  return result.rows.front()[static_cast<size_t>(index)].value_or("");
}

std::optional<int64_t> number(const client::QueryResult& result, std::string_view column) {
  std::string value = text(result, column);
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) return std::nullopt;
  return out;
}

class MariaDbDialect final : public ReplicationDialect {
 public:
  std::string_view name() const override { return "mariadb"; }

  std::vector<std::string> server_options(const config::NodeSpec& node,
                                          const config::ReplicationOptions& o) const override {
    std::vector<std::string> lines = {
        fmt::format("server_id={}", node.server_id),
        "log_bin=binlog",
        "relay_log=relay-bin",
        fmt::format("binlog_format={}", o.binlog_format),
        "gtid_strict_mode=1",
        "log_slave_updates=1",
        "log_bin_trust_function_creators=1",
        fmt::format("read_only={}", node.role == NodeRole::kReplica ? 1 : 0),
        // Semi-sync is built into MariaDB >= 10.3; both switches exist on every node.
        fmt::format("rpl_semi_sync_master_enabled={}",
                    o.semi_sync && node.role == NodeRole::kSource ? "ON" : "OFF"),
        fmt::format("rpl_semi_sync_slave_enabled={}",
                    o.semi_sync && node.role == NodeRole::kReplica ? "ON" : "OFF"),
        fmt::format("rpl_semi_sync_master_timeout={}", o.semi_sync_timeout_ms),
    };
    return lines;
  }

  std::vector<std::string> account_statements(const Credentials& credentials) const override {
    std::vector<std::string> out;
    for (const auto& grant : kGrants) {
      const Credential& c = credentials.*grant.member;
      for (std::string_view host : kAccountHosts) {
        std::string account = fmt::format("{}@{}", sql_quote(c.user), sql_quote(host));
        out.push_back(fmt::format("CREATE OR REPLACE USER {} IDENTIFIED BY {}", account,
                                  sql_quote(c.password)));
        out.push_back(fmt::format("GRANT {} ON *.* TO {}{}", grant.privileges, account,
                                  grant.grant_option ? " WITH GRANT OPTION" : ""));
      }
    }
    return out;
  }

  std::string session_binlog_off() const override { return "SET sql_log_bin=0"; }

  std::vector<std::string> configure_replica(const SourceAddress& source,
                                             const Credential& repl) const override {
    return {
        fmt::format("CHANGE MASTER TO MASTER_HOST={}, MASTER_PORT={}, MASTER_USER={}, "
                    "MASTER_PASSWORD={}, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1",
                    sql_quote(source.host), source.port, sql_quote(repl.user),
                    sql_quote(repl.password)),
        "START SLAVE",
    };
  }

  std::string start_replica() const override { return "START SLAVE"; }
  std::string stop_replica() const override { return "STOP SLAVE"; }
  std::string replica_status_query() const override { return "SHOW SLAVE STATUS"; }

  ReplicaStatus parse_replica_status(const client::QueryResult& r) const override {
    ReplicaStatus s;
    if (r.rows.empty()) return s;
    s.source_host = text(r, "Master_Host");
    s.configured = !s.source_host.empty();
    s.source_port = static_cast<int>(number(r, "Master_Port").value_or(0));
    s.source_user = text(r, "Master_User");
    s.io_state = text(r, "Slave_IO_Running");
    s.sql_state = text(r, "Slave_SQL_Running");
    s.seconds_behind = number(r, "Seconds_Behind_Master");
    s.last_io_error = text(r, "Last_IO_Error");
    s.last_sql_error = text(r, "Last_SQL_Error");
    return s;
  }

  std::string position_query(NodeRole role) const override {
    return role == NodeRole::kSource ? "SELECT @@GLOBAL.gtid_binlog_pos AS pos"
                                     : "SELECT @@GLOBAL.gtid_slave_pos AS pos";
  }

  std::string wait_for_position(std::string_view position, int timeout_s) const override {
    return fmt::format("SELECT MASTER_GTID_WAIT({}, {}) AS reached", sql_quote(position),
                       timeout_s);
  }

  std::vector<std::string> semi_sync_runtime(NodeRole role,
                                             const config::ReplicationOptions& o) const override {
    return {
        fmt::format("SET GLOBAL rpl_semi_sync_master_enabled={}",
                    o.semi_sync && role == NodeRole::kSource ? "ON" : "OFF"),
        fmt::format("SET GLOBAL rpl_semi_sync_slave_enabled={}",
                    o.semi_sync && role == NodeRole::kReplica ? "ON" : "OFF"),
        fmt::format("SET GLOBAL rpl_semi_sync_master_timeout={}", o.semi_sync_timeout_ms),
    };
  }
};

}  // namespace

std::string ReplicaStatus::last_error() const {
  return !last_io_error.empty() ? last_io_error : last_sql_error;
}

const ReplicationDialect& dialect_for(std::string_view name) {
  static const MariaDbDialect kMariaDb;
  (void)name;  // the config only accepts "mariadb" so far
  return kMariaDb;
}

std::string sql_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

}  // namespace gh::cluster
