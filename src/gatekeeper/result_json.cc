// Upstream responses decoded into JSON (see result_json.h).
#include "gatekeeper/result_json.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "common/json_text.h"
#include "protocol/binary.h"
#include "protocol/packet.h"
#include "protocol/response.h"
#include "protocol/value_text.h"

namespace gh::gatekeeper {

using namespace gh::mysql;

namespace {

constexpr int64_t kMaxSafeInteger = (int64_t(1) << 53);

// Splits `frames` into logical packets (joining 16 MiB continuations). Stops at the end or at
// the first incomplete frame.
class PacketCursor {
 public:
  explicit PacketCursor(std::string_view frames) : rest_(frames) {}
  // Next logical packet; false at the end.
  bool next(std::string_view& payload) {
    auto f = parse_frame(rest_);
    if (!f) return false;
    rest_.remove_prefix(f->wire_size);
    if (!f->continued()) {
      payload = f->payload;
      return true;
    }
    joined_.assign(f->payload);
    for (;;) {
      auto g = parse_frame(rest_);
      if (!g) break;
      rest_.remove_prefix(g->wire_size);
      joined_.append(g->payload);
      if (!g->continued()) break;
    }
    payload = joined_;
    return true;
  }

 private:
  std::string_view rest_;
  std::string joined_;
};

bool is_integer_type(FieldType t) {
  switch (t) {
    case FieldType::kTiny:
    case FieldType::kShort:
    case FieldType::kInt24:
    case FieldType::kLong:
    case FieldType::kYear:
    case FieldType::kLongLong:
      return true;
    default:
      return false;
  }
}

bool is_stringish(FieldType t) {
  switch (t) {
    case FieldType::kVarchar:
    case FieldType::kVarString:
    case FieldType::kString:
    case FieldType::kTinyBlob:
    case FieldType::kMediumBlob:
    case FieldType::kLongBlob:
    case FieldType::kBlob:
    case FieldType::kGeometry:
      return true;
    default:
      return false;
  }
}

// A text cell that is a plain decimal integer the JSON number grammar accepts.
bool json_integer_text(std::string_view s) {
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i >= s.size()) return false;
  if (s[i] == '0' && s.size() > i + 1) return false;  // ZEROFILL "007": keep as string
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// A text cell that is a valid JSON number (finite float/double as the server prints them).
bool json_number_text(std::string_view s) {
  double d;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  // from_chars accepts "inf", "nan", leading '+'/'.', which JSON does not.
  size_t i = (s[0] == '-') ? 1 : 0;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  if (s[i] == '0' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
      return false;
  if (s.back() == '.' || s.find(".e") != std::string_view::npos ||
      s.find(".E") != std::string_view::npos)
    return false;
  return true;
}

void append_column_json(std::string& out, const ColumnDefinition& c) {
  out += "{\"name\":";
  append_json_string(out, c.name);
  out += ",\"type\":\"";
  out += field_type_name(c.type);
  out += '"';
  if (column_is_binary(c)) out += ",\"binary\":true";
  if (c.is_unsigned() && is_integer_type(c.type)) out += ",\"unsigned\":true";
  out += '}';
}

}  // namespace

std::optional<std::string> decode_single_value(std::string_view frames, uint32_t capabilities,
                                               uint32_t mariadb_capabilities) {
  PacketCursor cursor(frames);
  std::string_view p;
  if (!cursor.next(p)) return std::nullopt;
  auto count = decode_column_count(p, mariadb_capabilities);
  if (!count || count->count != 1) return std::nullopt;
  if (count->metadata_follows && !cursor.next(p)) return std::nullopt;  // the definition
  if (!(capabilities & cap::kDeprecateEof) && (!cursor.next(p) || !is_eof(p))) return std::nullopt;
  if (!cursor.next(p) || is_err(p) || is_eof_or_ok_fe(p, capabilities & cap::kDeprecateEof))
    return std::nullopt;
  std::vector<TextValue> values;
  if (!decode_text_row(p, 1, values) || !values[0]) return std::nullopt;
  return std::string(*values[0]);
}

bool column_is_binary(const ColumnDefinition& c) {
  if (c.type == FieldType::kGeometry) return true;
  return c.collation == kBinaryCollation && is_stringish(c.type);
}

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case FieldType::kDecimal:
      return "DECIMAL";
    case FieldType::kTiny:
      return "TINY";
    case FieldType::kShort:
      return "SHORT";
    case FieldType::kLong:
      return "LONG";
    case FieldType::kFloat:
      return "FLOAT";
    case FieldType::kDouble:
      return "DOUBLE";
    case FieldType::kNull:
      return "NULL";
    case FieldType::kTimestamp:
      return "TIMESTAMP";
    case FieldType::kLongLong:
      return "LONGLONG";
    case FieldType::kInt24:
      return "INT24";
    case FieldType::kDate:
      return "DATE";
    case FieldType::kTime:
      return "TIME";
    case FieldType::kDateTime:
      return "DATETIME";
    case FieldType::kYear:
      return "YEAR";
    case FieldType::kNewDate:
      return "NEWDATE";
    case FieldType::kVarchar:
      return "VARCHAR";
    case FieldType::kBit:
      return "BIT";
    case FieldType::kTimestamp2:
      return "TIMESTAMP2";
    case FieldType::kDateTime2:
      return "DATETIME2";
    case FieldType::kTime2:
      return "TIME2";
    case FieldType::kJson:
      return "JSON";
    case FieldType::kNewDecimal:
      return "NEWDECIMAL";
    case FieldType::kEnum:
      return "ENUM";
    case FieldType::kSet:
      return "SET";
    case FieldType::kTinyBlob:
      return "TINY_BLOB";
    case FieldType::kMediumBlob:
      return "MEDIUM_BLOB";
    case FieldType::kLongBlob:
      return "LONG_BLOB";
    case FieldType::kBlob:
      return "BLOB";
    case FieldType::kVarString:
      return "VAR_STRING";
    case FieldType::kString:
      return "STRING";
    case FieldType::kGeometry:
      return "GEOMETRY";
  }
  return "UNKNOWN";
}

