// Tests of the port checks: a port we listen on is in use, and its owner is us.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cluster/ports.h"
#include "cluster/preflight.h"

namespace gh::cluster {
namespace {

TEST(Ports, ListeningPortIsInUseAndOwned) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // any free port
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  uint16_t port = ntohs(addr.sin_port);

  EXPECT_FALSE(port_free("127.0.0.1", port));
  std::string owner = port_owner(port);
  EXPECT_NE(owner.find("(pid " + std::to_string(::getpid()) + ")"), std::string::npos) << owner;
  ::close(fd);
  EXPECT_TRUE(port_free("127.0.0.1", port));
  EXPECT_EQ(port_owner(port), "");
}

TEST(Programs, FindProgram) {
  EXPECT_EQ(find_program("/bin/sh", "/nonexistent", {}), "/bin/sh");
  EXPECT_EQ(find_program("/nonexistent", "/bin/sh", {"sh"}), "");  // configured: no fallback
  EXPECT_EQ(find_program("", "/nonexistent", {"no-such-program-gh"}), "");
  EXPECT_FALSE(find_program("", "/nonexistent", {"sh"}).empty());  // from PATH
}

}  // namespace
}  // namespace gh::cluster
