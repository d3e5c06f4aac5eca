// Immediate writes (see write_now.h).
#include "proxy/write_now.h"

namespace gh::proxy {

bool write_now(tcp::socket& socket, Buffers2& bufs, boost::system::error_code& ec) {
  ec.clear();
  if (!socket.non_blocking()) {
    socket.non_blocking(true, ec);
    if (ec) return false;
  }
  for (;;) {
    size_t left = bufs[0].size() + bufs[1].size();
    if (left == 0) return true;
    size_t n = socket.write_some(bufs, ec);
    if (ec) {
      if (ec == asio::error::would_block || ec == asio::error::try_again) ec.clear();
      return false;
    }
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
