// MysqlTarget: COM_QUERY requests over proxy::BackendConnection (see mysql_target.h).
#include "bench/mysql_target.h"

#include <fmt/format.h>

#include "protocol/commands.h"
#include "proxy/backend_connection.h"

namespace gh::bench {
namespace {

class MysqlConnection : public Connection {
 public:
  MysqlConnection(asio::any_io_executor ex, const MysqlEndpoint& endpoint)
      : ex_(std::move(ex)), endpoint_(endpoint), node_(0, node_options(endpoint)) {}

  Task<Outcome> open() override {
    conn_ = std::make_unique<proxy::BackendConnection>(ex_, node_);
    proxy::BackendKey key;
    const std::string& user = endpoint_.user;
    const std::string& password = endpoint_.password;
    auto timeout = std::chrono::milliseconds(5000);
    Status s = co_await conn_->connect(key, user, password, timeout);
    Outcome out;
    out.ok = bool(s);
    if (!s) {
      out.error = fmt::format("connect {}", s.error().message());
      out.broken = true;
    }
    co_return out;
  }

  Task<Outcome> execute(const Statement& st, const std::string& strategy) override {
    Outcome out;
    if (!conn_ || conn_->broken()) {
      out.error = "connection_lost";
      out.broken = true;
      co_return out;
    }
    payload_.clear();
    if (st.is_read && !strategy.empty()) {
      sql_.clear();
      sql_ += "/* gatehouse:strategy=";
      sql_ += strategy;
      sql_ += " */ ";
      sql_ += st.sql;
      mysql::encode_com_query(sql_, payload_);
    } else {
      mysql::encode_com_query(st.sql, payload_);
    }
    std::string_view payload = payload_;
    auto summary = co_await conn_->run(payload);
    if (!summary) {
      out.error = fmt::format("connection {}", errc_or_message(summary.error()));
      out.broken = true;
      co_return out;
    }
    if (summary->error) {
      out.error = mysql_error_key(summary->err_code);
      co_return out;
    }
    out.ok = true;
    out.last_insert_id = int64_t(summary->last_insert_id);
    co_return out;
  }

  void close() override {
    if (!conn_) return;
    boost::system::error_code ignored;
    conn_->socket().close(ignored);
    conn_->mark_broken();
  }

 private:
  static proxy::NodeOptions node_options(const MysqlEndpoint& e) {
    proxy::NodeOptions o;
    o.name = "bench-target";
    o.host = e.host;
    o.port = e.port;
    return o;
  }
  static std::string errc_or_message(const std::error_code& ec) {
    if (ec.category() == gatehouse_category()) return std::string(errc_name(Errc(ec.value())));
    return ec.message();
  }

  asio::any_io_executor ex_;
  const MysqlEndpoint& endpoint_;
  proxy::Node node_;
  std::unique_ptr<proxy::BackendConnection> conn_;
  std::string sql_;
  std::string payload_;
};

}  // namespace

std::string mysql_error_key(uint16_t server_errno) {
  if (server_errno > kMysqlErrorBase && server_errno < kMysqlErrorBase + 1000) {
    std::string_view name = errc_name(Errc(server_errno - kMysqlErrorBase));
    if (name != "unknown") return fmt::format("mysql {} {}", server_errno, name);
  }
  return fmt::format("mysql {}", server_errno);
}

std::unique_ptr<Connection> MysqlTarget::connect(asio::any_io_executor ex) {
  return std::make_unique<MysqlConnection>(std::move(ex), endpoint_);
}

std::string MysqlTarget::endpoint() const {
  return fmt::format("mysql://{}@{}:{}", endpoint_.user, endpoint_.host, endpoint_.port);
}

}  // namespace gh::bench
