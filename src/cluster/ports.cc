// TCP port checks (see ports.h). The owner lookup maps the listening socket's inode from
// /proc/net/tcp{,6} to the process whose /proc/<pid>/fd links to socket:[inode].
#include "cluster/ports.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cluster/file_util.h"

namespace gh::cluster {
namespace {

constexpr const char* kListenState = "0A";

// Inodes of sockets listening on `port` in one /proc/net table.
void listening_inodes(const char* table, uint16_t port, std::vector<std::string>& out) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmit, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmit >> uid >> timeout >>
        inode;
    size_t colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    if (std::strtoul(local.c_str() + colon + 1, nullptr, 16) == port) out.push_back(inode);
  }
}

}  // namespace

bool port_free(const std::string& host, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok =
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0;
  ::close(fd);
  return ok;
}

std::string port_owner(uint16_t port) {
  std::vector<std::string> inodes;
  listening_inodes("/proc/net/tcp", port, inodes);
  listening_inodes("/proc/net/tcp6", port, inodes);
  if (inodes.empty()) return "";
  std::error_code ec;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename().string();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
      std::error_code link_ec;
      std::string target = std::filesystem::read_symlink(fd.path(), link_ec).string();
      if (link_ec || !target.starts_with("socket:[")) continue;
      for (const auto& inode : inodes) {
        if (target == "socket:[" + inode + "]") {
          std::string comm = read_file(proc.path() / "comm").value_or("?");
          while (!comm.empty() && comm.back() == '\n') comm.pop_back();
          return fmt::format("{} (pid {})", comm, pid);
        }
      }
    }
  }
  return "";
}

}  // namespace gh::cluster
