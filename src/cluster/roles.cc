// Roles: start, check and report the gatehouse processes beside the nodes (see roles.h).
#include "cluster/roles.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cluster/file_util.h"
#include "cluster/gatekeeper_provision.h"
#include "cluster/ports.h"

namespace gh::cluster {
namespace {

struct RoleSpec {
  std::string name;
  uint16_t port;
};

std::vector<RoleSpec> enabled_roles(const ClusterContext& ctx) {
  std::vector<RoleSpec> out;
  const auto& c = ctx.config();
  if (c.proxy.enabled)
    out.push_back({"proxy", uint16_t(c.proxy.effective_port(c.cluster.base_port))});
  if (c.trusted_host.enabled)
    out.push_back({"trusted-host", uint16_t(c.trusted_host.effective_port(c.cluster.base_port))});
  if (c.gatekeeper.enabled)
    out.push_back({"gatekeeper", uint16_t(c.gatekeeper.effective_http_port(c.cluster.base_port))});
  return out;
}

std::string self_exe() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string("gatehouse");
}

std::string identity(const ClusterContext& ctx, const std::string& role) {
  return fmt::format("{} --dir {}", role, ctx.layout().dir.string());
}

}  // namespace

Done ensure_roles(ClusterContext& ctx, const Progress& say) {
  const std::string host = ctx.cluster().host;
  if (auto provisioned = provision_gatekeeper(ctx, say); !provisioned) return provisioned;
  for (const auto& role : enabled_roles(ctx)) {
    auto record = ctx.processes().find(role.name);
    if (record && ctx.processes().alive(*record)) continue;
    if (!port_free(host, role.port)) {
      return failure(
          Errc::kPortInUse,
          fmt::format(
              "port {} ({}) is already in use{}; free it or change [{}] port", role.port, role.name,
              [&] {
                auto who = port_owner(role.port);
                return who.empty() ? std::string() : " by " + who;
              }(),
              role.name));
    }
    auto log = ctx.layout().dir / (role.name + ".log");
    ProcessSpec spec;
    spec.name = role.name;
    spec.argv = {self_exe(), role.name, "--dir", ctx.layout().dir.string()};
    if (!ctx.config().file.empty()) {
      spec.argv.push_back("--config");
      spec.argv.push_back(ctx.config().file.string());
    }
    spec.log_file = log;
    spec.identity = identity(ctx, role.name);
    auto started = ctx.processes().spawn(spec);
    if (!started)
      return failure(Errc::kNodeStartFailed,
                     fmt::format("cannot start the {}: {}", role.name, started.error().message()));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      if (!ctx.processes().alive(*started))
        return failure(Errc::kNodeStartFailed,
                       fmt::format("the {} exited at start-up; last lines of {}:\n{}", role.name,
                                   log.string(), tail_lines(log, 10)));
      if (!port_free(host, role.port)) break;  // it listens
      if (std::chrono::steady_clock::now() > deadline)
        return failure(Errc::kTimeout,
                       fmt::format("the {} did not listen on {}:{} within 20 s; see {}", role.name,
                                   host, role.port, log.string()));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    say(fmt::format("{} is up on {}:{} (pid {})", role.name, host, role.port, started->pid));
  }
  return {};
}

std::vector<std::filesystem::path> role_files(const ClusterLayout& layout) {
  std::vector<std::filesystem::path> out;
  for (const char* role : {"proxy", "gatekeeper", "trusted-host"}) {
    for (const char* suffix : {".log", "-stats.json", "-stats.json.tmp", "-audit.log",
                               "-secrets.toml", "-secrets.toml.tmp"})
      out.push_back(layout.dir / (std::string(role) + suffix));
  }
  for (const char* file : {"gatekeeper-keys.toml", "gatekeeper-keys.toml.tmp",
                           "gatekeeper-cert.pem", "gatekeeper-key.pem", "allowlist"})
    out.push_back(layout.dir / file);
  return out;
}

std::vector<RoleStatus> role_status(ClusterContext& ctx) {
  std::vector<RoleStatus> out;
  for (const auto& role : enabled_roles(ctx)) {
    RoleStatus s;
    s.name = role.name;
    s.address = fmt::format("{}:{}", ctx.cluster().host, role.port);
    auto record = ctx.processes().find(role.name);
    s.running = record && ctx.processes().alive(*record);
    if (s.running) s.pid = record->pid;
    auto stats = ctx.layout().dir / (role.name + "-stats.json");
    s.counters_json = read_file(stats).value_or("");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gh::cluster
