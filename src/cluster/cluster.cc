// ClusterContext (see cluster.h).
#include "cluster/cluster.h"

#include <fmt/format.h>

#include <charconv>

#include "cluster/file_util.h"

namespace gh::cluster {

ClusterContext::ClusterContext(const config::Config& config)
    : config_(config),
      layout_{config.cluster.dir},
      processes_(layout_.run_dir()),
      dialect_(dialect_for(config.cluster.replication.dialect)),
      nodes_(config.cluster.nodes()) {}

std::string ClusterContext::identity(const config::NodeSpec& node) const {
  return fmt::format("--defaults-file={}", node_layout(node).my_cnf().string());
}

std::optional<ProcessRecord> ClusterContext::running(const config::NodeSpec& node) {
  if (auto record = processes_.find(node.name); record && processes_.alive(*record)) return record;
  auto text = read_file(node_layout(node).pid_file());
  if (!text) return std::nullopt;
  ProcessRecord record{node.name, 0, identity(node)};
  std::string_view digits = *text;
  while (!digits.empty() && (digits.back() == '\n' || digits.back() == ' '))
    digits.remove_suffix(1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), record.pid);
  if (ec != std::errc() || !processes_.alive(record)) return std::nullopt;
  (void)processes_.record(record);  // adopt: down and status find it from now on
  return record;
}

SourceAddress ClusterContext::source_address() const {
  return SourceAddress{config_.cluster.host, source().port};
}

std::string ClusterContext::address(const config::NodeSpec& node) const {
  return fmt::format("{}:{}", config_.cluster.host, node.port);
}

}  // namespace gh::cluster
