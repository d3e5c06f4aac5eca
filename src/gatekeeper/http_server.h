// HttpFront: the gatekeeper's HTTP/1.1 transport on one worker thread (Boost.Beast, coroutines).
// It accepts connections, speaks plain HTTP and/or TLS (off | optional: detected per connection
// from the first bytes | required), enforces the transport limits, and hands each parsed request
// to the Api. Keep-alive; one request at a time per connection (no pipelining reordering).
//
// Limits and slow clients: a connection may idle `idle_timeout` between requests; once the first
// byte of a request arrived, the whole request (head and body) must arrive within
// `request_read_timeout` (slowloris), heads larger than max_header_bytes and bodies larger than
// max_body_bytes get 413 (a declared Content-Length is checked before the body is read, and
// `Expect: 100-continue` is answered only when it fits), malformed HTTP gets 400 and the
// connection closes. Connections beyond max_connections (all workers) get 503 and close.
#pragma once

#include <atomic>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "gatekeeper/api.h"
#include "proxy/asio.h"

namespace gh::gatekeeper {

enum class TlsMode : uint8_t { kOff, kOptional, kRequired };

struct HttpLimits {
  size_t max_body_bytes = 1u << 20;
  size_t max_header_bytes = 16u << 10;
  std::chrono::milliseconds request_read_timeout{5000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds write_timeout{10000};
  int max_connections = 4096;
};

struct HttpFrontCounters {
  std::atomic<uint64_t> connections{0};  // open now (all workers)
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> tls_connections{0};
  std::atomic<uint64_t> malformed{0};  // 400 from the parser, TLS failures
  std::atomic<uint64_t> timeouts{0};   // slow or idle clients cut off
  std::atomic<uint64_t> refused{0};    // over max_connections
};

class HttpFront {
 public:
  HttpFront(proxy::asio::io_context& ctx, Api& api, const HttpLimits& limits, TlsMode tls,
            proxy::asio::ssl::context* ssl, HttpFrontCounters& counters);
  // Binds (SO_REUSEPORT, so every worker can bind the same port). Throws at start-up only.
  void listen(const std::string& host, uint16_t port);
  void start();
  void stop();

 private:
  proxy::Task<void> accept_loop();
  proxy::Task<void> serve(proxy::tcp::socket socket);

  proxy::asio::io_context& ctx_;
  Api& api_;
  const HttpLimits& limits_;
  TlsMode tls_;
  proxy::asio::ssl::context* ssl_;
  HttpFrontCounters& counters_;
  proxy::tcp::acceptor acceptor_;
};

}  // namespace gh::gatekeeper
