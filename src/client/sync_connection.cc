// The blocking control-plane client: POSIX sockets with poll() deadlines, codec from
// src/protocol. See sync_connection.h.
#include "client/sync_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/resultset.h"

namespace gh::client {

using namespace gh::mysql;
using Clock = std::chrono::steady_clock;

namespace {

ClientError from_code(std::error_code ec, std::string message = {}) {
  ClientError e;
  e.code = ec;
  e.message = message.empty() ? ec.message() : std::move(message);
  return e;
}

ClientError from_err_packet(std::string_view payload) {
  ClientError e;
  e.code = make_error_code(Errc::kBackendError);
  auto err = decode_err(payload);
  if (!err) {
    e.message = "malformed ERR packet";
    return e;
  }
  e.server_errno = err->code;
  e.sqlstate = std::string(err->sqlstate);
  e.message = std::string(err->message);
  return e;
}

}  // namespace

std::string ClientError::to_string() const {
  if (server_errno)
    return "ERROR " + std::to_string(server_errno) + " (" + sqlstate + "): " + message;
  return message;
}

int QueryResult::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return int(i);
  return -1;
}

std::optional<std::string> QueryResult::first(std::string_view name) const {
  int i = column(name);
  if (i < 0 || rows.empty()) return std::nullopt;
  return rows[0][size_t(i)];
}

