// The server side of the MySQL connection phase and client packet I/O, shared by every front
// that accepts MySQL clients: the proxy's ClientSession and the gatekeeper's MysqlFrontSession
// (gatekeeper MySQL port and trusted host). Owner: the proxy; the gatekeeper only calls it.
//
// What is shared is the mechanics: greeting (Handshake v10 with a fresh nonce), reading the
// HandshakeResponse, refusing TLS, switching a client that scrambled with another plugin to
// mysql_native_password, and reading/writing packets. Who may log in, and what a session does
// afterwards, stays with each front.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"
#include "protocol/packet.h"
#include "proxy/asio.h"

namespace gh::proxy {

// What gatehouse announces as its server version (MariaDB clients parse the 5.5.5- prefix).
inline constexpr std::string_view kFrontServerVersion = "5.5.5-10.11.0-MariaDB-gatehouse";

// Reads the next logical client packet. Errors: Errc::kIo when the peer closed or the read
// failed (or was cancelled); kPacketTooLarge / kSequenceMismatch from the reader's framing.
// The packet's payload is a view into `reader`, valid until its next use.
Task<Result<mysql::Packet>> front_read_packet(tcp::socket& socket, mysql::PacketReader& reader);
// One read of whatever the client sent next, straight into the reader's buffer: the Asio
// operation itself, no coroutine of its own. Await it, then reader.commit(ec ? 0 : n).
inline auto front_read_some(tcp::socket& socket, mysql::PacketReader& reader) {
  constexpr size_t kChunk = 16 * 1024;
  return socket.async_read_some(asio::buffer(reader.prepare(kChunk), kChunk), kNoThrow);
}
// Writes every byte; false when the client is gone.
Task<bool> front_write(tcp::socket& socket, std::string_view bytes);
// Frames `payload` as one packet with sequence id `seq` and writes it.
Task<bool> front_write_packet(tcp::socket& socket, std::string_view payload, uint8_t seq);
// Sends the gatehouse ERR that answers a failed front_read_packet (packet_too_large or
// malformed_packet) with sequence id `seq`; nothing for kIo.
Task<void> front_send_read_error(tcp::socket& socket, std::error_code read_error, uint8_t seq);

struct FrontGreeting {
  uint32_t connection_id = 0;
  uint32_t capabilities = mysql::cap::kSupported;  // what this front offers
  // MariaDB extended capabilities offered (then CLIENT_MYSQL is cleared in the greeting).
  uint32_t mariadb_capabilities = 0;
  std::string_view tls_refusal = "TLS is not enabled on this port";
};

struct FrontLogin {
  mysql::HandshakeResponse response;  // as the client sent it (capabilities not masked)
  std::string nonce;                  // the nonce the client's answer scrambles
  std::string auth_response;          // its mysql_native_password answer (after any switch)
  uint8_t seq = 0;                    // sequence id of the server's next packet (OK / ERR)
};

// Greets the client and reads its login. On a malformed, oversized or TLS login it sends the
// ERR itself and fails with kMalformedPacket, kPacketTooLarge or kUnsupportedCapability (TLS);
// kIo when the client went away. The caller checks the password and answers OK or ERR.
Task<Result<FrontLogin>> front_handshake(tcp::socket& socket, mysql::PacketReader& reader,
                                         const FrontGreeting& greeting);

struct FrontAuthAnswer {
  std::string response;
  uint8_t seq = 0;  // sequence id of the server's next packet
};
// Sends an AuthSwitchRequest to mysql_native_password with `nonce` at sequence `seq` and reads
// the client's answer (read errors as front_read_packet, with the ERR already sent).
Task<Result<FrontAuthAnswer>> front_request_native_password(tcp::socket& socket,
                                                            mysql::PacketReader& reader,
                                                            std::string_view nonce, uint8_t seq);

}  // namespace gh::proxy
