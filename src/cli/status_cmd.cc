// `gatehouse status`: role, state, GTID position and replication threads of every node.
// Owner: the cluster control plane (Foundation issue); the work is in src/cluster/cluster_status.h.
// Exit codes: 0 all healthy, 1 some node unhealthy (down, unreachable, replication stopped),
// 2 bad input (no cluster in DIR, bad config).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cluster/cluster.h"
#include "cluster/cluster_status.h"
#include "cluster/credentials.h"
#include "config/config.h"

namespace gh::cli {
namespace {

struct StatusFlags {
  std::string dir, config_file;
  bool json = false;
  CLI::Option* dir_opt = nullptr;
};

int run_status(const StatusFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) {
    fmt::print(stderr, "gatehouse status: {}\n", config.error().message);
    return 2;
  }
  cluster::ClusterContext context(*config);
  auto credentials = cluster::load_credentials(context.layout().credentials_file());
  if (!credentials) {
    fmt::print(stderr, "gatehouse status: {}\n", credentials.error().message);
    return 2;
  }
  cluster::ClusterStatus status = cluster::collect_status(context, *credentials);
  fmt::print("{}", f.json ? cluster::status_json(status) : cluster::status_table(status));
  return status.healthy() ? 0 : 1;
}

}  // namespace

void register_status(CLI::App& app) {
  auto flags = std::make_shared<StatusFlags>();
  CLI::App* cmd = app.add_subcommand(
      "status", "Show every node's state and replication; exit 1 if any node is unhealthy");
  flags->dir_opt = cmd->add_option("--dir", flags->dir, "Cluster directory (default ./run)");
  cmd->add_option("--config", flags->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
  cmd->add_flag("--json", flags->json, "Machine-readable output (a stable interface)");
  cmd->callback([flags] { set_exit_code(run_status(*flags)); });
}

}  // namespace gh::cli
