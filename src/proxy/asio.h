// The Boost.Asio vocabulary of the data plane, in one place: coroutines (awaitable), error
// codes as values (as_tuple, never exceptions), and a timer-bounded await helper.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>

namespace gh::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
template <class T = void>
using Task = asio::awaitable<T>;
inline constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace gh::proxy
