// Checks of `gatehouse up` before anything starts (see preflight.h).
#include "cluster/preflight.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "cluster/file_util.h"
#include "cluster/ports.h"

namespace gh::cluster {
namespace {

bool executable(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

Done check_programs(const ClusterContext& ctx, UpPlan& plan) {
  const auto& c = ctx.cluster();
  plan.mariadbd = find_program(c.mariadbd, "/usr/sbin/mariadbd", {"mariadbd", "mysqld"});
  if (plan.mariadbd.empty()) {
    if (!c.mariadbd.empty()) {
      return failure(Errc::kBinaryMissing,
                     fmt::format("{}: {} is not an executable file; install mariadb-server (e.g. "
                                 "`make deps`) or fix the path",
                                 ctx.config().where("cluster.mariadbd"), c.mariadbd));
    }
    return failure(Errc::kBinaryMissing,
                   "mariadbd not found in /usr/sbin or PATH; install mariadb-server (e.g. `make "
                   "deps`) or set cluster.mariadbd in the config");
  }
  plan.install_db = find_program(c.install_db, "/usr/bin/mariadb-install-db",
                                 {"mariadb-install-db", "mysql_install_db"});
  if (plan.install_db.empty()) {
    if (!c.install_db.empty()) {
      return failure(Errc::kBinaryMissing,
                     fmt::format("{}: {} is not an executable file; install mariadb-server (e.g. "
                                 "`make deps`) or fix the path",
                                 ctx.config().where("cluster.install_db"), c.install_db));
    }
    return failure(Errc::kBinaryMissing,
                   "mariadb-install-db not found in /usr/bin or PATH; install mariadb-server "
                   "(e.g. `make deps`) or set cluster.install_db in the config");
  }
  return {};
}

Done check_dir(const ClusterContext& ctx) {
  const auto& dir = ctx.layout().dir;
  std::error_code ec;
  auto probe = dir / ".gatehouse-write-test";
  if (auto written = write_file_atomic(probe, "", 0600); !written) {
    return failure(Errc::kIo, fmt::format("cannot write to {}: {}; pass a writable --dir",
                                          dir.string(), written.error().message()));
  }
  std::filesystem::remove(probe, ec);
  for (const auto& node : ctx.nodes()) {
    auto socket = ctx.node_layout(node).socket().string();
    if (socket.size() > kMaxSocketPath) {
      return failure(Errc::kIo,
                     fmt::format("{} is too long for a unix socket ({} bytes, limit {}); use a "
                                 "shorter --dir",
                                 socket, socket.size(), kMaxSocketPath));
    }
  }
  return {};
}

Done check_ports(const ClusterContext& ctx, const UpPlan& plan) {
  for (const auto& node : plan.to_start) {
    if (port_free(ctx.cluster().host, node.port)) continue;
    std::string owner = port_owner(node.port);
    std::string origin = ctx.config().where("cluster.base_port");
    std::string hint = origin.find(':') != std::string::npos
                           ? fmt::format("pick another base port ({})", origin)
                           : "pick another --base-port";
    return failure(Errc::kPortInUse,
                   fmt::format("port {} ({}) is already in use{}; stop that process or {}",
                               node.port, node.name, owner.empty() ? "" : " by " + owner, hint));
  }
  return {};
}

Done check_sakila(const ClusterContext& ctx, const UpPlan& plan) {
  const auto& sakila = ctx.cluster().data.sakila_dir;
  if (sakila.empty() || node_bootstrapped(ctx.node_layout(ctx.source())) || plan.to_start.empty()) {
    return {};
  }
  for (const char* file : {"sakila-schema.sql", "sakila-data.sql"}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(sakila) / file, ec)) {
      return failure(Errc::kConfigInvalid,
                     fmt::format("{}: {} has no {}; pass the folder that holds "
                                 "sakila-schema.sql and sakila-data.sql",
                                 ctx.config().where("data.sakila_dir"), sakila, file));
    }
  }
  return {};
}

}  // namespace

std::string find_program(const std::string& configured, const std::string& default_path,
                         const std::vector<std::string>& names) {
  if (!configured.empty()) return executable(configured) ? configured : "";
  if (executable(default_path)) return default_path;
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::filesystem::path dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    for (const auto& name : names) {
      if (!dir.empty() && executable(dir / name))
        return std::filesystem::absolute(dir / name).string();
    }
  }
  return "";
}

Outcome<FileLock> lock_cluster_dir(const ClusterContext& ctx) {
  auto lock = FileLock::try_lock(ctx.layout().lock_file());
  if (!lock) {
    if (lock.error() == make_error_code(Errc::kAlreadyRunning)) {
      return failure(
          Errc::kAlreadyRunning,
          fmt::format("another gatehouse up/down is working on {}; wait for it to finish",
                      ctx.layout().dir.string()));
    }
    return failure(Errc::kIo, fmt::format("cannot lock {}: {}", ctx.layout().lock_file().string(),
                                          lock.error().message()));
  }
  return std::move(*lock);
}

bool node_bootstrapped(const NodeLayout& layout) {
  std::error_code ec;
  return std::filesystem::exists(layout.bootstrapped_marker(), ec);
}

Outcome<UpPlan> preflight_up(ClusterContext& ctx) {
  UpPlan plan;
  if (auto ok = check_programs(ctx, plan); !ok) return std::unexpected(ok.error());
  auto created = create_directories_tracked(ctx.layout().dir);
  if (!created) {
    return failure(Errc::kIo, fmt::format("cannot create {}: {}; pass a writable --dir",
                                          ctx.layout().dir.string(), created.error().message()));
  }
  auto undo = [&](Error error) -> Outcome<UpPlan> {
    std::error_code ec;
    if (!created->empty()) std::filesystem::remove_all(*created, ec);
    return std::unexpected(std::move(error));
  };
  if (auto ok = check_dir(ctx); !ok) return undo(ok.error());
  auto lock = lock_cluster_dir(ctx);
  if (!lock) return undo(lock.error());
  plan.lock.emplace(std::move(*lock));
  plan.fresh = true;
  for (const auto& node : ctx.nodes()) {
    if (node_bootstrapped(ctx.node_layout(node))) plan.fresh = false;
    (ctx.running(node) ? plan.running : plan.to_start).push_back(node);
  }
  if (auto ok = check_ports(ctx, plan); !ok) return undo(ok.error());
  if (auto ok = check_sakila(ctx, plan); !ok) return undo(ok.error());
  return plan;
}

}  // namespace gh::cluster