void append_json_cell(std::string& out, std::optional<std::string_view> text,
                      const ColumnDefinition& c) {
  if (!text) {
    out += "null";
    return;
  }
  std::string_view v = *text;
  if (is_integer_type(c.type)) {
    if (json_integer_text(v)) {
      bool safe = true;
      if (c.type == FieldType::kLongLong) {
        int64_t n = 0;
        if (v[0] == '-') {
          auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
          safe = ec == std::errc() && p == v.data() + v.size() && n >= -kMaxSafeInteger;
        } else {
          uint64_t u = 0;
          auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), u);
          safe = ec == std::errc() && p == v.data() + v.size() && u <= uint64_t(kMaxSafeInteger);
        }
      }
      if (safe) {
        out += v;
        return;
      }
    }
    append_json_string(out, v);
    return;
  }
  switch (c.type) {
    case FieldType::kFloat:
    case FieldType::kDouble:
      if (json_number_text(v)) {
        out += v;
      } else {
        append_json_string(out, v);
      }
      return;
    case FieldType::kBit:
      if (v.size() <= 6) {  // up to 48 bits: exact in a double
        uint64_t n = 0;
        for (char ch : v) n = (n << 8) | static_cast<unsigned char>(ch);
        out += fmt::format("{}", n);
      } else {
        out += '"';
        append_base64(out, v);
        out += '"';
      }
      return;
    default:
      break;
  }
  if (column_is_binary(c)) {
    out += '"';
    append_base64(out, v);
    out += '"';
    return;
  }
  append_json_string(out, v);
}

