// Target: what a bench phase sends requests to (the gatekeeper's HTTP API, the proxy's MySQL
// port, or a fake in unit tests). A Target makes Connections; the runner owns one Connection per
// concurrent client and calls execute() on it one statement at a time, from one thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bench/mix.h"
#include "common/error.h"
#include "proxy/asio.h"

namespace gh::bench {

namespace asio = boost::asio;
template <class T = void>
using Task = asio::awaitable<T>;

// The result of one request.
struct Outcome {
  bool ok = false;
  // When !ok: a stable key for "errors by code", e.g. "429 rate_limited", "mysql 7401
  // queue_full", "timeout", "connection_lost".
  std::string error;
  std::string served_by;  // node named by the response (HTTP `served_by`), or empty
  int64_t last_insert_id = 0;
  // The connection is unusable: the runner reopens it before its next request.
  bool broken = false;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Connects (and logs in); failures come back as an error key in the Outcome.
  virtual Task<Outcome> open() = 0;
  // `strategy` is "direct", "random", "customized" or "" (the target's default).
  virtual Task<Outcome> execute(const Statement& statement, const std::string& strategy) = 0;
  virtual void close() = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::unique_ptr<Connection> connect(asio::any_io_executor ex) = 0;
  // Statements for this target carry literals (MySQL) rather than `?` + params (HTTP).
  virtual bool inline_params() const = 0;
  virtual std::string name() const = 0;  // "http" | "mysql" | ...
  virtual std::string endpoint() const = 0;
  std::chrono::milliseconds request_timeout{10000};
};

}  // namespace gh::bench
