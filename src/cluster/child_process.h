// A short-lived child process the control plane waits for (mariadb-install-db, ...).
//
// Owner: the cluster control plane (Foundation issue). Unlike the detached processes of the
// process table, a ChildProcess stays in our session and is killed if it outlives its owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace gh::cluster {

class ChildProcess {
 public:
  // Starts argv (argv[0] an absolute path) with stdin from /dev/null and stdout+stderr to log.
  static Result<ChildProcess> start(const std::vector<std::string>& argv,
                                    const std::filesystem::path& log_file);

  ChildProcess(ChildProcess&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}
  ChildProcess& operator=(ChildProcess&&) = delete;
  ~ChildProcess();

  // The exit status (0-255, or 128 + signal); Errc::kTimeout after killing it on timeout.
  Result<int> wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

// start() + wait().
Result<int> run_command(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                        std::chrono::milliseconds timeout);

}  // namespace gh::cluster
