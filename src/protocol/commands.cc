// Client commands: implementation (see commands.h).
#include "protocol/commands.h"

#include "protocol/wire.h"

namespace gh::mysql {
namespace {

// Reads the command byte and checks it.
Result<Reader> open(std::string_view payload, Command expected) {
  Reader r(payload);
  GH_TRY(cmd, r.u8());
  if (cmd != uint8_t(expected)) return fail(Errc::kUnexpectedPacket);
  return r;
}

Result<std::string_view> decode_text_command(std::string_view payload, Command expected) {
  GH_TRY(r, open(payload, expected));
  return r.rest();
}

void encode_text_command(Command c, std::string_view text, std::string& out) {
  Writer(out).u8(uint8_t(c)).raw(text);
}

Result<uint32_t> decode_statement_id(std::string_view payload, Command expected) {
  GH_TRY(r, open(payload, expected));
  return r.u32();
}

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

}  // namespace

Command command_of(std::string_view payload) {
  return payload.empty() ? Command::kSleep : static_cast<Command>(uint8_t(payload[0]));
}

std::string_view command_name(Command c) {
  switch (c) {
    case Command::kSleep:
      return "COM_SLEEP";
    case Command::kQuit:
      return "COM_QUIT";
    case Command::kInitDb:
      return "COM_INIT_DB";
    case Command::kQuery:
      return "COM_QUERY";
    case Command::kFieldList:
      return "COM_FIELD_LIST";
    case Command::kCreateDb:
      return "COM_CREATE_DB";
    case Command::kDropDb:
      return "COM_DROP_DB";
    case Command::kRefresh:
      return "COM_REFRESH";
    case Command::kShutdown:
      return "COM_SHUTDOWN";
    case Command::kStatistics:
      return "COM_STATISTICS";
    case Command::kProcessInfo:
      return "COM_PROCESS_INFO";
    case Command::kConnect:
      return "COM_CONNECT";
    case Command::kProcessKill:
      return "COM_PROCESS_KILL";
    case Command::kDebug:
      return "COM_DEBUG";
    case Command::kPing:
      return "COM_PING";
    case Command::kChangeUser:
      return "COM_CHANGE_USER";
    case Command::kBinlogDump:
      return "COM_BINLOG_DUMP";
    case Command::kStmtPrepare:
      return "COM_STMT_PREPARE";
    case Command::kStmtExecute:
      return "COM_STMT_EXECUTE";
    case Command::kStmtSendLongData:
      return "COM_STMT_SEND_LONG_DATA";
    case Command::kStmtClose:
      return "COM_STMT_CLOSE";
    case Command::kStmtReset:
      return "COM_STMT_RESET";
    case Command::kSetOption:
      return "COM_SET_OPTION";
    case Command::kStmtFetch:
      return "COM_STMT_FETCH";
    case Command::kResetConnection:
      return "COM_RESET_CONNECTION";
  }
  return "COM_UNKNOWN";
}

Result<std::string_view> decode_com_query(std::string_view payload) {
  return decode_text_command(payload, Command::kQuery);
}
void encode_com_query(std::string_view sql, std::string& out) {
  encode_text_command(Command::kQuery, sql, out);
}

Result<std::string_view> decode_com_init_db(std::string_view payload) {
  return decode_text_command(payload, Command::kInitDb);
}
void encode_com_init_db(std::string_view schema, std::string& out) {
  encode_text_command(Command::kInitDb, schema, out);
}

Result<std::string_view> decode_com_stmt_prepare(std::string_view payload) {
  return decode_text_command(payload, Command::kStmtPrepare);
}
void encode_com_stmt_prepare(std::string_view sql, std::string& out) {
  encode_text_command(Command::kStmtPrepare, sql, out);
}

Status decode_simple_command(std::string_view payload, Command expected) {
  GH_TRY(r, open(payload, expected));
  (void)r;
  return {};
}
void encode_simple_command(Command c, std::string& out) { Writer(out).u8(uint8_t(c)); }

Result<uint16_t> decode_com_set_option(std::string_view payload) {
  GH_TRY(r, open(payload, Command::kSetOption));
  return r.u16();
}
void encode_com_set_option(uint16_t option, std::string& out) {
  Writer(out).u8(uint8_t(Command::kSetOption)).u16(option);
}

Result<ComFieldList> decode_com_field_list(std::string_view payload) {
  GH_TRY(r, open(payload, Command::kFieldList));
  ComFieldList c;
  GH_TRY(table, r.null_str());
  c.table = table;
  c.wildcard = r.rest();
  return c;
}
void encode_com_field_list(const ComFieldList& c, std::string& out) {
  Writer(out).u8(uint8_t(Command::kFieldList)).null_str(c.table).raw(c.wildcard);
}

Result<uint32_t> decode_com_stmt_close(std::string_view payload) {
  return decode_statement_id(payload, Command::kStmtClose);
}
void encode_com_stmt_close(uint32_t statement_id, std::string& out) {
  Writer(out).u8(uint8_t(Command::kStmtClose)).u32(statement_id);
}

Result<uint32_t> decode_com_stmt_reset(std::string_view payload) {
  return decode_statement_id(payload, Command::kStmtReset);
}
void encode_com_stmt_reset(uint32_t statement_id, std::string& out) {
  Writer(out).u8(uint8_t(Command::kStmtReset)).u32(statement_id);
}

Result<ComStmtSendLongData> decode_com_stmt_send_long_data(std::string_view payload) {
  GH_TRY(r, open(payload, Command::kStmtSendLongData));
  ComStmtSendLongData c;
  GH_TRY(id, r.u32());
  GH_TRY(param, r.u16());
  c.statement_id = id;
  c.param_id = param;
  c.data = r.rest();
  return c;
}
void encode_com_stmt_send_long_data(const ComStmtSendLongData& c, std::string& out) {
  Writer(out)
      .u8(uint8_t(Command::kStmtSendLongData))
      .u32(c.statement_id)
      .u16(c.param_id)
      .raw(c.data);
}

Result<ComStmtFetch> decode_com_stmt_fetch(std::string_view payload) {
  GH_TRY(r, open(payload, Command::kStmtFetch));
  ComStmtFetch c;
  GH_TRY(id, r.u32());
  GH_TRY(rows, r.u32());
  c.statement_id = id;
  c.num_rows = rows;
  return c;
}
void encode_com_stmt_fetch(const ComStmtFetch& c, std::string& out) {
  Writer(out).u8(uint8_t(Command::kStmtFetch)).u32(c.statement_id).u32(c.num_rows);
}

Result<ComChangeUser> decode_com_change_user(std::string_view payload, uint32_t capabilities) {
  GH_TRY(r, open(payload, Command::kChangeUser));
  ComChangeUser c;
  GH_TRY(user, r.null_str());
  c.user = user;
  if (capabilities & cap::kSecureConnection) {
    GH_TRY(len, r.u8());
    GH_TRY(auth, r.fixed(len));
    c.auth_response = auth;
  } else {
    GH_TRY(auth, r.null_str());
    c.auth_response = auth;
  }
  GH_TRY(schema, r.null_str());
  c.schema = schema;
  if (r.empty()) return c;
  GH_TRY(collation, r.u16());
  c.collation = collation;
  if ((capabilities & cap::kPluginAuth) && !r.empty()) {
    GH_TRY(plugin, r.null_str());
    c.auth_plugin = plugin;
  }
  if ((capabilities & cap::kConnectAttrs) && !r.empty()) {
    GH_TRY(total, r.lenenc_int());
    if (total > r.remaining()) return fail(Errc::kMalformedPacket);
    GH_TRY(block, r.fixed(size_t(total)));
    Reader a(block);
    while (!a.empty()) {
      GH_TRY(k, a.lenenc_str());
      GH_TRY(v, a.lenenc_str());
      if (c.attributes.size() < kMaxChangeUserAttributes)
        c.attributes.emplace_back(std::string(k), std::string(v));
    }
  }
  return c;
}

Status encode_com_change_user(const ComChangeUser& c, uint32_t capabilities, std::string& out) {
  bool secure = capabilities & cap::kSecureConnection;
  if (has_nul(c.user) || has_nul(c.schema) || has_nul(c.auth_plugin) ||
      (secure ? c.auth_response.size() > 255 : has_nul(c.auth_response)))
    return fail(std::make_error_code(std::errc::invalid_argument));
  Writer w(out);
  w.u8(uint8_t(Command::kChangeUser)).null_str(c.user);
  if (secure) {
    w.u8(uint8_t(c.auth_response.size())).raw(c.auth_response);
  } else {
    w.null_str(c.auth_response);
  }
  w.null_str(c.schema).u16(c.collation);
  if (capabilities & cap::kPluginAuth) w.null_str(c.auth_plugin);
  if (capabilities & cap::kConnectAttrs) {
    std::string block;
    Writer b(block);
    for (const auto& [k, v] : c.attributes) b.lenenc_str(k).lenenc_str(v);
    w.lenenc_str(block);
  }
  return {};
}

}  // namespace gh::mysql
