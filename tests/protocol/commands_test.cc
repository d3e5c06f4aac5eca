// Client commands: exact bytes of every command, decode of those bytes, wrong command bytes,
// truncation, and COM_CHANGE_USER under each capability combination.
#include "protocol/commands.h"

#include <gtest/gtest.h>

#include "hex.h"
#include "protocol/auth.h"

namespace gh::mysql {
namespace {

using test::canon;
using test::hex;
using test::unhex;

TEST(Commands, CommandOfAndNames) {
  EXPECT_EQ(command_of(unhex("03 7365")), Command::kQuery);
  EXPECT_EQ(command_of(unhex("17")), Command::kStmtExecute);
  EXPECT_EQ(command_of(""), Command::kSleep);
  EXPECT_EQ(command_name(Command::kStmtSendLongData), "COM_STMT_SEND_LONG_DATA");
  EXPECT_EQ(command_name(Command::kResetConnection), "COM_RESET_CONNECTION");
  EXPECT_EQ(command_name(command_of(unhex("fa"))), "COM_UNKNOWN");  // MariaDB bulk execute
}

struct TextCase {
  Command cmd;
  void (*encode)(std::string_view, std::string&);
  Result<std::string_view> (*decode)(std::string_view);
  std::string_view text;
  const char* wire;
};

const TextCase kTextCases[] = {
    {Command::kQuery, encode_com_query, decode_com_query, "select 1", "03 73656c6563742031"},
    {Command::kQuery, encode_com_query, decode_com_query, "", "03"},
    {Command::kInitDb, encode_com_init_db, decode_com_init_db, "x", "02 78"},
    {Command::kStmtPrepare, encode_com_stmt_prepare, decode_com_stmt_prepare, "SELECT ?",
     "16 53454c454354203f"},
};

TEST(Commands, TextCommandsExactBytesAndBack) {
  for (const auto& c : kTextCases) {
    std::string out;
    c.encode(c.text, out);
    EXPECT_EQ(hex(out), canon(c.wire)) << c.wire;
    auto back = c.decode(out);
    ASSERT_TRUE(back) << c.wire;
    EXPECT_EQ(*back, c.text);
    EXPECT_EQ(command_of(out), c.cmd);
    EXPECT_EQ(c.decode(unhex("0e")).error(), make_error_code(Errc::kUnexpectedPacket));
    EXPECT_EQ(c.decode("").error(), make_error_code(Errc::kMalformedPacket));
  }
  // SQL text may hold any byte, NUL included.
  std::string sql("select '\0'", 10);
  std::string out;
  encode_com_query(sql, out);
  EXPECT_EQ(*decode_com_query(out), sql);
}

TEST(Commands, SimpleCommands) {
  struct Case {
    Command cmd;
    const char* wire;
  };
  for (const Case& c : {Case{Command::kQuit, "01"}, Case{Command::kPing, "0e"},
                        Case{Command::kStatistics, "09"}, Case{Command::kResetConnection, "1f"}}) {
    std::string out;
    encode_simple_command(c.cmd, out);
    EXPECT_EQ(hex(out), c.wire);
    EXPECT_TRUE(decode_simple_command(out, c.cmd));
    EXPECT_TRUE(decode_simple_command(out + "junk", c.cmd));  // servers ignore trailing bytes
    EXPECT_EQ(decode_simple_command(unhex("03"), c.cmd).error(),
              make_error_code(Errc::kUnexpectedPacket));
    EXPECT_EQ(decode_simple_command("", c.cmd).error(), make_error_code(Errc::kMalformedPacket));
  }
}

TEST(Commands, SetOption) {
  std::string out;
  encode_com_set_option(uint16_t(SetOption::kMultiStatementsOff), out);
  EXPECT_EQ(hex(out), canon("1b 0100"));
  EXPECT_EQ(*decode_com_set_option(out), 1);
  EXPECT_EQ(*decode_com_set_option(unhex("1b 0000")), 0);
  EXPECT_EQ(decode_com_set_option(unhex("1b 00")).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Commands, FieldList) {
  std::string out;
  encode_com_field_list({"gh_t", "v%"}, out);
  EXPECT_EQ(hex(out), canon("04 67685f7400 7625"));
  auto c = decode_com_field_list(out);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->table, "gh_t");
  EXPECT_EQ(c->wildcard, "v%");
  std::string bare = unhex("04 7400");
  auto no_wildcard = decode_com_field_list(bare);
  ASSERT_TRUE(no_wildcard);
  EXPECT_EQ(no_wildcard->wildcard, "");
  EXPECT_EQ(decode_com_field_list(unhex("04 74")).error(), make_error_code(Errc::kMalformedPacket));
}

TEST(Commands, StatementIdCommands) {
  std::string out;
  encode_com_stmt_close(1, out);
  EXPECT_EQ(hex(out), canon("19 01000000"));
  EXPECT_EQ(*decode_com_stmt_close(out), 1u);
  out.clear();
  encode_com_stmt_reset(0xFFFFFFFF, out);
  EXPECT_EQ(hex(out), canon("1a ffffffff"));
  EXPECT_EQ(*decode_com_stmt_reset(out), 0xFFFFFFFFu);
  EXPECT_EQ(decode_com_stmt_close(unhex("19 010000")).error(),
            make_error_code(Errc::kMalformedPacket));
  EXPECT_EQ(decode_com_stmt_reset(unhex("19 01000000")).error(),
            make_error_code(Errc::kUnexpectedPacket));
}

TEST(Commands, StmtSendLongData) {
  std::string out;
  encode_com_stmt_send_long_data({1, 2, "abc"}, out);
  EXPECT_EQ(hex(out), canon("18 01000000 0200 616263"));
  auto c = decode_com_stmt_send_long_data(out);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->statement_id, 1u);
  EXPECT_EQ(c->param_id, 2);
  EXPECT_EQ(c->data, "abc");
  std::string no_data = unhex("18 01000000 0000");
  auto empty = decode_com_stmt_send_long_data(no_data);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->data, "");
  EXPECT_FALSE(decode_com_stmt_send_long_data(unhex("18 01000000 00")));
}

