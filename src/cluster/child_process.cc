// A short-lived child process the control plane waits for (see child_process.h).
#include "cluster/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "cluster/file_util.h"

namespace gh::cluster {

Result<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                         const std::filesystem::path& log_file) {
  if (argv.empty()) return fail(std::make_error_code(std::errc::invalid_argument));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (log_fd < 0) return fail(last_errno());
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    std::error_code ec = last_errno();
    ::close(log_fd);
    return fail(ec);
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  std::error_code ec = pid < 0 ? last_errno() : std::error_code{};
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0) return fail(ec);
  return ChildProcess(pid);
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Result<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    if (r < 0 && errno != EINTR) return fail(last_errno());
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
      return fail(Errc::kTimeout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<int> run_command(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                        std::chrono::milliseconds timeout) {
  auto child = ChildProcess::start(argv, log_file);
  if (!child) return fail(child.error());
  return child->wait(timeout);
}

}  // namespace gh::cluster
