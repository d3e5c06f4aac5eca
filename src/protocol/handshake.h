// Connection phase messages: the server's Handshake v10, the client's HandshakeResponse41
// (and the SSLRequest prefix of it), AuthSwitchRequest and AuthMoreData.
// Decoders take one packet payload and return views into it or owned copies as noted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace gh::mysql {

struct HandshakeV10 {
  std::string server_version;
  uint32_t connection_id = 0;
  std::string auth_data;  // the nonce ("scramble"), usually 20; encoded as 20..254 bytes
  uint32_t capabilities = 0;
  uint8_t collation = 0;
  uint16_t status_flags = 0;
  std::string auth_plugin;
  uint32_t mariadb_capabilities = 0;  // MariaDB extension, when kLongPassword (CLIENT_MYSQL) is off
};

Result<HandshakeV10> decode_handshake_v10(std::string_view payload);
void encode_handshake_v10(const HandshakeV10& h, std::string& out);

struct HandshakeResponse {
  uint32_t capabilities = 0;
  uint32_t max_packet_size = 16u << 20;
  uint8_t collation = 0;
  std::string user;
  std::string auth_response;
  std::string database;
  std::string auth_plugin;
  std::vector<std::pair<std::string, std::string>> attributes;
  uint32_t mariadb_capabilities = 0;
  bool ssl_request = false;  // the 32-byte SSLRequest: only the fixed part is present

  // Value of a connection attribute, or empty.
  std::string_view attribute(std::string_view key) const;
};

Result<HandshakeResponse> decode_handshake_response(std::string_view payload);
void encode_handshake_response(const HandshakeResponse& r, std::string& out);
// The SSLRequest a client sends before the TLS handshake.
void encode_ssl_request(uint32_t capabilities, uint8_t collation, std::string& out);

struct AuthSwitchRequest {
  std::string plugin;
  std::string data;  // nonce, without the trailing NUL
};
Result<AuthSwitchRequest> decode_auth_switch(std::string_view payload);  // 0xFE header
void encode_auth_switch(const AuthSwitchRequest& r, std::string& out);

// AuthMoreData (0x01 header): plugin-specific bytes, e.g. caching_sha2's 0x03 fast-auth-ok.
Result<std::string_view> decode_auth_more_data(std::string_view payload);

}  // namespace gh::mysql
