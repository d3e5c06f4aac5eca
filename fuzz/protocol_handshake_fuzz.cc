// Fuzz target: connection-phase decoders. The whole input is tried as a Handshake v10, a
// HandshakeResponse41 (or SSLRequest), an AuthSwitchRequest and AuthMoreData. What decodes is
// re-encoded and decoded again and must come back with the same fields; the auth verifiers run
// on input bytes too (they must tolerate any length).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocol/auth.h"
#include "protocol/capabilities.h"
#include "protocol/handshake.h"

namespace {

using namespace gh::mysql;

void greeting(std::string_view in) {
  auto h = decode_handshake_v10(in);
  if (!h) return;
  bool secure = h->capabilities & cap::kSecureConnection;
  // Round trip holds for what gatehouse and servers produce: a 20..254 byte nonce when
  // SECURE_CONNECTION is on, and no plugin name without it (the encoder always writes part 2).
  // (A 255-byte nonce decodes when part 2 lacks its NUL, but the length byte cannot say so.)
  size_t nonce = h->auth_data.size();
  if (secure ? nonce < 20 || nonce > 254 : bool(h->capabilities & cap::kPluginAuth)) return;
  std::string out;
  encode_handshake_v10(*h, out);
  auto back = decode_handshake_v10(out);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->server_version == h->server_version);
  FUZZ_CHECK(back->connection_id == h->connection_id);
  FUZZ_CHECK(back->auth_data == h->auth_data);
  FUZZ_CHECK(back->capabilities == h->capabilities);
  FUZZ_CHECK(back->collation == h->collation);
  FUZZ_CHECK(back->status_flags == h->status_flags);
  FUZZ_CHECK(back->auth_plugin == h->auth_plugin);
  FUZZ_CHECK(back->mariadb_capabilities == h->mariadb_capabilities);
  // A server would answer a client's scramble for this nonce.
  (void)native_password_verify(std::string_view(h->auth_data).substr(0, 20), h->auth_data,
                               native_password_stored_hash("pw"));
}

void response(std::string_view in) {
  auto r = decode_handshake_response(in);
  if (!r) return;
  (void)r->attribute("_client_name");
  (void)native_password_verify(r->auth_response, "abcdefghijklmnopqrst",
                               native_password_stored_hash("pw"));
  if (r->ssl_request) {
    std::string ssl;
    encode_ssl_request(r->capabilities, r->collation, ssl);
    auto again = decode_handshake_response(ssl);
    FUZZ_CHECK(again && again->ssl_request);
    FUZZ_CHECK(again->capabilities == (r->capabilities | cap::kSsl));
    return;
  }
  bool secure_only =
      !(r->capabilities & cap::kPluginAuthLenencData) && (r->capabilities & cap::kSecureConnection);
  FUZZ_CHECK(!secure_only || r->auth_response.size() <= 255);
  std::string out;
  encode_handshake_response(*r, out);
  auto back = decode_handshake_response(out);
  FUZZ_CHECK(back);
  FUZZ_CHECK(!back->ssl_request);
  FUZZ_CHECK(back->capabilities == r->capabilities);
  FUZZ_CHECK(back->max_packet_size == r->max_packet_size);
  FUZZ_CHECK(back->collation == r->collation);
  FUZZ_CHECK(back->user == r->user);
  FUZZ_CHECK(back->auth_response == r->auth_response);
  FUZZ_CHECK(back->database == r->database);
  FUZZ_CHECK(back->auth_plugin == r->auth_plugin);
  FUZZ_CHECK(back->attributes == r->attributes);
  FUZZ_CHECK(back->mariadb_capabilities == r->mariadb_capabilities);
}

void auth_switch(std::string_view in) {
  auto s = decode_auth_switch(in);
  if (!s) return;
  std::string out;
  encode_auth_switch(*s, out);
  auto back = decode_auth_switch(out);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->plugin == s->plugin);
  FUZZ_CHECK(back->data == s->data);
  // Exact when the data part is there and NUL-terminated (0xFE, plugin, NUL, data, NUL).
  if (in.size() > s->plugin.size() + 2 && in.back() == '\0') FUZZ_CHECK(out == in);
  (void)native_password_scramble("pw", s->data);
  (void)caching_sha2_scramble("pw", s->data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  greeting(in);
  response(in);
  auth_switch(in);
  (void)decode_auth_more_data(in);
  (void)stored_hash_from_hex(in);
  return 0;
}
