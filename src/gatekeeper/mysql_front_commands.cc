// MysqlFrontSession: the command phase — dispatch, policy checks, denial answers and the relay
// of allowed commands to the session's upstream connection (see mysql_front.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "gatekeeper/mysql_front.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/response.h"

namespace gh::gatekeeper {

using namespace gh::mysql;
using proxy::Task;

namespace {

// `USE db` for a COM_INIT_DB, so the policy sees the same statement either way.
std::string use_statement(std::string_view schema) {
  std::string sql = "USE `";
  for (char c : schema) {
    if (c == '`') sql += '`';
    sql += c;
  }
  sql += '`';
  return sql;
}

}  // namespace

// --- Policy ---------------------------------------------------------------------------------

Verdict MysqlFrontSession::rate_limit() {
  double rate = user_->rate_limit_per_s;
  if (rate <= 0) return {};
  double burst = user_->rate_limit_burst > 0 ? user_->rate_limit_burst : std::max(1.0, rate);
  if (env_.rate_limiter().try_acquire(user_->id, rate, burst)) return {};
  Verdict v;
  v.code = Errc::kRateLimited;
  v.rule = "rate_limit";
  v.message = fmt::format("more than {:g} statements per second", rate);
  return v;
}

Verdict MysqlFrontSession::evaluate(std::string_view sql, CheckedStatement& checked) {
  checked = check_statement(user_->role, sql, 0, settings_.limits);
  if (!checked.verdict.ok()) return checked.verdict;
  if (DigestAllowlist* allowlist = env_.allowlist()) {
    Verdict v =
        allowlist->apply(user_->id, user_->digest_mode, checked.digest, checked.digest_text);
    if (!v.ok()) return v;
  }
  return rate_limit();
}

Task<bool> MysqlFrontSession::deny(const Verdict& verdict, uint64_t digest) {
  env_.counters().denied.fetch_add(1, std::memory_order_relaxed);
  std::string hex = digest ? digest_hex(digest) : std::string();
  AuditEvent event;
  event.front = settings_.front;
  event.event = "deny";
  event.key = user_->id;
  event.client = peer_;
  event.digest = hex;
  event.code = verdict.code;
  event.rule = verdict.rule;
  event.reason = verdict.message;
  env_.audit().write(event);
  std::string message =
      fmt::format("denied by gatekeeper rule {}: {}", verdict.rule, verdict.message);
  uint16_t code = mysql_errno(verdict.code);
  std::string_view state = mysql_sqlstate(verdict.code);
  co_return co_await send_err(1, code, state, message);
}

void MysqlFrontSession::after_statement(const sql::StatementInfo& info,
                                        const ResponseTracker::Summary& summary) {
  if (info.statement_class == sql::StatementClass::kUse && info.statement_count == 1) {
    if (!summary.error) schema_ = info.schema;
    return;
  }
  // Statements that may drop the current schema behind the session's back (or run who knows
  // what): the upstream connection is not returned to its pool afterwards, as its schema is
  // no longer known. The server also flags a dropped current schema.
  if (summary.status_flags & status::kDbDropped) schema_in_doubt_ = true;
  switch (info.statement_class) {
    case sql::StatementClass::kDrop:
    case sql::StatementClass::kCall:
    case sql::StatementClass::kPrepareSql:
    case sql::StatementClass::kExecuteSql:
    case sql::StatementClass::kOther:
      schema_in_doubt_ = true;
      break;
    default:
      if (info.statement_count > 1) schema_in_doubt_ = true;
  }
}

// --- Dispatch -------------------------------------------------------------------------------

Task<bool> MysqlFrontSession::dispatch(std::string_view payload) {
  auto cmd = static_cast<Command>(payload[0]);
  switch (cmd) {
    case Command::kQuit:
      co_return false;
    case Command::kQuery:
      co_return co_await on_query(payload);
    case Command::kStmtPrepare:
      co_return co_await on_prepare(payload);
    case Command::kInitDb:
      co_return co_await on_init_db(payload);
    case Command::kStmtExecute:
      co_return co_await on_execute(payload);
    case Command::kSetOption:
      co_return co_await on_set_option(payload);
    case Command::kResetConnection:
      co_return co_await on_reset_connection(payload);
    case Command::kPing:
    case Command::kStatistics:
    case Command::kFieldList:  // any role may list a table's columns
    case Command::kStmtSendLongData:
    case Command::kStmtClose:
    case Command::kStmtReset:
    case Command::kStmtFetch:
      // Statement ids pass through unchanged: the upstream connection is the session's own.
      co_return co_await forward(payload);
    default:
      co_return co_await on_unsupported(payload);
  }
}

Task<bool> MysqlFrontSession::on_unsupported(std::string_view payload) {
  auto cmd = static_cast<Command>(payload[0]);
  env_.counters().protocol_errors.fetch_add(1, std::memory_order_relaxed);
  std::string detail =
      fmt::format("command {} ({}) is not supported on this front", int(cmd), command_name(cmd));
  spdlog::info("{} front: client {} user '{}': {}", settings_.front, peer_, user_->id, detail);
  co_return co_await send_gatehouse_err(1, Errc::kUnsupportedCommand, detail);
}

Task<bool> MysqlFrontSession::on_query(std::string_view payload) {
  std::string_view sql = payload.substr(1);
  CheckedStatement checked;
  Verdict verdict = evaluate(sql, checked);
  if (!verdict.ok()) co_return co_await deny(verdict, checked.digest);
  env_.counters().statements.fetch_add(1, std::memory_order_relaxed);
  ResponseTracker::Summary summary;
  if (!co_await forward(payload, &summary)) co_return false;
  after_statement(checked.info, summary);
  co_return true;
}

Task<bool> MysqlFrontSession::on_prepare(std::string_view payload) {
  std::string_view sql = payload.substr(1);
  CheckedStatement checked;
  Verdict verdict = evaluate(sql, checked);  // the parameter count is not known yet: 0
  if (!verdict.ok()) co_return co_await deny(verdict, checked.digest);
  env_.counters().statements.fetch_add(1, std::memory_order_relaxed);
  co_return co_await forward(payload);
}

Task<bool> MysqlFrontSession::on_execute(std::string_view payload) {
  Verdict verdict = rate_limit();  // the statement itself was checked when it was prepared
  if (!verdict.ok()) co_return co_await deny(verdict, 0);
  env_.counters().statements.fetch_add(1, std::memory_order_relaxed);
  co_return co_await forward(payload);
}

Task<bool> MysqlFrontSession::on_init_db(std::string_view payload) {
  std::string schema(payload.substr(1));
  std::string sql = use_statement(schema);
  CheckedStatement checked;
  Verdict verdict = evaluate(sql, checked);
  if (!verdict.ok()) co_return co_await deny(verdict, checked.digest);
  env_.counters().statements.fetch_add(1, std::memory_order_relaxed);
  ResponseTracker::Summary summary;
  if (!co_await forward(payload, &summary)) co_return false;
  if (!summary.error) schema_ = std::move(schema);
  co_return true;
}

Task<bool> MysqlFrontSession::on_set_option(std::string_view payload) {
  auto option = decode_com_set_option(payload);
  if (!option)
    co_return co_await send_gatehouse_err(1, Errc::kMalformedPacket, "bad COM_SET_OPTION");
  ResponseTracker::Summary summary;
  if (!co_await forward(payload, &summary)) co_return false;
  if (!summary.error && *option <= 1) {
    bool on = *option == 0;
    client_caps_ =
        on ? (client_caps_ | cap::kMultiStatements) : (client_caps_ & ~cap::kMultiStatements);
    // The upstream's server-side flag changed with it: it goes back to its pool under that key.
    if (upstream_) upstream_->set_key_capability(cap::kMultiStatements, on);
  }
  co_return true;
}

Task<bool> MysqlFrontSession::on_reset_connection(std::string_view payload) {
  ResponseTracker::Summary summary;
  if (!co_await forward(payload, &summary)) co_return false;
  // The schema survives COM_RESET_CONNECTION; nothing else is tracked here.
  co_return true;
}

// --- Relay ----------------------------------------------------------------------------------

Task<bool> MysqlFrontSession::forward(std::string_view payload,
                                      ResponseTracker::Summary* summary_out) {
  ResponseTracker::Summary summary;
  bool relayed_any = false;
  Relay outcome = co_await relay(payload, summary, relayed_any);
  if (outcome == Relay::kDone) {
    if (summary_out) *summary_out = summary;
    co_return true;
  }
  if (upstream_) upstream_->mark_broken();
  if (outcome == Relay::kClientGone) co_return false;
  env_.counters().upstream_errors.fetch_add(1, std::memory_order_relaxed);
  auto cmd = static_cast<Command>(payload[0]);
  Errc code = outcome == Relay::kTimedOut ? Errc::kRequestTimeout : Errc::kBackendLost;
  std::string detail =
      outcome == Relay::kTimedOut
          ? fmt::format("{} did not complete within {} ms; the connection is closed",
                        command_name(cmd), settings_.request_timeout.count())
          : fmt::format("lost the upstream connection during {}; the connection is closed",
                        command_name(cmd));
  spdlog::warn("{} front: client {} user '{}': {}", settings_.front, peer_, user_->id, detail);
  // An ERR may follow rows already relayed (servers do that for a killed query), unless a
  // write to the client broke off midway.
  if (!client_dirty_) {
    uint8_t seq = next_client_seq_;
    co_await send_gatehouse_err(seq, code, detail);
  }
  co_return false;  // the session's state lived on that connection: the client reconnects
}

Task<MysqlFrontSession::Relay> MysqlFrontSession::relay(std::string_view payload,
                                                        ResponseTracker::Summary& summary,
                                                        bool& relayed_any) {
  relayed_any = false;
  next_client_seq_ = 1;
  if (!upstream_) co_return Relay::kUpstreamLost;
  proxy::BackendConnection& conn = *upstream_;
  auto cmd = static_cast<Command>(payload[0]);
  in_statement_ = true;
  arm_statement_timer();
  struct Disarm {  // every way out of the relay stops the statement timer
    MysqlFrontSession& s;
    ~Disarm() { s.disarm_statement_timer(); }
  } disarm{*this};
  auto lost = [&] { return statement_expired_ ? Relay::kTimedOut : Relay::kUpstreamLost; };

  if (auto sent = co_await conn.send_command(payload); !sent) co_return lost();
  ResponseTracker tracker;
  tracker.start(cmd, conn.capabilities());
  if (tracker.done()) {  // STMT_CLOSE, SEND_LONG_DATA: no response
    in_statement_ = false;
    co_return Relay::kDone;
  }
  ByteBuffer& rb = conn.read_buffer();
  bool refusing = false;  // a LOCAL INFILE was refused: the rest of the response is dropped
  for (;;) {
    std::string_view buf = rb.view();
    size_t pos = 0;
    size_t relay_end = 0;
    bool done = false;
    bool infile = false;
    uint8_t infile_seq = 0;
    while (pos < buf.size()) {
      auto frame = parse_frame(buf.substr(pos));
      if (!frame) break;
      auto step = tracker.on_frame(frame->payload);
      if (!step || (refusing && *step == ResponseTracker::Step::kLocalInfile)) {
        spdlog::warn("{} front: protocol violation from upstream: {}", settings_.front,
                     step ? "second LOCAL INFILE request" : step.error().message());
        conn.mark_broken();
        co_return Relay::kUpstreamLost;
      }
      if (*step == ResponseTracker::Step::kLocalInfile) {
        infile = true;
        infile_seq = frame->seq;
        pos += frame->wire_size;  // consumed, never relayed
        break;
      }
      pos += frame->wire_size;
      if (!refusing) {
        relay_end = pos;
        next_client_seq_ = uint8_t(frame->seq + 1);
      }
      if (*step == ResponseTracker::Step::kDone) {
        done = true;
        break;
      }
    }
    if (relay_end > 0) {
      writing_client_ = true;
      bool ok = co_await write_client(buf.substr(0, relay_end));
      writing_client_ = false;
      if (!ok) {
        conn.mark_broken();  // the rest of the response would be left unread
        co_return statement_expired_ ? Relay::kTimedOut : Relay::kClientGone;
      }
      relayed_any = true;
    }
    rb.consume(pos);
    if (done) {
      summary = tracker.summary();
      in_statement_ = false;
      if (!refusing) co_return Relay::kDone;
      // The refused LOCAL INFILE fails the statement; the connection stays in step.
      summary.error = true;
      uint8_t seq = next_client_seq_;
      std::string detail = "LOCAL INFILE is not allowed through this front";
      if (!co_await send_gatehouse_err(seq, Errc::kForbidden, detail)) co_return Relay::kClientGone;
      co_return Relay::kDone;
    }
    if (infile) {
      // Answer with an empty file (ends the transfer), then drop the server's verdict.
      spdlog::warn("{} front: upstream asked client {} for a LOCAL INFILE; refused",
                   settings_.front, peer_);
      refusing = true;
      std::string_view empty;
      uint8_t seq = uint8_t(infile_seq + 1);
      if (auto sent = co_await conn.send_packet(empty, seq); !sent) co_return lost();
      tracker.resume_after_infile();
      continue;  // frames may already be buffered
    }
    auto [rec, n] = co_await conn.read_some();
    if (auto more = conn.commit_read(rec, n); !more) co_return lost();
  }
}

}  // namespace gh::gatekeeper
