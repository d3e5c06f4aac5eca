// Fuzz target: binary-protocol decoders. Input layout:
//   byte 0       mode: 0 = prepare OK, 1 = COM_STMT_EXECUTE, 2 = binary row (mod 3)
//   execute:     byte 1 num_params (0..255), byte 2 long-data seed; the previously bound types
//                are the (type, flag) pairs that follow, 2 bytes per param; then the payload
//   binary row:  byte 1 number of columns (0..63), then one type byte and one flag byte per
//                column (flag bit 0 = UNSIGNED, bits 1-3 = decimals 0..6 or 31); then the row
// Whatever decodes is re-encoded and decoded again and must give the same values (bitwise for
// floats); every value is rendered with to_text and, when that text parses back, re-rendered
// identically.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "protocol/binary.h"
#include "protocol/value_text.h"

namespace {

using namespace gh::mysql;

bool same(const BinaryValue& a, const BinaryValue& b) {
  if (a.index() != b.index()) return false;
  if (const float* f = std::get_if<float>(&a))
    return std::bit_cast<uint32_t>(*f) == std::bit_cast<uint32_t>(std::get<float>(b));
  if (const double* d = std::get_if<double>(&a))
    return std::bit_cast<uint64_t>(*d) == std::bit_cast<uint64_t>(std::get<double>(b));
  return a == b;
}

void text_round_trip(const BinaryValue& v, const ColumnDefinition& c) {
  std::string text = to_text(v, c);
  if (is_null(v)) return;
  auto parsed = from_text(text, c);
  if (!parsed) return;  // e.g. month 13 or a 5-digit year: no text form that parses
  FUZZ_CHECK(to_text(*parsed, c) == text);
}

void prepare_ok(std::string_view in) {
  auto ok = decode_stmt_prepare_ok(in);
  if (!ok) return;
  std::string out;
  encode_stmt_prepare_ok(*ok, out);
  auto back = decode_stmt_prepare_ok(out);
  FUZZ_CHECK(back && *back == *ok);
  if (in.size() == 12 && in[9] == 0) FUZZ_CHECK(out == in);
}

void execute(std::string_view in) {
  if (in.size() < 2) return;
  uint16_t num_params = uint8_t(in[0]);
  uint8_t seed = uint8_t(in[1]);
  in.remove_prefix(2);
  size_t type_bytes = std::min(in.size(), size_t(num_params) * 2);
  std::vector<ParamType> bound;
  for (size_t i = 0; i + 1 < type_bytes; i += 2)
    bound.push_back({static_cast<FieldType>(uint8_t(in[i])), uint8_t(in[i + 1])});
  in.remove_prefix(type_bytes);
  std::vector<bool> long_data;
  if (seed & 1)
    for (size_t i = 0; i < num_params; ++i) long_data.push_back((seed >> (1 + i % 7)) & 1);

  auto e = decode_stmt_execute(in, num_params, bound, long_data);
  if (!e) return;
  FUZZ_CHECK(e->params.size() == num_params);
  std::string out;
  FUZZ_CHECK(encode_stmt_execute(*e, out));
  auto back = decode_stmt_execute(out, num_params, bound, long_data);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->statement_id == e->statement_id && back->flags == e->flags);
  FUZZ_CHECK(back->iteration_count == e->iteration_count);
  FUZZ_CHECK(num_params == 0 || back->new_params_bound == e->new_params_bound);
  for (size_t i = 0; i < num_params; ++i) {
    FUZZ_CHECK(back->params[i].type == e->params[i].type);
    FUZZ_CHECK(back->params[i].long_data == e->params[i].long_data);
    FUZZ_CHECK(same(back->params[i].value, e->params[i].value));
  }
  FUZZ_CHECK(out.size() <= in.size());  // the encoder never spends more bytes
}

void binary_row(std::string_view in) {
  if (in.empty()) return;
  size_t n = uint8_t(in[0]) % 64;
  in.remove_prefix(1);
  if (in.size() < n * 2) return;
  static constexpr uint8_t kDecimals[] = {0, 1, 2, 3, 4, 5, 6, 31};
  std::vector<ColumnDefinition> cols(n);
  for (size_t i = 0; i < n; ++i) {
    cols[i].type = static_cast<FieldType>(uint8_t(in[2 * i]));
    uint8_t flags = uint8_t(in[2 * i + 1]);
    cols[i].flags = (flags & 1) ? column_flag::kUnsigned : 0;
    cols[i].decimals = kDecimals[(flags >> 1) & 7];
    if (flags & 0x10) {
      cols[i].flags |= column_flag::kZerofill;
      cols[i].column_length = flags >> 5;
    }
  }
  in.remove_prefix(n * 2);
  std::vector<BinaryValue> row;
  if (!decode_binary_row(in, cols, row)) return;
  FUZZ_CHECK(row.size() == n);
  std::string out;
  FUZZ_CHECK(encode_binary_row(row, cols, out));
  std::vector<BinaryValue> back;
  FUZZ_CHECK(decode_binary_row(out, cols, back));
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(same(back[i], row[i]));
    text_round_trip(row[i], cols[i]);
  }
  FUZZ_CHECK(out.size() <= in.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      prepare_ok(in);
      break;
    case 1:
      execute(in);
      break;
    default:
      binary_row(in);
      break;
  }
  return 0;
}
