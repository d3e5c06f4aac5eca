// The server side of the MySQL connection phase: implementation (see front_handshake.h).
#include "proxy/front_handshake.h"

#include "protocol/auth.h"
#include "protocol/response.h"
#include "proxy/write_now.h"

namespace gh::proxy {

using namespace gh::mysql;

Task<Result<Packet>> front_read_packet(tcp::socket& socket, PacketReader& reader) {
  for (;;) {
    auto p = reader.next();
    if (!p) co_return fail(p.error());
    if (*p) co_return **p;
    auto [ec, n] = co_await front_read_some(socket, reader);
    reader.commit(ec ? 0 : n);
    if (ec) co_return fail(Errc::kIo);
  }
}

Task<bool> front_write(tcp::socket& socket, std::string_view bytes) {
  Buffers2 bufs = buffers_of(bytes);  // a named local: g++ 12 and temporaries in co_await
  auto ec = co_await write_all(socket, bufs);
  co_return !ec;
}

Task<bool> front_write_packet(tcp::socket& socket, std::string_view payload, uint8_t seq) {
  std::string out;
  out.reserve(payload.size() + kHeaderSize);
  append_packet(out, payload, seq);
  co_return co_await front_write(socket, out);
}

Task<void> front_send_read_error(tcp::socket& socket, std::error_code read_error, uint8_t seq) {
  if (read_error == Errc::kIo) co_return;
  Errc e = read_error == Errc::kPacketTooLarge ? Errc::kPacketTooLarge : Errc::kMalformedPacket;
  std::string payload;
  encode_gatehouse_err(e, {}, payload);
  co_await front_write_packet(socket, payload, seq);
}

Task<Result<FrontAuthAnswer>> front_request_native_password(tcp::socket& socket,
                                                            PacketReader& reader,
                                                            std::string_view nonce, uint8_t seq) {
  std::string payload;
  AuthSwitchRequest request{std::string(kNativePassword), std::string(nonce)};
  encode_auth_switch(request, payload);
  if (!co_await front_write_packet(socket, payload, seq)) co_return fail(Errc::kIo);
  auto answer = co_await front_read_packet(socket, reader);
  if (!answer) {
    std::error_code error = answer.error();
    co_await front_send_read_error(socket, error, 1);
    co_return fail(error);
  }
  co_return FrontAuthAnswer{std::string(answer->payload), uint8_t(answer->last_seq + 1)};
}

Task<Result<FrontLogin>> front_handshake(tcp::socket& socket, PacketReader& reader,
                                         const FrontGreeting& greeting) {
  FrontLogin login;
  login.nonce = make_nonce();
  HandshakeV10 hs;
  hs.server_version = kFrontServerVersion;
  hs.connection_id = greeting.connection_id;
  hs.auth_data = login.nonce;
  hs.capabilities = greeting.capabilities;
  if (greeting.mariadb_capabilities) {
    hs.capabilities &= ~cap::kLongPassword;  // "not MySQL": the extended bytes are valid
    hs.mariadb_capabilities = greeting.mariadb_capabilities;
  }
  hs.collation = kDefaultCollation;
  hs.status_flags = status::kAutocommit;
  hs.auth_plugin = kNativePassword;
  std::string payload;
  encode_handshake_v10(hs, payload);
  if (!co_await front_write_packet(socket, payload, 0)) co_return fail(Errc::kIo);

  auto packet = co_await front_read_packet(socket, reader);
  if (!packet) {
    std::error_code error = packet.error();
    co_await front_send_read_error(socket, error, 1);
    co_return fail(error);
  }
  auto resp = decode_handshake_response(packet->payload);
  uint8_t seq = uint8_t(packet->last_seq + 1);
  if (!resp) {
    payload.clear();
    encode_gatehouse_err(Errc::kMalformedPacket, "bad handshake response", payload);
    co_await front_write_packet(socket, payload, seq);
    co_return fail(Errc::kMalformedPacket);
  }
  if (resp->ssl_request) {
    payload.clear();
    encode_gatehouse_err(Errc::kUnsupportedCapability, greeting.tls_refusal, payload);
    co_await front_write_packet(socket, payload, seq);
    co_return fail(Errc::kUnsupportedCapability);
  }
  login.auth_response = resp->auth_response;
  if (!resp->auth_plugin.empty() && resp->auth_plugin != kNativePassword) {
    // Ask the client to answer with mysql_native_password against our nonce.
    auto answer = co_await front_request_native_password(socket, reader, login.nonce, seq);
    if (!answer) co_return fail(answer.error());
    login.auth_response = std::move(answer->response);
    seq = answer->seq;
  }
  login.response = std::move(*resp);
  login.seq = seq;
  co_return login;
}

}  // namespace gh::proxy
