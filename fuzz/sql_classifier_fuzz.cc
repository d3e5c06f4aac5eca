// Structure-aware fuzz target for classify(): the first input byte picks a statement prefix
// (SET, CREATE PROCEDURE, PREPARE, WITH, EXPLAIN ANALYZE, ...) so random bytes reach the deeper
// parsers, and the classification invariants are checked: read-only implies the read category,
// SET GLOBAL implies admin, an empty text is kEmpty, and string_views point into the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "sql/classifier.h"
#include "sql/injection.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kPrefixes[] = {
    "",
    "SELECT ",
    "SET ",
    "SET GLOBAL ",
    "SET STATEMENT max_statement_time=1 FOR ",
    "CREATE DEFINER=`u`@`h` PROCEDURE p() BEGIN ",
    "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW ",
    "CREATE FUNCTION f() RETURNS INT ",
    "PREPARE s FROM '",
    "EXECUTE IMMEDIATE '",
    "WITH c AS (",
    "EXPLAIN ANALYZE ",
    "ANALYZE ",
    "BEGIN NOT ATOMIC ",
    "USE ",
    "SELECT a FROM t WHERE b = '",
    "INSERT INTO t VALUES (",
    "/*!50000 ",
};

bool within(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > (1u << 20)) return 0;
  std::string sql(kPrefixes[data[0] % std::size(kPrefixes)]);
  sql.append(reinterpret_cast<const char*>(data + 1), size - 1);

  const gh::sql::StatementInfo info = gh::sql::classify(sql);
  using gh::sql::StatementCategory;
  if (info.read_only) check(info.category == StatementCategory::kRead);
  if (info.set_global) check(info.category == StatementCategory::kAdmin);
  if (info.into_outfile || info.uses_load_file) check(info.category == StatementCategory::kAdmin);
  if (info.statement_count == 0) check(info.statement_class == gh::sql::StatementClass::kEmpty);
  check(within(info.first_keyword, sql));
  check(within(info.gatehouse_hints, sql));
  if (info.strategy_hint) check(within(*info.strategy_hint, sql));
  check(!gh::sql::statement_class_name(info.statement_class).empty());
  check(gh::sql::statement_category_name(info.category) != "unknown");
  for (const auto& a : info.set_assignments) check(a.value.size() <= sql.size());

  for (const gh::sql::Finding& f : gh::sql::detect_injection(sql)) check(f.offset <= sql.size());
  return 0;
}
