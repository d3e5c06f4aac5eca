// Fuzz target: client command decoders. The first byte picks the capabilities for
// COM_CHANGE_USER; the rest is a command payload. It is decoded by the decoder its command byte
// selects, and then by every other decoder with the command byte swapped in, so each decoder
// sees every input. What decodes is re-encoded: exact bytes where the layout is canonical, the
// same fields after a second decode otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "protocol/capabilities.h"
#include "protocol/commands.h"

namespace {

using namespace gh::mysql;

void change_user(std::string_view in, uint32_t caps) {
  auto c = decode_com_change_user(in, caps);
  if (!c) return;
  std::string out;
  auto s = encode_com_change_user(*c, caps, out);
  FUZZ_CHECK(s);  // whatever decodes can be encoded under the same capabilities
  auto back = decode_com_change_user(out, caps);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->user == c->user);
  FUZZ_CHECK(back->auth_response == c->auth_response);
  FUZZ_CHECK(back->schema == c->schema);
  FUZZ_CHECK(back->collation == c->collation);
  FUZZ_CHECK(back->auth_plugin == c->auth_plugin);
  FUZZ_CHECK(back->attributes == c->attributes);
}

void decode_as(Command cmd, std::string_view in, uint32_t caps) {
  std::string out;
  switch (cmd) {
    case Command::kQuery:
      if (auto v = decode_com_query(in)) {
        encode_com_query(*v, out);
        FUZZ_CHECK(out == in);
      }
      break;
    case Command::kInitDb:
      if (auto v = decode_com_init_db(in)) {
        encode_com_init_db(*v, out);
        FUZZ_CHECK(out == in);
      }
      break;
    case Command::kStmtPrepare:
      if (auto v = decode_com_stmt_prepare(in)) {
        encode_com_stmt_prepare(*v, out);
        FUZZ_CHECK(out == in);
      }
      break;
    case Command::kFieldList:
      if (auto v = decode_com_field_list(in)) {
        encode_com_field_list(*v, out);
        FUZZ_CHECK(out == in);
      }
      break;
    case Command::kSetOption:
      if (auto v = decode_com_set_option(in)) {
        encode_com_set_option(*v, out);
        FUZZ_CHECK(out == in.substr(0, 3));
      }
      break;
    case Command::kStmtClose:
      if (auto v = decode_com_stmt_close(in)) {
        encode_com_stmt_close(*v, out);
        FUZZ_CHECK(out == in.substr(0, 5));
      }
      break;
    case Command::kStmtReset:
      if (auto v = decode_com_stmt_reset(in)) {
        encode_com_stmt_reset(*v, out);
        FUZZ_CHECK(out == in.substr(0, 5));
      }
      break;
    case Command::kStmtSendLongData:
      if (auto v = decode_com_stmt_send_long_data(in)) {
        encode_com_stmt_send_long_data(*v, out);
        FUZZ_CHECK(out == in);
      }
      break;
    case Command::kStmtFetch:
      if (auto v = decode_com_stmt_fetch(in)) {
        encode_com_stmt_fetch(*v, out);
        FUZZ_CHECK(out == in.substr(0, 9));
      }
      break;
    case Command::kChangeUser:
      change_user(in, caps);
      break;
    case Command::kQuit:
    case Command::kPing:
    case Command::kStatistics:
    case Command::kResetConnection:
      if (decode_simple_command(in, cmd)) {
        encode_simple_command(cmd, out);
        FUZZ_CHECK(out == in.substr(0, 1));
      }
      break;
    default:
      break;
  }
}

constexpr Command kDecoded[] = {
    Command::kQuery,       Command::kInitDb,
    Command::kStmtPrepare, Command::kFieldList,
    Command::kSetOption,   Command::kStmtClose,
    Command::kStmtReset,   Command::kStmtSendLongData,
    Command::kStmtFetch,   Command::kChangeUser,
    Command::kQuit,        Command::kPing,
    Command::kStatistics,  Command::kResetConnection,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr uint32_t kCaps[] = {
      0,
      cap::kProtocol41,
      cap::kProtocol41 | cap::kSecureConnection,
      cap::kProtocol41 | cap::kSecureConnection | cap::kPluginAuth,
      cap::kProtocol41 | cap::kSecureConnection | cap::kPluginAuth | cap::kConnectAttrs,
      cap::kProtocol41 | cap::kPluginAuth | cap::kConnectAttrs,
      cap::kSupported,
      0xFFFFFFFFu,
  };
  uint32_t caps = kCaps[data[0] % 8];
  std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  Command own = command_of(in);
  (void)command_name(own);
  decode_as(own, in, caps);
  if (in.empty()) return 0;
  for (Command c : kDecoded) {
    in[0] = char(c);
    decode_as(c, in, caps);
  }
  return 0;
}
