// Conversions between binary-protocol values and their text-protocol form: what a server sends
// in a text row for the same value of the same column. Used to render prepared-statement
// results as text (JSON output, logs) and to serve text results to binary-protocol clients.
//
// Formatting follows MariaDB 10.11 (and MySQL): integers in decimal, ZEROFILL padded to the
// column length; FLOAT/DOUBLE with a fixed number of decimals when the column has them (< 31),
// else the shortest form that reads back (FLOAT: 6 significant digits), in exponent notation
// ("1e20", "1.5e-7") when the decimal point is more than 15 places from the first digit;
// DATE "YYYY-MM-DD"; DATETIME/TIMESTAMP "YYYY-MM-DD HH:MM:SS" plus as many fraction digits as
// the column's decimals; TIME "[-]HH:MM:SS[.ffffff]" with hours = days * 24 + hour; zero
// dates "0000-00-00"; bytes unchanged.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "protocol/binary.h"
#include "protocol/resultset.h"

namespace gh::mysql {

// Column decimals at or above this mean "not fixed" (MariaDB uses 31, MySQL 8 uses 39).
inline constexpr uint8_t kNotFixedDecimals = 31;

// The text-protocol form of v in column c. NULL has no text form: it yields "" (check
// is_null first). A value whose kind does not match the column is still rendered by its kind.
std::string to_text(const BinaryValue& v, const ColumnDefinition& c);

// Number formatting as the server does it (see above). `decimals` < kNotFixedDecimals: fixed.
std::string format_double(double v, uint8_t decimals = kNotFixedDecimals);
std::string format_float(float v, uint8_t decimals = kNotFixedDecimals);

// The typed value of a text-protocol cell of column c, as a binary row would carry it: NULL
// (nullopt) -> monostate; integers by the UNSIGNED flag; FLOAT, DOUBLE; temporal types parsed
// into MysqlTime; everything else a view of the text. Errc::kMalformedPacket when the text is
// not a value of the column's type.
Result<BinaryValue> from_text(std::optional<std::string_view> text, const ColumnDefinition& c);

// "YYYY-MM-DD[ HH:MM:SS[.f{1,6}]]" and "[-]H+:MM:SS[.f{1,6}]" (hours split into days * 24 + hour).
Result<MysqlTime> parse_datetime(std::string_view text);
Result<MysqlTime> parse_time(std::string_view text);

}  // namespace gh::mysql
