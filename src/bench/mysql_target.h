// MysqlTarget: bench requests as COM_QUERY over the MySQL protocol (normally to the proxy), on
// the proxy's own async client connection (gh::proxy::BackendConnection: handshake, auth and
// response tracking without materializing rows). A read's strategy travels as the proxy's
// statement comment `/* gatehouse:strategy=NAME */`. MySQL responses do not say which node
// served them: for this target the proxy's counters are the source of that.
#pragma once

#include <string>

#include "bench/target.h"

namespace gh::bench {

struct MysqlEndpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string user;
  std::string password;
};

class MysqlTarget : public Target {
 public:
  explicit MysqlTarget(MysqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  std::unique_ptr<Connection> connect(asio::any_io_executor ex) override;
  bool inline_params() const override { return true; }
  std::string name() const override { return "mysql"; }
  std::string endpoint() const override;

 private:
  MysqlEndpoint endpoint_;
};

// The error key of a MySQL error number: "mysql 7401 queue_full" for gatehouse's own codes,
// "mysql 1146" otherwise.
std::string mysql_error_key(uint16_t server_errno);

}  // namespace gh::bench
