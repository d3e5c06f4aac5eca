// Executor: one statement on an upstream connection (see executor.h).
#include "gatekeeper/executor.h"

#include <optional>

#include "protocol/binary.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/packet.h"
#include "protocol/response.h"

namespace gh::gatekeeper {

using namespace gh::mysql;
using proxy::Task;

namespace {

constexpr std::string_view kLastNodeQuery = "SELECT @gatehouse_last_node";
constexpr size_t kMaxCachedStatements = 256;

Task<Status> ensure_schema(proxy::BackendConnection& conn, std::string_view database,
                           StatementResult& result, bool& failed) {
  failed = false;
  if (database.empty() || conn.schema == database) co_return Status{};
  std::string payload;
  encode_com_init_db(database, payload);
  std::string frames;
  auto summary = co_await conn.run(payload, &frames);
  if (!summary) co_return fail(summary.error());
  if (summary->error) {
    failed = true;
    if (auto s = decode_response(frames, conn.capabilities(), false, {}, false, result,
                                 {conn.mariadb_capabilities()});
        !s)
      co_return s;
    co_return Status{};
  }
  conn.schema = std::string(database);
  co_return Status{};
}

Task<Status> drop_cached_statements(proxy::BackendConnection& conn) {
  std::string wire;
  for (const auto& [sql, id] : conn.prepared) {
    std::string payload;
    encode_com_stmt_close(id, payload);
    append_packet(wire, payload, 0);
  }
  conn.prepared.clear();
  conn.prepared_params.clear();
  conn.prepared_meta.clear();
  if (wire.empty()) co_return Status{};
  co_return co_await conn.send_raw(wire);  // COM_STMT_CLOSE has no response
}

}  // namespace

Status encode_execute(uint32_t id, const std::vector<ParamValue>& params, std::string& out) {
  StmtExecute e;
  e.statement_id = id;
  e.params.reserve(params.size());
  for (const auto& p : params) {
    if (std::holds_alternative<std::monostate>(p)) {
      e.params.push_back(make_param(BinaryValue{}, FieldType::kNull));
    } else if (const auto* i = std::get_if<int64_t>(&p)) {
      e.params.push_back(make_param(BinaryValue{*i}));
    } else if (const auto* u = std::get_if<uint64_t>(&p)) {
      e.params.push_back(make_param(BinaryValue{*u}));
    } else if (const auto* d = std::get_if<double>(&p)) {
      e.params.push_back(make_param(BinaryValue{*d}));
    } else {
      e.params.push_back(make_param(BinaryValue{std::string_view(std::get<std::string>(p))}));
    }
  }
  return encode_stmt_execute(e, out);
}

Task<Result<ExecOutcome>> execute_statement(proxy::BackendConnection& conn,
                                            const ExecRequest& req) {
  ExecOutcome outcome;
  bool schema_failed = false;
  if (auto s = co_await ensure_schema(conn, req.database, outcome.result, schema_failed); !s)
    co_return fail(s.error());
  if (schema_failed) co_return outcome;

  bool with_params = req.params && !req.params->empty();
  std::optional<uint32_t> prepared_id;
  std::string wire;
  if (!with_params) {
    std::string payload;
    encode_com_query(req.sql, payload);
    append_packet(wire, payload, 0);
  } else {
    uint32_t id = 0;
    std::string key(req.sql);
    auto it = conn.prepared.find(key);
    if (it == conn.prepared.end()) {
      if (conn.prepared.size() >= kMaxCachedStatements) {
        if (auto s = co_await drop_cached_statements(conn); !s) co_return fail(s.error());
      }
      std::string payload;
      encode_com_stmt_prepare(req.sql, payload);
      std::string frames;
      auto summary = co_await conn.run(payload, &frames);
      if (!summary) co_return fail(summary.error());
      if (summary->error) {
        if (auto s = decode_response(frames, conn.capabilities(), false, {}, false, outcome.result,
                                     {conn.mariadb_capabilities()});
            !s)
          co_return fail(s.error());
        co_return outcome;
      }
      id = summary->statement_id;
      conn.prepared.emplace(key, id);
      conn.prepared_params[id] = summary->num_params;
      if (conn.mariadb_capabilities() & mariadb_cap::kCacheMetadata) {
        auto meta = proxy::meta_of_prepare(frames, conn.capabilities() & cap::kDeprecateEof);
        if (!meta) co_return fail(meta.error());
        conn.prepared_meta[id] = std::move(*meta);
      }
    } else {
      id = it->second;
    }
    prepared_id = id;
    uint16_t expected = conn.prepared_params[id];
    if (expected != req.params->size()) {
      outcome.expected_params = expected;
      co_return outcome;
    }
    std::string payload;
    if (auto s = encode_execute(id, *req.params, payload); !s) co_return fail(Errc::kBadRequest);
    append_packet(wire, payload, 0);
  }
  if (req.ask_served_by) {
    std::string payload;
    encode_com_query(kLastNodeQuery, payload);
    append_packet(wire, payload, 0);
  }
  if (auto s = co_await conn.send_raw(wire); !s) co_return fail(s.error());
  std::string frames;
  bool truncated = false;
  Command cmd = with_params ? Command::kStmtExecute : Command::kQuery;
  size_t limit = req.limits.max_bytes + (64u << 10);  // row bytes plus framing and metadata
  auto summary = co_await conn.read_response(cmd, &frames, limit, &truncated);
  if (!summary) co_return fail(summary.error());
  MetadataCache metadata{conn.mariadb_capabilities()};
  std::vector<std::string> sent;
  proxy::StatementMeta* cached = nullptr;
  if (prepared_id) {
    auto m = conn.prepared_meta.find(*prepared_id);
    if (m != conn.prepared_meta.end()) cached = &m->second;
  }
  if (cached) {
    metadata.cached = &cached->columns;
    metadata.sent = &sent;
  }
  if (auto s = decode_response(frames, conn.capabilities(), with_params, req.limits, truncated,
                               outcome.result, metadata);
      !s) {
    conn.mark_broken();
    co_return fail(s.error());
  }
  if (cached && !sent.empty()) cached->columns = std::move(sent);  // newer definitions
  if (req.ask_served_by) {
    std::string node_frames;
    auto node = co_await conn.read_response(Command::kQuery, &node_frames);
    if (!node) co_return fail(node.error());
    outcome.served_by =
        decode_single_value(node_frames, conn.capabilities(), conn.mariadb_capabilities())
            .value_or("");
  }
  co_return outcome;
}

Task<Result<StatementResult>> execute_simple(proxy::BackendConnection& conn, std::string_view sql) {
  std::string payload;
  encode_com_query(sql, payload);
  std::string frames;
  auto summary = co_await conn.run(payload, &frames);
  if (!summary) co_return fail(summary.error());
  StatementResult result;
  if (auto s = decode_response(frames, conn.capabilities(), false, {}, false, result,
                               {conn.mariadb_capabilities()});
      !s)
    co_return fail(s.error());
  co_return result;
}

}  // namespace gh::gatekeeper
