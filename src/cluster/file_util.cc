// Small file helpers of the control plane (see file_util.h).
#include "cluster/file_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace gh::cluster {

std::string tail_lines(const std::filesystem::path& path, size_t lines) {
  auto text = read_file(path);
  if (!text) return "";
  std::vector<std::string_view> all;
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty()) all.push_back(line);
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += all[i];
    out += '\n';
  }
  return out;
}

Result<std::filesystem::path> create_directories_tracked(const std::filesystem::path& dir) {
  std::filesystem::path top_created;
  std::filesystem::path current;
  for (const auto& part : dir) {
    current /= part;
    std::error_code ec;
    if (std::filesystem::is_directory(current, ec)) continue;
    if (::mkdir(current.c_str(), 0755) != 0 && errno != EEXIST) return fail(last_errno());
    if (top_created.empty()) top_created = current;
  }
  return top_created;
}

Result<FileLock> FileLock::try_lock(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail(last_errno());
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::error_code ec =
        errno == EWOULDBLOCK ? make_error_code(Errc::kAlreadyRunning) : last_errno();
    ::close(fd);
    return fail(ec);
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace gh::cluster
