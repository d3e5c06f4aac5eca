// decode_response(): upstream MySQL frames turned into the API's JSON. The first byte picks the
// capabilities (DEPRECATE_EOF or not), text or binary rows, and small row/byte limits.
// Invariants: never crash; on success, columns_json and rows_json parse as JSON arrays, the row
// count matches and the limits hold.
#include <boost/json.hpp>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gatekeeper/result_json.h"
#include "protocol/capabilities.h"

using namespace gh::gatekeeper;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  std::string_view frames(reinterpret_cast<const char*>(data) + 1, size - 1);
  uint32_t caps = gh::mysql::cap::kProtocol41 | gh::mysql::cap::kSessionTrack;
  if (mode & 1) caps |= gh::mysql::cap::kDeprecateEof;
  ResultLimits limits;
  limits.max_rows = (mode & 4) ? 2 : 1000;
  limits.max_bytes = (mode & 8) ? 64 : 1 << 20;
  StatementResult out;
  if (!decode_response(frames, caps, mode & 2, limits, mode & 16, out)) return 0;
  boost::system::error_code ec;
  auto cols = boost::json::parse(out.columns_json, ec);
  FUZZ_CHECK(!ec && cols.is_array());
  auto rows = boost::json::parse(out.rows_json, ec);
  FUZZ_CHECK(!ec && rows.is_array());
  FUZZ_CHECK(rows.as_array().size() == out.row_count);
  FUZZ_CHECK(out.row_count <= limits.max_rows);
  FUZZ_CHECK(out.rows_json.size() <= limits.max_bytes + 2);
  return 0;
}
