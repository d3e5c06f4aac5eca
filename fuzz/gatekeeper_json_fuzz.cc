// JSON decoding of the HTTP API's bodies (decode_query_request / decode_transaction_request).
// Invariants: never crash; a decoded request respects the limits, has no NUL in its SQL, a
// known strategy, and a database name that passes valid_database_name().
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "gatekeeper/request.h"

using namespace gh::gatekeeper;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  RequestLimits limits;
  limits.max_params = 16;
  limits.max_statements = 8;
  if (auto q = decode_query_request(body, limits)) {
    FUZZ_CHECK(q->statement.sql.find('\0') == std::string::npos);
    FUZZ_CHECK(q->statement.params.size() <= limits.max_params);
    if (q->strategy)
      FUZZ_CHECK(*q->strategy == "direct" || *q->strategy == "random" ||
                 *q->strategy == "customized");
    if (q->database) FUZZ_CHECK(valid_database_name(*q->database));
  } else {
    FUZZ_CHECK(!q.error().empty());
  }
  if (auto t = decode_transaction_request(body, limits)) {
    FUZZ_CHECK(!t->statements.empty() && t->statements.size() <= limits.max_statements);
    for (const auto& s : t->statements) FUZZ_CHECK(s.params.size() <= limits.max_params);
  }
  return 0;
}
