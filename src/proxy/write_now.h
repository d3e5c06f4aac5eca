// Immediate writes for the statement path. A MySQL command or a small result set nearly always
// fits in the socket's send buffer, so one non-blocking send() completes it (a header and a
// small payload are joined first: send() costs the kernel less than sendmsg() with an iovec). An
// async_write would do the same system call but then post its completion through the scheduler and
// resume the coroutine on a later turn of the event loop, twice per relayed statement. write_now()
// sends what the kernel takes right now; callers co_await write_rest() only for what is left
// (a full send buffer: a slow reader or a large result). Owned by the proxy; the gatekeeper's
// MySQL front uses it through front_write().
#pragma once

#include <array>
#include <string_view>

#include "proxy/asio.h"

namespace gh::proxy {

using Buffers2 = std::array<asio::const_buffer, 2>;

inline Buffers2 buffers_of(std::string_view a, std::string_view b = {}) {
  return {asio::const_buffer(a.data(), a.size()), asio::const_buffer(b.data(), b.size())};
}

// Writes as much of `bufs` as the socket accepts now and advances them past it. Returns true
// when everything is written. Returns false with `ec` clear when the rest must wait for the
// socket, or false with `ec` set on a hard error.
bool write_now(tcp::socket& socket, Buffers2& bufs, boost::system::error_code& ec);

// Writes the rest of `bufs` asynchronously (after write_now() returned false, `ec` clear).
Task<boost::system::error_code> write_rest(tcp::socket& socket, Buffers2 bufs);

// write_now(), then write_rest() for what is left: for writers off the statement path, where a
// coroutine frame does not matter.
Task<boost::system::error_code> write_all(tcp::socket& socket, Buffers2 bufs);

}  // namespace gh::proxy
