// Result-set pieces: implementation (see resultset.h).
#include "protocol/resultset.h"

#include "protocol/wire.h"

namespace gh::mysql {

Result<ColumnDefinition> decode_column_definition(std::string_view payload) {
  Reader r(payload);
  ColumnDefinition c;
  GH_TRY(catalog, r.lenenc_str());
  GH_TRY(schema, r.lenenc_str());
  GH_TRY(table, r.lenenc_str());
  GH_TRY(org_table, r.lenenc_str());
  GH_TRY(name, r.lenenc_str());
  GH_TRY(org_name, r.lenenc_str());
  c.catalog = catalog;
  c.schema = schema;
  c.table = table;
  c.org_table = org_table;
  c.name = name;
  c.org_name = org_name;
  GH_TRY(fixed_len, r.lenenc_int());
  if (fixed_len < 0x0a) return fail(Errc::kMalformedPacket);
  GH_TRY(collation, r.u16());
  GH_TRY(length, r.u32());
  GH_TRY(type, r.u8());
  GH_TRY(flags, r.u16());
  GH_TRY(decimals, r.u8());
  c.collation = collation;
  c.column_length = length;
  c.type = static_cast<FieldType>(type);
  c.flags = flags;
  c.decimals = decimals;
  return c;
}

void encode_column_definition(const ColumnDefinition& c, std::string& out) {
  Writer w(out);
  w.lenenc_str(c.catalog).lenenc_str(c.schema).lenenc_str(c.table).lenenc_str(c.org_table);
  w.lenenc_str(c.name).lenenc_str(c.org_name);
  w.lenenc_int(0x0c).u16(c.collation).u32(c.column_length).u8(uint8_t(c.type));
  w.u16(c.flags).u8(c.decimals).u16(0);
}

Result<ColumnCount> decode_column_count(std::string_view payload, uint32_t mariadb_capabilities) {
  if (payload.empty()) return fail(Errc::kMalformedPacket);
  uint8_t h = uint8_t(payload[0]);
  if (h == 0x00 || h == 0xFF || h == 0xFB || (h == 0xFE && payload.size() < 9))
    return fail(Errc::kUnexpectedPacket);
  Reader r(payload);
  ColumnCount c;
  GH_TRY(n, r.lenenc_int());
  c.count = n;
  if ((mariadb_capabilities & mariadb_cap::kCacheMetadata) && !r.empty()) {
    GH_TRY(follows, r.u8());
    if (follows > 1) return fail(Errc::kMalformedPacket);
    c.metadata_follows = follows == 1;
  }
  if (n == 0 || !r.empty()) return fail(Errc::kMalformedPacket);
  return c;
}

Result<uint64_t> decode_column_count(std::string_view payload) {
  GH_TRY(c, decode_column_count(payload, 0));
  return c.count;
}

Status decode_text_row(std::string_view payload, size_t columns, std::vector<TextValue>& out) {
  out.clear();
  Reader r(payload);
  for (size_t i = 0; i < columns; ++i) {
    GH_TRY(first, r.peek());
    if (first == 0xFB) {
      (void)r.u8();
      out.emplace_back(std::nullopt);
      continue;
    }
    GH_TRY(value, r.lenenc_str());
    out.emplace_back(value);
  }
  if (!r.empty()) return fail(Errc::kMalformedPacket);
  return {};
}

void encode_text_row(std::span<const TextValue> values, std::string& out) {
  Writer w(out);
  for (const auto& v : values) {
    if (v) {
      w.lenenc_str(*v);
    } else {
      w.u8(0xFB);
    }
  }
}

}  // namespace gh::mysql
