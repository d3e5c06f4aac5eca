// The process table: detached spawning, liveness and graceful stop (see process_table.h).
#include "cluster/process_table.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <thread>

#include "cluster/file_util.h"

namespace gh::cluster {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr auto kKillWait = std::chrono::seconds(10);

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += " ";
    out += a;
  }
  return out;
}

bool is_zombie(pid_t pid) {
  auto stat = read_file(fmt::format("/proc/{}/stat", pid));
  if (!stat) return true;           // gone meanwhile
  size_t paren = stat->rfind(')');  // "pid (comm) S ..."; comm may contain spaces or ')'
  return paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] == 'Z' ||
         (*stat)[paren + 2] == 'X';
}

// Reads exactly `size` bytes unless EOF comes first; returns the number read.
size_t read_full(int fd, void* buffer, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, static_cast<char*>(buffer) + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

void write_full(int fd, const void* buffer, size_t size) {
  const char* p = static_cast<const char*>(buffer);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

// In the grandchild, before exec: reset what a daemon should not inherit.
void prepare_child(int null_fd, int log_fd) {
  ::dup2(null_fd, STDIN_FILENO);
  ::dup2(log_fd, STDOUT_FILENO);
  ::dup2(log_fd, STDERR_FILENO);
  // Every other descriptor closes at exec (the status pipe stays open until then on purpose).
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < 4096; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);
}

}  // namespace

std::string process_cmdline(pid_t pid) {
  auto text = read_file(fmt::format("/proc/{}/cmdline", pid));
  if (!text) return "";
  while (!text->empty() && text->back() == '\0') text->pop_back();
  std::replace(text->begin(), text->end(), '\0', ' ');
  return *text;
}

bool process_matches(pid_t pid, std::string_view identity) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  if (is_zombie(pid)) return false;
  return process_cmdline(pid).find(identity) != std::string::npos;
}

Result<pid_t> spawn_detached(const std::vector<std::string>& argv,
                             const std::filesystem::path& log_file) {
  if (argv.empty()) return fail(std::make_error_code(std::errc::invalid_argument));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log_fd < 0) return fail(last_errno());
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int status_pipe[2];
  if (null_fd < 0 || ::pipe2(status_pipe, O_CLOEXEC) != 0) {
    std::error_code ec = last_errno();
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return fail(ec);
  }

  pid_t middle = ::fork();
  if (middle == 0) {
    ::close(status_pipe[0]);
    ::setsid();
    pid_t daemon = ::fork();
    if (daemon != 0) {  // the middle process reports the daemon's pid (or fork's errno) and exits
      int32_t message[2] = {daemon, daemon < 0 ? errno : 0};
      write_full(status_pipe[1], message, sizeof message);
      ::_exit(0);
    }
    prepare_child(null_fd, log_fd);
    ::execv(args[0], args.data());
    int32_t err = errno;
    write_full(status_pipe[1], &err, sizeof err);
    ::_exit(127);
  }
  std::error_code fork_error = middle < 0 ? last_errno() : std::error_code{};
  ::close(status_pipe[1]);
  ::close(log_fd);
  ::close(null_fd);
  if (middle < 0) {
    ::close(status_pipe[0]);
    return fail(fork_error);
  }
  int middle_status = 0;
  while (::waitpid(middle, &middle_status, 0) < 0 && errno == EINTR) {
  }
  int32_t message[2] = {0, 0};
  size_t got = read_full(status_pipe[0], message, sizeof message);
  int32_t exec_errno = 0;
  size_t exec_got = got == sizeof message
                        ? read_full(status_pipe[0], &exec_errno, sizeof exec_errno)
                        : 0;  // EOF here means exec succeeded
  ::close(status_pipe[0]);
  if (got != sizeof message) return fail(std::make_error_code(std::errc::io_error));
  if (message[0] < 0) return fail(std::error_code(message[1], std::generic_category()));
  if (exec_got == sizeof exec_errno)
    return fail(std::error_code(exec_errno, std::generic_category()));
  return static_cast<pid_t>(message[0]);
}

