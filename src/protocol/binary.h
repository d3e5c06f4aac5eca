// The binary protocol of prepared statements: typed values, the COM_STMT_PREPARE response,
// COM_STMT_EXECUTE and binary result rows. Pure codec; text conversions are in value_text.h.
//
// A prepare exchange: COM_STMT_PREPARE -> StmtPrepareOk, then num_params column definitions
// (+EOF without CLIENT_DEPRECATE_EOF), then num_columns column definitions (+EOF). An execute:
// COM_STMT_EXECUTE -> OK/ERR, or a result set whose rows are binary rows (0x00 header, so an
// OK-looking first byte is a row here) ended by EOF/OK with the 0xFE header.
//
// MariaDB notes (10.11): the PREPARE response is always 12 bytes (no MySQL 8 metadata_follows
// byte: that needs CLIENT_OPTIONAL_RESULTSET_METADATA, which gatehouse never offers); statement
// id 0xFFFFFFFF means "the statement prepared last" (pipelined prepare+execute, see
// kLastStatementId); extended type metadata (MARIADB_CLIENT_EXTENDED_METADATA) is not
// negotiated; zero dates ('0000-00-00') arrive as a 0-length value, as do TIME '00:00:00'.
// MariaDB's COM_STMT_BULK_EXECUTE (0xFA) is not decoded. Beware: MariaDB 10.11 takes a
// parameter declared MYSQL_TYPE_YEAR as NULL *without consuming its 2 bytes*, so every later
// parameter is read from the wrong offset; send years as SHORT (as client libraries do).
// Cursors (flags kReadOnly): the execute response is the column definitions and one EOF / OK
// carrying SERVER_STATUS_CURSOR_EXISTS, rows come with COM_STMT_FETCH; COM_STMT_SEND_LONG_DATA
// and COM_STMT_CLOSE get no response at all.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.h"
#include "protocol/capabilities.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"

namespace gh::mysql {

// A MYSQL_TIME-like value for DATE, DATETIME, TIMESTAMP and TIME. For TIME the hours are
// days * 24 + hour (the wire keeps them apart; "-838:59:59" is days 34, hour 22) and
// `negative` is the sign; dates leave both at zero.
struct MysqlTime {
  uint16_t year = 0;
  uint8_t month = 0;
  uint8_t day = 0;
  uint8_t hour = 0;
  uint8_t minute = 0;
  uint8_t second = 0;
  uint32_t microsecond = 0;
  bool negative = false;
  uint32_t days = 0;

