// Immediate writes (see write_now.h).
#include "proxy/write_now.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace gh::proxy {

namespace {

constexpr size_t kJoinLimit = 1024;

// One non-blocking send of `bufs` (MSG_DONTWAIT: the socket itself may stay in blocking mode,
// which lets a completion-based io_context receive without polling first). -1 with errno.
ssize_t send_dontwait(int fd, const Buffers2& bufs, size_t left) {
  constexpr int kFlags = MSG_DONTWAIT | MSG_NOSIGNAL;
  // One contiguous buffer goes out with send(), which costs the kernel less than sendmsg()
  // with an iovec array. A header and a small payload are joined for that.
  if (bufs[0].size() == 0 || bufs[1].size() == 0) {
    const asio::const_buffer& one = bufs[0].size() ? bufs[0] : bufs[1];
    return ::send(fd, one.data(), one.size(), kFlags);
  }
  if (left <= kJoinLimit) {
    std::array<char, kJoinLimit> joined;
    std::memcpy(joined.data(), bufs[0].data(), bufs[0].size());
    std::memcpy(joined.data() + bufs[0].size(), bufs[1].data(), bufs[1].size());
    return ::send(fd, joined.data(), left, kFlags);
  }
  iovec iov[2] = {{const_cast<void*>(bufs[0].data()), bufs[0].size()},
                  {const_cast<void*>(bufs[1].data()), bufs[1].size()}};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  return ::sendmsg(fd, &msg, kFlags);
}

}  // namespace

bool write_now(tcp::socket& socket, Buffers2& bufs, boost::system::error_code& ec) {
  ec.clear();
  for (;;) {
    size_t left = bufs[0].size() + bufs[1].size();
    if (left == 0) return true;
    ssize_t sent = send_dontwait(socket.native_handle(), bufs, left);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        ec.assign(errno, boost::system::system_category());
      return false;
    }
    size_t n = size_t(sent);
    size_t first = std::min(n, bufs[0].size());
    bufs[0] += first;
    bufs[1] += n - first;
  }
}

Task<boost::system::error_code> write_all(tcp::socket& socket, Buffers2 bufs) {
  boost::system::error_code ec;
  if (write_now(socket, bufs, ec) || ec) co_return ec;
  co_return co_await write_rest(socket, bufs);
}

Task<boost::system::error_code> write_rest(tcp::socket& socket, Buffers2 bufs) {
  auto [ec, n] = co_await asio::async_write(socket, bufs, kNoThrow);
  (void)n;
  co_return ec;
}

}  // namespace gh::proxy