std::optional<ProcessRecord> parse_pid_file(std::string_view name, std::string_view text) {
  size_t nl = text.find('\n');
  std::string_view pid_text = text.substr(0, nl);
  ProcessRecord record;
  record.name = std::string(name);
  auto [ptr, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), record.pid);
  if (ec != std::errc() || ptr != pid_text.data() + pid_text.size() || record.pid <= 0)
    return std::nullopt;
  if (nl != std::string_view::npos) {
    std::string_view rest = text.substr(nl + 1);
    record.identity = std::string(rest.substr(0, rest.find('\n')));
  }
  if (record.identity.empty()) return std::nullopt;
  return record;
}

std::string format_pid_file(const ProcessRecord& record) {
  return fmt::format("{}\n{}\n", record.pid, record.identity);
}

std::filesystem::path ProcessTable::pid_file(std::string_view name) const {
  return run_dir_ / fmt::format("{}.pid", name);
}

Result<ProcessRecord> ProcessTable::spawn(const ProcessSpec& spec) {
  if (alive(spec.name)) return fail(Errc::kAlreadyRunning);
  std::error_code ec;
  std::filesystem::create_directories(run_dir_, ec);
  if (ec) return fail(ec);
  auto pid = spawn_detached(spec.argv, spec.log_file);
  if (!pid) return fail(pid.error());
  ProcessRecord record{spec.name, *pid, spec.identity.empty() ? join(spec.argv) : spec.identity};
  if (auto recorded = this->record(record); !recorded) {
    ::kill(*pid, SIGKILL);  // an untracked process would be an orphan
    return fail(recorded.error());
  }
  return record;
}

Status ProcessTable::record(const ProcessRecord& record) {
  std::error_code ec;
  std::filesystem::create_directories(run_dir_, ec);
  if (ec) return fail(ec);
  return write_file_atomic(pid_file(record.name), format_pid_file(record), 0644);
}

void ProcessTable::forget(std::string_view name) {
  std::error_code ec;
  std::filesystem::remove(pid_file(name), ec);
}

std::optional<ProcessRecord> ProcessTable::find(std::string_view name) const {
  auto text = read_file(pid_file(name));
  if (!text) return std::nullopt;
  return parse_pid_file(name, *text);
}

bool ProcessTable::alive(std::string_view name) const {
  auto record = find(name);
  return record && alive(*record);
}

std::vector<ProcessRecord> ProcessTable::list() const {
  std::vector<ProcessRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(run_dir_, ec)) {
    if (entry.path().extension() != ".pid") continue;
    if (auto record = find(entry.path().stem().string())) out.push_back(std::move(*record));
  }
  std::sort(out.begin(), out.end(),
            [](const ProcessRecord& a, const ProcessRecord& b) { return a.name < b.name; });
  return out;
}

std::vector<StopReport> ProcessTable::stop(std::span<const ProcessRecord> records,
                                           std::chrono::milliseconds grace) {
  std::vector<StopReport> reports;
  for (const auto& r : records) {
    StopReport report{r.name, r.pid, StopResult::kNotRunning};
    if (alive(r) && ::kill(r.pid, SIGTERM) == 0) report.result = StopResult::kStillRunning;
    reports.push_back(report);
  }
  auto wait_all = [&](Clock::time_point deadline, StopResult done_as) {
    for (;;) {
      bool pending = false;
      for (size_t i = 0; i < reports.size(); ++i) {
        if (reports[i].result != StopResult::kStillRunning) continue;
        if (alive(records[i]))
          pending = true;
        else
          reports[i].result = done_as;
      }
      if (!pending || Clock::now() >= deadline) return;
      std::this_thread::sleep_for(kPollInterval);
    }
  };
  wait_all(Clock::now() + grace, StopResult::kStopped);
  bool killed_any = false;
  for (size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].result == StopResult::kStillRunning && alive(records[i])) {
      ::kill(records[i].pid, SIGKILL);
      killed_any = true;
    }
  }
  if (killed_any) wait_all(Clock::now() + kKillWait, StopResult::kKilled);
  for (size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].result != StopResult::kStillRunning) forget(records[i].name);
  }
  return reports;
}

}  // namespace gh::cluster
