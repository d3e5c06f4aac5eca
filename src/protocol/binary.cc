// The binary protocol of prepared statements: implementation (see binary.h).
#include "protocol/binary.h"

#include <bit>

namespace gh::mysql {
namespace {

std::unexpected<std::error_code> invalid() {
  return fail(std::make_error_code(std::errc::invalid_argument));
}

Result<uint64_t> read_le(Reader& r, size_t width) {
  switch (width) {
    case 1: {
      GH_TRY(v, r.u8());
      return v;
    }
    case 2: {
      GH_TRY(v, r.u16());
      return v;
    }
    case 4: {
      GH_TRY(v, r.u32());
      return v;
    }
    default:
      return r.u64();
  }
}

void write_le(Writer& w, uint64_t v, size_t width) {
  switch (width) {
    case 1:
      w.u8(uint8_t(v));
      break;
    case 2:
      w.u16(uint16_t(v));
      break;
    case 4:
      w.u32(uint32_t(v));
      break;
    default:
      w.u64(v);
      break;
  }
}

Result<BinaryValue> read_int(Reader& r, size_t width, bool is_unsigned) {
  GH_TRY(raw, read_le(r, width));
  if (is_unsigned) return BinaryValue(raw);
  unsigned shift = unsigned(64 - 8 * width);  // sign-extend from `width` bytes
  return BinaryValue(static_cast<int64_t>(raw << shift) >> shift);
}

// The bit pattern of an integer value if it fits `width` bytes as signed or unsigned.
Result<uint64_t> int_bits(const BinaryValue& v, size_t width) {
  unsigned bits = unsigned(8 * width);
  if (const auto* i = std::get_if<int64_t>(&v)) {
    if (bits < 64 && (*i < -(int64_t(1) << (bits - 1)) || *i >= (int64_t(1) << bits)))
      return invalid();
    return uint64_t(*i);
  }
  if (const auto* u = std::get_if<uint64_t>(&v)) {
    if (bits < 64 && *u >= (uint64_t(1) << bits)) return invalid();
    return *u;
  }
  return invalid();
}

Result<BinaryValue> read_date(Reader& r) {
  GH_TRY(len, r.u8());
  if (len != 0 && len != 4 && len != 7 && len != 11) return fail(Errc::kMalformedPacket);
  GH_TRY(body, r.fixed(len));
  Reader b(body);
  MysqlTime t;
  if (len >= 4) {
    t.year = *b.u16();
    t.month = *b.u8();
    t.day = *b.u8();
  }
  if (len >= 7) {
    t.hour = *b.u8();
    t.minute = *b.u8();
    t.second = *b.u8();
  }
  if (len == 11) t.microsecond = *b.u32();
  return BinaryValue(t);
}

Result<BinaryValue> read_time(Reader& r) {
  GH_TRY(len, r.u8());
  if (len != 0 && len != 8 && len != 12) return fail(Errc::kMalformedPacket);
  GH_TRY(body, r.fixed(len));
  Reader b(body);
  MysqlTime t;
  if (len >= 8) {
    t.negative = *b.u8() != 0;
    t.days = *b.u32();
    t.hour = *b.u8();
    t.minute = *b.u8();
    t.second = *b.u8();
  }
  if (len == 12) t.microsecond = *b.u32();
  return BinaryValue(t);
}

Status write_date(Writer& w, const BinaryValue& v) {
  const auto* t = std::get_if<MysqlTime>(&v);
  if (!t || t->negative || t->days) return invalid();
  uint8_t len = t->microsecond                        ? 11
                : (t->hour || t->minute || t->second) ? 7
                : (t->year || t->month || t->day)     ? 4
                                                      : 0;
  w.u8(len);
  if (len >= 4) w.u16(t->year).u8(t->month).u8(t->day);
  if (len >= 7) w.u8(t->hour).u8(t->minute).u8(t->second);
  if (len == 11) w.u32(t->microsecond);
  return {};
}

Status write_time(Writer& w, const BinaryValue& v) {
  const auto* t = std::get_if<MysqlTime>(&v);
  if (!t || t->year || t->month || t->day) return invalid();
  uint8_t len = t->microsecond                                                  ? 12
                : (t->negative || t->days || t->hour || t->minute || t->second) ? 8
                                                                                : 0;
  w.u8(len);
  if (len >= 8) w.u8(t->negative ? 1 : 0).u32(t->days).u8(t->hour).u8(t->minute).u8(t->second);
  if (len == 12) w.u32(t->microsecond);
  return {};
}

bool bit_set(std::string_view bitmap, size_t bit) {
  return uint8_t(bitmap[bit / 8]) & (1u << (bit % 8));
}
void set_bit(std::string& bitmap, size_t bit) {
  bitmap[bit / 8] = char(uint8_t(bitmap[bit / 8]) | (1u << (bit % 8)));
}

}  // namespace

BinaryLayout binary_layout(FieldType type) {
  switch (type) {
    case FieldType::kNull:
      return BinaryLayout::kNone;
    case FieldType::kTiny:
      return BinaryLayout::kInt8;
    case FieldType::kShort:
    case FieldType::kYear:
      return BinaryLayout::kInt16;
    case FieldType::kLong:
    case FieldType::kInt24:
      return BinaryLayout::kInt32;
    case FieldType::kLongLong:
      return BinaryLayout::kInt64;
    case FieldType::kFloat:
      return BinaryLayout::kFloat;
    case FieldType::kDouble:
      return BinaryLayout::kDouble;
    case FieldType::kDate:
    case FieldType::kNewDate:
    case FieldType::kDateTime:
    case FieldType::kTimestamp:
      return BinaryLayout::kDate;
    case FieldType::kTime:
      return BinaryLayout::kTime;
    default:
      return BinaryLayout::kBytes;
  }
}

Result<BinaryValue> read_binary_value(Reader& r, FieldType type, bool is_unsigned) {
  switch (binary_layout(type)) {
    case BinaryLayout::kNone:
      return BinaryValue();
    case BinaryLayout::kInt8:
      return read_int(r, 1, is_unsigned);
    case BinaryLayout::kInt16:
      return read_int(r, 2, is_unsigned);
    case BinaryLayout::kInt32:
      return read_int(r, 4, is_unsigned);
    case BinaryLayout::kInt64:
      return read_int(r, 8, is_unsigned);
    case BinaryLayout::kFloat: {
      GH_TRY(bits, r.u32());
      return BinaryValue(std::bit_cast<float>(bits));
    }
    case BinaryLayout::kDouble: {
      GH_TRY(bits, r.u64());
      return BinaryValue(std::bit_cast<double>(bits));
    }
    case BinaryLayout::kDate:
      return read_date(r);
    case BinaryLayout::kTime:
      return read_time(r);
    case BinaryLayout::kBytes:
      break;
  }
  GH_TRY(bytes, r.lenenc_str());
  return BinaryValue(bytes);
}

Status write_binary_value(Writer& w, FieldType type, const BinaryValue& v) {
  size_t width = 0;
  switch (binary_layout(type)) {
    case BinaryLayout::kNone:
      return invalid();
    case BinaryLayout::kInt8:
      width = 1;
      break;
    case BinaryLayout::kInt16:
      width = 2;
      break;
    case BinaryLayout::kInt32:
      width = 4;
      break;
    case BinaryLayout::kInt64:
      width = 8;
      break;
    case BinaryLayout::kFloat: {
      const auto* f = std::get_if<float>(&v);
      if (!f) return invalid();
      w.u32(std::bit_cast<uint32_t>(*f));
      return {};
    }
    case BinaryLayout::kDouble: {
      const auto* d = std::get_if<double>(&v);
      const auto* f = std::get_if<float>(&v);
      if (!d && !f) return invalid();
      w.u64(std::bit_cast<uint64_t>(d ? *d : double(*f)));
      return {};
    }
    case BinaryLayout::kDate:
      return write_date(w, v);
    case BinaryLayout::kTime:
      return write_time(w, v);
    case BinaryLayout::kBytes: {
      const auto* s = std::get_if<std::string_view>(&v);
      if (!s) return invalid();
      w.lenenc_str(*s);
      return {};
    }
  }
  GH_TRY(bits, int_bits(v, width));
  write_le(w, bits, width);
  return {};
}

// ---- COM_STMT_PREPARE response -------------------------------------------------------------

Result<StmtPrepareOk> decode_stmt_prepare_ok(std::string_view payload) {
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0x00) return fail(Errc::kUnexpectedPacket);
  StmtPrepareOk ok;
  GH_TRY(id, r.u32());
  GH_TRY(columns, r.u16());
  GH_TRY(params, r.u16());
  ok.statement_id = id;
  ok.num_columns = columns;
  ok.num_params = params;
  if (r.empty()) return ok;
  GH_TRY(filler, r.u8());
  (void)filler;
  GH_TRY(warnings, r.u16());
  ok.warnings = warnings;
  return ok;
}

