// Connection phase messages: implementation (see handshake.h).
#include "protocol/handshake.h"

#include <algorithm>

#include "protocol/capabilities.h"
#include "protocol/wire.h"

namespace gh::mysql {

Result<HandshakeV10> decode_handshake_v10(std::string_view payload) {
  Reader r(payload);
  HandshakeV10 h;
  GH_TRY(version, r.u8());
  if (version != 10) return fail(Errc::kUnsupportedCapability);
  GH_TRY(server_version, r.null_str());
  h.server_version = server_version;
  GH_TRY(conn_id, r.u32());
  h.connection_id = conn_id;
  GH_TRY(part1, r.fixed(8));
  h.auth_data = part1;
  GH_TRY(filler, r.u8());
  (void)filler;
  GH_TRY(cap_low, r.u16());
  h.capabilities = cap_low;
  if (r.empty()) return h;
  GH_TRY(collation, r.u8());
  h.collation = collation;
  GH_TRY(status, r.u16());
  h.status_flags = status;
  GH_TRY(cap_high, r.u16());
  h.capabilities |= uint32_t(cap_high) << 16;
  GH_TRY(auth_len, r.u8());
  GH_TRY(reserved, r.fixed(6));
  (void)reserved;
  GH_TRY(mariadb_caps, r.u32());
  if (!(h.capabilities & cap::kLongPassword)) h.mariadb_capabilities = mariadb_caps;
  if (h.capabilities & cap::kSecureConnection) {
    size_t n = std::max<int>(13, int(auth_len) - 8);
    GH_TRY(part2, r.fixed(std::min(n, r.remaining())));
    // part2 ends with a NUL that is not part of the nonce.
    std::string_view p2 = part2;
    if (!p2.empty() && p2.back() == '\0') p2.remove_suffix(1);
    h.auth_data.append(p2);
  }
  if (h.capabilities & cap::kPluginAuth) {
    std::string_view rest = r.rest();
    if (!rest.empty() && rest.back() == '\0') rest.remove_suffix(1);
    h.auth_plugin = rest;
  }
  return h;
}

void encode_handshake_v10(const HandshakeV10& h, std::string& out) {
  Writer w(out);
  w.u8(10).null_str(h.server_version).u32(h.connection_id);
  // The length byte counts the NUL after the nonce: at most 254 nonce bytes fit.
  std::string nonce = h.auth_data.substr(0, 254);
  nonce.resize(std::max<size_t>(nonce.size(), 20), '\0');
  w.raw(std::string_view(nonce).substr(0, 8)).u8(0);
  w.u16(uint16_t(h.capabilities & 0xFFFF)).u8(h.collation).u16(h.status_flags);
  w.u16(uint16_t(h.capabilities >> 16));
  w.u8(uint8_t(nonce.size() + 1));
  w.zeros(6).u32(h.mariadb_capabilities);
  w.raw(std::string_view(nonce).substr(8)).u8(0);
  if (h.capabilities & cap::kPluginAuth) w.null_str(h.auth_plugin);
}

std::string_view HandshakeResponse::attribute(std::string_view key) const {
  for (const auto& [k, v] : attributes)
    if (k == key) return v;
  return {};
}

Result<HandshakeResponse> decode_handshake_response(std::string_view payload) {
  Reader r(payload);
  HandshakeResponse h;
  GH_TRY(caps, r.u32());
  h.capabilities = caps;
  if (!(caps & cap::kProtocol41)) return fail(Errc::kUnsupportedCapability);
  GH_TRY(max_packet, r.u32());
  h.max_packet_size = max_packet;
  GH_TRY(collation, r.u8());
  h.collation = collation;
  GH_TRY(filler, r.fixed(19));
  (void)filler;
  GH_TRY(mariadb_caps, r.u32());
  if (!(caps & cap::kLongPassword)) h.mariadb_capabilities = mariadb_caps;
  if (r.empty()) {  // SSLRequest: just the 32-byte fixed part
    h.ssl_request = true;
    return h;
  }
  GH_TRY(user, r.null_str());
  h.user = user;
  if (caps & cap::kPluginAuthLenencData) {
    GH_TRY(auth, r.lenenc_str());
    h.auth_response = auth;
  } else if (caps & cap::kSecureConnection) {
    GH_TRY(len, r.u8());
    GH_TRY(auth, r.fixed(len));
    h.auth_response = auth;
  } else {
    GH_TRY(auth, r.null_str());
    h.auth_response = auth;
  }
  if ((caps & cap::kConnectWithDb) && !r.empty()) {
    GH_TRY(db, r.null_str());
    h.database = db;
  }
  if ((caps & cap::kPluginAuth) && !r.empty()) {
    GH_TRY(plugin, r.null_str());
    h.auth_plugin = plugin;
  }
  if ((caps & cap::kConnectAttrs) && !r.empty()) {
    GH_TRY(total, r.lenenc_int());
    GH_TRY(block, r.fixed(total > r.remaining() ? r.remaining() + 1 : size_t(total)));
    Reader a(block);
    while (!a.empty()) {
      GH_TRY(k, a.lenenc_str());
      GH_TRY(v, a.lenenc_str());
      if (h.attributes.size() < 64) h.attributes.emplace_back(std::string(k), std::string(v));
    }
  }
  return h;
}

void encode_handshake_response(const HandshakeResponse& h, std::string& out) {
  Writer w(out);
  uint32_t caps = h.capabilities | cap::kProtocol41;
  w.u32(caps).u32(h.max_packet_size).u8(h.collation).zeros(19);
  w.u32((caps & cap::kLongPassword) ? 0 : h.mariadb_capabilities);
  w.null_str(h.user);
  if (caps & cap::kPluginAuthLenencData) {
    w.lenenc_str(h.auth_response);
  } else if (caps & cap::kSecureConnection) {
    // A 1-byte length: longer responses need CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA.
    std::string_view auth = std::string_view(h.auth_response).substr(0, 255);
    w.u8(uint8_t(auth.size())).raw(auth);
  } else {
    w.null_str(h.auth_response);  // pre-4.1 layout, as the decoder reads it
  }
  if (caps & cap::kConnectWithDb) w.null_str(h.database);
  if (caps & cap::kPluginAuth) w.null_str(h.auth_plugin);
  if (caps & cap::kConnectAttrs) {
    std::string block;
    Writer b(block);
    for (const auto& [k, v] : h.attributes) b.lenenc_str(k).lenenc_str(v);
    w.lenenc_str(block);
  }
}

void encode_ssl_request(uint32_t capabilities, uint8_t collation, std::string& out) {
  Writer w(out);
  w.u32(capabilities | cap::kProtocol41 | cap::kSsl).u32(16u << 20).u8(collation).zeros(23);
}

Result<AuthSwitchRequest> decode_auth_switch(std::string_view payload) {
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0xFE) return fail(Errc::kUnexpectedPacket);
  AuthSwitchRequest s;
  if (r.empty()) {  // old-style switch to mysql_old_password: unsupported
    return fail(Errc::kUnsupportedAuthPlugin);
  }
  GH_TRY(plugin, r.null_str());
  s.plugin = plugin;
  std::string_view data = r.rest();
  if (!data.empty() && data.back() == '\0') data.remove_suffix(1);
  s.data = data;
  return s;
}

void encode_auth_switch(const AuthSwitchRequest& s, std::string& out) {
  Writer(out).u8(0xFE).null_str(s.plugin).raw(s.data).u8(0);
}

Result<std::string_view> decode_auth_more_data(std::string_view payload) {
  if (payload.empty() || uint8_t(payload[0]) != 0x01) return fail(Errc::kUnexpectedPacket);
  return payload.substr(1);
}

}  // namespace gh::mysql
