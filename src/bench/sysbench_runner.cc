// SysbenchRunner: stand-alone vs cluster with sysbench (see sysbench_runner.h).
#include "bench/sysbench_runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "bench/bench.h"
#include "bench/cluster_sql.h"
#include "bench/report_text.h"
#include "common/file_io.h"

extern char** environ;

namespace gh::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The number after `key` on the line that contains it ("queries:  2000 (199.9 per sec.)").
std::optional<double> number_after(std::string_view text, std::string_view key,
                                   bool per_sec = false) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  size_t eol = text.find('\n', at);
  std::string line(
      text.substr(at + key.size(), eol == std::string_view::npos ? eol : eol - at - key.size()));
  if (per_sec) {
    size_t paren = line.find('(');
    if (paren == std::string::npos) return std::nullopt;
    line = line.substr(paren + 1);
  }
  char* end = nullptr;
  const char* start = line.c_str();
  while (*start == ' ' || *start == '\t') ++start;
  double v = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  return v;
}

void print_err(const std::string& line) {
  std::fprintf(stderr, "gatehouse bench sysbench: %s\n", line.c_str());
}

}  // namespace

SysbenchRow parse_sysbench_output(std::string_view text) {
  SysbenchRow r;
  auto tps = number_after(text, "transactions:", true);
  auto qps = number_after(text, "\n    queries:", true);
  auto queries = number_after(text, "\n    queries:");
  auto p95 = number_after(text, "95th percentile:");
  auto errors = number_after(text, "ignored errors:");
  auto reconnects = number_after(text, "reconnects:");
  auto seconds = number_after(text, "total time:");
  r.ran = tps && qps && p95;
  r.tps = tps.value_or(0);
  r.qps = qps.value_or(0);
  r.queries = uint64_t(queries.value_or(0));
  r.p95_ms = p95.value_or(0);
  r.errors = uint64_t(errors.value_or(0));
  r.reconnects = uint64_t(reconnects.value_or(0));
  r.seconds = seconds.value_or(0);
  return r;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  CommandResult out;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return out;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    out.output = fmt::format("cannot run {}: {}", argv[0], std::strerror(rc));
    return out;
  }
  Clock::time_point deadline = Clock::now() + timeout;
  bool killed = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int n = poll(&p, 1, int(std::min<int64_t>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got <= 0) break;
    out.output.append(buf, size_t(got));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  out.exit_code = killed ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  if (killed) out.output += fmt::format("\n(killed after {} s)\n", timeout.count());
  return out;
}

