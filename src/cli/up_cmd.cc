// `gatehouse up`: start (or repair) the local replicated cluster and load its data set.
// Owner: the cluster control plane (Foundation issue); the work is in src/cluster/cluster_up.h.
// Exit codes: 0 up (or already running), 2 bad input (nothing started), 1 runtime failure (the
// nodes this run started are stopped again).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cluster/cluster.h"
#include "cluster/cluster_up.h"
#include "cluster/preflight.h"
#include "config/config.h"

namespace gh::cli {
namespace {

struct UpFlags {
  std::string dir, config_file, sakila;
  int replicas = 0, base_port = 0;
  bool semi_sync = false;
  CLI::Option *dir_opt = nullptr, *replicas_opt = nullptr, *port_opt = nullptr,
              *sakila_opt = nullptr;
};

int run_up(const UpFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  if (f.replicas_opt->count()) overrides.replicas = f.replicas;
  if (f.port_opt->count()) overrides.base_port = f.base_port;
  if (f.semi_sync) overrides.semi_sync = true;
  if (f.sakila_opt->count()) overrides.sakila_dir = f.sakila;
  auto config = config::resolve_config(overrides);
  if (!config) {
    fmt::print(stderr, "gatehouse up: {}\n", config.error().message);
    return 2;
  }
  cluster::ClusterContext context(*config);
  auto plan = cluster::preflight_up(context);
  if (!plan) {
    fmt::print(stderr, "gatehouse up: {}\n", plan.error().message);
    return 2;
  }
  auto say = [](std::string_view line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  if (auto done = cluster::cluster_up(context, *plan, say); !done) {
    fmt::print(stderr, "gatehouse up: {}\n", done.error().message);
    return 1;
  }
  return 0;
}

}  // namespace

void register_up(CLI::App& app) {
  auto flags = std::make_shared<UpFlags>();
  CLI::App* cmd = app.add_subcommand(
      "up", "Start the local replicated MariaDB cluster (idempotent: restarts dead nodes)");
  flags->replicas_opt =
      cmd->add_option("--replicas", flags->replicas, "Number of replicas (default 2)");
  flags->dir_opt = cmd->add_option("--dir", flags->dir, "Cluster directory (default ./run)");
  flags->port_opt =
      cmd->add_option("--base-port", flags->base_port,
                      "Port of the source; replica i listens on base port + i (default 3307)");
  cmd->add_option("--config", flags->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
  flags->sakila_opt =
      cmd->add_option("--sakila", flags->sakila,
                      "Load the real Sakila from DIR/sakila-schema.sql and DIR/sakila-data.sql");
  cmd->add_flag("--semi-sync", flags->semi_sync, "Semi-synchronous replication");
  cmd->callback([flags] { set_exit_code(run_up(*flags)); });
}

}  // namespace gh::cli
