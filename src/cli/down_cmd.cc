// `gatehouse down`: stop every process of the cluster; --purge also deletes its files.
// Owner: the cluster control plane (Foundation issue); the work is in src/cluster/cluster_down.h.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cluster/cluster.h"
#include "cluster/cluster_down.h"
#include "config/config.h"

namespace gh::cli {
namespace {

struct DownFlags {
  std::string dir, config_file;
  bool purge = false;
  CLI::Option* dir_opt = nullptr;
};

int run_down(const DownFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) {
    fmt::print(stderr, "gatehouse down: {}\n", config.error().message);
    return 2;
  }
  cluster::ClusterContext context(*config);
  auto say = [](std::string_view line) {
    fmt::print("{}\n", line);
    std::fflush(stdout);
  };
  if (auto done = cluster::cluster_down(context, f.purge, say); !done) {
    fmt::print(stderr, "gatehouse down: {}\n", done.error().message);
    return 1;
  }
  return 0;
}

}  // namespace

void register_down(CLI::App& app) {
  auto flags = std::make_shared<DownFlags>();
  CLI::App* cmd =
      app.add_subcommand("down", "Stop the cluster's processes (SIGTERM, then SIGKILL)");
  flags->dir_opt = cmd->add_option("--dir", flags->dir, "Cluster directory (default ./run)");
  cmd->add_option("--config", flags->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
  cmd->add_flag("--purge", flags->purge,
                "Also delete the cluster's data, credentials and config from DIR");
  cmd->callback([flags] { set_exit_code(run_down(*flags)); });
}

}  // namespace gh::cli
