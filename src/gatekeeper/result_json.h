// StatementResult: one upstream response (the raw MySQL frames of an OK, ERR, text result set
// or binary result set) decoded into the JSON pieces of an HTTP API answer. Pure: fuzzable and
// unit-tested with exact bytes.
//
// Value mapping (per column type; NULL is always null):
//   TINY/SHORT/INT24/LONG/YEAR, and LONGLONG within +-2^53      -> JSON number
//   LONGLONG beyond 2^53 (signed or unsigned), DECIMAL          -> JSON string (exact)
//   FLOAT/DOUBLE                                                -> JSON number (as the server
//                                                                  formats it)
//   BIT                                                         -> number (<= 53 bits), else
//                                                                  base64
//   binary strings/BLOB/GEOMETRY (binary collation 63)          -> base64 string, the column is
//                                                                  marked "binary": true
//   everything else (text, DATE/TIME/DATETIME, JSON, ENUM, SET) -> JSON string
// Only the first result set is returned (a CALL's later ones are counted, not returned).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "protocol/resultset.h"

namespace gh::gatekeeper {

struct StatementResult {
  bool error = false;  // the server answered with ERR
  uint16_t err_code = 0;
  std::string sqlstate;
  std::string err_message;

  bool has_result_set = false;
  std::string columns_json = "[]";  // [{"name":"id","type":"LONG"},...]
  std::string rows_json = "[]";     // [[1,"a"],...]
  uint64_t row_count = 0;           // rows in rows_json
  uint64_t affected_rows = 0;
  uint64_t last_insert_id = 0;
  uint16_t warnings = 0;
  bool truncated = false;  // rows beyond the limits were dropped
};

struct ResultLimits {
  size_t max_rows = 10000;
  size_t max_bytes = 8u << 20;  // of rows_json
};

// `frames` holds whole frames (header + payload) of one response. `binary_rows`: a response to
// COM_STMT_EXECUTE. `frames_truncated`: the reader dropped frames past its byte limit (the
// terminator may be missing). Errors only for bytes that are not a valid response.
//
// MariaDB's metadata caching: with mariadb_cap::kCacheMetadata in `metadata.capabilities`, a
// result may skip its column definitions; `metadata.cached` then supplies them (from the
// statement's PREPARE), and a result that carries definitions leaves them in `metadata.sent`
// so the caller can refresh its cache.
struct MetadataCache {
  uint32_t capabilities = 0;  // the connection's negotiated MariaDB extended capabilities
  const std::vector<std::string>* cached = nullptr;
  std::vector<std::string>* sent = nullptr;
};
Status decode_response(std::string_view frames, uint32_t capabilities, bool binary_rows,
                       const ResultLimits& limits, bool frames_truncated, StatementResult& out,
                       const MetadataCache& metadata = {});

// The only value of a one-row, one-column text result (e.g. SELECT @gatehouse_last_node);
// nullopt for anything else (ERR, NULL, other shapes).
std::optional<std::string> decode_single_value(std::string_view frames, uint32_t capabilities,
                                               uint32_t mariadb_capabilities = 0);

// "LONG", "VAR_STRING", ... (MySQL's names without the MYSQL_TYPE_ prefix).
std::string_view field_type_name(mysql::FieldType type);
// Appends one cell (text-protocol form, nullopt = NULL) as JSON per the mapping above.
void append_json_cell(std::string& out, std::optional<std::string_view> text,
                      const mysql::ColumnDefinition& column);
bool column_is_binary(const mysql::ColumnDefinition& column);

}  // namespace gh::gatekeeper
