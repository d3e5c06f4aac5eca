// BackendConnection error paths: a scripted fake server fails at every I/O step of the
// connection phase and of a query; every failure must come back as an error code, promptly,
// never as a hang or a crash. (The happy path runs against real mariadbd in the integration
// tests; a fake server is only used here, for the failures a real one will not produce.)
#include "proxy/backend_connection.h"

#include <gtest/gtest.h>

#include <functional>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/wire.h"

namespace gh::proxy {
namespace {

using namespace gh::mysql;

enum class FailAt {
  kCloseOnAccept,
  kPartialGreeting,
  kGarbageGreeting,
  kCloseAfterResponse,
  kAuthError,
  kUnknownAuthSwitch,
  kCloseMidResult,
  kGarbageInResult,
  kNone,
};

std::string packet(std::string_view payload, uint8_t seq) {
  std::string out;
  append_packet(out, payload, seq);
  return out;
}

std::string greeting() {
  HandshakeV10 hs;
  hs.server_version = "10.11.0-fake";
  hs.connection_id = 7;
  hs.auth_data = std::string(20, 'n');
  hs.capabilities = cap::kSupported;
  hs.collation = kDefaultCollation;
  hs.auth_plugin = std::string(kNativePassword);
  std::string p;
  encode_handshake_v10(hs, p);
  return packet(p, 0);
}

std::string ok_packet(uint8_t seq) {
  std::string p;
  encode_ok({}, cap::kProtocol41, p);
  return packet(p, seq);
}

// One fake server connection, scripted by `fail_at`.
Task<void> serve(tcp::socket s, FailAt fail_at) {
  auto write = [&](std::string bytes) -> Task<void> {
    co_await asio::async_write(s, asio::buffer(bytes), kNoThrow);
  };
  auto read_some = [&]() -> Task<size_t> {
    char buf[4096];
    auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), kNoThrow);
    co_return ec ? 0 : n;
  };
  if (fail_at == FailAt::kCloseOnAccept) co_return;
  std::string hello = greeting();
  if (fail_at == FailAt::kPartialGreeting) {
    co_await write(hello.substr(0, 10));
    co_return;
  }
  if (fail_at == FailAt::kGarbageGreeting) {
    co_await write(packet("\x09garbage", 0));
    co_await read_some();
    co_return;
  }
  co_await write(hello);
  if (co_await read_some() == 0) co_return;  // handshake response
  if (fail_at == FailAt::kCloseAfterResponse) co_return;
  if (fail_at == FailAt::kAuthError) {
    std::string e;
    encode_err(1045, "28000", "Access denied", e);
    co_await write(packet(e, 2));
    co_return;
  }
  if (fail_at == FailAt::kUnknownAuthSwitch) {
    std::string sw;
    encode_auth_switch({"dialog", "x"}, sw);
    co_await write(packet(sw, 2));
    co_await read_some();
    co_return;
  }
  co_await write(ok_packet(2));
  if (co_await read_some() == 0) co_return;  // COM_QUERY
  std::string count;
  Writer(count).lenenc_int(1);
  if (fail_at == FailAt::kCloseMidResult) {
    co_await write(packet(count, 1));
    co_return;
  }
  if (fail_at == FailAt::kGarbageInResult) {
    co_await write(packet(std::string("\xFC\x01", 2), 1));  // truncated column count
    co_await read_some();
    co_return;
  }
  co_await write(ok_packet(1));
  co_await read_some();
}

struct Outcome {
  Status connected = fail(Errc::kTimeout);
  Result<ResponseTracker::Summary> queried = fail(Errc::kTimeout);
};

Outcome run_against(FailAt fail_at) {
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  uint16_t port = acceptor.local_endpoint().port();
  NodeOptions no{"fake", NodeRole::kSource, "127.0.0.1", port};
  Node node(0, no);
  Outcome out;
  asio::co_spawn(
      ctx,
      [&]() -> Task<void> {
        auto [ec, s] = co_await acceptor.async_accept(kNoThrow);
        if (!ec) co_await serve(std::move(s), fail_at);
      },
      asio::detached);
  asio::co_spawn(
      ctx,
      [&]() -> Task<void> {
        BackendConnection conn(co_await asio::this_coro::executor, node);
        out.connected = co_await conn.connect({cap::kDeprecateEof, kDefaultCollation}, "u", "p",
                                              std::chrono::milliseconds(1500));
        if (!out.connected) co_return;
        std::string q = "\x03SELECT 1";
        out.queried = co_await conn.run(q);
      },
      asio::detached);
  ctx.run_for(std::chrono::seconds(5));
  return out;
}

TEST(BackendConnection, EveryConnectionPhaseFailureIsAnError) {
  for (FailAt f : {FailAt::kCloseOnAccept, FailAt::kPartialGreeting, FailAt::kGarbageGreeting,
                   FailAt::kCloseAfterResponse, FailAt::kAuthError, FailAt::kUnknownAuthSwitch}) {
    auto started = std::chrono::steady_clock::now();
    Outcome o = run_against(f);
    EXPECT_FALSE(o.connected.has_value()) << "step " << int(f);
    EXPECT_NE(o.connected.error(), make_error_code(Errc::kOk)) << "step " << int(f);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3))
        << "step " << int(f) << " took too long";
  }
  EXPECT_EQ(run_against(FailAt::kAuthError).connected.error(), make_error_code(Errc::kAuthFailed));
  EXPECT_EQ(run_against(FailAt::kUnknownAuthSwitch).connected.error(),
            make_error_code(Errc::kUnsupportedAuthPlugin));
  EXPECT_EQ(run_against(FailAt::kPartialGreeting).connected.error(),
            make_error_code(Errc::kBackendLost));
}

TEST(BackendConnection, FailuresDuringAQueryAreErrors) {
  Outcome mid = run_against(FailAt::kCloseMidResult);
  ASSERT_TRUE(mid.connected.has_value());
  ASSERT_FALSE(mid.queried.has_value());
  EXPECT_EQ(mid.queried.error(), make_error_code(Errc::kBackendLost));
  Outcome garbage = run_against(FailAt::kGarbageInResult);
  ASSERT_TRUE(garbage.connected.has_value());
  ASSERT_FALSE(garbage.queried.has_value());
  EXPECT_EQ(garbage.queried.error(), make_error_code(Errc::kMalformedPacket));
}

TEST(BackendConnection, HappyPathAgainstTheScript) {
  Outcome o = run_against(FailAt::kNone);
  ASSERT_TRUE(o.connected.has_value());
  ASSERT_TRUE(o.queried.has_value());
  EXPECT_FALSE(o.queried->error);
}

}  // namespace
}  // namespace gh::proxy
