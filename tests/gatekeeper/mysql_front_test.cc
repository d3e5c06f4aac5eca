// MysqlFrontSession error paths, in process: a FrontEnv test double whose upstream is a small
// scripted fake server, and a blocking raw-socket client. Only codec and error paths are
// checked here (refused address, bad login, denial with an audit line, unsupported commands,
// oversized and malformed packets, statement and idle timeouts, an upstream lost mid-statement
// or asking for LOCAL INFILE, a full upstream pool). Real behaviour against the real proxy and
// MariaDB is proven by tests/integration/trusted_host_test.sh.
#include "gatekeeper/mysql_front.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/wire.h"

namespace gh::gatekeeper {
namespace {

using namespace gh::mysql;
using proxy::kNoThrow;
using proxy::Task;
using proxy::tcp;

std::string frame(std::string_view payload, uint8_t seq) {
  std::string out;
  append_packet(out, payload, seq);
  return out;
}

std::string ok_frame(uint8_t seq) {
  std::string p;
  encode_ok({}, cap::kProtocol41, p);
  return frame(p, seq);
}

// --- The fake upstream (a proxy that answers every command with OK, except on cue) -----------

struct FakeUpstream {
  std::atomic<int> connections{0};
  std::atomic<int> queries{0};
  std::atomic<int> resets{0};
};

Task<void> serve_upstream(tcp::socket s, FakeUpstream& stats) {
  stats.connections++;
  ByteBuffer in;
  auto write = [&](std::string bytes) -> Task<bool> {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), kNoThrow);
    (void)n;
    co_return !ec;
  };
  // One whole packet: payload and sequence id; nullopt when closed.
  auto read = [&]() -> Task<std::optional<std::pair<std::string, uint8_t>>> {
    for (;;) {
      auto f = parse_frame(in.view());
      if (f) {
        std::pair<std::string, uint8_t> p{std::string(f->payload), f->seq};
        in.consume(f->wire_size);
        co_return p;
      }
      char buf[65536];
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), kNoThrow);
      if (ec) co_return std::nullopt;
      in.append(std::string_view(buf, n));
    }
  };
  HandshakeV10 hs;
  hs.server_version = "10.11.0-fake-proxy";
  hs.connection_id = 1;
  hs.auth_data = std::string(20, 'n');
  hs.capabilities = cap::kSupported;
  hs.collation = kDefaultCollation;
  hs.auth_plugin = std::string(kNativePassword);
  std::string greeting;
  encode_handshake_v10(hs, greeting);
  if (!co_await write(frame(greeting, 0))) co_return;
  if (!co_await read()) co_return;
  if (!co_await write(ok_frame(2))) co_return;
  for (;;) {
    auto packet = co_await read();
    if (!packet || packet->first.empty()) co_return;
    auto cmd = static_cast<Command>(packet->first[0]);
    if (cmd == Command::kQuit) co_return;
    if (cmd == Command::kResetConnection) stats.resets++;
    if (cmd == Command::kQuery) {
      stats.queries++;
      std::string_view sql = std::string_view(packet->first).substr(1);
      if (sql.find("stall") != std::string_view::npos) {
        co_await read();  // never answers; ends when the front drops the connection
        co_return;
      }
      if (sql.find("die") != std::string_view::npos) co_return;
      if (sql.find("infile") != std::string_view::npos) {
        std::string request = "\xFB/etc/passwd";
        if (!co_await write(frame(request, 1))) co_return;
        auto data = co_await read();  // the front's answer: an empty file
        if (!data || !data->first.empty()) co_return;
        if (!co_await write(ok_frame(uint8_t(data->second + 1)))) co_return;
        continue;
      }
    }
    if (cmd == Command::kStmtClose || cmd == Command::kStmtSendLongData) continue;
    if (!co_await write(ok_frame(1))) co_return;
  }
}

// --- The FrontEnv test double -----------------------------------------------------------------

