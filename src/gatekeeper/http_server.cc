// HttpFront: Beast-based HTTP/1.1 transport of the gatekeeper (see http_server.h).
#include "gatekeeper/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <iterator>
#include <type_traits>

#include "proxy/write_now.h"

namespace gh::gatekeeper {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = proxy::asio;
using proxy::kNoThrow;
using proxy::Task;
using proxy::tcp;

namespace {

// The head of a reply, written by hand: status line, Server, Content-Type, Cache-Control,
// Retry-After (429), Allow (405), Connection when it differs from the version's default, and
// Content-Length (also for HEAD, which gets no body). Beast's generic serializer cost measurable
// CPU per request; Beast still parses every request.
std::string reply_head(const HttpReply& reply, unsigned version, bool keep_alive) {
  std::string h;
  h.reserve(200);
  auto out = std::back_inserter(h);
  auto reason = http::obsolete_reason(static_cast<http::status>(reply.status));
  fmt::format_to(out, "HTTP/{}.{} {} {}\r\n", version / 10, version % 10, reply.status,
                 std::string_view(reason.data(), reason.size()));
  h += "Server: gatehouse\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n";
  if (reply.retry_after_s > 0) fmt::format_to(out, "Retry-After: {}\r\n", reply.retry_after_s);
  if (reply.allow_get || reply.allow_post)
    h += reply.allow_post ? "Allow: POST\r\n" : "Allow: GET, HEAD\r\n";
  if (version >= 11 && !keep_alive) h += "Connection: close\r\n";
  if (version < 11 && keep_alive) h += "Connection: keep-alive\r\n";
  fmt::format_to(out, "Content-Length: {}\r\n\r\n", reply.body.size());
  return h;
}

// Sends a reply. On a plain socket it goes out at once when the kernel takes it (the common
// case: no timer, no trip through the scheduler); otherwise, and under TLS, asynchronously
// within write_timeout. Returns false when the connection failed.
template <class Stream>
Task<bool> send_reply(Stream& stream, const HttpReply& reply, unsigned version, bool keep_alive,
                      bool head, std::chrono::milliseconds write_timeout) {
  std::string h = reply_head(reply, version, keep_alive);
  proxy::Buffers2 bufs = proxy::buffers_of(h, head ? std::string_view{} : reply.body);
  auto& lowest = beast::get_lowest_layer(stream);
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    boost::system::error_code ec;
    if (proxy::write_now(lowest.socket(), bufs, ec)) co_return true;
    if (ec) co_return false;
  }
  lowest.expires_after(write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, bufs, kNoThrow);
  (void)n;
  co_return !ec;
}

HttpReply transport_error(Errc code, std::string_view message) {
  HttpReply r;
  r.status = http_status_for(code);
  r.body = error_body(code, message);
  return r;
}

std::string peer_of(const tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "?";
  return fmt::format("{}:{}", ep.address().to_string(), ep.port());
}

// Serves requests on one stream (plain or TLS) until the client leaves, errs or times out.
template <class Stream>
Task<void> serve_stream(Stream& stream, beast::flat_buffer& buffer, Api& api,
                        const HttpLimits& limits, HttpFrontCounters& counters,
                        const std::string& peer) {
  auto& lowest = beast::get_lowest_layer(stream);
  for (;;) {
    // Idle until the next request starts.
    if (buffer.size() == 0) {
      lowest.expires_after(limits.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kNoThrow);
      if (ec) {
        if (ec == beast::error::timeout) counters.timeouts.fetch_add(1);
        co_return;
      }
      buffer.commit(n);
    }
    // The whole request must now arrive within request_read_timeout.
    lowest.expires_after(limits.request_read_timeout);
    http::request_parser<http::string_body> parser;
    parser.header_limit(uint32_t(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, kNoThrow);
    (void)hn;
    HttpReply early;
    bool failed = false;
    if (hec) {
      if (hec == beast::error::timeout) {
        counters.timeouts.fetch_add(1);
        co_return;  // a slow client gets no answer: it is not sending one request
      }
      if (hec == http::error::end_of_stream) co_return;
      failed = true;
      counters.malformed.fetch_add(1);
      if (hec == http::error::header_limit) {
        early =
            api.refuse(peer, Errc::kTooLarge, "header_bytes",
                       fmt::format("request head larger than {} bytes", limits.max_header_bytes));
      } else if (hec == http::error::body_limit) {  // a declared Content-Length too large
        early = api.refuse(peer, Errc::kTooLarge, "body_bytes",
                           fmt::format("request body larger than {} bytes", limits.max_body_bytes));
      } else {
        early = api.refuse(peer, Errc::kBadRequest, "",
                           fmt::format("malformed HTTP request: {}", hec.message()));
      }
    } else if (parser.get().find(http::field::transfer_encoding) != parser.get().end() &&
               !parser.get().chunked()) {
      // RFC 9112 6.3: a request whose final transfer coding is not chunked has no reliable
      // length: answer 400 and close, or the rest could be read as a smuggled request.
      failed = true;
      counters.malformed.fetch_add(1);
      early = api.refuse(peer, Errc::kBadRequest, "",
                         "Transfer-Encoding must end with chunked (or be absent)");
    } else {
      auto length = parser.content_length();
      if (length && *length > limits.max_body_bytes) {
        failed = true;
        early = api.refuse(peer, Errc::kTooLarge, "body_bytes",
                           fmt::format("request body of {} bytes; the limit is {}", *length,
                                       limits.max_body_bytes));
      } else {
        auto expect = parser.get()[http::field::expect];
        if (beast::iequals(expect, "100-continue")) {
          http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
          auto [cec, cn] = co_await http::async_write(stream, cont, kNoThrow);
          (void)cn;
          if (cec) co_return;
        }
        auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kNoThrow);
        (void)bn;
        if (bec) {
          if (bec == beast::error::timeout) {
            counters.timeouts.fetch_add(1);
            co_return;
          }
          failed = true;
          counters.malformed.fetch_add(1);
          early = bec == http::error::body_limit
                      ? api.refuse(
                            peer, Errc::kTooLarge, "body_bytes",
                            fmt::format("request body larger than {} bytes", limits.max_body_bytes))
                      : api.refuse(peer, Errc::kBadRequest, "",
                                   fmt::format("malformed HTTP request: {}", bec.message()));
        }
      }
    }
    unsigned version = parser.is_header_done() ? parser.get().version() : 11;
    if (failed) {
      co_await send_reply(stream, early, version, false, false, limits.write_timeout);
      co_return;
    }
    auto& req = parser.get();
    HttpRequestView view;
    std::string method(req.method_string());
    view.method = method;
    view.target = std::string_view(req.target().data(), req.target().size());
    auto auth = req[http::field::authorization];
    view.authorization = std::string_view(auth.data(), auth.size());
    auto ctype = req[http::field::content_type];
    view.content_type = std::string_view(ctype.data(), ctype.size());
    view.body = req.body();
    view.client = peer;
    lowest.expires_never();  // the Api bounds its own upstream work
    HttpReply reply = co_await api.handle(view);
    bool keep_alive = req.keep_alive();
    bool head = req.method() == http::verb::head;
    bool sent =
        co_await send_reply(stream, reply, req.version(), keep_alive, head, limits.write_timeout);
    if (!sent || !keep_alive) co_return;
  }
}

}  // namespace

