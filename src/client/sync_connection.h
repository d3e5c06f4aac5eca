// A small blocking MySQL/MariaDB client for the control plane (cluster manager, status, tests).
// Built on the codec in src/protocol; the proxy's data plane uses its own async connections.
// One SyncConnection is one server session; not thread-safe. Every call has a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::client {

struct ConnectOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 3306;
  std::string user;
  std::string password;
  std::string database;                     // empty: none
  std::chrono::milliseconds timeout{5000};  // connect and each query
  bool multi_statements = false;            // CLIENT_MULTI_STATEMENTS for scripts
};

using Row = std::vector<std::optional<std::string>>;  // text protocol: NULL or text

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t warnings = 0;
  // Column index by name, or -1.
  int column(std::string_view name) const;
  // Value of the first row's column `name`, or nullopt when absent or NULL.
  std::optional<std::string> first(std::string_view name) const;
};

// A server-side error (ERR packet) or a transport/codec error.
struct ClientError {
  std::error_code code;  // Errc::kBackendError for ERR packets; else transport/codec code
  uint16_t server_errno = 0;
  std::string sqlstate;
  std::string message;
  std::string to_string() const;
};

template <class T>
using ClientResult = std::expected<T, ClientError>;

class SyncConnection {
 public:
  static ClientResult<SyncConnection> connect(const ConnectOptions& options);

  SyncConnection(SyncConnection&&) noexcept;
  SyncConnection& operator=(SyncConnection&&) noexcept;
  ~SyncConnection();

  // Runs one statement. With multi_statements on, runs all and returns the last result set.
  ClientResult<QueryResult> query(std::string_view sql);
  // Runs statements one by one (already split: see sql::split_script); stops at the first error.
  ClientResult<void> execute_all(const std::vector<std::string>& statements);
  ClientResult<void> ping();
  // Server greeting version string, e.g. "10.11.6-MariaDB-0+deb12u1-log".
  const std::string& server_version() const;
  uint32_t connection_id() const;
  void close();

 private:
  struct Impl;
  explicit SyncConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gh::client
