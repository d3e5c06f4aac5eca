// Connection phase: a real MariaDB 10.11 greeting and a real libmariadb HandshakeResponse41
// (both captured from 127.0.0.1:13306 through a logging relay), round trips, SSLRequest,
// AuthSwitchRequest and AuthMoreData.
#include "protocol/handshake.h"

#include <gtest/gtest.h>

#include "hex.h"
#include "protocol/auth.h"
#include "protocol/capabilities.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

// MariaDB 10.11.19 (Debian 12) greeting payload.
constexpr const char* kMariaDbGreeting =
    "0a"                                                                   // protocol 10
    "352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531 00"  // version
    "0d000000"                                                             // connection id 13
    "7c796b2d3d2a585d 00"                                                  // nonce part 1, filler
    "fef7 08 0200 ff81"  // caps low, collation latin1_swedish_ci, status autocommit, caps high
    "15 000000000000 1d000000"                        // auth data length 21, reserved, MariaDB caps
    "4a3a264e376579526d4d7838 00"                     // nonce part 2 + NUL
    "6d7973716c5f6e61746976655f70617373776f7264 00";  // mysql_native_password

// What libmariadb 3.3 (the mariadb CLI) answered to it, user t, password pw.
constexpr const char* kMariaDbClientResponse =
    "84a2bf00 00000010 21 00000000000000000000000000000000000000 1d000000"
    "7400"                                          // user "t"
    "14 42cd936f97287977966754ed3d7f80947409fc69"   // lenenc auth response (20 bytes)
    "6d7973716c5f6e61746976655f70617373776f726400"  // plugin
    "7e"                                            // 126 bytes of attributes
    "035f6f73 054c696e7578"
    "0c5f636c69656e745f6e616d65 0a6c69626d617269616462"
    "045f706964 0437343332"
    "0f5f636c69656e745f76657273696f6e 06332e332e3230"
    "095f706c6174666f726d 067838365f3634"
    "0c70726f6772616d5f6e616d65 056d7973716c"
    "0c5f7365727665725f686f7374 093132372e302e302e31";

TEST(Handshake, DecodesARealMariaDbGreeting) {
  auto h = decode_handshake_v10(unhex(kMariaDbGreeting));
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_EQ(h->server_version, "5.5.5-10.11.19-MariaDB-0+deb12u1");
  EXPECT_EQ(h->connection_id, 13u);
  EXPECT_EQ(hex(h->auth_data), canon("7c796b2d3d2a585d 4a3a264e376579526d4d7838"));
  EXPECT_EQ(h->capabilities, 0x81fff7feu);
  EXPECT_FALSE(h->capabilities & cap::kLongPassword);  // MariaDB: extended caps follow
  EXPECT_TRUE(h->capabilities & cap::kPluginAuth);
  EXPECT_FALSE(h->capabilities & cap::kSsl);
  EXPECT_EQ(h->collation, 8);
  EXPECT_EQ(h->status_flags, 0x0002);
  EXPECT_EQ(h->auth_plugin, kNativePassword);
  EXPECT_EQ(h->mariadb_capabilities, 0x1du);
}

TEST(Handshake, GreetingEncodeReproducesTheCapturedBytes) {
  auto h = decode_handshake_v10(unhex(kMariaDbGreeting));
  ASSERT_TRUE(h);
  std::string out;
  encode_handshake_v10(*h, out);
  EXPECT_EQ(hex(out), canon(kMariaDbGreeting));
}

