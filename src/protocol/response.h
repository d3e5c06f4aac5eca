// Generic responses: OK (0x00, or 0xFE ending a result set under CLIENT_DEPRECATE_EOF),
// ERR (0xFF) and the legacy EOF (0xFE, shorter than 9 bytes). Decoded fields are views into
// the payload. Encoders append a payload (no header) to `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh::mysql {

struct OkPacket {
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t status_flags = 0;
  uint16_t warnings = 0;
  std::string_view info;
  std::string_view session_state;  // raw session-state-change block (CLIENT_SESSION_TRACK)
};

struct ErrPacket {
  uint16_t code = 0;
  std::string_view sqlstate;  // 5 chars, or empty for pre-4.1 style errors
  std::string_view message;
};

struct EofPacket {
  uint16_t warnings = 0;
  uint16_t status_flags = 0;
};

inline bool is_ok_header(std::string_view p) { return !p.empty() && uint8_t(p[0]) == 0x00; }
inline bool is_err(std::string_view p) { return !p.empty() && uint8_t(p[0]) == 0xFF; }
// A legacy EOF, or an OK-with-0xFE-header ending a result set (both < 0xFFFFFF bytes; an EOF
// proper is < 9 bytes, which is what tells it from a text row starting with a 0xFE lenenc).
inline bool is_eof(std::string_view p) {
  return !p.empty() && uint8_t(p[0]) == 0xFE && p.size() < 9;
}
inline bool is_eof_or_ok_fe(std::string_view p, bool deprecate_eof) {
  return !p.empty() && uint8_t(p[0]) == 0xFE && (p.size() < 9 || deprecate_eof) &&
         p.size() < 0xFFFFFF;
}

Result<OkPacket> decode_ok(std::string_view payload, uint32_t capabilities);
void encode_ok(const OkPacket& ok, uint32_t capabilities, std::string& out, uint8_t header = 0x00);

Result<ErrPacket> decode_err(std::string_view payload);
void encode_err(uint16_t code, std::string_view sqlstate, std::string_view message,
                std::string& out);
// An ERR for a gatehouse error code: errno kMysqlErrorBase + code, message "gatehouse: ...".
void encode_gatehouse_err(Errc code, std::string_view detail, std::string& out);

Result<EofPacket> decode_eof(std::string_view payload);
void encode_eof(const EofPacket& eof, std::string& out);

// Status flags of an OK or EOF payload, whichever it is (0 when it is neither).
uint16_t terminal_status(std::string_view payload, uint32_t capabilities);

}  // namespace gh::mysql
