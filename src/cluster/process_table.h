// The process table: every long-running process gatehouse starts (mariadbd nodes today; the
// proxy and gatekeeper roles later) is spawned detached and recorded in DIR/run/<name>.pid, so
// any later gatehouse invocation (status, down, up after a crash) can find, check and stop it.
//
// Owner: the cluster control plane (Foundation issue). Other roles reuse it as is:
//   ProcessTable table(layout.run_dir());
//   table.spawn({.name = "proxy", .argv = {...}, .log_file = ..., .identity = "--dir=/abs"});
//   ... table.stop(table.list_named({"proxy"}), 10s);
//
// A pid file holds two lines: the pid, and an identity string that /proc/<pid>/cmdline must
// contain (joined with spaces) for the process to count as ours; that guards against pid reuse
// after a reboot or a crash. Zombies count as dead.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::cluster {

struct ProcessSpec {
  std::string name;                // unique within the table: "source", "replica1", "proxy"
  std::vector<std::string> argv;   // argv[0]: absolute path of the program
  std::filesystem::path log_file;  // stdout and stderr are appended here
  std::string identity;            // must appear in its cmdline; default: argv joined by spaces
};

struct ProcessRecord {
  std::string name;
  pid_t pid = 0;
  std::string identity;
};

// True when `pid` exists, is not a zombie and its command line contains `identity`.
bool process_matches(pid_t pid, std::string_view identity);
// The command line of `pid` with NULs turned into spaces ("" when gone).
std::string process_cmdline(pid_t pid);

// Starts argv detached: new session, stdin from /dev/null, stdout+stderr appended to log_file,
// no inherited descriptors, reparented away from the caller (double fork). Returns its pid once
// exec succeeded; an exec failure (e.g. ENOENT) comes back as that errno.
Result<pid_t> spawn_detached(const std::vector<std::string>& argv,
                             const std::filesystem::path& log_file);

enum class StopResult { kNotRunning, kStopped, kKilled, kStillRunning };

struct StopReport {
  std::string name;
  pid_t pid = 0;
  StopResult result = StopResult::kNotRunning;
};

class ProcessTable {
 public:
  explicit ProcessTable(std::filesystem::path run_dir) : run_dir_(std::move(run_dir)) {}

  // Spawns a process (spawn_detached) and records it; fails if `name` is recorded and alive.
  Result<ProcessRecord> spawn(const ProcessSpec& spec);
  // Records a process started some other way (e.g. found through its own pid file).
  Status record(const ProcessRecord& record);
  // Removes the record of `name` (the process itself is left alone).
  void forget(std::string_view name);

  std::optional<ProcessRecord> find(std::string_view name) const;
  std::vector<ProcessRecord> list() const;  // sorted by name
  bool alive(const ProcessRecord& record) const {
    return process_matches(record.pid, record.identity);
  }
  bool alive(std::string_view name) const;

  // Stops the given processes together: SIGTERM to all, wait up to `grace` for every one to
  // exit, SIGKILL the rest and wait for them too. Records of exited processes are removed.
  std::vector<StopReport> stop(std::span<const ProcessRecord> records,
                               std::chrono::milliseconds grace);

  const std::filesystem::path& run_dir() const { return run_dir_; }
  std::filesystem::path pid_file(std::string_view name) const;

 private:
  std::filesystem::path run_dir_;
};

// Parses a pid file's text ("1234\nidentity\n"); nullopt when malformed.
std::optional<ProcessRecord> parse_pid_file(std::string_view name, std::string_view text);
std::string format_pid_file(const ProcessRecord& record);

}  // namespace gh::cluster