TEST(Handshake, GreetingRoundTripOfGatehouseOwn) {
  HandshakeV10 h;
  h.server_version = "10.11.0-gatehouse";
  h.connection_id = 0xdeadbeef;
  h.auth_data = "abcdefghijklmnopqrst";
  h.capabilities = cap::kSupported;
  h.collation = kDefaultCollation;
  h.status_flags = status::kAutocommit;
  h.auth_plugin = std::string(kNativePassword);
  std::string out;
  encode_handshake_v10(h, out);
  auto back = decode_handshake_v10(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->server_version, h.server_version);
  EXPECT_EQ(back->connection_id, h.connection_id);
  EXPECT_EQ(back->auth_data, h.auth_data);
  EXPECT_EQ(back->capabilities, h.capabilities);
  EXPECT_EQ(back->collation, h.collation);
  EXPECT_EQ(back->status_flags, h.status_flags);
  EXPECT_EQ(back->auth_plugin, h.auth_plugin);
  EXPECT_EQ(back->mariadb_capabilities, 0u);  // kLongPassword is on: no MariaDB caps
}

TEST(Handshake, GreetingTruncatedAnywhereNeverCrashes) {
  std::string g = unhex(kMariaDbGreeting);
  for (size_t n = 0; n < g.size(); ++n) (void)decode_handshake_v10(g.substr(0, n));
  EXPECT_EQ(decode_handshake_v10("").error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_handshake_v10(unhex("09")).error(),
            make_error_code(Errc::kUnsupportedCapability));
  EXPECT_FALSE(decode_handshake_v10(g.substr(0, 20)));  // inside the nonce
}

TEST(Handshake, DecodesARealClientResponse) {
  auto r = decode_handshake_response(unhex(kMariaDbClientResponse));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->capabilities, 0x00bfa284u);
  EXPECT_EQ(r->max_packet_size, 0x10000000u);
  EXPECT_EQ(r->collation, 0x21);
  EXPECT_EQ(r->mariadb_capabilities, 0x1du);
  EXPECT_FALSE(r->ssl_request);
  EXPECT_EQ(r->user, "t");
  EXPECT_EQ(hex(r->auth_response), "42cd936f97287977966754ed3d7f80947409fc69");
  EXPECT_EQ(r->database, "");
  EXPECT_EQ(r->auth_plugin, kNativePassword);
  ASSERT_EQ(r->attributes.size(), 7u);
  EXPECT_EQ(r->attribute("_client_name"), "libmariadb");
  EXPECT_EQ(r->attribute("program_name"), "mysql");
  EXPECT_EQ(r->attribute("_server_host"), "127.0.0.1");
  EXPECT_EQ(r->attribute("missing"), "");
}

TEST(Handshake, RealClientScrambleVerifiesAgainstTheRealNonce) {
  auto g = decode_handshake_v10(unhex(kMariaDbGreeting));
  auto r = decode_handshake_response(unhex(kMariaDbClientResponse));
  ASSERT_TRUE(g && r);
  std::string stored = native_password_stored_hash("pw");
  EXPECT_TRUE(native_password_verify(r->auth_response, g->auth_data, stored));
  EXPECT_EQ(native_password_scramble("pw", g->auth_data), r->auth_response);
}

TEST(Handshake, ClientResponseEncodeReproducesTheCapturedBytes) {
  auto r = decode_handshake_response(unhex(kMariaDbClientResponse));
  ASSERT_TRUE(r);
  std::string out;
  encode_handshake_response(*r, out);
  EXPECT_EQ(hex(out), canon(kMariaDbClientResponse));
}

TEST(Handshake, ResponseWithDatabasePluginAndAttributesRoundTrips) {
  for (uint32_t auth_caps :
       {cap::kPluginAuthLenencData | cap::kSecureConnection, cap::kSecureConnection, 0u}) {
    HandshakeResponse h;
    h.capabilities = cap::kProtocol41 | cap::kLongPassword | cap::kConnectWithDb |
                     cap::kPluginAuth | cap::kConnectAttrs | auth_caps;
    h.max_packet_size = 1 << 24;
    h.collation = kDefaultCollation;
    h.user = "app";
    h.auth_response = auth_caps ? std::string("\x00\x01\xff scramble", 12) : "no-nul-here";
    h.database = "shop";
    h.auth_plugin = std::string(kNativePassword);
    h.attributes = {{"_client_name", "gatehouse"}, {"empty", ""}, {std::string(300, 'k'), "v"}};
    std::string out;
    encode_handshake_response(h, out);
    auto back = decode_handshake_response(out);
    ASSERT_TRUE(back) << auth_caps;
    EXPECT_EQ(back->capabilities, h.capabilities);
    EXPECT_EQ(back->user, h.user);
    EXPECT_EQ(back->auth_response, h.auth_response) << auth_caps;
    EXPECT_EQ(back->database, h.database);
    EXPECT_EQ(back->auth_plugin, h.auth_plugin);
    EXPECT_EQ(back->attributes, h.attributes);
    EXPECT_EQ(back->mariadb_capabilities, 0u);
  }
}