TEST(Commands, StmtFetch) {
  std::string out;
  encode_com_stmt_fetch({7, 100}, out);
  EXPECT_EQ(hex(out), canon("1c 07000000 64000000"));
  auto c = decode_com_stmt_fetch(out);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->statement_id, 7u);
  EXPECT_EQ(c->num_rows, 100u);
  EXPECT_FALSE(decode_com_stmt_fetch(unhex("1c 07000000 640000")));
}

constexpr uint32_t kModernCaps = cap::kProtocol41 | cap::kSecureConnection | cap::kPluginAuth |
                                 cap::kConnectAttrs | cap::kPluginAuthLenencData;

TEST(Commands, ChangeUserExactBytes) {
  ComChangeUser c;
  c.user = "t";
  c.auth_response = native_password_scramble("pw", "abcdefghijklmnopqrst");
  c.schema = "x";
  c.collation = 45;
  c.auth_plugin = std::string(kNativePassword);
  c.attributes = {{"_os", "Linux"}};
  std::string out;
  ASSERT_TRUE(encode_com_change_user(c, kModernCaps, out));
  // 1-byte auth length even with PLUGIN_AUTH_LENENC_CLIENT_DATA: that flag is handshake-only.
  EXPECT_EQ(hex(out), canon("11 7400 14 12909d72d875523f8c9d6da44cbd3a6c1ce794db 7800 2d00"
                            "6d7973716c5f6e61746976655f70617373776f726400"
                            "0a 035f6f73 054c696e7578"));
  auto back = decode_com_change_user(out, kModernCaps);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user, c.user);
  EXPECT_EQ(back->auth_response, c.auth_response);
  EXPECT_EQ(back->schema, c.schema);
  EXPECT_EQ(back->collation, c.collation);
  EXPECT_EQ(back->auth_plugin, c.auth_plugin);
  EXPECT_EQ(back->attributes, c.attributes);
}

