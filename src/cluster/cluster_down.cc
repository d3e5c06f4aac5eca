// `gatehouse down` (see cluster_down.h).
#include "cluster/cluster_down.h"
#include "cluster/roles.h"

#include <fmt/format.h>

#include "cluster/preflight.h"

namespace gh::cluster {
namespace {

Done purge(const ClusterContext& ctx, const Progress& say) {
  const ClusterLayout& layout = ctx.layout();
  std::error_code ec;
  if (!std::filesystem::exists(layout.dir, ec)) {
    say(fmt::format("nothing to purge: {} does not exist", layout.dir.string()));
    return {};
  }
  std::vector<std::filesystem::path> paths = {layout.nodes_dir(), layout.run_dir(),
                                              layout.credentials_file(), layout.config_file(),
                                              layout.lock_file()};
  for (auto& f : role_files(layout)) paths.push_back(std::move(f));
  for (const auto& path : paths) {
    std::filesystem::remove_all(path, ec);
    if (ec) {
      return failure(Errc::kIo, fmt::format("cannot delete {}: {}", path.string(), ec.message()));
    }
  }
  bool empty = std::filesystem::is_empty(layout.dir, ec);
  if (!ec && empty) std::filesystem::remove(layout.dir, ec);
  say(fmt::format("purged {}{}", layout.dir.string(),
                  !ec && empty ? "" : " (other files in it were left alone)"));
  return {};
}

}  // namespace

Done cluster_down(ClusterContext& ctx, bool purge_data, const Progress& say) {
  std::optional<FileLock> lock;
  std::error_code ec;
  if (std::filesystem::is_directory(ctx.layout().dir, ec)) {
    auto locked = lock_cluster_dir(ctx);
    if (!locked) return std::unexpected(locked.error());
    lock.emplace(std::move(*locked));
  }
  // Everything in the process table, plus nodes found through mariadbd's own pid files.
  for (const auto& node : ctx.nodes()) (void)ctx.running(node);
  std::vector<ProcessRecord> records;
  for (auto& record : ctx.processes().list()) {
    if (ctx.processes().alive(record))
      records.push_back(std::move(record));
    else
      ctx.processes().forget(record.name);  // stale: the process is gone
  }
  if (records.empty()) {
    say(fmt::format("cluster {} is not running in {}", ctx.cluster().name,
                    ctx.layout().dir.string()));
  } else {
    auto grace = std::chrono::seconds(ctx.cluster().stop_timeout_s);
    auto reports = ctx.processes().stop(records, grace);
    std::string stuck;
    for (const auto& r : reports) {
      switch (r.result) {
        case StopResult::kStopped:
          say(fmt::format("stopped {} (pid {})", r.name, r.pid));
          break;
        case StopResult::kKilled:
          say(fmt::format("killed {} (pid {}): it did not stop within {} s", r.name, r.pid,
                          ctx.cluster().stop_timeout_s));
          break;
        case StopResult::kNotRunning:
          break;
        case StopResult::kStillRunning:
          stuck += fmt::format("{}{} (pid {})", stuck.empty() ? "" : ", ", r.name, r.pid);
          break;
      }
    }
    if (!stuck.empty()) {
      return failure(
          Errc::kTimeout,
          fmt::format("could not stop {} even with SIGKILL; check `ps` and retry", stuck));
    }
    say(fmt::format("cluster {} is down", ctx.cluster().name));
  }
  if (purge_data) return purge(ctx, say);
  return {};
}

}  // namespace gh::cluster
