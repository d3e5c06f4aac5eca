// ClientSession: the connection phase and command dispatch (see session.h). The statement
// path (borrow, sync, relay, pinning) is in session_route.cc.
#include "proxy/session.h"

#include <spdlog/spdlog.h>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/handshake.h"
#include "protocol/response.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"
#include "proxy/front_handshake.h"

namespace gh::proxy {

using namespace gh::mysql;

namespace {
constexpr uint16_t kErAccessDenied = 1045;
constexpr uint16_t kErUnknownCom = 1047;
}  // namespace

ClientSession::ClientSession(Worker& worker, tcp::socket socket)
    : worker_(worker),
      shared_(worker.shared()),
      socket_(std::move(socket)),
      reader_(worker.shared().options.max_packet_size),
      turn_(socket_.get_executor()) {
  connection_id_ = shared_.next_connection_id.fetch_add(1, std::memory_order_relaxed);
  shared_.counters.client_connections.fetch_add(1, std::memory_order_relaxed);
  shared_.counters.client_connections_total.fetch_add(1, std::memory_order_relaxed);
}

ClientSession::~ClientSession() {
  if (pinned_) give_back(*pinned_);
  shared_.counters.client_connections.fetch_sub(1, std::memory_order_relaxed);
}

bool ClientSession::start_client_write(std::string_view bytes, Buffers2& rest,
                                       boost::system::error_code& ec) {
  rest = buffers_of(pending_out_, bytes);
  if (!write_now(socket_, rest, ec)) return false;
  pending_out_.clear();
  return true;
}

Task<bool> ClientSession::write_client(std::string_view bytes) {
  Buffers2 bufs = buffers_of(pending_out_, bytes);
  auto ec = co_await write_all(socket_, bufs);
  pending_out_.clear();
  co_return !ec;
}

bool ClientSession::may_defer(std::string_view response) const {
  return reader_.has_packet() && pending_out_.size() + response.size() <= kMaxDeferredBytes;
}

Task<std::optional<Packet>> ClientSession::read_client_packet() {
  // Deferred answers go out before we wait for the client (it may be waiting for them).
  if (!pending_out_.empty() && !reader_.has_packet() && !co_await write_client({}))
    co_return std::nullopt;
  auto p = co_await front_read_packet(socket_, reader_);
  if (p) co_return *p;
  if (p.error() != Errc::kIo) co_await reject_client_input(p.error());
  co_return std::nullopt;
}

Task<void> ClientSession::reject_client_input(std::error_code error) {
  // Oversized or bad framing: tell the client, then drop it.
  shared_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
  if (co_await write_client({})) co_await front_send_read_error(socket_, error, 1);
}

Task<bool> ClientSession::send_ok(uint8_t seq, uint64_t affected, uint64_t insert_id) {
  OkPacket ok;
  ok.affected_rows = affected;
  ok.last_insert_id = insert_id;
  ok.status_flags =
      uint16_t((autocommit_ ? status::kAutocommit : 0) | (in_transaction_ ? status::kInTrans : 0));
  std::string payload;
  encode_ok(ok, client_caps_, payload);
  out_.clear();
  append_packet(out_, payload, seq);
  co_return co_await write_client(out_);
}

Task<bool> ClientSession::send_err(uint8_t seq, uint16_t code, std::string_view state,
                                   std::string_view msg) {
  std::string payload;
  encode_err(code, state, msg, payload);
  out_.clear();
  append_packet(out_, payload, seq);
  co_return co_await write_client(out_);
}

Task<bool> ClientSession::send_gatehouse_err(uint8_t seq, Errc code, std::string_view detail) {
  std::string payload;
  encode_gatehouse_err(code, detail, payload);
  out_.clear();
  append_packet(out_, payload, seq);
  co_return co_await write_client(out_);
}

Task<bool> ClientSession::send_single_value(std::string_view column, std::string_view value) {
  // A one-column, one-row text result set.
  out_.clear();
  std::string payload;
  uint8_t seq = 1;
  Writer(payload).lenenc_int(1);
  if (client_mariadb_caps_ & mariadb_cap::kCacheMetadata)
    payload.push_back('\1');  // metadata follows
  seq = append_packet(out_, payload, seq);
  payload.clear();
  ColumnDefinition def;
  def.name = column;
  def.org_name = column;
  def.column_length = 256;
  def.type = FieldType::kVarString;
  encode_column_definition(def, payload);
  seq = append_packet(out_, payload, seq);
  bool deprecate_eof = client_caps_ & cap::kDeprecateEof;
  EofPacket eof;
  eof.status_flags =
      uint16_t((autocommit_ ? status::kAutocommit : 0) | (in_transaction_ ? status::kInTrans : 0));
  if (!deprecate_eof) {
    payload.clear();
    encode_eof(eof, payload);
    seq = append_packet(out_, payload, seq);
  }
  payload.clear();
  TextValue v[1] = {value};
  encode_text_row(v, payload);
  seq = append_packet(out_, payload, seq);
  payload.clear();
  if (deprecate_eof) {
    OkPacket ok;
    ok.status_flags = eof.status_flags;
    encode_ok(ok, client_caps_, payload, 0xFE);
  } else {
    encode_eof(eof, payload);
  }
  append_packet(out_, payload, seq);
  co_return co_await write_client(out_);
}

const ProxyUser* ClientSession::find_user(std::string_view name) const {
  for (const auto& u : shared_.options.users)
    if (u.name == name) return &u;
  return nullptr;
}

bool ClientSession::check_password(const ProxyUser& user, std::string_view nonce,
                                   std::string_view response) {
  return native_password_verify(response, nonce, user.password_hash);
}

Task<bool> ClientSession::handshake() {
  FrontGreeting greeting;
  greeting.connection_id = connection_id_;
  greeting.capabilities = cap::kSupported;
  greeting.tls_refusal = "TLS is not enabled on this proxy port";
  if (shared_.options.cache_metadata) greeting.mariadb_capabilities = mariadb_cap::kCacheMetadata;
  auto login = co_await front_handshake(socket_, reader_, greeting);
  if (!login) {
    if (login.error() != Errc::kIo && login.error() != Errc::kUnsupportedCapability)
      shared_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
    co_return false;
  }
  nonce_ = std::move(login->nonce);
  const HandshakeResponse* resp = &login->response;
  uint8_t seq = login->seq;
  client_caps_ = resp->capabilities & cap::kSupported;
  client_mariadb_caps_ = resp->mariadb_capabilities & greeting.mariadb_capabilities;
  collation_ = resp->collation;
  const std::string& auth_response = login->auth_response;
  const ProxyUser* user = find_user(resp->user);
  if (!user || !check_password(*user, nonce_, auth_response)) {
    shared_.counters.auth_failures.fetch_add(1, std::memory_order_relaxed);
    std::string msg = "Access denied for user '" + resp->user + "' (gatehouse: auth_failed)";
    co_await send_err(seq, kErAccessDenied, "28000", msg);
    co_return false;
  }
  user_ = user;
  strategy_ = user->default_strategy;
  if (auto attr = resp->attribute("gatehouse_strategy"); !attr.empty()) {
    Strategy s;
    if (parse_strategy(attr, s)) strategy_ = s;
  }
  if (!resp->database.empty()) {
    // Validate the schema now, as a server would, on the source.
    std::string init(1, char(Command::kInitDb));
    init += resp->database;
    auto t = co_await borrow(false, std::nullopt);
    if (!t) co_return false;  // borrow sent the error with seq 1: acceptable at login
    auto s = co_await sync_state(*t->conn);
    std::string frames;
    Result<ResponseTracker::Summary> summary = fail(Errc::kBackendLost);
    if (s) summary = co_await t->conn->run(init, &frames);
    if (!summary || summary->error) {
      give_back(*t);
      if (summary && summary->error) {
        auto f = parse_frame(frames);
        auto err = f ? decode_err(f->payload) : Result<ErrPacket>(fail(Errc::kMalformedPacket));
        if (err) co_await send_err(seq, err->code, err->sqlstate, err->message);
      } else {
        co_await send_gatehouse_err(seq, Errc::kBackendLost);
      }
      co_return false;
    }
    t->conn->schema = resp->database;
    schema_ = resp->database;
    give_back(*t);
  }
  co_return co_await send_ok(seq);
}

Task<void> ClientSession::run() {
  auto self = shared_from_this();
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  if (!co_await handshake()) co_return;
  // The command loop reads and routes statements itself rather than through read_client_packet()
  // and dispatch(): two coroutine frames fewer per statement on the path every query takes.
  for (;;) {
    auto next = reader_.next();
    if (!next) {
      co_await reject_client_input(next.error());
      co_return;
    }
    if (!*next) {
      // Deferred answers go out before we wait for the client (it may be waiting for them).
      if (!pending_out_.empty() && !co_await write_client({})) co_return;
      auto [rec, n] = co_await front_read_some(socket_, reader_);
      reader_.commit(rec ? 0 : n);
      if (rec) co_return;
      continue;
    }
    if ((*next)->payload.empty()) {
      shared_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
      co_await send_gatehouse_err(1, Errc::kMalformedPacket, "empty command packet");
      co_return;
    }
    // The reader's buffer may move while the command runs: an execute runs from its copy in
    // ps.exec, anything else from a copy in command_ (both keep their capacity).
    std::string_view payload = (*next)->payload;
    bool ok = false;
    Prepared* ps = nullptr;
    if (payload[0] == char(Command::kStmtExecute) && (ps = begin_execute(payload))) {
      ok = co_await run_routed(ps->plan, ps->exec, ps);
    } else {
      command_.assign(payload);
      ok = co_await dispatch(command_);
    }
    if (!ok) {
      if (!pending_out_.empty()) co_await write_client({});
      co_return;
    }
  }
}

Task<bool> ClientSession::dispatch(std::string_view payload) {
  auto cmd = static_cast<Command>(payload[0]);
  switch (cmd) {
    case Command::kQuit:
      co_return false;
    case Command::kPing:
      co_return co_await send_ok(1);
    case Command::kQuery:
      co_return co_await on_query(payload);
    case Command::kInitDb:
      co_return co_await on_init_db(payload);
    case Command::kStmtPrepare:
      co_return co_await on_prepare(payload);
    case Command::kStmtExecute:  // run() routes those that name a statement
      co_return co_await reject_execute(payload);
    case Command::kStmtSendLongData: {
      auto chunk = decode_com_stmt_send_long_data(payload);
      if (chunk) {
        if (auto it = prepared_.find(chunk->statement_id); it != prepared_.end())
          it->second.long_data.emplace_back(payload);
      }
      co_return true;  // no response, by protocol
    }
    case Command::kStmtClose: {
      if (auto id = decode_com_stmt_close(payload)) prepared_.erase(*id);
      co_return true;
    }
    case Command::kStmtReset: {
      if (auto id = decode_com_stmt_reset(payload)) {
        auto it = prepared_.find(*id);
        if (it == prepared_.end())
          co_return co_await send_err(1, 1243, "HY000", "Unknown prepared statement handler");
        it->second.long_data.clear();
      }
      co_return co_await send_ok(1);
    }
    case Command::kResetConnection:
      reset_session_state();
      co_return co_await send_ok(1);
    case Command::kChangeUser:
      co_return co_await on_change_user(payload);
    case Command::kSetOption: {
      if (payload.size() < 3) co_return co_await send_gatehouse_err(1, Errc::kMalformedPacket);
      uint16_t option = uint16_t(uint8_t(payload[1]) | uint8_t(payload[2]) << 8);
      if (option == 0) client_caps_ |= cap::kMultiStatements;
      if (option == 1) client_caps_ &= ~cap::kMultiStatements;
      if (pinned_ && option <= 1) {
        // The pinned connection keeps serving this session: its server-side flag must follow.
        auto r = co_await pinned_->conn->run(payload);
        if (!r || r->error) {
          pinned_->conn->mark_broken();
          co_return co_await send_gatehouse_err(1, Errc::kBackendLost, "COM_SET_OPTION failed");
        }
        pinned_->conn->set_key_capability(cap::kMultiStatements, option == 0);
      }
      if (client_caps_ & cap::kDeprecateEof) co_return co_await send_ok(1);
      std::string p;
      encode_eof({0, uint16_t(autocommit_ ? status::kAutocommit : 0)}, p);
      out_.clear();
      append_packet(out_, p, 1);
      co_return co_await write_client(out_);
    }
    case Command::kStatistics:
    case Command::kFieldList:
      co_return co_await on_forward_to_source(payload);
    default: {
      std::string msg = "gatehouse: unsupported_command: command " + std::to_string(int(cmd)) +
                        " is not supported";
      co_return co_await send_err(1, kErUnknownCom, "08S01", msg);
    }
  }
}

void ClientSession::reset_session_state() {
  if (pinned_) {
    pinned_->conn->mark_broken();  // its server-side state is the client's: do not reuse
    give_back(*pinned_);
    pinned_.reset();
  }
  variables_.clear();
  variables_hash_ = 0;
  autocommit_ = true;
  in_transaction_ = false;
  pinned_forever_ = lock_tables_ = pin_next_ = cursor_open_ = false;
  last_insert_id_ = 0;
  prepared_.clear();
}

Task<bool> ClientSession::on_change_user(std::string_view payload) {
  auto change = decode_com_change_user(payload, client_caps_);
  if (!change) co_return co_await send_gatehouse_err(1, Errc::kMalformedPacket);
  std::string response = std::move(change->auth_response);
  uint8_t seq = 1;
  const ProxyUser* user = find_user(change->user);
  if (user && !check_password(*user, nonce_, response)) {
    // The client may have scrambled with another plugin: offer native with a fresh nonce.
    if (!co_await write_client({})) co_return false;  // deferred answers first
    nonce_ = make_nonce();
    auto answer = co_await front_request_native_password(socket_, reader_, nonce_, seq);
    if (!answer) {
      if (answer.error() != Errc::kIo)
        shared_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
      co_return false;
    }
    response = std::move(answer->response);
    seq = answer->seq;
  }
  if (!user || !check_password(*user, nonce_, response)) {
    shared_.counters.auth_failures.fetch_add(1, std::memory_order_relaxed);
    std::string msg = "Access denied for user '" + change->user + "' (gatehouse: auth_failed)";
    co_await send_err(seq, kErAccessDenied, "28000", msg);
    co_return false;
  }
  reset_session_state();
  user_ = user;
  strategy_ = user->default_strategy;
  schema_ = std::move(change->schema);
  co_return co_await send_ok(seq);
}

}  // namespace gh::proxy