void encode_stmt_prepare_ok(const StmtPrepareOk& ok, std::string& out) {
  Writer(out)
      .u8(0x00)
      .u32(ok.statement_id)
      .u16(ok.num_columns)
      .u16(ok.num_params)
      .u8(0)
      .u16(ok.warnings);
}

// ---- COM_STMT_EXECUTE ----------------------------------------------------------------------

BinaryParam make_param(BinaryValue v) {
  struct Pick {
    ParamType operator()(std::monostate) const { return {FieldType::kNull, 0}; }
    ParamType operator()(int64_t) const { return {FieldType::kLongLong, 0}; }
    ParamType operator()(uint64_t) const { return {FieldType::kLongLong, kParamUnsigned}; }
    ParamType operator()(float) const { return {FieldType::kFloat, 0}; }
    ParamType operator()(double) const { return {FieldType::kDouble, 0}; }
    ParamType operator()(std::string_view) const { return {FieldType::kVarString, 0}; }
    ParamType operator()(const MysqlTime& t) const {
      return {t.negative || t.days ? FieldType::kTime : FieldType::kDateTime, 0};
    }
  };
  return BinaryParam{std::visit(Pick{}, v), v, false};
}

Result<StmtExecute> decode_stmt_execute(std::string_view payload, uint16_t num_params,
                                        std::span<const ParamType> bound_types,
                                        const std::vector<bool>& long_data) {
  Reader r(payload);
  GH_TRY(cmd, r.u8());
  if (cmd != uint8_t(Command::kStmtExecute)) return fail(Errc::kUnexpectedPacket);
  StmtExecute e;
  GH_TRY(id, r.u32());
  GH_TRY(flags, r.u8());
  GH_TRY(iterations, r.u32());
  e.statement_id = id;
  e.flags = flags;
  e.iteration_count = iterations;
  if (num_params > 0) {
    GH_TRY(bitmap, r.fixed((size_t(num_params) + 7) / 8));
    GH_TRY(bound, r.u8());
    e.new_params_bound = bound != 0;
    if (!e.new_params_bound && bound_types.size() < num_params) return fail(Errc::kMalformedPacket);
    if (e.new_params_bound && r.remaining() < size_t(num_params) * 2)
      return fail(Errc::kMalformedPacket);
    e.params.resize(num_params);
    for (size_t i = 0; i < num_params; ++i) {
      if (e.new_params_bound) {
        GH_TRY(type, r.u8());
        GH_TRY(type_flags, r.u8());
        e.params[i].type = ParamType{static_cast<FieldType>(type), type_flags};
      } else {
        e.params[i].type = bound_types[i];
      }
    }
    for (size_t i = 0; i < num_params; ++i) {
      BinaryParam& p = e.params[i];
      if (i < long_data.size() && long_data[i]) {
        p.long_data = true;
        continue;
      }
      if (bit_set(bitmap, i)) continue;
      GH_TRY(value, read_binary_value(r, p.type.type, p.type.is_unsigned()));
      p.value = value;
    }
  }
  if (!r.empty()) return fail(Errc::kMalformedPacket);
  return e;
}

