// ClusterContext: everything the control-plane operations (up, down, status) derive from a
// Config: the on-disk layout, the process table, the replication dialect and the node list.
//
// Owner: the cluster control plane (Foundation issue). A node counts as running when the process
// table has a live record for it, or when mariadbd's own pid file points at a live mariadbd with
// this node's --defaults-file (then the record is re-created: adopt, e.g. after a lost run/ dir).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/layout.h"
#include "cluster/process_table.h"
#include "cluster/replication_dialect.h"
#include "config/config.h"

namespace gh::cluster {

// Progress lines for the operator ("started source (pid 812) on 127.0.0.1:3307").
using Progress = std::function<void(std::string_view line)>;

class ClusterContext {
 public:
  explicit ClusterContext(const config::Config& config);

  const config::Config& config() const { return config_; }
  const config::ClusterConfig& cluster() const { return config_.cluster; }
  const ClusterLayout& layout() const { return layout_; }
  ProcessTable& processes() { return processes_; }
  const ReplicationDialect& dialect() const { return dialect_; }
  const std::vector<config::NodeSpec>& nodes() const { return nodes_; }
  const config::NodeSpec& source() const { return nodes_.front(); }

  NodeLayout node_layout(const config::NodeSpec& node) const { return layout_.node(node.name); }
  // What /proc/<pid>/cmdline of this node's mariadbd contains: "--defaults-file=<its my.cnf>".
  std::string identity(const config::NodeSpec& node) const;
  // The node's live process, if any (adopting it from mariadbd's pid file when needed).
  std::optional<ProcessRecord> running(const config::NodeSpec& node);
  SourceAddress source_address() const;
  std::string address(const config::NodeSpec& node) const;  // "127.0.0.1:3307"

 private:
  const config::Config& config_;
  ClusterLayout layout_;
  ProcessTable processes_;
  const ReplicationDialect& dialect_;
  std::vector<config::NodeSpec> nodes_;
};

}  // namespace gh::cluster
