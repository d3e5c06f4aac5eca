// SQL access to one node for the control plane (see node_sql.h).
#include "cluster/node_sql.h"

#include <fmt/format.h>

namespace gh::cluster {
namespace {

std::string where(const NodeEndpoint& node) {
  return fmt::format("{} ({}:{})", node.name, node.host, node.port);
}

}  // namespace

Outcome<client::SyncConnection> connect_node(const NodeEndpoint& node, const Credential& who,
                                             std::chrono::milliseconds timeout) {
  client::ConnectOptions options;
  options.host = node.host;
  options.port = node.port;
  options.user = who.user;
  options.password = who.password;
  options.timeout = timeout;
  auto connection = client::SyncConnection::connect(options);
  if (!connection) {
    return failure(Errc::kNodeDown, fmt::format("{}: cannot connect as {}: {}", where(node),
                                                who.user, connection.error().to_string()));
  }
  return std::move(*connection);
}

Outcome<client::QueryResult> query_node(client::SyncConnection& connection,
                                        const NodeEndpoint& node, std::string_view sql) {
  auto result = connection.query(sql);
  if (!result) {
    std::string shown(sql.substr(0, 120));
    return failure(Errc::kBackendError,
                   fmt::format("{}: `{}{}` failed: {}", where(node), shown,
                               sql.size() > 120 ? "..." : "", result.error().to_string()));
  }
  return std::move(*result);
}

Done execute_on_node(client::SyncConnection& connection, const NodeEndpoint& node,
                     const std::vector<std::string>& statements) {
  auto result = connection.execute_all(statements);
  if (!result) {
    return failure(Errc::kBackendError,
                   fmt::format("{}: script failed: {}", where(node), result.error().to_string()));
  }
  return {};
}

std::string first_value(const client::QueryResult& result) {
  if (result.rows.empty() || result.rows.front().empty()) return "";
  return result.rows.front().front().value_or("");
}

}  // namespace gh::cluster
