// Generic responses: implementation (see response.h).
#include "protocol/response.h"

#include "protocol/capabilities.h"
#include "protocol/wire.h"

namespace gh::mysql {

Result<OkPacket> decode_ok(std::string_view payload, uint32_t capabilities) {
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0x00 && header != 0xFE) return fail(Errc::kUnexpectedPacket);
  OkPacket ok;
  GH_TRY(affected, r.lenenc_int());
  ok.affected_rows = affected;
  GH_TRY(insert_id, r.lenenc_int());
  ok.last_insert_id = insert_id;
  if (capabilities & cap::kProtocol41) {
    GH_TRY(status, r.u16());
    ok.status_flags = status;
    GH_TRY(warnings, r.u16());
    ok.warnings = warnings;
  } else if (capabilities & cap::kTransactions) {
    GH_TRY(status, r.u16());
    ok.status_flags = status;
  }
  if (r.empty()) return ok;
  if (capabilities & cap::kSessionTrack) {
    GH_TRY(info, r.lenenc_str());
    ok.info = info;
    if ((ok.status_flags & status::kSessionStateChanged) && !r.empty()) {
      GH_TRY(state, r.lenenc_str());
      ok.session_state = state;
    }
  } else {
    ok.info = r.rest();
  }
  return ok;
}

void encode_ok(const OkPacket& ok, uint32_t capabilities, std::string& out, uint8_t header) {
  Writer w(out);
  w.u8(header).lenenc_int(ok.affected_rows).lenenc_int(ok.last_insert_id);
  w.u16(ok.status_flags).u16(ok.warnings);
  if (capabilities & cap::kSessionTrack) {
    if (!ok.info.empty() || (ok.status_flags & status::kSessionStateChanged)) w.lenenc_str(ok.info);
    if (ok.status_flags & status::kSessionStateChanged) w.lenenc_str(ok.session_state);
  } else {
    w.raw(ok.info);
  }
}

Result<ErrPacket> decode_err(std::string_view payload) {
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0xFF) return fail(Errc::kUnexpectedPacket);
  ErrPacket err;
  GH_TRY(code, r.u16());
  err.code = code;
  if (!r.empty() && payload[r.position()] == '#') {
    GH_TRY(marker, r.u8());
    (void)marker;
    GH_TRY(state, r.fixed(5));
    err.sqlstate = state;
  }
  err.message = r.rest();
  return err;
}

void encode_err(uint16_t code, std::string_view sqlstate, std::string_view message,
                std::string& out) {
  Writer w(out);
  w.u8(0xFF).u16(code).u8('#');
  std::string state(sqlstate.substr(0, 5));
  state.resize(5, '0');
  w.raw(state).raw(message);
}

void encode_gatehouse_err(Errc code, std::string_view detail, std::string& out) {
  std::string message = "gatehouse: ";
  message += errc_name(code);
  message += ": ";
  if (detail.empty()) {
    message += make_error_code(code).message();
  } else {
    message += detail;
  }
  encode_err(mysql_errno(code), mysql_sqlstate(code), message, out);
}

Result<EofPacket> decode_eof(std::string_view payload) {
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0xFE || payload.size() >= 9) return fail(Errc::kUnexpectedPacket);
  EofPacket eof;
  if (r.remaining() >= 4) {
    GH_TRY(warnings, r.u16());
    GH_TRY(status, r.u16());
    eof.warnings = warnings;
    eof.status_flags = status;
  }
  return eof;
}

void encode_eof(const EofPacket& eof, std::string& out) {
  Writer(out).u8(0xFE).u16(eof.warnings).u16(eof.status_flags);
}

uint16_t terminal_status(std::string_view payload, uint32_t capabilities) {
  if (payload.empty()) return 0;
  uint8_t h = uint8_t(payload[0]);
  if (h == 0xFE && payload.size() < 9 && !(capabilities & cap::kDeprecateEof)) {
    auto eof = decode_eof(payload);
    return eof ? eof->status_flags : 0;
  }
  if (h == 0x00 || h == 0xFE) {
    auto ok = decode_ok(payload, capabilities);
    return ok ? ok->status_flags : 0;
  }
  return 0;
}

}  // namespace gh::mysql
