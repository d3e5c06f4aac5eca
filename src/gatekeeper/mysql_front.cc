// MysqlFrontSession: the connection phase, client I/O, timers and the upstream connection's
// life (see mysql_front.h). The command phase and the relay are in mysql_front_commands.cc.
#include "gatekeeper/mysql_front.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/response.h"
#include "proxy/front_handshake.h"

namespace gh::gatekeeper {

using namespace gh::mysql;
using proxy::Task;
using proxy::asio::steady_timer;

namespace {

// What this front offers: the proxy's set minus LOCAL INFILE (no files cross a validating
// front) and, as everywhere in gatehouse, no TLS or compression.
constexpr uint32_t kOffered = cap::kSupported & ~cap::kLocalFiles;

std::atomic<uint32_t> g_next_connection_id{1};

Errc pool_error_to_errc(std::error_code ec) {
  if (ec == Errc::kQueueFull) return Errc::kQueueFull;
  if (ec == Errc::kQueueTimeout) return Errc::kQueueTimeout;
  if (ec == Errc::kAuthFailed) return Errc::kBackendError;
  return Errc::kNodeDown;
}

// At most `n` characters of an untrusted name, for messages and logs.
// Untrusted text (a user name from the wire) made safe for one log line: at most n bytes, and
// control or non-ASCII bytes written as \xNN, so it can neither split nor forge log lines.
std::string clip(std::string_view s, size_t n = 64) {
  std::string out;
  for (char c : s.substr(0, n)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '\\') {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

MysqlFrontSession::MysqlFrontSession(FrontEnv& env, proxy::tcp::socket socket)
    : env_(env),
      settings_(env.settings()),
      socket_(std::move(socket)),
      reader_(env.settings().max_packet_bytes),
      idle_timer_(env.executor()),
      statement_timer_(env.executor()) {
  connection_id_ = g_next_connection_id.fetch_add(1, std::memory_order_relaxed);
  env_.counters().connections.fetch_add(1, std::memory_order_relaxed);
}

MysqlFrontSession::~MysqlFrontSession() {
  if (upstream_ && pool_) {  // ended without release_upstream(): its state is unknown
    upstream_->mark_broken();
    pool_->release(std::move(upstream_));
  }
}

void MysqlFrontSession::stop() {
  stopping_ = true;
  boost::system::error_code ignored;
  socket_.cancel(ignored);
  socket_.shutdown(proxy::tcp::socket::shutdown_both, ignored);
  if (upstream_ && in_statement_) {
    upstream_->mark_broken();
    upstream_->socket().cancel(ignored);
  }
  ++idle_generation_;
  idle_timer_.cancel();
}

// --- Timers ---------------------------------------------------------------------------------

void MysqlFrontSession::arm_idle_timer(std::chrono::milliseconds timeout) {
  uint64_t generation = ++idle_generation_;
  idle_expired_ = false;
  idle_timer_.expires_after(timeout);
  idle_timer_.async_wait([weak = weak_from_this(), generation](boost::system::error_code ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->idle_generation_ != generation) return;
    self->idle_expired_ = true;
    boost::system::error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void MysqlFrontSession::arm_statement_timer() {
  uint64_t generation = ++statement_generation_;
  statement_expired_ = false;
  statement_timer_.expires_after(settings_.request_timeout);
  statement_timer_.async_wait([weak = weak_from_this(), generation](boost::system::error_code ec) {
    if (ec) return;
    auto self = weak.lock();
    if (!self || self->statement_generation_ != generation || !self->in_statement_) return;
    self->statement_expired_ = true;
    boost::system::error_code ignored;
    if (self->upstream_) {  // whatever waits on it fails now; it is never reused
      self->upstream_->mark_broken();
      self->upstream_->socket().close(ignored);
    }
    if (self->writing_client_) self->socket_.cancel(ignored);  // a client that stopped reading
  });
}

void MysqlFrontSession::disarm_statement_timer() {
  ++statement_generation_;
  statement_timer_.cancel();
}

// --- Client I/O -----------------------------------------------------------------------------

Task<bool> MysqlFrontSession::write_client(std::string_view bytes) {
  if (client_dirty_) co_return false;
  bool ok = co_await proxy::front_write(socket_, bytes);
  if (!ok) client_dirty_ = true;
  co_return ok;
}

Task<bool> MysqlFrontSession::send_err(uint8_t seq, uint16_t code, std::string_view state,
                                       std::string_view msg) {
  std::string payload;
  encode_err(code, state, msg, payload);
  std::string out;
  append_packet(out, payload, seq);
  co_return co_await write_client(out);
}

Task<bool> MysqlFrontSession::send_gatehouse_err(uint8_t seq, Errc code, std::string_view detail) {
  std::string payload;
  encode_gatehouse_err(code, detail, payload);
  std::string out;
  append_packet(out, payload, seq);
  co_return co_await write_client(out);
}

void MysqlFrontSession::protocol_error(std::string_view what) {
  env_.counters().protocol_errors.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("{} front: client {}{}{}: {}; closing", settings_.front, peer_,
               user_ ? " user " : "", user_ ? clip(user_->id) : "", what);
}

Task<std::optional<Packet>> MysqlFrontSession::read_client_packet(
    std::chrono::milliseconds timeout) {
  arm_idle_timer(timeout);
  auto p = co_await proxy::front_read_packet(socket_, reader_);
  ++idle_generation_;
  idle_timer_.cancel();
  if (p) co_return *p;
  if (p.error() == Errc::kIo) {
    if (idle_expired_)
      spdlog::info("{} front: client {} idle for {} ms; closing", settings_.front, peer_,
                   timeout.count());
    co_return std::nullopt;
  }
  bool too_large = p.error() == Errc::kPacketTooLarge;
  std::string detail = too_large
                           ? fmt::format("packet larger than {} bytes", settings_.max_packet_bytes)
                           : std::string("bad packet framing");
  co_await send_gatehouse_err(1, too_large ? Errc::kTooLarge : Errc::kMalformedPacket, detail);
  protocol_error(detail);
  co_return std::nullopt;
}

// --- Connection phase -----------------------------------------------------------------------

void MysqlFrontSession::audit_auth_failure(std::string_view user, std::string_view reason) {
  AuditEvent event;
  event.front = settings_.front;
  event.event = "deny";
  event.key = user;
  event.client = peer_;
  event.code = Errc::kAuthFailed;
  event.rule = "auth";
  event.reason = reason;
  env_.audit().write(event);
}

Task<bool> MysqlFrontSession::login() {
  boost::system::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (ec) co_return false;
  peer_ = fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
  if (!env_.client_allowed(endpoint.address())) {
    spdlog::warn("{} front: refused client {}: address not allowed", settings_.front, peer_);
    AuditEvent event;
    event.front = settings_.front;
    event.event = "deny";
    event.client = peer_;
    event.code = Errc::kAccessDenied;
    event.rule = "client_address";
    event.reason = "client address is not allowed on this front";
    env_.audit().write(event);
    std::string detail = fmt::format("host {} is not allowed to connect to this front",
                                     endpoint.address().to_string());
    co_await send_gatehouse_err(0, Errc::kAccessDenied, detail);
    co_return false;
  }

  proxy::FrontGreeting greeting;
  greeting.connection_id = connection_id_;
  greeting.capabilities = kOffered;
  greeting.tls_refusal = "TLS is not offered on this MySQL front";
  arm_idle_timer(settings_.request_timeout);  // the whole login must fit in one request time
  auto login = co_await proxy::front_handshake(socket_, reader_, greeting);
  ++idle_generation_;
  idle_timer_.cancel();
  if (!login) {
    if (login.error() != Errc::kIo && login.error() != Errc::kUnsupportedCapability)
      protocol_error(fmt::format("bad login: {}", login.error().message()));
    co_return false;
  }
  client_caps_ = login->response.capabilities & kOffered;
  collation_ = login->response.collation;
  const std::string& name = login->response.user;
  auto user = env_.find_user(name);
  // An account without a password never logs in through a validating front.
  bool ok = user && !user->password_hash.empty() &&
            native_password_verify(login->auth_response, login->nonce, user->password_hash);
  if (!ok) {
    env_.counters().auth_failures.fetch_add(1, std::memory_order_relaxed);
    std::string_view reason = user ? "wrong password" : "unknown user";
    spdlog::warn("{} front: login refused for user '{}' from {}: {}", settings_.front, clip(name),
                 peer_, reason);
    audit_auth_failure(user ? std::string_view(user->id) : std::string_view(), reason);
    std::string detail = fmt::format("access denied for user '{}'", clip(name));
    co_await send_gatehouse_err(login->seq, Errc::kAuthFailed, detail);
    co_return false;
  }
  user_ = std::move(*user);
  schema_ = login->response.database.empty() ? user_->database : login->response.database;
  uint8_t seq = login->seq;
  if (!co_await borrow_upstream(seq)) co_return false;
  OkPacket ok_packet;
  ok_packet.status_flags = status::kAutocommit;
  std::string payload;
  encode_ok(ok_packet, client_caps_, payload);
  std::string out;
  append_packet(out, payload, seq);
  co_return co_await write_client(out);
}

Task<bool> MysqlFrontSession::borrow_upstream(uint8_t seq) {
  pool_ = &env_.upstream(user_->role);
  proxy::BackendKey key{client_caps_ & cap::kResponseShaping, collation_};
  auto conn = co_await pool_->acquire(key, schema_);
  // A session without a schema must not inherit one: COM_INIT_DB cannot deselect a schema.
  for (int tries = 0; conn && schema_.empty() && !(*conn)->schema.empty() && tries < 64; ++tries) {
    (*conn)->mark_broken();
    pool_->release(std::move(*conn));
    conn = co_await pool_->acquire(key, schema_);
  }
  if (!conn) {
    env_.counters().upstream_errors.fetch_add(1, std::memory_order_relaxed);
    Errc e = pool_error_to_errc(conn.error());
    spdlog::warn("{} front: no upstream connection for user '{}' ({}): {}", settings_.front,
                 clip(user_->id), role_name(user_->role), conn.error().message());
    std::string detail;
    if (e == Errc::kNodeDown || e == Errc::kBackendError)
      detail = fmt::format("cannot connect to the upstream {}", pool_->node().name());
    co_await send_gatehouse_err(seq, e, detail);
    co_return false;
  }
  upstream_ = std::move(*conn);
  if (schema_.empty() || upstream_->schema == schema_) co_return true;

  // Select the default schema now, as a server would, so a bad one fails the login.
  std::string init(1, char(Command::kInitDb));
  init += schema_;
  std::string frames;
  in_statement_ = true;
  arm_statement_timer();
  auto summary = co_await upstream_->run(init, &frames);
  disarm_statement_timer();
  if (!summary || statement_expired_) {
    env_.counters().upstream_errors.fetch_add(1, std::memory_order_relaxed);
    upstream_->mark_broken();
    pool_->release(std::move(upstream_));
    Errc e = statement_expired_ ? Errc::kRequestTimeout : Errc::kBackendLost;
    co_await send_gatehouse_err(seq, e);
    co_return false;
  }
  in_statement_ = false;
  if (summary->error) {  // the server's own ERR (unknown database, access denied)
    auto frame = parse_frame(frames);
    auto err = frame ? decode_err(frame->payload) : Result<ErrPacket>(fail(Errc::kMalformedPacket));
    if (err) {
      co_await send_err(seq, err->code, err->sqlstate, err->message);
    } else {
      co_await send_gatehouse_err(seq, Errc::kBackendError);
    }
    schema_ = upstream_->schema;  // unchanged upstream: it can go back as it is
    co_await release_upstream();
    co_return false;
  }
  upstream_->schema = schema_;
  co_return true;
}

Task<void> MysqlFrontSession::release_upstream() {
  if (!upstream_) co_return;
  bool reusable = !in_statement_ && !schema_in_doubt_ && !stopping_ && !upstream_->broken();
  if (reusable) {
    // Roll back whatever the client left open and drop its session state upstream.
    std::string reset(1, char(Command::kResetConnection));
    in_statement_ = true;
    arm_statement_timer();
    auto summary = co_await upstream_->run(reset);
    disarm_statement_timer();
    in_statement_ = false;
    reusable = summary && !summary->error && !statement_expired_ && !upstream_->broken();
  }
  if (reusable) {
    upstream_->schema = schema_;  // COM_RESET_CONNECTION keeps the schema
    upstream_->variables_hash = 0;
    upstream_->variables_dirty = false;
    upstream_->prepared.clear();
  } else {
    upstream_->mark_broken();
  }
  pool_->release(std::move(upstream_));
}

// --- The session ----------------------------------------------------------------------------

Task<void> MysqlFrontSession::run() {
  auto self = shared_from_this();
  boost::system::error_code ec;
  socket_.set_option(proxy::tcp::no_delay(true), ec);
  if (!co_await login()) {
    co_await release_upstream();
    co_return;
  }
  for (;;) {
    if (stopping_) break;
    auto packet = co_await read_client_packet(settings_.idle_timeout);
    if (!packet) break;
    if (packet->payload.empty()) {
      co_await send_gatehouse_err(1, Errc::kMalformedPacket, "empty command packet");
      protocol_error("empty command packet");
      break;
    }
    // Copy: the reader's buffer may move while the command runs.
    std::string payload(packet->payload);
    if (!co_await dispatch(payload)) break;
  }
  co_await release_upstream();
}

}  // namespace gh::gatekeeper
