// Result-set pieces: the column count, ColumnDefinition41, and text-protocol rows.
// Binary-protocol rows (prepared statements) live in binary.h.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "protocol/capabilities.h"

namespace gh::mysql {

struct ColumnDefinition {
  std::string_view catalog = "def";
  std::string_view schema;
  std::string_view table;
  std::string_view org_table;
  std::string_view name;
  std::string_view org_name;
  uint16_t collation = kDefaultCollation;
  uint32_t column_length = 0;
  FieldType type = FieldType::kVarString;
  uint16_t flags = 0;
  uint8_t decimals = 0;

  bool is_binary() const { return collation == kBinaryCollation; }
  bool is_unsigned() const { return flags & column_flag::kUnsigned; }
};

Result<ColumnDefinition> decode_column_definition(std::string_view payload);
void encode_column_definition(const ColumnDefinition& c, std::string& out);

// The first packet of a result set: the number of columns (lenenc). Errors for OK/ERR/EOF.
// The first packet of a result set under MariaDB's metadata caching (mariadb_cap::
// kCacheMetadata in `mariadb_capabilities`): the count, then a "metadata follows" byte. When 0,
// the column definitions are skipped (the client has them cached). Without the capability, or
// without the byte, metadata_follows is true.
struct ColumnCount {
  uint64_t count = 0;
  bool metadata_follows = true;
};
Result<ColumnCount> decode_column_count(std::string_view payload, uint32_t mariadb_capabilities);
Result<uint64_t> decode_column_count(std::string_view payload);

using TextValue = std::optional<std::string_view>;  // nullopt is SQL NULL

// Decodes a text row of `columns` values into `out` (cleared first).
Status decode_text_row(std::string_view payload, size_t columns, std::vector<TextValue>& out);
void encode_text_row(std::span<const TextValue> values, std::string& out);

}  // namespace gh::mysql
