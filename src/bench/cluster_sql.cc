// Blocking SQL helpers around bench phases (see cluster_sql.h).
#include "bench/cluster_sql.h"

#include <fmt/format.h>

namespace gh::bench {

std::expected<client::QueryResult, std::string> run_sql(const HostPort& at, const Login& login,
                                                        const std::vector<std::string>& sql) {
  client::ConnectOptions o;
  o.host = at.host;
  o.port = at.port;
  o.user = login.user;
  o.password = login.password;
  o.timeout = std::chrono::milliseconds(30000);
  auto conn = client::SyncConnection::connect(o);
  if (!conn)
    return std::unexpected(
        fmt::format("connect to {} as {}: {}", at.str(), login.user, conn.error().to_string()));
  client::QueryResult last;
  for (const auto& stmt : sql) {
    auto r = conn->query(stmt);
    if (!r)
      return std::unexpected(fmt::format("{} on {}: {}", stmt, at.str(), r.error().to_string()));
    last = std::move(*r);
  }
  return last;
}

std::expected<void, std::string> wait_for_replicas(const ClusterInfo& info,
                                                   std::chrono::seconds timeout) {
  if (info.nodes.empty()) return {};
  auto pos = run_sql(info.nodes.front().second, info.admin, {"SELECT @@gtid_binlog_pos AS p"});
  if (!pos) return std::unexpected(pos.error());
  std::string gtid = pos->first("p").value_or("");
  if (gtid.empty()) return {};
  for (size_t i = 1; i < info.nodes.size(); ++i) {
    std::string q = fmt::format("SELECT MASTER_GTID_WAIT('{}', {}) AS w", gtid, timeout.count());
    auto w = run_sql(info.nodes[i].second, info.admin, {q});
    if (!w) return std::unexpected(w.error());
    if (w->first("w").value_or("-1") != "0")
      return std::unexpected(fmt::format("{} did not reach GTID {} within {} s",
                                         info.nodes[i].first, gtid, timeout.count()));
  }
  return {};
}

}  // namespace gh::bench