Status encode_stmt_execute(const StmtExecute& e, std::string& out) {
  if (e.params.size() > 0xFFFF) return invalid();
  size_t start = out.size();
  Writer w(out);
  w.u8(uint8_t(Command::kStmtExecute)).u32(e.statement_id).u8(e.flags).u32(e.iteration_count);
  if (e.params.empty()) return {};
  std::string bitmap((e.params.size() + 7) / 8, '\0');
  for (size_t i = 0; i < e.params.size(); ++i)
    if (!e.params[i].long_data && is_null(e.params[i].value)) set_bit(bitmap, i);
  w.raw(bitmap).u8(e.new_params_bound ? 1 : 0);
  if (e.new_params_bound)
    for (const BinaryParam& p : e.params) w.u8(uint8_t(p.type.type)).u8(p.type.flags);
  for (const BinaryParam& p : e.params) {
    if (p.long_data || is_null(p.value)) continue;
    if (auto s = write_binary_value(w, p.type.type, p.value); !s) {
      out.resize(start);
      return s;
    }
  }
  return {};
}

// ---- binary result rows --------------------------------------------------------------------

Status decode_binary_row(std::string_view payload, std::span<const ColumnDefinition> columns,
                         std::vector<BinaryValue>& out) {
  out.clear();
  Reader r(payload);
  GH_TRY(header, r.u8());
  if (header != 0x00) return fail(Errc::kUnexpectedPacket);
  GH_TRY(bitmap, r.fixed(binary_row_bitmap_size(columns.size())));
  out.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    if (bit_set(bitmap, i + 2)) {
      out.emplace_back();
      continue;
    }
    GH_TRY(value, read_binary_value(r, columns[i].type, columns[i].is_unsigned()));
    out.push_back(value);
  }
  if (!r.empty()) return fail(Errc::kMalformedPacket);
  return {};
}

Status encode_binary_row(std::span<const BinaryValue> values,
                         std::span<const ColumnDefinition> columns, std::string& out) {
  if (values.size() != columns.size()) return invalid();
  size_t start = out.size();
  std::string bitmap(binary_row_bitmap_size(columns.size()), '\0');
  for (size_t i = 0; i < values.size(); ++i)
    if (is_null(values[i])) set_bit(bitmap, i + 2);
  Writer w(out);
  w.u8(0x00).raw(bitmap);
  for (size_t i = 0; i < values.size(); ++i) {
    if (is_null(values[i])) continue;
    if (auto s = write_binary_value(w, columns[i].type, values[i]); !s) {
      out.resize(start);
      return s;
    }
  }
  return {};
}

}  // namespace gh::mysql