struct SyncConnection::Impl {
  int fd = -1;
  PacketReader reader;
  std::chrono::milliseconds timeout{5000};
  uint32_t caps = 0;
  std::string version;
  uint32_t connection_id = 0;
  uint8_t seq = 0;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  ClientResult<void> wait(short events, Clock::time_point deadline) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::unexpected(from_code(Errc::kTimeout));
      pollfd p{fd, events, 0};
      int rc = ::poll(&p, 1, int(left.count()));
      if (rc > 0) return {};
      if (rc < 0 && errno != EINTR)
        return std::unexpected(from_code(std::error_code(errno, std::system_category())));
    }
  }

  ClientResult<void> send(std::string_view payload) {
    std::string out;
    seq = append_packet(out, payload, seq);
    auto deadline = Clock::now() + timeout;
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += size_t(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        auto w = wait(POLLOUT, deadline);
        if (!w) return w;
        continue;
      }
      return std::unexpected(from_code(std::error_code(errno, std::system_category())));
    }
    return {};
  }

  // Next logical packet (owned copy); checks and advances the sequence id.
  ClientResult<std::string> recv() {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      auto p = reader.next();
      if (!p) return std::unexpected(from_code(p.error()));
      if (*p) {
        seq = uint8_t((*p)->last_seq + 1);
        return std::string((*p)->payload);
      }
      auto w = wait(POLLIN, deadline);
      if (!w) return std::unexpected(w.error());
      char buf[65536];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n == 0)
        return std::unexpected(from_code(Errc::kBackendLost, "server closed the connection"));
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return std::unexpected(from_code(std::error_code(errno, std::system_category())));
      }
      reader.feed(std::string_view(buf, size_t(n)));
    }
  }

  ClientResult<void> open_socket(const ConnectOptions& o) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(o.port);
    if (int rc = ::getaddrinfo(o.host.c_str(), port.c_str(), &hints, &res); rc != 0)
      return std::unexpected(
          from_code(Errc::kIo, "cannot resolve " + o.host + ": " + gai_strerror(rc)));
    std::error_code last = make_error_code(Errc::kIo);
    auto deadline = Clock::now() + o.timeout;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
      fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
      if (rc < 0 && errno == EINPROGRESS) {
        if (wait(POLLOUT, deadline)) {
          int err = 0;
          socklen_t len = sizeof err;
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
          rc = err ? -1 : 0;
          errno = err;
        } else {
          errno = ETIMEDOUT;
        }
      }
      if (rc == 0) {
        ::freeaddrinfo(res);
        return {};
      }
      last = std::error_code(errno, std::system_category());
      ::close(fd);
      fd = -1;
    }
    ::freeaddrinfo(res);
    return std::unexpected(
        from_code(last, "cannot connect to " + o.host + ":" + port + ": " + last.message()));
  }

  ClientResult<void> handshake(const ConnectOptions& o) {
    seq = 0;
    auto greeting = recv();
    if (!greeting) return std::unexpected(greeting.error());
    if (is_err(*greeting)) return std::unexpected(from_err_packet(*greeting));
    auto hs = decode_handshake_v10(*greeting);
    if (!hs) return std::unexpected(from_code(hs.error(), "bad server greeting"));
    version = hs->server_version;
    connection_id = hs->connection_id;
    HandshakeResponse resp;
    caps = (hs->capabilities & cap::kClientDefault) | cap::kProtocol41;
    if (o.multi_statements) caps |= cap::kMultiStatements;
    if (!o.database.empty()) caps |= cap::kConnectWithDb;
    resp.capabilities = caps;
    resp.collation = kDefaultCollation;
    resp.user = o.user;
    resp.database = o.database;
    std::string plugin = hs->auth_plugin.empty() ? std::string(kNativePassword) : hs->auth_plugin;
    std::string nonce = hs->auth_data;
    auto scramble = [&](std::string_view p, std::string_view n) -> ClientResult<std::string> {
      if (auto answer = scramble_for(p, o.password, n)) return std::move(*answer);
      return std::unexpected(
          from_code(Errc::kUnsupportedAuthPlugin,
                    "server asks for unsupported auth plugin " + std::string(p)));
    };
    auto first = scramble(plugin, nonce);
    if (!first) {  // answer with native and let the server switch us
      plugin = kNativePassword;
      first = native_password_scramble(o.password, nonce);
    }
    resp.auth_plugin = plugin;
    resp.auth_response = *first;
    std::string payload;
    encode_handshake_response(resp, payload);
    if (auto s = send(payload); !s) return s;
    for (int round = 0; round < 4; ++round) {
      auto reply = recv();
      if (!reply) return std::unexpected(reply.error());
      std::string_view p = *reply;
      if (is_ok_header(p)) return {};
      if (is_err(p)) return std::unexpected(from_err_packet(p));
      if (uint8_t(p[0]) == 0xFE) {
        auto sw = decode_auth_switch(p);
        if (!sw) return std::unexpected(from_code(sw.error(), "bad auth switch request"));
        auto answer = scramble(sw->plugin, sw->data);
        if (!answer) return std::unexpected(answer.error());
        plugin = sw->plugin;
        if (auto s = send(*answer); !s) return s;
        continue;
      }
      if (uint8_t(p[0]) == 0x01 && plugin == kCachingSha2Password) {
        auto more = decode_auth_more_data(p);
        if (more && *more == std::string_view("\x03", 1)) continue;  // fast auth ok; OK follows
        return std::unexpected(from_code(
            Errc::kUnsupportedAuthPlugin,
            "caching_sha2_password full authentication needs TLS or RSA, which gatehouse's "
            "client does not do yet: connect once with a TLS client to prime the server's cache, "
            "or use mysql_native_password for this account"));
      }
      return std::unexpected(from_code(Errc::kUnexpectedPacket, "unexpected packet during auth"));
    }
    return std::unexpected(from_code(Errc::kUnexpectedPacket, "too many auth round trips"));
  }

  // Reads one complete response to a command; fills `out` for result sets.
  // Returns the status flags of its terminal packet.
  ClientResult<uint16_t> read_response(QueryResult& out) {
    auto first = recv();
    if (!first) return std::unexpected(first.error());
    std::string_view p = *first;
    if (is_err(p)) return std::unexpected(from_err_packet(p));
    if (is_ok_header(p)) {
      auto ok = decode_ok(p, caps);
      if (!ok) return std::unexpected(from_code(ok.error()));
      out.affected_rows = ok->affected_rows;
      out.last_insert_id = ok->last_insert_id;
      out.warnings = ok->warnings;
      return ok->status_flags;
    }
    if (uint8_t(p[0]) == 0xFB) {  // LOCAL INFILE request: refuse with an empty file
      if (auto s = send({}); !s) return std::unexpected(s.error());
      QueryResult ignored;
      auto r = read_response(ignored);
      if (!r) return r;
      return std::unexpected(
          from_code(Errc::kUnsupportedCommand, "LOAD DATA LOCAL is not supported"));
    }
    auto count = decode_column_count(p);
    if (!count) return std::unexpected(from_code(count.error()));
    out.columns.clear();
    out.rows.clear();
    for (uint64_t i = 0; i < *count; ++i) {
      auto def_packet = recv();
      if (!def_packet) return std::unexpected(def_packet.error());
      auto def = decode_column_definition(*def_packet);
      if (!def) return std::unexpected(from_code(def.error()));
      out.columns.emplace_back(def->name);
    }
    if (!(caps & cap::kDeprecateEof)) {
      auto eof = recv();
      if (!eof) return std::unexpected(eof.error());
    }
    std::vector<TextValue> values;
    for (;;) {
      auto row = recv();
      if (!row) return std::unexpected(row.error());
      std::string_view rp = *row;
      if (is_err(rp)) return std::unexpected(from_err_packet(rp));
      if (is_eof_or_ok_fe(rp, caps & cap::kDeprecateEof)) return terminal_status(rp, caps);
      if (auto s = decode_text_row(rp, out.columns.size(), values); !s)
        return std::unexpected(from_code(s.error()));
      Row r;
      r.reserve(values.size());
      for (const auto& v : values)
        r.emplace_back(v ? std::optional<std::string>(*v) : std::nullopt);
      out.rows.push_back(std::move(r));
    }
  }
};