class TestEnv final : public FrontEnv {
 public:
  TestEnv(asio::io_context& ctx, uint16_t upstream_port, FrontSettings settings,
          proxy::ProxyOptions options, const std::filesystem::path& audit_path)
      : ctx_(ctx), settings_(std::move(settings)), options_(std::move(options)) {
    proxy::NodeOptions node{"fake-proxy", proxy::NodeRole::kSource, "127.0.0.1", upstream_port};
    node_ = std::make_unique<proxy::Node>(0, node);
    pool_ = std::make_unique<proxy::NodePool>(ctx.get_executor(), *node_, options_);
    (void)audit_.open(audit_path);
    alice_.id = "alice";
    alice_.role = Role::kRead;
    alice_.password_hash = native_password_stored_hash("alice-pw");
  }
  asio::any_io_executor executor() override { return ctx_.get_executor(); }
  const FrontSettings& settings() const override { return settings_; }
  std::optional<FrontUser> find_user(std::string_view name) const override {
    if (name == alice_.id) return alice_;
    return std::nullopt;
  }
  bool client_allowed(const asio::ip::address&) const override { return allow; }
  proxy::NodePool& upstream(Role) override { return *pool_; }
  DigestAllowlist* allowlist() override { return nullptr; }
  RateLimiter& rate_limiter() override { return limiter_; }
  AuditLog& audit() override { return audit_; }
  FrontCounters& counters() override { return counters_; }

  std::atomic<bool> allow{true};
  FrontUser alice_;

 private:
  asio::io_context& ctx_;
  FrontSettings settings_;
  proxy::ProxyOptions options_;
  std::unique_ptr<proxy::Node> node_;
  std::unique_ptr<proxy::NodePool> pool_;
  RateLimiter limiter_;
  AuditLog audit_;
  FrontCounters counters_;
};

// --- A blocking raw client with a receive timeout ---------------------------------------------

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(size_t(n));
    }
    return true;
  }
  bool send_packet(std::string_view payload, uint8_t seq) { return send_raw(frame(payload, seq)); }

  // The next packet's payload; nullopt on EOF, error or timeout.
  std::optional<std::string> read_packet() {
    for (;;) {
      if (auto f = parse_frame(buffer_)) {
        std::string payload(f->payload);
        last_seq = f->seq;
        buffer_.erase(0, f->wire_size);
        return payload;
      }
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(buf, size_t(n));
    }
  }
  // True when the server closes the connection (after any packets still in flight).
  bool closed_by_server() {
    while (read_packet()) {
    }
    char c;
    ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0;
  }

  // Reads the greeting and logs in; returns the server's answer (OK or ERR payload).
  std::optional<std::string> login(std::string user, std::string_view password) {
    auto greeting = read_packet();
    if (!greeting) return std::nullopt;
    auto hs = decode_handshake_v10(*greeting);
    if (!hs) return greeting;  // e.g. an ERR instead of a greeting
    HandshakeResponse r;
    r.capabilities = cap::kClientDefault & ~cap::kDeprecateEof;
    r.collation = kDefaultCollation;
    r.user = std::move(user);
    r.auth_response = native_password_scramble(password, hs->auth_data);
    r.auth_plugin = std::string(kNativePassword);
    std::string payload;
    encode_handshake_response(r, payload);
    if (!send_packet(payload, 1)) return std::nullopt;
    return read_packet();
  }
  // Sends a command; returns the first packet of the answer.
  std::optional<std::string> command(std::string_view payload) {
    if (!send_packet(payload, 0)) return std::nullopt;
    return read_packet();
  }
  std::optional<std::string> query(std::string_view sql) {
    std::string payload(1, char(Command::kQuery));
    payload += sql;
    return command(payload);
  }

  bool connected_ = false;
  uint8_t last_seq = 0;

 private:
  int fd_ = -1;
  std::string buffer_;
};

int err_code(const std::optional<std::string>& p) {
  if (!p || !is_err(*p)) return 0;
  auto e = decode_err(*p);
  return e ? e->code : -1;
}
std::string err_message(const std::optional<std::string>& p) {
  if (!p || !is_err(*p)) return {};
  auto e = decode_err(*p);
  return e ? std::string(e->message) : std::string();
}
bool is_ok(const std::optional<std::string>& p) { return p && is_ok_header(*p); }

// --- Fixture ----------------------------------------------------------------------------------

class MysqlFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_path_ = std::filesystem::temp_directory_path() /
                  ("gh_mysql_front_test_" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(audit_path_);
    settings_.front = "mysql";
    settings_.idle_timeout = std::chrono::milliseconds(5000);
    settings_.request_timeout = std::chrono::milliseconds(300);
    settings_.max_packet_bytes = 4096;
    options_.max_connections_per_node = 4;
    options_.max_queue_length = 4;
    options_.max_queue_wait = std::chrono::milliseconds(200);
    options_.connect_timeout = std::chrono::milliseconds(1000);
    options_.backend_user = "gatehouse";
    options_.backend_password = "secret";
  }

  void start() {
    upstream_acceptor_.emplace(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    front_acceptor_.emplace(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    front_port_ = front_acceptor_->local_endpoint().port();
    env_.emplace(ctx_, upstream_acceptor_->local_endpoint().port(), settings_, options_,
                 audit_path_);
    asio::co_spawn(ctx_, accept_upstream(), asio::detached);
    asio::co_spawn(ctx_, accept_front(), asio::detached);
    thread_ = std::thread([this] { ctx_.run(); });
  }

  void TearDown() override {
    // Let the sessions end (clients are closed by now) before their pools go away.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (live_sessions() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(live_sessions(), 0);
    ctx_.stop();
    if (thread_.joinable()) thread_.join();
    std::filesystem::remove(audit_path_);
  }

  int live_sessions() {
    std::lock_guard lock(mu_);
    int n = 0;
    for (auto& w : sessions_) n += !w.expired();
    return n;
  }

  std::string audit_text() {
    std::ifstream in(audit_path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  Task<void> accept_upstream() {
    for (;;) {
      auto [ec, s] = co_await upstream_acceptor_->async_accept(kNoThrow);
      if (ec) co_return;
      asio::co_spawn(ctx_, serve_upstream(std::move(s), upstream_), asio::detached);
    }
  }
  Task<void> accept_front() {
    for (;;) {
      auto [ec, s] = co_await front_acceptor_->async_accept(kNoThrow);
      if (ec) co_return;
      auto session = std::make_shared<MysqlFrontSession>(*env_, std::move(s));
      {
        std::lock_guard lock(mu_);
        sessions_.push_back(session);
      }
      asio::co_spawn(ctx_, session->run(), asio::detached);
    }
  }

  FrontCounters& counters() { return env_->counters(); }

  FrontSettings settings_;
  proxy::ProxyOptions options_;
  std::filesystem::path audit_path_;
  FakeUpstream upstream_;
  asio::io_context ctx_{1};
  std::optional<tcp::acceptor> upstream_acceptor_;
  std::optional<tcp::acceptor> front_acceptor_;
  std::optional<TestEnv> env_;
  uint16_t front_port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::weak_ptr<MysqlFrontSession>> sessions_;
};

TEST_F(MysqlFrontTest, RefusedAddressGetsAccessDeniedBeforeTheHandshake) {
  start();
  env_->allow = false;
  RawClient c(front_port_);
  auto first = c.read_packet();
  EXPECT_EQ(err_code(first), mysql_errno(Errc::kAccessDenied));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_NE(audit_text().find("\"rule\":\"client_address\""), std::string::npos);
  EXPECT_EQ(upstream_.connections.load(), 0);
}

TEST_F(MysqlFrontTest, BadPasswordAndUnknownUserAreRefusedCountedAndAudited) {
  start();
  {
    RawClient c(front_port_);
    EXPECT_EQ(err_code(c.login("alice", "wrong")), mysql_errno(Errc::kAuthFailed));
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    RawClient c(front_port_);
    EXPECT_EQ(err_code(c.login("mallory", "alice-pw")), mysql_errno(Errc::kAuthFailed));
    EXPECT_TRUE(c.closed_by_server());
  }
  EXPECT_EQ(counters().auth_failures.load(), 2u);
  std::string audit = audit_text();
  EXPECT_NE(audit.find("\"rule\":\"auth\""), std::string::npos) << audit;
  EXPECT_EQ(upstream_.connections.load(), 0);  // nothing reaches upstream before a login
}

TEST_F(MysqlFrontTest, DenialNamesTheRuleAuditsWithoutLiteralsAndKeepsTheSession) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  auto denied = c.query("INSERT INTO t (v) VALUES ('zebra_secret_literal')");
  EXPECT_EQ(err_code(denied), mysql_errno(Errc::kForbidden));
  EXPECT_NE(err_message(denied).find("denied by gatekeeper rule role"), std::string::npos)
      << err_message(denied);
  EXPECT_TRUE(is_ok(c.query("SELECT 1")));  // still usable, and relayed
  EXPECT_EQ(upstream_.queries.load(), 1);
  EXPECT_EQ(counters().denied.load(), 1u);
  EXPECT_EQ(counters().statements.load(), 1u);
  std::string audit = audit_text();
  EXPECT_NE(audit.find("\"rule\":\"role\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"key\":\"alice\""), std::string::npos) << audit;
  EXPECT_EQ(audit.find("zebra_secret_literal"), std::string::npos) << audit;
}

TEST_F(MysqlFrontTest, UnsupportedCommandsGetAnErrAndTheSessionGoesOn) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  for (std::string payload : {std::string("\x0c\x01\x00\x00\x00", 5), std::string("\x11root\0", 6),
                              std::string("\x08"), std::string("\x99")}) {
    EXPECT_EQ(err_code(c.command(payload)), mysql_errno(Errc::kUnsupportedCommand))
        << int(uint8_t(payload[0]));
  }
  EXPECT_TRUE(is_ok(c.command(std::string(1, char(Command::kPing)))));
  EXPECT_EQ(counters().protocol_errors.load(), 4u);
}

TEST_F(MysqlFrontTest, OversizedPacketIsRefusedAndTheConnectionClosed) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  std::string big(1, char(Command::kQuery));
  big += std::string(settings_.max_packet_bytes + 10, 'x');
  auto answer = c.command(big);
  EXPECT_EQ(err_code(answer), mysql_errno(Errc::kTooLarge));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(counters().protocol_errors.load(), 1u);
}

