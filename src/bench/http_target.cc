// HttpTarget: the gatekeeper API client (see http_target.h).
#include "bench/http_target.h"

#include <fmt/format.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/json_text.h"

namespace gh::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

class HttpConnection : public Connection {
 public:
  HttpConnection(asio::any_io_executor ex, const HttpEndpoint& endpoint)
      : socket_(std::move(ex)), endpoint_(endpoint) {
    host_header_ = fmt::format("{}:{}", endpoint.host, endpoint.port);
  }

  Task<Outcome> open() override {
    Outcome out;
    boost::system::error_code ec;
    auto address = asio::ip::make_address(endpoint_.host, ec);
    if (ec) {
      out.error = "connect bad_address";
      co_return out;
    }
    tcp::endpoint ep(address, endpoint_.port);
    if (socket_.is_open()) socket_.close(ec);
    auto [cec] = co_await socket_.async_connect(ep, kNoThrow);
    if (cec) {
      out.error = fmt::format("connect {}", cec.message());
      out.broken = true;
      co_return out;
    }
    socket_.set_option(tcp::no_delay(true), ec);
    buffer_.clear();
    out.ok = true;
    co_return out;
  }

  Task<Outcome> execute(const Statement& st, const std::string& strategy) override {
    Outcome out;
    body_ = query_body(st, st.is_read ? strategy : std::string(), endpoint_.database);
    request_.clear();
    fmt::format_to(std::back_inserter(request_),
                   "POST {} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n"
                   "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                   endpoint_.path, host_header_,
                   st.is_read ? endpoint_.read_token : endpoint_.write_token, body_.size());
    request_ += body_;
    auto [wec, wn] = co_await asio::async_write(socket_, asio::buffer(request_), kNoThrow);
    (void)wn;
    if (wec) {
      out.error = "connection_lost";
      out.broken = true;
      co_return out;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    parser.header_limit(64u << 10);
    auto [rec, rn] = co_await http::async_read(socket_, buffer_, parser, kNoThrow);
    (void)rn;
    if (rec) {
      out.error = rec == http::error::end_of_stream || rec == asio::error::eof ||
                          rec == asio::error::connection_reset
                      ? "connection_lost"
                      : fmt::format("http_parse {}", rec.message());
      out.broken = true;
      co_return out;
    }
    const auto& res = parser.get();
    parse_query_response(int(res.result_int()), res.body(), out);
    if (!res.keep_alive()) out.broken = true;  // reopen before the next request
    co_return out;
  }

  void close() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  tcp::socket socket_;
  const HttpEndpoint& endpoint_;
  std::string host_header_;
  beast::flat_buffer buffer_;
  std::string body_;
  std::string request_;
};

}  // namespace

std::string query_body(const Statement& st, const std::string& strategy,
                       const std::string& database) {
  std::string out;
  out.reserve(st.sql.size() + 64);
  out += "{\"sql\":";
  append_json_string(out, st.sql);
  if (!st.params.empty()) {
    out += ",\"params\":[";
    for (size_t i = 0; i < st.params.size(); ++i) {
      if (i) out += ',';
      if (const auto* v = std::get_if<int64_t>(&st.params[i]))
        fmt::format_to(std::back_inserter(out), "{}", *v);
      else
        append_json_string(out, std::get<std::string>(st.params[i]));
    }
    out += ']';
  }
  if (!strategy.empty()) {
    out += ",\"strategy\":";
    append_json_string(out, strategy);
  }
  if (!database.empty()) {
    out += ",\"database\":";
    append_json_string(out, database);
  }
  out += '}';
  return out;
}

void parse_query_response(int status, std::string_view body, Outcome& out) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::object* obj = ec ? nullptr : doc.if_object();
  if (status == 200 && obj) {
    out.ok = true;
    if (auto* sb = obj->if_contains("served_by"); sb && sb->is_string())
      out.served_by = std::string(sb->get_string());
    if (auto* id = obj->if_contains("last_insert_id"); id && id->is_int64())
      out.last_insert_id = id->get_int64();
    else if (id && id->is_uint64())
      out.last_insert_id = int64_t(id->get_uint64());
    return;
  }
  out.ok = false;
  std::string code = status == 200 ? "bad_json" : "?";
  if (obj) {
    if (auto* e = obj->if_contains("error"); e && e->is_object()) {
      if (auto* c = e->get_object().if_contains("code"); c && c->is_string())
        code = std::string(c->get_string());
    }
  }
  out.error = fmt::format("{} {}", status, code);
}

std::unique_ptr<Connection> HttpTarget::connect(asio::any_io_executor ex) {
  return std::make_unique<HttpConnection>(std::move(ex), endpoint_);
}

std::string HttpTarget::endpoint() const {
  return fmt::format("http://{}:{}{}", endpoint_.host, endpoint_.port, endpoint_.path);
}

}  // namespace gh::bench