HttpFront::HttpFront(asio::io_context& ctx, Api& api, const HttpLimits& limits, TlsMode tls,
                     asio::ssl::context* ssl, HttpFrontCounters& counters)
    : ctx_(ctx),
      api_(api),
      limits_(limits),
      tls_(tls),
      ssl_(ssl),
      counters_(counters),
      acceptor_(ctx) {}

void HttpFront::listen(const std::string& host, uint16_t port) {
  tcp::endpoint ep(asio::ip::make_address(host), port);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  int one = 1;
  ::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void HttpFront::start() { asio::co_spawn(ctx_, accept_loop(), asio::detached); }

void HttpFront::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

Task<void> HttpFront::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space) {
        spdlog::warn("http accept: {}; pausing accepts for 100 ms", ec.message());
        asio::steady_timer t(ctx_, std::chrono::milliseconds(100));
        co_await t.async_wait(kNoThrow);
      }
      continue;
    }
    asio::co_spawn(ctx_, serve(std::move(socket)), asio::detached);
  }
}

Task<void> HttpFront::serve(tcp::socket socket) {
  counters_.connections_total.fetch_add(1, std::memory_order_relaxed);
  uint64_t open = counters_.connections.fetch_add(1, std::memory_order_relaxed) + 1;
  struct Leave {
    std::atomic<uint64_t>& c;
    ~Leave() { c.fetch_sub(1, std::memory_order_relaxed); }
  } leave{counters_.connections};
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  std::string peer = peer_of(socket);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  if (open > uint64_t(limits_.max_connections)) {
    counters_.refused.fetch_add(1, std::memory_order_relaxed);
    HttpReply busy = transport_error(Errc::kConnectionLimit, "too many connections; retry later");
    co_await send_reply(stream, busy, 11, false, false, std::chrono::seconds(2));
    co_return;
  }
  bool is_tls = false;
  if (tls_ != TlsMode::kOff && ssl_) {
    stream.expires_after(limits_.request_read_timeout);
    auto [dec, detected] = co_await beast::async_detect_ssl(stream, buffer, kNoThrow);
    if (dec) co_return;
    is_tls = detected;
    if (!is_tls && tls_ == TlsMode::kRequired) {
      HttpReply plain =
          transport_error(Errc::kBadRequest, "this endpoint requires TLS: use https://");
      co_await send_reply(stream, plain, 11, false, false, limits_.write_timeout);
      co_return;
    }
  }
  if (!is_tls) {
    co_await serve_stream(stream, buffer, api_, limits_, counters_, peer);
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    co_return;
  }
  counters_.tls_connections.fetch_add(1, std::memory_order_relaxed);
  beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), *ssl_);
  beast::get_lowest_layer(tls).expires_after(limits_.request_read_timeout);
  auto [hec, used] =
      co_await tls.async_handshake(asio::ssl::stream_base::server, buffer.data(), kNoThrow);
  if (hec) {
    counters_.malformed.fetch_add(1, std::memory_order_relaxed);
    co_return;
  }
  buffer.consume(used);
  co_await serve_stream(tls, buffer, api_, limits_, counters_, peer);
  beast::get_lowest_layer(tls).expires_after(std::chrono::seconds(2));
  co_await tls.async_shutdown(kNoThrow);
}

}  // namespace gh::gatekeeper