int run_sysbench_compare(const SysbenchOptions& o, const ClusterInfo& info) {
  if (!info.proxy || info.nodes.empty()) {
    print_err(fmt::format("the cluster in {} has no proxy or source endpoint", info.dir));
    return 2;
  }
  CommandResult version = run_command({o.sysbench, "--version"}, std::chrono::seconds(10));
  if (version.exit_code != 0) {
    print_err(
        fmt::format("sysbench is not installed ({}); apt-get install sysbench", version.output));
    return 2;
  }
  SysbenchResult result;
  result.timestamp = utc_timestamp();
  result.threads = o.threads;
  result.time_s = o.time_s;
  result.tables = o.tables;
  result.table_size = o.table_size;
  result.machine = machine_summary();
  result.sysbench_version = version.output.substr(0, version.output.find('\n'));
  if (result.sysbench_version.starts_with("sysbench "))
    result.sysbench_version = result.sysbench_version.substr(9);

  struct Way {
    std::string mode;
    HostPort at;
    Login login;
    std::string label;
  };
  const HostPort& source = info.nodes.front().second;
  std::vector<Way> ways = {
      {"stand-alone", source, info.app,
       fmt::format("{} (the source alone, user {})", source.str(), info.app.user)},
      {"cluster", *info.proxy, info.proxy_client,
       fmt::format("{} (the proxy: source + {} replicas, user {})", info.proxy->str(),
                   info.nodes.size() - 1, info.proxy_client.user)},
  };
  auto common = [&](const Way& w) {
    return std::vector<std::string>{o.sysbench,
                                    "--db-driver=mysql",
                                    "--mysql-host=" + w.at.host,
                                    fmt::format("--mysql-port={}", w.at.port),
                                    "--mysql-user=" + w.login.user,
                                    "--mysql-password=" + w.login.password,
                                    "--mysql-db=" + o.database,
                                    fmt::format("--tables={}", o.tables),
                                    fmt::format("--table-size={}", o.table_size)};
  };
  auto step = [&](const Way& w, const std::string& workload, const std::string& action,
                  std::vector<std::string> extra, std::chrono::seconds limit) {
    std::vector<std::string> argv = common(w);
    argv.insert(argv.begin() + 1, workload);
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(action);
    return run_command(argv, limit);
  };
  auto prepare_limit = std::chrono::seconds(120 + o.tables * o.table_size / 1000);
  for (const Way& w : ways) {
    if (!o.quiet && !o.json) std::fprintf(stderr, "== %s: %s\n", w.mode.c_str(), w.label.c_str());
    std::string failure;
    if (auto r = run_sql(w.at, w.login, {"CREATE DATABASE IF NOT EXISTS " + o.database}); !r)
      failure = r.error();
    if (failure.empty()) {
      // Start from a clean slate (an interrupted earlier run may have left tables).
      step(w, "oltp_read_write", "cleanup", {}, prepare_limit);
      CommandResult prep =
          step(w, "oltp_read_write", "prepare",
               {"--threads=" + std::to_string(std::max(1, std::min(o.threads, o.tables)))},
               prepare_limit);
      if (prep.exit_code != 0)
        failure = fmt::format("prepare failed: {}", prep.output.substr(0, 300));
    }
    if (failure.empty()) {
      if (auto wr = wait_for_replicas(info, std::chrono::seconds(60)); !wr) failure = wr.error();
    }
    for (const auto& workload : o.workloads) {
      SysbenchRow row;
      if (failure.empty()) {
        if (!o.quiet && !o.json)
          std::fprintf(stderr, "   %s: %d threads, %d s\n", workload.c_str(), o.threads, o.time_s);
        CommandResult r =
            step(w, workload, "run",
                 {fmt::format("--threads={}", o.threads), fmt::format("--time={}", o.time_s),
                  "--percentile=95", "--mysql-ignore-errors=all", "--report-interval=0"},
                 std::chrono::seconds(o.time_s + 60));
        row = parse_sysbench_output(r.output);
        if (!row.ran || r.exit_code != 0) {
          row.ran = false;
          size_t at = r.output.find("FATAL");
          row.failure = fmt::format("sysbench exited {}: {}", r.exit_code,
                                    r.output.substr(at == std::string::npos ? 0 : at, 200));
        }
      } else {
        row.failure = failure;
      }
      row.workload = workload;
      row.mode = w.mode;
      row.endpoint = w.label;
      result.rows.push_back(std::move(row));
    }
    step(w, "oltp_read_write", "cleanup", {}, prepare_limit);
  }

  std::string out_dir = o.out_dir.empty() ? info.dir : o.out_dir;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::filesystem::path out = out_dir;
  std::string text = render_sysbench_text(result);
  std::string json_text = boost::json::serialize(to_json(result));
  int exit_code = 0;
  for (const auto& r : result.rows)
    if (!r.ran) exit_code = 1;
  std::string log_path = std::filesystem::absolute(out / kLogFile).string();
  if (!append_file(log_path, log_block("gatehouse bench sysbench (stand-alone vs cluster)",
                                       result.timestamp, text) +
                                 "\n"))
    exit_code = 1;
  std::string json_path = std::filesystem::absolute(out / kSysbenchFile).string();
  if (!write_file_atomic(json_path, json_text)) exit_code = 1;
  auto report = rebuild_report(out_dir);
  if (!report) exit_code = 1;
  if (o.json)
    std::printf("%s\n", json_text.c_str());
  else if (!o.quiet)
    std::printf("\n%s\n", text.c_str());
  if (!o.quiet) {
    std::FILE* where = o.json ? stderr : stdout;
    std::fprintf(where, "log:    %s\nresults: %s\nreport: %s\n", log_path.c_str(),
                 json_path.c_str(),
                 report ? std::filesystem::absolute(*report).c_str() : "(not written)");
  }
  return exit_code;
}

}  // namespace gh::bench
