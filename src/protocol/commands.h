// Client commands of the command phase (text protocol and prepared-statement housekeeping):
// decoders for the server side and encoders for the client side. A command payload is the
// command byte followed by its arguments; packets carrying it always start at sequence id 0.
//
// Decoders check the command byte (Errc::kUnexpectedPacket when it is another command) and
// return views into the payload unless noted. Encoders append a payload (no header) to `out`.
// COM_STMT_EXECUTE lives in binary.h with the rest of the binary protocol.
//
// Not negotiated, hence not decoded: CLIENT_QUERY_ATTRIBUTES (MySQL 8.0.23+ prefixes COM_QUERY
// with a parameter block) and MariaDB's COM_STMT_BULK_EXECUTE (0xFA).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "protocol/capabilities.h"

namespace gh::mysql {

// The command byte of a payload. An empty payload yields Command::kSleep, which no client sends
// and every server rejects, so callers can treat it as "no command".
Command command_of(std::string_view payload);
// "COM_QUERY", "COM_STMT_EXECUTE", ...; "COM_UNKNOWN" for bytes without a name.
std::string_view command_name(Command c);

// COM_QUERY (0x03): the SQL text, string<EOF>.
Result<std::string_view> decode_com_query(std::string_view payload);
void encode_com_query(std::string_view sql, std::string& out);

// COM_INIT_DB (0x02): the schema name, string<EOF>.
Result<std::string_view> decode_com_init_db(std::string_view payload);
void encode_com_init_db(std::string_view schema, std::string& out);

// COM_STMT_PREPARE (0x16): the statement text, string<EOF>.
Result<std::string_view> decode_com_stmt_prepare(std::string_view payload);
void encode_com_stmt_prepare(std::string_view sql, std::string& out);

// Commands without arguments: COM_QUIT, COM_PING, COM_STATISTICS, COM_RESET_CONNECTION (and
// COM_DEBUG, COM_PROCESS_INFO). Servers ignore trailing bytes and so does the decoder.
Status decode_simple_command(std::string_view payload, Command expected);
void encode_simple_command(Command c, std::string& out);

// COM_SET_OPTION (0x1b): uint16 option.
enum class SetOption : uint16_t { kMultiStatementsOn = 0, kMultiStatementsOff = 1 };
Result<uint16_t> decode_com_set_option(std::string_view payload);
void encode_com_set_option(uint16_t option, std::string& out);

// COM_FIELD_LIST (0x04, deprecated): table string<NUL>, then a wildcard string<EOF>.
struct ComFieldList {
  std::string_view table;
  std::string_view wildcard;
};
Result<ComFieldList> decode_com_field_list(std::string_view payload);
void encode_com_field_list(const ComFieldList& c, std::string& out);

// COM_STMT_CLOSE (0x19) and COM_STMT_RESET (0x1a): uint32 statement id. MariaDB reads
// 0xFFFFFFFF as "the statement prepared last" (see binary.h, kLastStatementId).
Result<uint32_t> decode_com_stmt_close(std::string_view payload);
void encode_com_stmt_close(uint32_t statement_id, std::string& out);
Result<uint32_t> decode_com_stmt_reset(std::string_view payload);
void encode_com_stmt_reset(uint32_t statement_id, std::string& out);

// COM_STMT_SEND_LONG_DATA (0x18): uint32 statement id, uint16 parameter, data string<EOF>.
// The server sends no response to it.
struct ComStmtSendLongData {
  uint32_t statement_id = 0;
  uint16_t param_id = 0;
  std::string_view data;
};
Result<ComStmtSendLongData> decode_com_stmt_send_long_data(std::string_view payload);
void encode_com_stmt_send_long_data(const ComStmtSendLongData& c, std::string& out);

// COM_STMT_FETCH (0x1c): uint32 statement id, uint32 number of rows.
struct ComStmtFetch {
  uint32_t statement_id = 0;
  uint32_t num_rows = 0;
};
Result<ComStmtFetch> decode_com_stmt_fetch(std::string_view payload);
void encode_com_stmt_fetch(const ComStmtFetch& c, std::string& out);

// COM_CHANGE_USER (0x11). Layout (libmysql/libmariadb send_change_user_packet, MariaDB
// parse_com_change_user_packet), with the capabilities negotiated at connect time:
//   user string<NUL>
//   CLIENT_SECURE_CONNECTION ? auth_len u8 + auth[auth_len] : auth string<NUL>
//     (never lenenc: CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA applies to the handshake only)
//   schema string<NUL>
//   -- the rest is optional ("if more data") --
//   collation u16
//   CLIENT_PLUGIN_AUTH ? plugin string<NUL>
//   CLIENT_CONNECT_ATTRS ? attrs lenenc-length + (lenenc key, lenenc value)*
// Fields are owned copies: a session keeps them after the packet is gone.
struct ComChangeUser {
  std::string user;
  std::string auth_response;
  std::string schema;
  uint16_t collation = 0;  // 0 when the client did not send one (old clients)
  std::string auth_plugin;
  std::vector<std::pair<std::string, std::string>> attributes;
};
// Connection attributes kept per COM_CHANGE_USER; later ones are skipped (like the handshake).
inline constexpr size_t kMaxChangeUserAttributes = 64;

Result<ComChangeUser> decode_com_change_user(std::string_view payload, uint32_t capabilities);
// Writes the collation always; the plugin and attributes when their capability is set. Fails
// with std::errc::invalid_argument (and writes nothing) for what the layout cannot carry: an
// auth response over 255 bytes (or holding a NUL without CLIENT_SECURE_CONNECTION), or a NUL
// inside user, schema or plugin.
Status encode_com_change_user(const ComChangeUser& c, uint32_t capabilities, std::string& out);

}  // namespace gh::mysql