SyncConnection::SyncConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncConnection::SyncConnection(SyncConnection&&) noexcept = default;
SyncConnection& SyncConnection::operator=(SyncConnection&&) noexcept = default;
SyncConnection::~SyncConnection() = default;

ClientResult<SyncConnection> SyncConnection::connect(const ConnectOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->timeout = options.timeout;
  if (auto s = impl->open_socket(options); !s) return std::unexpected(s.error());
  if (auto s = impl->handshake(options); !s) return std::unexpected(s.error());
  return SyncConnection(std::move(impl));
}

ClientResult<QueryResult> SyncConnection::query(std::string_view sql) {
  if (!impl_ || impl_->fd < 0)
    return std::unexpected(from_code(Errc::kNotRunning, "connection is closed"));
  std::string payload;
  payload.reserve(sql.size() + 1);
  payload.push_back(char(Command::kQuery));
  payload.append(sql);
  impl_->seq = 0;
  if (auto s = impl_->send(payload); !s) return std::unexpected(s.error());
  QueryResult result;
  for (;;) {
    QueryResult current;
    auto st = impl_->read_response(current);
    if (!st) {
      // Drain nothing more: after an ERR the server ends the response.
      return std::unexpected(st.error());
    }
    if (!current.columns.empty() || result.columns.empty()) result = std::move(current);
    if (!(*st & status::kMoreResultsExist)) break;
  }
  return result;
}

ClientResult<void> SyncConnection::execute_all(const std::vector<std::string>& statements) {
  for (const auto& s : statements) {
    auto r = query(s);
    if (!r) {
      ClientError e = r.error();
      std::string head = s.substr(0, 120);
      e.message += " [in statement: " + head + (s.size() > 120 ? "...]" : "]");
      return std::unexpected(e);
    }
  }
  return {};
}

ClientResult<void> SyncConnection::ping() {
  if (!impl_ || impl_->fd < 0)
    return std::unexpected(from_code(Errc::kNotRunning, "connection is closed"));
  impl_->seq = 0;
  std::string payload(1, char(Command::kPing));
  if (auto s = impl_->send(payload); !s) return s;
  QueryResult ignored;
  auto st = impl_->read_response(ignored);
  if (!st) return std::unexpected(st.error());
  return {};
}

const std::string& SyncConnection::server_version() const { return impl_->version; }
uint32_t SyncConnection::connection_id() const { return impl_->connection_id; }

void SyncConnection::close() {
  if (!impl_ || impl_->fd < 0) return;
  impl_->seq = 0;
  std::string payload(1, char(Command::kQuit));
  (void)impl_->send(payload);
  ::close(impl_->fd);
  impl_->fd = -1;
}

}  // namespace gh::client