TEST_F(MysqlFrontTest, MalformedLoginAndEmptyCommandClose) {
  start();
  {
    RawClient c(front_port_);
    ASSERT_TRUE(c.read_packet());  // greeting
    c.send_packet(std::string("\x01\x02\x03", 3), 1);
    EXPECT_EQ(err_code(c.read_packet()), mysql_errno(Errc::kMalformedPacket));
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    RawClient c(front_port_);
    ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
    c.send_packet({}, 0);
    EXPECT_EQ(err_code(c.read_packet()), mysql_errno(Errc::kMalformedPacket));
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    RawClient c(front_port_);  // random bytes instead of a login: no crash, no hang
    ASSERT_TRUE(c.read_packet());
    std::string junk;
    for (int i = 0; i < 5000; ++i) junk.push_back(char((i * 7919) & 0xFF));
    c.send_raw(junk);
  }
  RawClient after(front_port_);
  EXPECT_TRUE(is_ok(after.login("alice", "alice-pw")));
  EXPECT_GE(counters().protocol_errors.load(), 2u);
}

TEST_F(MysqlFrontTest, StatementTimeoutSendsTimeoutAndDropsTheUpstream) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  auto started = std::chrono::steady_clock::now();
  auto answer = c.query("SELECT 'stall'");
  EXPECT_EQ(err_code(answer), mysql_errno(Errc::kRequestTimeout)) << err_message(answer);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(counters().upstream_errors.load(), 1u);
  EXPECT_EQ(upstream_.resets.load(), 0);  // a broken connection is not reset and reused
}

TEST_F(MysqlFrontTest, UpstreamLostMidStatementIsBackendLost) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  EXPECT_EQ(err_code(c.query("SELECT 'die'")), mysql_errno(Errc::kBackendLost));
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(MysqlFrontTest, LocalInfileRequestFromUpstreamFailsTheStatementOnly) {
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  auto answer = c.query("SELECT 'infile'");
  EXPECT_EQ(err_code(answer), mysql_errno(Errc::kForbidden));
  EXPECT_NE(err_message(answer).find("LOCAL INFILE"), std::string::npos);
  EXPECT_EQ(c.last_seq, 1);  // nothing else reached the client before it
  EXPECT_TRUE(is_ok(c.query("SELECT 2")));
}

TEST_F(MysqlFrontTest, IdleSessionIsClosedAndItsUpstreamReturned) {
  settings_.idle_timeout = std::chrono::milliseconds(200);
  start();
  RawClient c(front_port_);
  ASSERT_TRUE(is_ok(c.login("alice", "alice-pw")));
  EXPECT_TRUE(c.closed_by_server());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (upstream_.resets.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(upstream_.resets.load(), 1);  // COM_RESET_CONNECTION, then back to the pool
}

TEST_F(MysqlFrontTest, FullUpstreamPoolIsAQueueErrorAtLogin) {
  options_.max_connections_per_node = 1;
  options_.max_queue_length = 1;
  options_.max_queue_wait = std::chrono::milliseconds(150);
  start();
  RawClient first(front_port_);
  ASSERT_TRUE(is_ok(first.login("alice", "alice-pw")));
  RawClient second(front_port_);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(err_code(second.login("alice", "alice-pw")), mysql_errno(Errc::kQueueTimeout));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_TRUE(second.closed_by_server());
  // Quitting returns the connection; the next login gets it.
  first.send_packet(std::string(1, char(Command::kQuit)), 0);
  EXPECT_TRUE(first.closed_by_server());
  RawClient third(front_port_);
  EXPECT_TRUE(is_ok(third.login("alice", "alice-pw")));
  EXPECT_EQ(upstream_.connections.load(), 1);
}

}  // namespace
}  // namespace gh::gatekeeper
