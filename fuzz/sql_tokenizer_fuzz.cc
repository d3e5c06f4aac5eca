// Fuzz target for the SQL component: tokenize, classify, digest, detect_injection and
// split_script on arbitrary bytes. None may crash, and token invariants must hold: every token is
// a non-empty view into the input, offsets are within the input and strictly increasing, and
// next() after the end keeps returning kEnd.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sql/classifier.h"
#include "sql/digest.h"
#include "sql/injection.h"
#include "sql/script.h"
#include "sql/tokenizer.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 20)) return 0;
  const std::string_view sql(reinterpret_cast<const char*>(data), size);

  gh::sql::Tokenizer tz(sql);
  uint32_t last_end = 0;
  size_t count = 0;
  for (gh::sql::Token t = tz.next(); t.kind != gh::sql::TokenKind::kEnd; t = tz.next()) {
    check(!t.text.empty());
    check(t.offset >= last_end);
    check(t.end() <= size);
    check(t.text.data() == sql.data() + t.offset);
    last_end = t.end();
    check(++count <= size);
  }
  check(tz.next().kind == gh::sql::TokenKind::kEnd);

  const gh::sql::StatementInfo info = gh::sql::classify(sql);
  check(info.statement_count <= size);
  if (info.statement_count == 0) check(info.statement_class == gh::sql::StatementClass::kEmpty);
  if (!info.first_keyword.empty()) {
    check(info.first_keyword.data() >= sql.data() &&
          info.first_keyword.data() + info.first_keyword.size() <= sql.data() + size);
  }

  const gh::sql::Digest d = gh::sql::digest(sql);
  check(d.hash == gh::sql::fnv1a64(d.text));
  check(gh::sql::digest(sql).hash == d.hash);  // deterministic

  for (const gh::sql::Finding& f : gh::sql::detect_injection(sql)) {
    check(!f.rule.empty());
    check(f.offset <= size);
  }

  for (const std::string& stmt : gh::sql::split_script(sql)) check(!stmt.empty());
  return 0;
}
