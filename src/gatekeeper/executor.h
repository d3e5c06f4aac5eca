// Executor: runs one validated statement of the HTTP API on an upstream connection (to the
// proxy or the trusted host) and decodes the answer. Owned by the API handler; the connection
// is borrowed from the worker's pool for the duration of one request.
//
// Per statement:
//   - COM_INIT_DB first when the request's database differs from the connection's (never
//     pipelined: a failed USE must not let the statement run in another schema);
//   - without params: COM_QUERY; with params: COM_STMT_PREPARE (cached per connection) and
//     COM_STMT_EXECUTE with the values bound by type — never spliced into the SQL text;
//   - pipelined behind it, `SELECT @gatehouse_last_node` (answered by the proxy itself) tells
//     which node served the statement: one round trip for both.
// Upstream errors (ERR packets) are results, not failures; failures mean the connection is
// unusable (Errc::kBackendLost, kMalformedPacket) and the caller drops it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gatekeeper/request.h"
#include "gatekeeper/result_json.h"
#include "proxy/backend_connection.h"

namespace gh::gatekeeper {

struct ExecRequest {
  std::string_view sql;  // as sent upstream (with the strategy hint, if any)
  const std::vector<ParamValue>* params = nullptr;
  std::string_view database;  // empty: leave the connection's schema alone
  bool ask_served_by = true;
  ResultLimits limits;
};

struct ExecOutcome {
  StatementResult result;
  std::string served_by;     // node name, or "" when unknown
  int expected_params = -1;  // >= 0: the statement takes this many params and got another count
};

proxy::Task<Result<ExecOutcome>> execute_statement(proxy::BackendConnection& conn,
                                                   const ExecRequest& request);

// Runs a statement whose result is not needed beyond OK/ERR (BEGIN, COMMIT, ROLLBACK).
proxy::Task<Result<StatementResult>> execute_simple(proxy::BackendConnection& conn,
                                                    std::string_view sql);

// Encodes params as a COM_STMT_EXECUTE payload for statement `id` (exposed for tests).
Status encode_execute(uint32_t id, const std::vector<ParamValue>& params, std::string& out);

}  // namespace gh::gatekeeper
