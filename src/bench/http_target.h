// HttpTarget: bench requests as `POST /v1/query` to the gatekeeper's HTTP/JSON API, over
// keep-alive HTTP/1.1 connections (Boost.Beast parser, hand-built request head). Reads use the
// read API key, writes the write key; a read's strategy goes in the body's "strategy" field.
// Each 200 response's "served_by" says which node ran the statement; errors are keyed by HTTP
// status and the body's error.code ("429 rate_limited").
#pragma once

#include <string>

#include "bench/target.h"

namespace gh::bench {

struct HttpEndpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string read_token;   // Authorization: Bearer for reads
  std::string write_token;  // ... and for writes
  std::string database;     // the body's "database" field ("" = omitted)
  std::string path = "/v1/query";
};

class HttpTarget : public Target {
 public:
  explicit HttpTarget(HttpEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  std::unique_ptr<Connection> connect(asio::any_io_executor ex) override;
  bool inline_params() const override { return false; }
  std::string name() const override { return "http"; }
  std::string endpoint() const override;

 private:
  HttpEndpoint endpoint_;
};

// The JSON body of one request (exposed for tests).
std::string query_body(const Statement& st, const std::string& strategy,
                       const std::string& database);

// What a response says (exposed for tests): fills ok/error/served_by/last_insert_id.
void parse_query_response(int status, std::string_view body, Outcome& out);

}  // namespace gh::bench
