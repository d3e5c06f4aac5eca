// `gatehouse up` (see cluster_up.h for the steps).
#include "cluster/cluster_up.h"
#include "cluster/roles.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cluster/child_process.h"
#include "cluster/credentials.h"
#include "cluster/data_loader.h"
#include "cluster/file_util.h"
#include "cluster/mycnf.h"
#include "cluster/node_sql.h"

namespace gh::cluster {
namespace {

using Clock = std::chrono::steady_clock;
using config::NodeRole;
using config::NodeSpec;

constexpr auto kInstallDbTimeout = std::chrono::minutes(3);
constexpr auto kLoginAttemptTimeout = std::chrono::milliseconds(1000);
constexpr auto kAdminTimeout = std::chrono::seconds(10);
constexpr auto kRetryInterval = std::chrono::milliseconds(100);
constexpr size_t kLogTailLines = 15;

bool running_as_root() { return ::geteuid() == 0; }

std::string indented_tail(const std::filesystem::path& log) {
  std::string tail = tail_lines(log, kLogTailLines);
  if (tail.empty()) return fmt::format(" ({} is empty or missing)", log.string());
  std::string out = fmt::format("; last lines of {}:\n", log.string());
  for (size_t start = 0; start < tail.size();) {
    size_t end = tail.find('\n', start);
    out += "    " + tail.substr(start, end - start) + "\n";
    start = end + 1;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class UpRun {
 public:
  UpRun(ClusterContext& ctx, const UpPlan& plan, const Progress& say)
      : ctx_(ctx), plan_(plan), say_(say) {}

  Done run() {
    if (auto ok = prepare_cluster_files(); !ok) return ok;
    if (auto ok = adopt_running_nodes(); !ok) return ok;
    if (auto ok = prepare_nodes(); !ok) return ok;
    Done result = start_and_wire();
    if (!result) stop_started();
    return result;
  }

 private:
  NodeEndpoint endpoint(const NodeSpec& node) const {
    return {node.name, ctx_.cluster().host, node.port};
  }

  Done prepare_cluster_files() {
    const auto& layout = ctx_.layout();
    std::error_code ec;
    if (std::filesystem::exists(layout.credentials_file(), ec)) {
      auto loaded = load_credentials(layout.credentials_file());
      if (!loaded) return std::unexpected(loaded.error());
      credentials_ = std::move(*loaded);
    } else {
      credentials_ = generate_credentials(ctx_.cluster().users);
      if (auto saved = save_credentials(layout.credentials_file(), credentials_); !saved)
        return saved;
    }
    if (!std::filesystem::exists(layout.config_file(), ec)) {
      if (auto written =
              write_file_atomic(layout.config_file(), config::render_config(ctx_.config()));
          !written) {
        return failure(Errc::kIo, fmt::format("cannot write {}: {}", layout.config_file().string(),
                                              written.error().message()));
      }
    }
    return {};
  }

  // A node left running by an interrupted first `up` may lack its bootstrapped marker; without
  // it the next restart would re-bootstrap (wipe) it. If its accounts work, mark it now.
  Done adopt_running_nodes() {
    for (const auto& node : plan_.running) {
      NodeLayout layout = ctx_.node_layout(node);
      if (node_bootstrapped(layout)) continue;
      if (!connect_node(endpoint(node), credentials_.admin, kAdminTimeout)) continue;
      if (auto ok = mark_bootstrapped(layout); !ok) return ok;
    }
    return {};
  }

  Done mark_bootstrapped(const NodeLayout& layout) {
    std::error_code ec;
    std::filesystem::remove(layout.init_file(), ec);  // it holds passwords
    if (!write_file_atomic(layout.bootstrapped_marker(), "accounts created\n", 0644)) {
      return failure(Errc::kIo,
                     fmt::format("cannot write {}", layout.bootstrapped_marker().string()));
    }
    return {};
  }

  // my.cnf for every node to start; install-db (in parallel) for the never-bootstrapped ones.
  Done prepare_nodes() {
    std::vector<std::pair<NodeSpec, ChildProcess>> installs;
    for (const auto& node : plan_.to_start) {
      NodeLayout layout = ctx_.node_layout(node);
      std::error_code ec;
      std::filesystem::create_directories(layout.tmpdir(), ec);
      std::string cnf =
          render_my_cnf(ctx_.cluster(), node, layout, ctx_.dialect(), running_as_root());
      if (ec || !write_file_atomic(layout.my_cnf(), cnf, 0644)) {
        return failure(Errc::kIo, fmt::format("cannot write {}", layout.my_cnf().string()));
      }
      if (node_bootstrapped(layout)) continue;
      std::filesystem::remove_all(layout.datadir(), ec);  // a half-made datadir from a failed run
      std::vector<std::string> argv = {plan_.install_db};
      for (auto& option : install_db_options(ctx_.cluster(), layout, running_as_root()))
        argv.push_back(std::move(option));
      auto child = ChildProcess::start(argv, layout.install_log());
      if (!child) {
        return failure(Errc::kNodeStartFailed,
                       fmt::format("cannot run {}: {}", plan_.install_db, child.error().message()));
      }
      installs.emplace_back(node, std::move(*child));
    }
    if (!installs.empty()) {
      std::string names;
      for (const auto& [node, child] : installs) {
        if (!names.empty()) names += ", ";
        names += node.name;
      }
      say_(fmt::format("bootstrapping {} with mariadb-install-db", names));
    }
    for (auto& [node, child] : installs) {
      auto status = child.wait(kInstallDbTimeout);
      if (!status || *status != 0) {
        std::string why =
            status ? fmt::format("exit status {}", *status) : status.error().message();
        return failure(Errc::kNodeStartFailed,
                       fmt::format("mariadb-install-db failed for {} ({}){}", node.name, why,
                                   indented_tail(ctx_.node_layout(node).install_log())));
      }
    }
    return {};
  }

  Done start_and_wire() {
    std::vector<std::pair<NodeSpec, bool>> starting;  // node, first start (with init file)
    for (const auto& node : plan_.to_start) {
      NodeLayout layout = ctx_.node_layout(node);
      bool first = !node_bootstrapped(layout);
      if (first) {
        std::string init = ctx_.dialect().session_binlog_off() + ";\n";
        for (const auto& statement : ctx_.dialect().account_statements(credentials_))
          init += statement + ";\n";
        if (!write_file_atomic(layout.init_file(), init, 0600)) {
          return failure(Errc::kIo, fmt::format("cannot write {}", layout.init_file().string()));
        }
      }
      ProcessSpec spec{node.name, node_argv(plan_.mariadbd, layout, first), layout.stdout_log(),
                       ctx_.identity(node)};
      auto record = ctx_.processes().spawn(spec);
      if (!record) {
        return failure(Errc::kNodeStartFailed,
                       fmt::format("cannot start {} ({}): {}", node.name, plan_.mariadbd,
                                   record.error().message()));
      }
      started_.push_back(*record);
      starting.emplace_back(node, first);
    }
    for (const auto& [node, first] : starting) {
      if (auto ready = wait_ready(node, first); !ready) return ready;
    }
    if (auto ok = wire_replication(); !ok) return ok;
    if (auto ok = load_dataset(ctx_, credentials_, say_); !ok) return ok;
    return wait_catchup();
  }

  // Waits until gh_admin can log in (the init file, if any, has run by then).
  Done wait_ready(const NodeSpec& node, bool first) {
    NodeLayout layout = ctx_.node_layout(node);
    auto started = Clock::now();
    auto deadline = started + std::chrono::seconds(ctx_.cluster().startup_timeout_s);
    std::string last_error;
    for (;;) {
      auto record = ctx_.processes().find(node.name);
      if (!record || !ctx_.processes().alive(*record)) {
        return failure(Errc::kNodeStartFailed, fmt::format("{} exited during startup{}", node.name,
                                                           indented_tail(layout.error_log())));
      }
      auto connection = connect_node(endpoint(node), credentials_.admin, kLoginAttemptTimeout);
      if (connection) break;
      last_error = connection.error().message;
      if (Clock::now() >= deadline) {
        return failure(Errc::kNodeStartFailed,
                       fmt::format("{} did not accept connections within {} s ({}){}", node.name,
                                   ctx_.cluster().startup_timeout_s, last_error,
                                   indented_tail(layout.error_log())));
      }
      std::this_thread::sleep_for(kRetryInterval);
    }
    if (first) {
      if (auto ok = mark_bootstrapped(layout); !ok) return ok;
    }
    auto record = ctx_.processes().find(node.name);
    say_(fmt::format("{} is up on {} (pid {}, {:.1f} s)", node.name, ctx_.address(node),
                     record ? record->pid : 0,
                     std::chrono::duration<double>(Clock::now() - started).count()));
    return {};
  }

  Done wire_replication() {
    const auto& dialect = ctx_.dialect();
    SourceAddress source = ctx_.source_address();
    for (const auto& node : ctx_.nodes()) {
      if (node.role != NodeRole::kReplica) continue;
      auto connection = connect_node(endpoint(node), credentials_.admin, kAdminTimeout);
      if (!connection) return std::unexpected(connection.error());
      auto result = query_node(*connection, endpoint(node), dialect.replica_status_query());
      if (!result) return std::unexpected(result.error());
      ReplicaStatus status = dialect.parse_replica_status(*result);
      std::vector<std::string> statements;
      if (!status.configured || status.source_host != source.host ||
          status.source_port != source.port || status.source_user != credentials_.repl.user) {
        if (status.configured) statements.push_back(dialect.stop_replica());
        for (auto& s : dialect.configure_replica(source, credentials_.repl))
          statements.push_back(std::move(s));
        say_(fmt::format("{} replicates from source {}:{} (GTID{})", node.name, source.host,
                         source.port, ctx_.cluster().replication.semi_sync ? ", semi-sync" : ""));
      } else if (status.io_state == "No" || status.sql_state == "No") {
        statements.push_back(dialect.start_replica());
      }
      for (const auto& s : statements) {
        if (auto ok = query_node(*connection, endpoint(node), s); !ok) {
          return failure(Errc::kReplicationFailed, ok.error().message);
        }
      }
    }
    return {};
  }

  Done wait_catchup() {
    const auto& dialect = ctx_.dialect();
    const int timeout_s = ctx_.cluster().replication.catchup_timeout_s;
    auto source = connect_node(endpoint(ctx_.source()), credentials_.admin, kAdminTimeout);
    if (!source) return std::unexpected(source.error());
    auto pos =
        query_node(*source, endpoint(ctx_.source()), dialect.position_query(NodeRole::kSource));
    if (!pos) return std::unexpected(pos.error());
    std::string position = first_value(*pos);
    for (const auto& node : ctx_.nodes()) {
      if (node.role != NodeRole::kReplica) continue;
      auto started = Clock::now();
      auto connection =
          connect_node(endpoint(node), credentials_.admin, std::chrono::seconds(timeout_s + 10));
      if (!connection) return std::unexpected(connection.error());
      auto reached =
          query_node(*connection, endpoint(node), dialect.wait_for_position(position, timeout_s));
      if (!reached) return std::unexpected(reached.error());
      if (first_value(*reached) != "0") {
        std::string detail;
        if (auto st = connection->query(dialect.replica_status_query())) {
          std::string err = dialect.parse_replica_status(*st).last_error();
          if (!err.empty()) detail = "; replication error: " + err;
        }
        return failure(Errc::kTimeout,
                       fmt::format("{} did not reach the source's GTID position {} within {} s{}",
                                   node.name, position, timeout_s, detail));
      }
      say_(fmt::format("{} caught up with the source at GTID {} ({:.1f} s)", node.name,
                       position.empty() ? "(empty)" : position,
                       std::chrono::duration<double>(Clock::now() - started).count()));
    }
    return {};
  }

  void stop_started() {
    if (started_.empty()) return;
    auto reports =
        ctx_.processes().stop(started_, std::chrono::seconds(ctx_.cluster().stop_timeout_s));
    std::string names;
    for (const auto& r : reports) {
      if (!names.empty()) names += ", ";
      names += r.name;
    }
    say_(fmt::format("stopped the nodes this run started: {}", names));
  }

  ClusterContext& ctx_;
  const UpPlan& plan_;
  const Progress& say_;
  Credentials credentials_;
  std::vector<ProcessRecord> started_;
};

}  // namespace

std::vector<std::string> node_argv(const std::string& mariadbd, const NodeLayout& layout,
                                   bool with_init_file) {
  std::vector<std::string> argv = {mariadbd,
                                   fmt::format("--defaults-file={}", layout.my_cnf().string())};
  if (with_init_file) argv.push_back(fmt::format("--init-file={}", layout.init_file().string()));
  return argv;
}

Done cluster_up(ClusterContext& ctx, const UpPlan& plan, const Progress& say) {
  const auto& c = ctx.cluster();
  if (plan.to_start.empty()) {
    say(fmt::format("cluster {} is already running in {}", c.name, ctx.layout().dir.string()));
  } else {
    say(fmt::format("{} cluster {} in {}: source + {} replica{}",
                    plan.fresh             ? "creating"
                    : plan.running.empty() ? "starting"
                                           : "repairing",
                    c.name, ctx.layout().dir.string(), c.replicas, c.replicas == 1 ? "" : "s"));
    UpRun run(ctx, plan, say);
    if (auto ok = run.run(); !ok) return ok;
    say(fmt::format("cluster {} is up", c.name));
  }
  if (auto roles = ensure_roles(ctx, say); !roles) return roles;
  say("endpoints:");
  for (const auto& [name, address] : ctx.config().endpoints())
    say(fmt::format("  {:<12} {}", name, address));
  say(fmt::format("credentials: {}", ctx.layout().credentials_file().string()));
  return {};
}

}  // namespace gh::cluster
