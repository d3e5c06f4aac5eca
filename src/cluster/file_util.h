// Small file helpers of the control plane: atomic writes with a mode, whole-file reads, log tails.
//
// Owner: the cluster control plane (Foundation issue).
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"
#include "common/file_io.h"

namespace gh::cluster {

// Atomic writes and whole-file reads live in common/file_io.h.
using gh::read_file;
using gh::write_file_atomic;
// The last `lines` lines of a text file ("" if it cannot be read).
std::string tail_lines(const std::filesystem::path& path, size_t lines);
// Creates `dir` and missing parents; returns the top-most directory it created ("" if none).
Result<std::filesystem::path> create_directories_tracked(const std::filesystem::path& dir);
// An exclusive advisory lock (flock) on a file, held until destruction: one `up`/`down` per DIR.
class FileLock {
 public:
  // Creates the file if needed; Errc::kAlreadyRunning when another process holds the lock.
  static Result<FileLock> try_lock(const std::filesystem::path& path);
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// errno as a std::error_code.
inline std::error_code last_errno() { return {errno, std::generic_category()}; }

}  // namespace gh::cluster