  bool operator==(const MysqlTime&) const = default;
};

// One value of the binary protocol. monostate is SQL NULL; integer columns decode to int64_t,
// or uint64_t when the column (parameter) is UNSIGNED; FLOAT to float, DOUBLE to double;
// temporal types to MysqlTime; everything else (DECIMAL, strings, BLOBs, BIT, ENUM, SET, JSON,
// GEOMETRY) to bytes, a view into the decoded payload (or into the caller's data to encode).
using BinaryValue =
    std::variant<std::monostate, int64_t, uint64_t, float, double, std::string_view, MysqlTime>;

inline bool is_null(const BinaryValue& v) { return std::holds_alternative<std::monostate>(v); }

// How a field type is laid out in the binary protocol.
enum class BinaryLayout : uint8_t {
  kNone,    // NULL: no bytes
  kInt8,    // TINY
  kInt16,   // SHORT, YEAR
  kInt32,   // LONG, INT24
  kInt64,   // LONGLONG
  kFloat,   // 4-byte IEEE
  kDouble,  // 8-byte IEEE
  kDate,    // DATE, DATETIME, TIMESTAMP (and NEWDATE): length 0, 4, 7 or 11, then fields
  kTime,    // TIME: length 0, 8 or 12, then fields
  kBytes,   // everything else: lenenc string
};
BinaryLayout binary_layout(FieldType type);

// One value of `type` at the reader's position. Errc::kMalformedPacket when it is short or a
// temporal length is not one of the above.
Result<BinaryValue> read_binary_value(Reader& r, FieldType type, bool is_unsigned);
// Appends v (which must not be NULL: NULLs live in bitmaps) in the layout of `type`. Fails with
// std::errc::invalid_argument when v's kind does not fit: integers must fit the width (signed
// or unsigned), FLOAT takes float, DOUBLE float or double, temporal types MysqlTime, bytes
// string_view. Temporal values take the shortest length that holds them.
Status write_binary_value(Writer& w, FieldType type, const BinaryValue& v);

// ---- COM_STMT_PREPARE response -------------------------------------------------------------

inline constexpr uint32_t kLastStatementId = 0xFFFFFFFF;

// 0x00, statement_id u32, num_columns u16, num_params u16, filler, warnings u16 (12 bytes).
// The decoder accepts the 9-byte pre-4.1 form (no warnings) and ignores bytes after the 12th.
struct StmtPrepareOk {
  uint32_t statement_id = 0;
  uint16_t num_columns = 0;
  uint16_t num_params = 0;
  uint16_t warnings = 0;
  bool operator==(const StmtPrepareOk&) const = default;
};
Result<StmtPrepareOk> decode_stmt_prepare_ok(std::string_view payload);
void encode_stmt_prepare_ok(const StmtPrepareOk& ok, std::string& out);

// ---- COM_STMT_EXECUTE ----------------------------------------------------------------------

namespace cursor {
inline constexpr uint8_t kNoCursor = 0;
inline constexpr uint8_t kReadOnly = 1;
inline constexpr uint8_t kForUpdate = 2;
inline constexpr uint8_t kScrollable = 4;
}  // namespace cursor

inline constexpr uint8_t kParamUnsigned = 0x80;  // in the flag byte of a parameter type

struct ParamType {
  FieldType type = FieldType::kNull;
  uint8_t flags = 0;  // kParamUnsigned
  bool is_unsigned() const { return flags & kParamUnsigned; }
  bool operator==(const ParamType&) const = default;
};

struct BinaryParam {
  ParamType type;
  BinaryValue value;       // monostate: NULL
  bool long_data = false;  // sent earlier with COM_STMT_SEND_LONG_DATA: no bit, no bytes here
};

// A parameter typed the way client libraries type it: int64 -> LONGLONG, uint64 -> LONGLONG
// UNSIGNED, float -> FLOAT, double -> DOUBLE, bytes -> VAR_STRING, MysqlTime -> DATETIME (or
// TIME when negative or days are set), NULL -> NULL.
BinaryParam make_param(BinaryValue v);
inline BinaryParam make_param(BinaryValue v, FieldType type, bool is_unsigned = false) {
  return BinaryParam{ParamType{type, uint8_t(is_unsigned ? kParamUnsigned : 0)}, v, false};
}

// statement_id u32, flags u8 (cursor type), iteration_count u32 (always 1), and when the
// statement has parameters: NULL bitmap ((n + 7) / 8 bytes), new_params_bound u8, the n
// (type, flag) byte pairs when new_params_bound, then each non-NULL value.
struct StmtExecute {
  uint32_t statement_id = 0;
  uint8_t flags = cursor::kNoCursor;
  uint32_t iteration_count = 1;
  bool new_params_bound = true;
  std::vector<BinaryParam> params;
};

// The number of parameters is not in the packet: the caller knows it from the PREPARE
// response. When the client does not rebind (new_params_bound == 0) the values are laid out
// with the types of the previous execute, `bound_types` (kMalformedPacket when there are fewer
// than num_params of them). `long_data[i]` marks parameters that were sent with
// COM_STMT_SEND_LONG_DATA since the last execute: the server skips them here. Trailing bytes
// after the last value are malformed.
Result<StmtExecute> decode_stmt_execute(std::string_view payload, uint16_t num_params,
                                        std::span<const ParamType> bound_types = {},
                                        const std::vector<bool>& long_data = {});
// The NULL bitmap is derived from the values. Without new_params_bound the values are written
// with each param's `type`, which must be the previously bound one. Fails (writing nothing)
// when a value does not fit its type or there are more than 65535 params.
Status encode_stmt_execute(const StmtExecute& e, std::string& out);

// ---- binary result rows --------------------------------------------------------------------

// Bytes of the NULL bitmap of a binary row of n columns (bits start at offset 2).
constexpr size_t binary_row_bitmap_size(size_t columns) { return (columns + 7 + 2) / 8; }

// 0x00, NULL bitmap, then each non-NULL value laid out by its column's type (and UNSIGNED flag).
// `out` is cleared first; string values are views into `payload`. Trailing bytes are malformed.
Status decode_binary_row(std::string_view payload, std::span<const ColumnDefinition> columns,
                         std::vector<BinaryValue>& out);
// Appends a row; values.size() must equal columns.size() (else invalid_argument, like a value
// that does not fit its column type). Nothing is written on failure.
Status encode_binary_row(std::span<const BinaryValue> values,
                         std::span<const ColumnDefinition> columns, std::string& out);

}  // namespace gh::mysql
