// A minimal blocking MySQL client built only from the codec under test, for
// live_server_test.cc: POSIX sockets, 5 s deadlines, mysql_native_password, text and binary
// result sets. Not a product client (see src/client for that).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "protocol/auth.h"
#include "protocol/binary.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"
#include "protocol/handshake.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/resultset.h"

namespace gh::mysql::test {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// Owned column definitions (the decoded views point into `raw`).
struct Columns {
  std::vector<std::string> raw;
  std::vector<ColumnDefinition> defs;
  void rebuild() {
    defs.clear();
    for (const auto& r : raw) defs.push_back(*decode_column_definition(r));
  }
};

struct TextResult {
  Columns columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  uint16_t status = 0;
};

struct BinaryResult {
  Columns columns;
  std::vector<std::string> raw_rows;  // decode with columns.defs
  uint16_t status = 0;
};

// A minimal blocking client built only from the codec under test.
class Live {
 public:
  ~Live() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Connects and authenticates; a message when the server is not there (the test skips).
  std::optional<std::string> open(std::string_view schema) {
    std::string addr = env_or("GH_TEST_MARIADB", "127.0.0.1:13306");
    if (addr == "off") return "GH_TEST_MARIADB=off";
    size_t colon = addr.rfind(':');
    std::string host = addr.substr(0, colon);
    int port = std::atoi(addr.c_str() + colon + 1);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(uint16_t(port));
    if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) return "bad address " + addr;
    int rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    if (rc < 0 && errno == EINPROGRESS) {
      pollfd p{fd_, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (::poll(&p, 1, 1000) != 1 || ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) || err)
        return "no server at " + addr;
    } else if (rc < 0) {
      return "no server at " + addr;
    }
    auto greeting = recv();
    if (!greeting) return "no greeting from " + addr;
    auto hs = decode_handshake_v10(*greeting);
    if (!hs) return "not a MySQL server at " + addr;
    nonce_ = hs->auth_data;
    caps_ = (hs->capabilities & (cap::kClientDefault | cap::kConnectWithDb | cap::kSessionTrack)) |
            cap::kProtocol41;
    HandshakeResponse r;
    r.capabilities = caps_ | cap::kConnectWithDb;
    r.collation = kDefaultCollation;
    r.user = env_or("GH_TEST_MARIADB_USER", "t");
    password_ = env_or("GH_TEST_MARIADB_PASSWORD", "pw");
    r.auth_response = native_password_scramble(password_, nonce_);
    r.auth_plugin = std::string(kNativePassword);
    r.database = std::string(schema);
    std::string payload;
    encode_handshake_response(r, payload);
    send(payload, seq_);
    auto reply = auth_exchange();
    if (!reply) return "login refused (" + r.user + "): " + reply.error();
    return std::nullopt;
  }

  uint32_t caps() const { return caps_; }
  bool deprecate_eof() const { return caps_ & cap::kDeprecateEof; }
  const std::string& nonce() const { return nonce_; }
  const std::string& password() const { return password_; }

  void command(std::string_view payload) { send(payload, 0); }

