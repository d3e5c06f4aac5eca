// Decoding of the HTTP API's JSON request bodies (pure: no I/O, fuzzed by
// fuzz/gatekeeper_json_fuzz).
//
//   POST /v1/query        {"sql": "...", "params": [...], "strategy": "...", "database": "..."}
//   POST /v1/transaction  {"statements": [{"sql": "...", "params": [...]}, ...],
//                          "database": "..."}
// Strict: unknown fields, wrong types, nested params, depth beyond 8 and invalid UTF-8 are
// errors (400 bad_request) with a message that says which field is wrong.
// Parameters are JSON scalars: null, true/false (bound as 1/0), integers (int64, or uint64 above
// INT64_MAX), other numbers (double) and strings. They are bound as prepared-statement
// parameters upstream, never spliced into the SQL text.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gh::gatekeeper {

using ParamValue = std::variant<std::monostate, int64_t, uint64_t, double, std::string>;

struct StatementRequest {
  std::string sql;
  std::vector<ParamValue> params;
};

struct QueryRequest {
  StatementRequest statement;
  std::optional<std::string> strategy;  // "direct" | "random" | "customized"
  std::optional<std::string> database;
};

struct TransactionRequest {
  std::vector<StatementRequest> statements;
  std::optional<std::string> database;
};

struct RequestLimits {
  size_t max_params = 1000;
  size_t max_statements = 100;  // per transaction
};

// On error: a one-line message naming the field ("params[2]: expected a string, number, boolean
// or null").
std::expected<QueryRequest, std::string> decode_query_request(std::string_view body,
                                                              const RequestLimits& limits);
std::expected<TransactionRequest, std::string> decode_transaction_request(
    std::string_view body, const RequestLimits& limits);

// A database name the gatekeeper will pass on: 1-64 bytes, no NUL, no '/', '\\', '.', or
// backtick, valid UTF-8.
bool valid_database_name(std::string_view name);

}  // namespace gh::gatekeeper
