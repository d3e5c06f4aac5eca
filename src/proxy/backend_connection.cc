// BackendConnection: connect/authenticate and command helpers (see backend_connection.h).
#include "proxy/backend_connection.h"

#include <spdlog/spdlog.h>

#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"
#include "protocol/response.h"

namespace gh::proxy {

using namespace gh::mysql;

BackendConnection::BackendConnection(asio::any_io_executor ex, Node& node)
    : socket_(ex), node_(node) {}

BackendConnection::~BackendConnection() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

Status BackendConnection::commit_read(boost::system::error_code ec, size_t n) {
  read_buffer_.commit(ec ? 0 : n);
  if (!ec) return Status{};
  broken_ = true;
  return fail(Errc::kBackendLost);
}

BackendConnection::SendState BackendConnection::start_send(std::string_view payload, uint8_t seq,
                                                           Buffers2& rest) {
  if (payload.size() < kMaxFramePayload) {
    write_header(header_, payload.size(), seq);
    rest = buffers_of(std::string_view(header_, kHeaderSize), payload);
  } else {
    framed_.clear();
    append_packet(framed_, payload, seq);
    rest = buffers_of(framed_);
  }
  boost::system::error_code ec;
  if (write_now(socket_, rest, ec)) return SendState::kDone;
  if (!ec) return SendState::kPending;
  broken_ = true;
  return SendState::kFailed;
}

Task<Status> BackendConnection::finish_send(Buffers2 rest) {
  auto ec = co_await write_rest(socket_, rest);
  if (ec) {
    broken_ = true;
    co_return fail(Errc::kBackendLost);
  }
  co_return Status{};
}

Task<Status> BackendConnection::send_packet(std::string_view payload, uint8_t seq) {
  Buffers2 rest;
  switch (start_send(payload, seq, rest)) {
    case SendState::kDone:
      co_return Status{};
    case SendState::kPending:
      co_return co_await finish_send(rest);
    case SendState::kFailed:
      break;
  }
  co_return fail(Errc::kBackendLost);
}

Task<Status> BackendConnection::send_command(std::string_view payload) {
  co_return co_await send_packet(payload, 0);
}

Task<Result<ResponseTracker::Summary>> BackendConnection::run(std::string_view payload,
                                                              std::string* frames) {
  Command cmd = payload.empty() ? Command::kSleep : static_cast<Command>(payload[0]);
  if (auto s = co_await send_command(payload); !s) co_return fail(s.error());
  co_return co_await read_response(cmd, frames);
}

Task<Status> BackendConnection::send_raw(std::string_view wire_bytes) {
  Buffers2 bufs = buffers_of(wire_bytes);  // a named local: g++ 12 and co_await temporaries
  if (auto ec = co_await write_all(socket_, bufs); ec) {
    broken_ = true;
    co_return fail(Errc::kBackendLost);
  }
  co_return Status{};
}

Task<Result<ResponseTracker::Summary>> BackendConnection::read_response(Command cmd,
                                                                        std::string* frames,
                                                                        size_t frames_limit,
                                                                        bool* truncated) {
  bool dropping = false;
  ResponseTracker tracker;
  tracker.start(cmd, capabilities_, mariadb_capabilities_);
  if (tracker.done()) co_return tracker.summary();
  size_t pos = 0;
  for (;;) {
    std::string_view buf = read_buffer_.view();
    while (pos < buf.size()) {
      auto frame = parse_frame(buf.substr(pos));
      if (!frame) break;  // incomplete
      auto step = tracker.on_frame(frame->payload);
      if (frames && !dropping) {
        if (frames->size() + frame->wire_size <= frames_limit) {
          frames->append(buf.substr(pos, frame->wire_size));
        } else {
          dropping = true;
          if (truncated) *truncated = true;
        }
      }
      pos += frame->wire_size;
      if (!step) {
        broken_ = true;
        co_return fail(step.error());
      }
      if (*step == ResponseTracker::Step::kLocalInfile) {
        // Internal commands never load files: answer with an empty file.
        read_buffer_.consume(pos);
        pos = 0;
        if (auto s = co_await send_packet({}, uint8_t(frame->seq + 1)); !s)
          co_return fail(s.error());
        tracker.resume_after_infile();
        buf = read_buffer_.view();
        continue;
      }
      if (*step == ResponseTracker::Step::kDone) {
        read_buffer_.consume(pos);
        co_return tracker.summary();
      }
    }
    read_buffer_.consume(pos);
    pos = 0;
    auto [ec, n] = co_await read_some();
    if (auto s = commit_read(ec, n); !s) co_return fail(s.error());
  }
}

Task<Status> BackendConnection::connect(const BackendKey& key, const std::string& user,
                                        const std::string& password,
                                        std::chrono::milliseconds timeout) {
  key_ = key;
  generation_ = node_.health().generation.load(std::memory_order_relaxed);
  auto ex = socket_.get_executor();
  asio::steady_timer timer(ex);
  timer.expires_after(timeout);
  bool timed_out = false;
  timer.async_wait([this, &timed_out](boost::system::error_code ec) {
    if (ec) return;  // cancelled: finished in time
    timed_out = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
  });
  auto result = co_await connect_and_authenticate(user, password);
  timer.cancel();
  if (timed_out) {
    broken_ = true;
    co_return fail(Errc::kTimeout);
  }
  if (!result) broken_ = true;
  co_return result;
}

Task<Status> BackendConnection::connect_and_authenticate(const std::string& user,
                                                         const std::string& password) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(node_.options().host, ec);
  if (ec) co_return fail(Errc::kConfigInvalid);
  tcp::endpoint endpoint(address, node_.options().port);
  auto [cec] = co_await socket_.async_connect(endpoint, kNoThrow);
  if (cec) co_return fail(Errc::kNodeDown);
  socket_.set_option(tcp::no_delay(true), ec);