TEST(Commands, ChangeUserRoundTripsUnderEveryCapabilityMix) {
  const uint32_t mixes[] = {
      cap::kProtocol41,
      cap::kProtocol41 | cap::kSecureConnection,
      cap::kProtocol41 | cap::kSecureConnection | cap::kPluginAuth,
      cap::kProtocol41 | cap::kSecureConnection | cap::kConnectAttrs,
      kModernCaps,
  };
  for (uint32_t caps : mixes) {
    ComChangeUser c;
    c.user = "app";
    c.auth_response = (caps & cap::kSecureConnection) ? std::string("\x00\xfe\x01", 3) : "old";
    c.schema = "";
    c.collation = 224;
    if (caps & cap::kPluginAuth) c.auth_plugin = "client_ed25519";
    if (caps & cap::kConnectAttrs)
      c.attributes = {{"a", ""}, {"", "b"}, {std::string(260, 'k'), "v"}};
    std::string out;
    ASSERT_TRUE(encode_com_change_user(c, caps, out)) << caps;
    auto back = decode_com_change_user(out, caps);
    ASSERT_TRUE(back) << caps;
    EXPECT_EQ(back->user, c.user);
    EXPECT_EQ(back->auth_response, c.auth_response) << caps;
    EXPECT_EQ(back->schema, c.schema);
    EXPECT_EQ(back->collation, c.collation);
    EXPECT_EQ(back->auth_plugin, c.auth_plugin);
    EXPECT_EQ(back->attributes, c.attributes);
    std::string again;
    ASSERT_TRUE(encode_com_change_user(*back, caps, again));
    EXPECT_EQ(again, out);
  }
}

TEST(Commands, ChangeUserOldClientWithoutOptionalTail) {
  // user "root", empty auth (secure connection: length 0), schema "" and nothing more.
  auto c = decode_com_change_user(unhex("11 726f6f7400 00 00"), kModernCaps);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "root");
  EXPECT_EQ(c->auth_response, "");
  EXPECT_EQ(c->collation, 0);
  EXPECT_EQ(c->auth_plugin, "");
  // With only the collation after the schema.
  auto d = decode_com_change_user(unhex("11 7500 00 6400 2100"), kModernCaps);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->schema, "d");
  EXPECT_EQ(d->collation, 33);
}

TEST(Commands, ChangeUserMalformed) {
  const char* bad[] = {
      "11",                               // no user
      "11 7400",                          // no auth length
      "11 7400 05 6162",                  // auth shorter than announced
      "11 7400 00",                       // no schema
      "11 7400 00 7800 2d",               // half a collation
      "11 7400 00 7800 2d00 6162",        // unterminated plugin
      "11 7400 00 7800 2d00 00 05 0161",  // attribute block longer than the packet
      "11 7400 00 7800 2d00 00 02 0561",  // attribute key longer than its block
  };
  for (const char* b : bad)
    EXPECT_EQ(decode_com_change_user(unhex(b), kModernCaps).error(),
              make_error_code(Errc::kMalformedPacket))
        << b;
  EXPECT_EQ(decode_com_change_user(unhex("03 7400"), kModernCaps).error(),
            make_error_code(Errc::kUnexpectedPacket));
}

TEST(Commands, ChangeUserEncodeRefusesWhatTheLayoutCannotCarry) {
  ComChangeUser c;
  c.user = "u";
  c.auth_response = std::string(256, 'a');
  std::string out = "keep";
  EXPECT_FALSE(encode_com_change_user(c, kModernCaps, out));
  EXPECT_EQ(out, "keep");
  c.auth_response = std::string("a\0b", 3);
  EXPECT_FALSE(encode_com_change_user(c, cap::kProtocol41, out));
  c.auth_response = "";
  c.user = std::string("u\0", 2);
  EXPECT_FALSE(encode_com_change_user(c, kModernCaps, out));
  EXPECT_EQ(out, "keep");
}

TEST(Commands, ChangeUserKeepsAtMostTheAttributeLimit) {
  ComChangeUser c;
  c.user = "u";
  for (size_t i = 0; i < kMaxChangeUserAttributes + 10; ++i) {
    std::string key = "k";
    key += std::to_string(i);
    c.attributes.emplace_back(key, "v");
  }
  std::string out;
  ASSERT_TRUE(encode_com_change_user(c, kModernCaps, out));
  auto back = decode_com_change_user(out, kModernCaps);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->attributes.size(), kMaxChangeUserAttributes);
}

}  // namespace
}  // namespace gh::mysql