Status decode_response(std::string_view frames, uint32_t capabilities, bool binary_rows,
                       const ResultLimits& limits, bool frames_truncated, StatementResult& out,
                       const MetadataCache& metadata) {
  out = StatementResult{};
  out.truncated = frames_truncated;
  PacketCursor cursor(frames);
  std::string_view p;
  if (!cursor.next(p) || p.empty()) return fail(Errc::kMalformedPacket);
  if (is_err(p)) {
    auto err = decode_err(p);
    if (!err) return fail(err.error());
    out.error = true;
    out.err_code = err->code;
    out.sqlstate = std::string(err->sqlstate);
    out.err_message = std::string(err->message);
    return {};
  }
  if (is_ok_header(p)) {
    auto ok = decode_ok(p, capabilities);
    if (!ok) return fail(ok.error());
    out.affected_rows = ok->affected_rows;
    out.last_insert_id = ok->last_insert_id;
    out.warnings = ok->warnings;
    return {};
  }
  auto count = decode_column_count(p, metadata.capabilities);
  if (!count) return fail(count.error());
  if (count->count == 0 || count->count > 4096) return fail(Errc::kMalformedPacket);
  out.has_result_set = true;
  // Column definitions view into payloads that may be rebuilt by the cursor only for
  // continuation packets, which definitions never are; copy names to be safe anyway.
  std::vector<std::string> defs_storage;
  const std::vector<std::string>* defs = &defs_storage;
  if (count->metadata_follows) {
    defs_storage.reserve(count->count);
    for (uint64_t i = 0; i < count->count; ++i) {
      if (!cursor.next(p)) return fail(Errc::kMalformedPacket);
      defs_storage.emplace_back(p);
    }
    if (metadata.sent) *metadata.sent = defs_storage;
  } else {  // skipped: the statement's cached definitions
    if (!metadata.cached || metadata.cached->size() != count->count)
      return fail(Errc::kUnexpectedPacket);
    defs = metadata.cached;
  }
  std::vector<ColumnDefinition> columns;
  columns.reserve(count->count);
  for (const auto& d : *defs) {
    auto def = decode_column_definition(d);
    if (!def) return fail(def.error());
    columns.push_back(*def);
  }
  bool deprecate_eof = capabilities & cap::kDeprecateEof;
  if (!deprecate_eof) {
    if (!cursor.next(p)) return fail(Errc::kMalformedPacket);
    if (!is_eof(p)) return fail(Errc::kMalformedPacket);
  }
  out.columns_json.clear();
  out.columns_json += '[';
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out.columns_json += ',';
    append_column_json(out.columns_json, columns[i]);
  }
  out.columns_json += ']';

  out.rows_json.clear();
  out.rows_json += '[';
  std::vector<TextValue> text_values;
  std::vector<BinaryValue> binary_values;
  std::string scratch;
  bool ended = false;
  while (cursor.next(p)) {
    if (is_err(p)) {  // an error in the middle of the rows (e.g. a killed query)
      auto err = decode_err(p);
      if (!err) return fail(err.error());
      out.error = true;
      out.err_code = err->code;
      out.sqlstate = std::string(err->sqlstate);
      out.err_message = std::string(err->message);
      ended = true;
      break;
    }
    if (is_eof_or_ok_fe(p, deprecate_eof)) {
      if (deprecate_eof) {
        auto ok = decode_ok(p, capabilities);
        if (ok) out.warnings = ok->warnings;
      }
      ended = true;
      break;  // later result sets (CALL) are not returned
    }
    if (out.row_count >= limits.max_rows || out.rows_json.size() >= limits.max_bytes) {
      out.truncated = true;
      continue;  // keep scanning for the terminator
    }
    size_t row_start = out.rows_json.size();
    if (out.row_count) out.rows_json += ',';
    out.rows_json += '[';
    if (binary_rows) {
      if (auto s = decode_binary_row(p, columns, binary_values); !s) return s;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out.rows_json += ',';
        if (is_null(binary_values[i])) {
          out.rows_json += "null";
          continue;
        }
        if (const auto* bytes = std::get_if<std::string_view>(&binary_values[i])) {
          append_json_cell(out.rows_json, *bytes, columns[i]);
        } else {
          scratch = to_text(binary_values[i], columns[i]);
          append_json_cell(out.rows_json, std::string_view(scratch), columns[i]);
        }
      }
    } else {
      if (auto s = decode_text_row(p, columns.size(), text_values); !s) return s;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out.rows_json += ',';
        append_json_cell(out.rows_json, text_values[i], columns[i]);
      }
    }
    out.rows_json += ']';
    if (out.rows_json.size() > limits.max_bytes) {  // this row crossed the limit: drop it
      out.rows_json.resize(row_start);
      out.truncated = true;
      continue;
    }
    ++out.row_count;
  }
  out.rows_json += ']';
  if (!ended && !frames_truncated) return fail(Errc::kMalformedPacket);
  return {};
}

}  // namespace gh::gatekeeper
