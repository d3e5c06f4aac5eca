// `gatehouse status` (see cluster_status.h).
#include "cluster/cluster_status.h"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <chrono>

#include "cluster/node_sql.h"

namespace gh::cluster {
namespace {

constexpr auto kProbeTimeout = std::chrono::seconds(3);

void probe(ClusterContext& ctx, const Credentials& credentials, NodeStatus& s) {
  auto record = ctx.running(s.node);
  if (!record) {
    s.state = "down";
    s.error = "not running";
    return;
  }
  s.pid = record->pid;
  NodeEndpoint endpoint{s.node.name, s.host, s.node.port};
  auto connection = connect_node(endpoint, credentials.monitor, kProbeTimeout);
  if (!connection) {
    s.state = "unreachable";
    s.error = connection.error().message;
    return;
  }
  s.state = "up";
  const auto& dialect = ctx.dialect();
  if (auto pos = query_node(*connection, endpoint, dialect.position_query(s.node.role)))
    s.gtid_position = first_value(*pos);
  else
    s.error = pos.error().message;
  if (s.node.role == config::NodeRole::kSource) {
    s.healthy = s.error.empty();
    return;
  }
  auto result = query_node(*connection, endpoint, dialect.replica_status_query());
  if (!result) {
    s.error = result.error().message;
    return;
  }
  s.replica = dialect.parse_replica_status(*result);
  if (!s.replica->configured) {
    s.error = "replication is not configured; run `gatehouse up`";
    return;
  }
  std::string last = s.replica->last_error();
  s.healthy = s.error.empty() && s.replica->io_running() && s.replica->sql_running();
  if (!last.empty())
    s.error = last;
  else if (!s.healthy && s.error.empty())
    s.error = fmt::format("replication threads not running (IO: {}, SQL: {})", s.replica->io_state,
                          s.replica->sql_state);
}

std::string or_dash(const std::optional<std::string>& value) {
  return value && !value->empty() ? *value : "-";
}

}  // namespace

bool ClusterStatus::healthy() const {
  for (const auto& n : nodes)
    if (!n.healthy) return false;
  for (const auto& r : roles)
    if (!r.running) return false;
  return true;
}

ClusterStatus collect_status(ClusterContext& ctx, const Credentials& credentials) {
  ClusterStatus out;
  out.cluster = ctx.cluster().name;
  out.dir = ctx.layout().dir;
  out.endpoints = ctx.config().endpoints();
  out.credentials_file = ctx.layout().credentials_file();
  for (const auto& node : ctx.nodes()) {
    NodeStatus s;
    s.node = node;
    s.host = ctx.cluster().host;
    probe(ctx, credentials, s);
    out.nodes.push_back(std::move(s));
  }
  out.roles = role_status(ctx);
  return out;
}

std::string status_json(const ClusterStatus& status) {
  boost::json::object root;
  root["cluster"] = status.cluster;
  root["dir"] = status.dir.string();
  root["healthy"] = status.healthy();
  boost::json::array nodes;
  for (const auto& n : status.nodes) {
    boost::json::object o;
    o["name"] = n.node.name;
    o["role"] = std::string(config::role_name(n.node.role));
    o["host"] = n.host;
    o["port"] = n.node.port;
    o["healthy"] = n.healthy;
    o["state"] = n.state;
    o["pid"] = n.pid ? boost::json::value(*n.pid) : boost::json::value(nullptr);
    o["gtid_position"] =
        n.gtid_position ? boost::json::value(*n.gtid_position) : boost::json::value(nullptr);
    if (n.replica) {
      o["io_running"] = n.replica->io_running();
      o["sql_running"] = n.replica->sql_running();
      o["io_state"] = n.replica->io_state;
      o["seconds_behind"] = n.replica->seconds_behind
                                ? boost::json::value(*n.replica->seconds_behind)
                                : boost::json::value(nullptr);
    } else {
      bool replica = n.node.role == config::NodeRole::kReplica;
      o["io_running"] = replica ? boost::json::value(false) : boost::json::value(nullptr);
      o["sql_running"] = replica ? boost::json::value(false) : boost::json::value(nullptr);
      o["io_state"] = nullptr;
      o["seconds_behind"] = nullptr;
    }
    o["last_error"] = n.error;
    nodes.push_back(std::move(o));
  }
  root["nodes"] = std::move(nodes);
  boost::json::object endpoints;
  for (const auto& [name, address] : status.endpoints) endpoints[name] = address;
  root["endpoints"] = std::move(endpoints);
  root["credentials_file"] = status.credentials_file.string();
  boost::json::array roles;
  for (const auto& r : status.roles) {
    boost::json::object o;
    o["name"] = r.name;
    o["address"] = r.address;
    o["running"] = r.running;
    o["pid"] = r.pid ? boost::json::value(*r.pid) : boost::json::value(nullptr);
    boost::system::error_code ec;
    auto counters = r.counters_json.empty() ? boost::json::value(nullptr)
                                            : boost::json::parse(r.counters_json, ec);
    o["counters"] = ec ? boost::json::value(nullptr) : counters;
    roles.push_back(std::move(o));
  }
  root["roles"] = std::move(roles);
  return boost::json::serialize(root) + "\n";
}

// The proxy's counters as a small table: per node and per strategy.
std::string role_counters_table(const std::string& json) {
  if (json.empty()) return {};
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return {};
  auto num_at = [](const boost::json::value* o, std::initializer_list<const char*> path) {
    for (const char* k : path) {
      if (!o || !o->is_object()) return 0.0;
      o = o->as_object().if_contains(k);
    }
    return o && o->is_number() ? o->to_number<double>() : 0.0;
  };
  if (const auto* http = v.as_object().if_contains("http")) {  // the gatekeeper
    const auto* api = http->is_object() ? http->as_object().if_contains("api") : nullptr;
    const auto* mysql = v.as_object().if_contains("mysql");
    return fmt::format(
        "  http: {} requests, 200: {}, 4xx: {}, 5xx: {}, denied: {}, p50 {:.3f} ms, p99 {:.3f} "
        "ms; {} open connections, {} slow/idle cut off\n"
        "  mysql front: {} connections, {} statements, {} denied, {} auth failures\n",
        num_at(api, {"requests"}), num_at(api, {"status", "200"}),
        num_at(api, {"status", "400"}) + num_at(api, {"status", "401"}) +
            num_at(api, {"status", "403"}) + num_at(api, {"status", "404"}) +
            num_at(api, {"status", "413"}) + num_at(api, {"status", "429"}),
        num_at(api, {"status", "502"}) + num_at(api, {"status", "503"}) +
            num_at(api, {"status", "504"}),
        num_at(api, {"denied"}), num_at(api, {"latency_ms", "p50"}),
        num_at(api, {"latency_ms", "p99"}), num_at(http, {"connections"}),
        num_at(http, {"timeouts"}), num_at(mysql, {"connections"}), num_at(mysql, {"statements"}),
        num_at(mysql, {"denied"}), num_at(mysql, {"auth_failures"}));
  }
  if (!v.as_object().contains("nodes")) {  // a MySQL front (the trusted host)
    std::string out = "  ";
    for (const auto& [k, x] : v.as_object())
      if (x.is_number()) out += fmt::format("{}: {}  ", std::string(k), x.to_number<double>());
    return out + "\n";
  }
  std::string out = fmt::format("  {:<12} {:>10} {:>10} {:>10} {:>7} {:>7} {:>9} {:>9} {:>9}\n",
                                "ROUTE", "STATEMENTS", "READS", "WRITES", "ERRORS", "QUEUED",
                                "PIPELINED", "P50_MS", "P99_MS");
  for (const char* group : {"nodes", "strategies"}) {
    const auto* g = v.as_object().if_contains(group);
    if (!g || !g->is_object()) continue;
    for (const auto& [name, c] : g->as_object()) {
      if (!c.is_object()) continue;
      const auto& o = c.as_object();
      auto num = [&](const char* k) -> double {
        const auto* x = o.if_contains(k);
        return x && x->is_number() ? x->to_number<double>() : 0.0;
      };
      const auto* lat = o.if_contains("latency_ms");
      auto q = [&](const char* k) -> double {
        if (!lat || !lat->is_object()) return 0;
        const auto* x = lat->as_object().if_contains(k);
        return x && x->is_number() ? x->to_number<double>() : 0.0;
      };
      out += fmt::format("  {:<12} {:>10} {:>10} {:>10} {:>7} {:>7} {:>9} {:>9.3f} {:>9.3f}\n",
                         std::string(name), num("statements"), num("reads"), num("writes"),
                         num("errors"), num("queue_waits"), num("pipelined"), q("p50"), q("p99"));
    }
  }
  return out;
}

std::string status_table(const ClusterStatus& status) {
  std::string out = fmt::format("cluster {} in {}: {}\n", status.cluster, status.dir.string(),
                                status.healthy() ? "healthy" : "UNHEALTHY");
  out += fmt::format("{:<10} {:<8} {:<16} {:<12} {:<20} {:<11} {:<4} {:<7} {}\n", "NODE", "ROLE",
                     "ADDRESS", "STATE", "GTID", "IO", "SQL", "BEHIND", "PROBLEM");
  for (const auto& n : status.nodes) {
    std::string io = "-", sql = "-", behind = "-";
    if (n.replica) {
      io = n.replica->io_state.empty() ? "-" : n.replica->io_state;
      sql = n.replica->sql_state.empty() ? "-" : n.replica->sql_state;
      if (n.replica->seconds_behind) behind = std::to_string(*n.replica->seconds_behind);
    }
    out += fmt::format("{:<10} {:<8} {:<16} {:<12} {:<20} {:<11} {:<4} {:<7} {}\n", n.node.name,
                       config::role_name(n.node.role), fmt::format("{}:{}", n.host, n.node.port),
                       n.state, or_dash(n.gtid_position), io, sql, behind,
                       n.error.empty() ? "-" : n.error);
  }
  for (const auto& r : status.roles) {
    out += fmt::format("{:<10} {:<8} {:<16} {:<12}{}\n", r.name, "role", r.address,
                       r.running ? "up" : "down",
                       r.pid ? fmt::format(" pid {}", *r.pid) : std::string());
    out += role_counters_table(r.counters_json);
  }
  out += "endpoints:";
  for (const auto& [name, address] : status.endpoints) out += fmt::format(" {}={}", name, address);
  out += fmt::format("\ncredentials: {}\n", status.credentials_file.string());
  return out;
}

}  // namespace gh::cluster