  // Next packet payload; empty optional on timeout or close.
  std::optional<std::string> recv() {
    for (;;) {
      auto p = reader_.next();
      if (!p) return std::nullopt;
      if (*p) {
        seq_ = uint8_t((*p)->last_seq + 1);
        return std::string((*p)->payload);
      }
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 5000) != 1) return std::nullopt;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      reader_.feed(std::string_view(buf, size_t(n)));
    }
  }

  // After a login or COM_CHANGE_USER: follows auth switches; the OK payload or an error text.
  std::expected<std::string, std::string> auth_exchange() {
    for (int round = 0; round < 3; ++round) {
      auto p = recv();
      if (!p || p->empty()) return std::unexpected("connection lost");
      if (is_ok_header(*p)) return *p;
      if (is_err(*p)) return std::unexpected(std::string(decode_err(*p)->message));
      auto sw = decode_auth_switch(*p);
      if (!sw || sw->plugin != kNativePassword) return std::unexpected("unexpected auth packet");
      send(native_password_scramble(password_, sw->data), seq_);
    }
    return std::unexpected("too many auth rounds");
  }

  // Reads `n` column definitions and, without DEPRECATE_EOF, the EOF after them (unless
  // the caller wants to read that one itself).
  bool read_columns(size_t n, Columns& out, bool eof_follows = true) {
    for (size_t i = 0; i < n; ++i) {
      auto c = recv();
      if (!c || !decode_column_definition(*c)) return false;
      out.raw.push_back(*c);
    }
    out.rebuild();
    if (n > 0 && !deprecate_eof() && eof_follows) {
      auto eof = recv();
      if (!eof || !is_eof(*eof)) return false;
    }
    return true;
  }

  // The rows up to the terminal packet (EOF, or OK with 0xFE); false on ERR or junk.
  bool read_rows(std::vector<std::string>& rows, uint16_t& status) {
    for (;;) {
      auto p = recv();
      if (!p || p->empty() || is_err(*p)) return false;
      if (is_eof_or_ok_fe(*p, deprecate_eof())) {
        status = terminal_status(*p, caps_);
        return true;
      }
      rows.push_back(*p);
    }
  }

  std::optional<TextResult> query(std::string_view sql) {
    std::string payload;
    encode_com_query(sql, payload);
    command(payload);
    auto first = recv();
    if (!first || is_err(*first)) return std::nullopt;
    TextResult res;
    if (is_ok_header(*first)) {
      res.status = decode_ok(*first, caps_)->status_flags;
      return res;
    }
    auto n = decode_column_count(*first);
    if (!n || !read_columns(size_t(*n), res.columns)) return std::nullopt;
    std::vector<std::string> raw;
    if (!read_rows(raw, res.status)) return std::nullopt;
    for (const auto& r : raw) {
      std::vector<TextValue> cells;
      if (!decode_text_row(r, res.columns.defs.size(), cells)) return std::nullopt;
      auto& row = res.rows.emplace_back();
      for (const auto& c : cells) row.push_back(c ? std::optional<std::string>(*c) : std::nullopt);
    }
    return res;
  }

  bool exec(std::string_view sql) { return query(sql).has_value(); }

  struct Prepared {
    StmtPrepareOk ok;
    Columns params;
    Columns columns;
  };
  std::optional<Prepared> prepare(std::string_view sql) {
    std::string payload;
    encode_com_stmt_prepare(sql, payload);
    command(payload);
    auto first = recv();
    if (!first || is_err(*first)) return std::nullopt;
    auto ok = decode_stmt_prepare_ok(*first);
    if (!ok) return std::nullopt;
    Prepared p{*ok, {}, {}};
    if (!read_columns(ok->num_params, p.params) || !read_columns(ok->num_columns, p.columns))
      return std::nullopt;
    return p;
  }

  // Sends an execute; reads an OK or a whole binary result set (or only its metadata when a
  // cursor was opened).
  std::optional<BinaryResult> execute(const StmtExecute& e) {
    std::string payload;
    if (!encode_stmt_execute(e, payload)) return std::nullopt;
    command(payload);
    auto first = recv();
    if (!first || is_err(*first)) return std::nullopt;
    BinaryResult res;
    if (is_ok_header(*first)) {
      res.status = decode_ok(*first, caps_)->status_flags;
      return res;
    }
    auto n = decode_column_count(*first);
    if (!n) return std::nullopt;
    // With a cursor no rows follow the definitions: one EOF (or OK 0xFE under DEPRECATE_EOF)
    // with SERVER_STATUS_CURSOR_EXISTS ends the response; COM_STMT_FETCH brings the rows.
    bool cursor = e.flags != cursor::kNoCursor;
    if (!read_columns(size_t(*n), res.columns, !cursor)) return std::nullopt;
    if (!read_rows(res.raw_rows, res.status)) return std::nullopt;
    return res;
  }

 private:
  void send(std::string_view payload, uint8_t seq) {
    std::string out;
    seq_ = append_packet(out, payload, seq);
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = ::send(fd_, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += size_t(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, 5000) == 1) continue;
      }
      return;
    }
  }

  int fd_ = -1;
  PacketReader reader_;
  uint8_t seq_ = 0;
  uint32_t caps_ = 0;
  std::string nonce_;
  std::string password_;
};

}  // namespace gh::mysql::test
