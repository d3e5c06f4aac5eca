// Whole-file I/O (see file_io.h).
#include "common/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace gh {
namespace {

std::error_code last_errno() { return {errno, std::generic_category()}; }

}  // namespace

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(last_errno());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view content, mode_t mode,
                         bool durable) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return fail(last_errno());
  ::fchmod(fd, mode);  // the umask must not widen or narrow what we ask for
  Status written = write_all(fd, content);
  if (written && durable && ::fsync(fd) != 0) written = fail(last_errno());
  if (::close(fd) != 0 && written) written = fail(last_errno());
  if (written && ::rename(tmp.c_str(), path.c_str()) != 0) written = fail(last_errno());
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (durable) {  // make the rename itself durable
    auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  return {};
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace gh
