// Static word tables shared by the classifier, the digester and the injection detector.
//
// Two sorted, case-insensitive tables: SQL keywords (reserved words, type names and the
// non-reserved keywords that can precede "(" without being a function call), and built-in
// functions with traits (read-only or not, and which special behaviour they have). Lookups are
// binary searches over constant data: no allocation.
#pragma once

#include <cstdint>
#include <string_view>

namespace gh::sql {

// Traits of a built-in function (bit flags).
enum FunctionTrait : uint16_t {
  kFnKnown = 1 << 0,         // a built-in function
  kFnNotReadOnly = 1 << 1,   // side effects or server/session state: not safe on a replica
  kFnNamedLock = 1 << 2,     // GET_LOCK, RELEASE_LOCK, IS_USED_LOCK, ...
  kFnLastInsertId = 1 << 3,  // LAST_INSERT_ID
  kFnFoundRows = 1 << 4,     // FOUND_ROWS, ROW_COUNT
  kFnLoadFile = 1 << 5,      // LOAD_FILE
  kFnTimeDelay = 1 << 6,     // SLEEP, BENCHMARK, PG_SLEEP
  kFnSequence = 1 << 7,      // NEXTVAL, SETVAL, LASTVAL
  kFnSystemInfo = 1 << 8,    // VERSION(), USER(), DATABASE(), ... (injection recon)
  kFnEncoding = 1 << 9,      // CHAR, UNHEX, CONV, FROM_BASE64 (injection obfuscation)
  kFnErrorBased = 1 << 10,   // EXTRACTVALUE, UPDATEXML, ... (error-based injection)
  kFnDangerous = 1 << 11,    // SYS_EXEC, SYS_EVAL and other UDF escapes
  kFnAggregate = 1 << 12,    // COUNT, SUM, ...
};

// Traits of `name` as a built-in function, 0 if it is not one.
uint16_t function_traits(std::string_view name);

// A SQL keyword (reserved word, type name, clause keyword). Keywords followed by "(" are not
// function calls (IN (...), VALUES (...), INT(11), USING (...)).
bool is_keyword_word(std::string_view word);

// For tests: both tables are sorted and unique.
bool word_tables_sorted();

}  // namespace gh::sql