  // Greeting.
  auto greeting = co_await read_packet();
  if (!greeting) co_return fail(greeting.error());
  if (is_err(greeting->payload)) co_return fail(Errc::kBackendError);
  auto hs = decode_handshake_v10(greeting->payload);
  if (!hs) co_return fail(hs.error());
  uint32_t wanted = cap::kClientDefault | (key_.capabilities & cap::kResponseShaping);
  if (!(key_.capabilities & cap::kDeprecateEof)) wanted &= ~cap::kDeprecateEof;
  capabilities_ = (hs->capabilities & wanted) | cap::kProtocol41;
  HandshakeResponse resp;
  mariadb_capabilities_ = 0;
  if (key_.mariadb_capabilities) {
    // Extended capabilities are read only from a MariaDB server (CLIENT_MYSQL off) by a client
    // that also leaves CLIENT_MYSQL off. Unless optional, the key's must all be there: the
    // client session's responses would differ.
    bool offered =
        !(hs->capabilities & cap::kLongPassword) &&
        (hs->mariadb_capabilities & key_.mariadb_capabilities) == key_.mariadb_capabilities;
    if (offered) {
      capabilities_ &= ~cap::kLongPassword;
      mariadb_capabilities_ = key_.mariadb_capabilities;
      resp.mariadb_capabilities = mariadb_capabilities_;
    } else if (!key_.mariadb_optional) {
      spdlog::warn(
          "backend {} lacks MariaDB's metadata caching; set [proxy] cache_metadata = false",
          node_.name());
      co_return fail(Errc::kUnsupportedCapability);
    }
  }
  resp.capabilities = capabilities_;
  resp.collation = key_.collation ? key_.collation : kDefaultCollation;
  resp.user = user;
  std::string plugin = hs->auth_plugin.empty() ? std::string(kNativePassword) : hs->auth_plugin;
  auto first = scramble_for(plugin, password, hs->auth_data);
  if (!first) {  // answer with native and let the server switch us
    plugin = kNativePassword;
    first = native_password_scramble(password, hs->auth_data);
  }
  resp.auth_response = std::move(*first);
  resp.auth_plugin = plugin;
  std::string payload;
  encode_handshake_response(resp, payload);
  if (auto s = co_await send_packet(payload, uint8_t(greeting->seq + 1)); !s) co_return s;
  for (int round = 0; round < 4; ++round) {
    auto reply = co_await read_packet();
    if (!reply) co_return fail(reply.error());
    std::string_view p = reply->payload;
    if (is_ok_header(p)) co_return Status{};
    if (is_err(p)) {
      auto err = decode_err(p);
      spdlog::warn("backend {} refused login: {}", node_.name(),
                   err ? std::string(err->message) : std::string("?"));
      co_return fail(Errc::kAuthFailed);
    }
    if (uint8_t(p[0]) == 0xFE) {
      auto sw = decode_auth_switch(p);
      if (!sw) co_return fail(sw.error());
      auto answer = scramble_for(sw->plugin, password, sw->data);
      if (!answer) co_return fail(Errc::kUnsupportedAuthPlugin);
      plugin = sw->plugin;
      if (auto s = co_await send_packet(*answer, uint8_t(reply->seq + 1)); !s) co_return s;
      continue;
    }
    if (uint8_t(p[0]) == 0x01 && plugin == kCachingSha2Password && p.size() == 2 && p[1] == 0x03)
      continue;  // caching_sha2 fast auth succeeded; OK follows
    co_return fail(Errc::kUnsupportedAuthPlugin);
  }
  co_return fail(Errc::kUnexpectedPacket);
}

Task<Result<BackendConnection::OwnedPacket>> BackendConnection::read_packet() {
  for (;;) {
    auto frame = parse_frame(read_buffer_.view());
    if (frame) {
      OwnedPacket p{std::string(frame->payload), frame->seq};
      read_buffer_.consume(frame->wire_size);
      co_return p;
    }
    if (read_buffer_.size() > (1u << 20)) co_return fail(Errc::kPacketTooLarge);
    auto [ec, n] = co_await read_some();
    if (auto s = commit_read(ec, n); !s) co_return fail(s.error());
  }
}

}  // namespace gh::proxy
