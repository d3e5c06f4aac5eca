// Fuzz target: response decoders. The first byte picks the capabilities and a column count;
// the rest is tried as OK, ERR, EOF, column count, column definition and text row. Decoded
// values are re-encoded and decoded again (exact bytes where the layout is canonical).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "protocol/capabilities.h"
#include "protocol/response.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"

namespace {

using namespace gh::mysql;

void ok_packet(std::string_view in, uint32_t caps) {
  auto ok = decode_ok(in, caps);
  if (!ok) return;
  (void)terminal_status(in, caps);
  if (!(caps & cap::kProtocol41)) return;  // encode_ok speaks 4.1 only
  std::string out;
  encode_ok(*ok, caps, out, uint8_t(in[0]));
  auto back = decode_ok(out, caps);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->affected_rows == ok->affected_rows);
  FUZZ_CHECK(back->last_insert_id == ok->last_insert_id);
  FUZZ_CHECK(back->status_flags == ok->status_flags);
  FUZZ_CHECK(back->warnings == ok->warnings);
  FUZZ_CHECK(back->info == ok->info);
  FUZZ_CHECK(back->session_state == ok->session_state);
}

void err_packet(std::string_view in) {
  auto err = decode_err(in);
  if (!err) return;
  if (err->sqlstate.empty()) return;  // the encoder always writes a SQLSTATE
  std::string out;
  encode_err(err->code, err->sqlstate, err->message, out);
  FUZZ_CHECK(out == in);
}

void eof_packet(std::string_view in, uint32_t caps) {
  auto eof = decode_eof(in);
  if (!eof) return;
  (void)terminal_status(in, caps);
  std::string out;
  encode_eof(*eof, out);
  if (in.size() == 5) FUZZ_CHECK(out == in);
}

void column_count(std::string_view in) {
  auto n = decode_column_count(in);
  if (!n) return;
  std::string out;
  Writer(out).lenenc_int(*n);
  auto back = decode_column_count(out);
  FUZZ_CHECK(back && *back == *n);
}

void column_definition(std::string_view in) {
  auto c = decode_column_definition(in);
  if (!c) return;
  std::string out;
  encode_column_definition(*c, out);
  auto back = decode_column_definition(out);
  FUZZ_CHECK(back);
  FUZZ_CHECK(back->catalog == c->catalog && back->schema == c->schema);
  FUZZ_CHECK(back->table == c->table && back->org_table == c->org_table);
  FUZZ_CHECK(back->name == c->name && back->org_name == c->org_name);
  FUZZ_CHECK(back->collation == c->collation && back->column_length == c->column_length);
  FUZZ_CHECK(back->type == c->type && back->flags == c->flags && back->decimals == c->decimals);
}

void text_row(std::string_view in, size_t columns) {
  std::vector<TextValue> row;
  if (!decode_text_row(in, columns, row)) return;
  FUZZ_CHECK(row.size() == columns);
  std::string out;
  encode_text_row(row, out);
  std::vector<TextValue> back;
  FUZZ_CHECK(decode_text_row(out, columns, back));
  FUZZ_CHECK(back == row);
  FUZZ_CHECK(out.size() <= in.size());  // minimal lenencs are never longer
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr uint32_t kCaps[] = {
      0,
      cap::kTransactions,
      cap::kProtocol41 | cap::kTransactions,
      cap::kProtocol41 | cap::kSessionTrack,
      cap::kProtocol41 | cap::kSessionTrack | cap::kDeprecateEof,
      cap::kProtocol41 | cap::kDeprecateEof,
  };
  uint32_t caps = kCaps[data[0] % 6];
  size_t columns = data[0] / 6;  // 0..42
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  ok_packet(in, caps);
  err_packet(in);
  eof_packet(in, caps);
  column_count(in);
  column_definition(in);
  text_row(in, columns);
  (void)is_eof_or_ok_fe(in, caps & cap::kDeprecateEof);
  (void)terminal_status(in, caps);
  return 0;
}