TEST(Handshake, ResponseWithoutOptionalTailDecodes) {
  // 4.1 layout, SECURE_CONNECTION, no db, no plugin, no attrs.
  std::string p = unhex("00820000 00000001 2d") + std::string(23, '\0') + unhex("726f6f7400 00");
  auto r = decode_handshake_response(p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->user, "root");
  EXPECT_EQ(r->auth_response, "");
  EXPECT_EQ(r->auth_plugin, "");
}

TEST(Handshake, ResponseAttributeBlockLongerThanPacketIsMalformed) {
  HandshakeResponse h;
  h.capabilities = cap::kProtocol41 | cap::kSecureConnection | cap::kConnectAttrs;
  h.user = "u";
  std::string out;
  encode_handshake_response(h, out);
  out.back() = '\x05';  // block length 5, nothing follows
  EXPECT_EQ(decode_handshake_response(out).error(), make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_handshake_response(unhex("00000000")).error(),  // no CLIENT_PROTOCOL_41
            make_error_code(Errc::kUnsupportedCapability));
}

TEST(Handshake, SslRequestIsDetected) {
  std::string out;
  encode_ssl_request(cap::kClientDefault, kDefaultCollation, out);
  EXPECT_EQ(hex(out), canon("05aa2e01 00000001 2d 0000000000000000000000000000000000000000000000"));
  auto r = decode_handshake_response(out);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ssl_request);
  EXPECT_TRUE(r->capabilities & cap::kSsl);
  EXPECT_EQ(r->collation, kDefaultCollation);
  EXPECT_EQ(r->user, "");
  EXPECT_FALSE(decode_handshake_response(out.substr(0, 31)));
}

TEST(Handshake, AuthSwitchRequest) {
  // What a server sends to move a client to mysql_native_password with a fresh nonce.
  std::string wire = unhex(
      "fe 6d7973716c5f6e61746976655f70617373776f726400 6162636465666768696a6b6c6d6e6f7071727374 "
      "00");
  auto s = decode_auth_switch(wire);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->plugin, kNativePassword);
  EXPECT_EQ(s->data, "abcdefghijklmnopqrst");
  std::string out;
  encode_auth_switch(*s, out);
  EXPECT_EQ(out, wire);
  EXPECT_EQ(decode_auth_switch(unhex("fe")).error(),
            make_error_code(Errc::kUnsupportedAuthPlugin));  // old_password switch
  EXPECT_EQ(decode_auth_switch(unhex("00")).error(), make_error_code(Errc::kUnexpectedPacket));
  EXPECT_EQ(decode_auth_switch(unhex("fe 6162")).error(),  // unterminated plugin name
            make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_auth_switch("").error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Handshake, AuthMoreData) {
  std::string wire = unhex("0103");
  auto fast_ok = decode_auth_more_data(wire);
  ASSERT_TRUE(fast_ok);
  EXPECT_EQ(hex(*fast_ok), "03");
  EXPECT_EQ(decode_auth_more_data(unhex("0004")).error(), make_error_code(Errc::kUnexpectedPacket));
  EXPECT_FALSE(decode_auth_more_data(""));
}

}  // namespace
}  // namespace gh::mysql
