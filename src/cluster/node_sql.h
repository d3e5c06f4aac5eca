// SQL access to one node for the control plane: SyncConnection calls whose errors come back as
// cluster Errors that name the node ("replica1 (127.0.0.1:3308): ...").
//
// Owner: the cluster control plane (Foundation issue).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "client/sync_connection.h"
#include "cluster/cluster_error.h"
#include "cluster/credentials.h"

namespace gh::cluster {

struct NodeEndpoint {
  std::string name;  // for messages
  std::string host;
  uint16_t port = 0;
};

Outcome<client::SyncConnection> connect_node(const NodeEndpoint& node, const Credential& who,
                                             std::chrono::milliseconds timeout);
Outcome<client::QueryResult> query_node(client::SyncConnection& connection,
                                        const NodeEndpoint& node, std::string_view sql);
Done execute_on_node(client::SyncConnection& connection, const NodeEndpoint& node,
                     const std::vector<std::string>& statements);
// First column of the first row ("" when NULL or no row).
std::string first_value(const client::QueryResult& result);

}  // namespace gh::cluster
