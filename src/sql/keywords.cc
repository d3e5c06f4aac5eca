// Static word tables: built-in functions with their traits, and SQL keywords.
//
// Both tables are sorted by upper-case name (word_tables_sorted() checks it in the tests, which
// also guarantees uniqueness). Lookups go through open-addressing hash indexes built at compile
// time over the upper-cased names: one case-folding hash of the word, then usually one probe.
#include "sql/keywords.h"

#include <array>
#include <iterator>

namespace gh::sql {
namespace {

struct FunctionEntry {
  std::string_view name;
  uint16_t traits;
};

// Compares an upper-case table entry with a word of any case, like std::string_view::compare.
int compare_upper(std::string_view upper, std::string_view word) {
  const size_t n = std::min(upper.size(), word.size());
  for (size_t i = 0; i < n; ++i) {
    auto a = static_cast<unsigned char>(upper[i]);
    auto b = static_cast<unsigned char>(word[i]);
    if (b >= 'a' && b <= 'z') b = static_cast<unsigned char>(b - 'a' + 'A');
    if (a != b) return a < b ? -1 : 1;
  }
  if (upper.size() == word.size()) return 0;
  return upper.size() < word.size() ? -1 : 1;
}

// clang-format off
constexpr FunctionEntry kFunctions[] = {
    {"ABS", kFnKnown}, {"ACOS", kFnKnown}, {"ADDDATE", kFnKnown}, {"ADDTIME", kFnKnown},
    {"AES_DECRYPT", kFnKnown}, {"AES_ENCRYPT", kFnKnown}, {"ANY_VALUE", kFnKnown},
    {"ASCII", kFnKnown}, {"ASIN", kFnKnown}, {"ASTEXT", kFnKnown}, {"ASWKT", kFnKnown},
    {"ATAN", kFnKnown}, {"ATAN2", kFnKnown}, {"AVG", kFnKnown | kFnAggregate},
    {"BENCHMARK", kFnKnown | kFnNotReadOnly | kFnTimeDelay}, {"BIN", kFnKnown},
    {"BIN_TO_UUID", kFnKnown}, {"BIT_AND", kFnKnown | kFnAggregate}, {"BIT_COUNT", kFnKnown},
    {"BIT_LENGTH", kFnKnown}, {"BIT_OR", kFnKnown | kFnAggregate},
    {"BIT_XOR", kFnKnown | kFnAggregate}, {"CAST", kFnKnown}, {"CEIL", kFnKnown},
    {"CEILING", kFnKnown}, {"CHAR", kFnKnown | kFnEncoding}, {"CHARACTER_LENGTH", kFnKnown},
    {"CHARSET", kFnKnown | kFnSystemInfo}, {"CHAR_LENGTH", kFnKnown}, {"COALESCE", kFnKnown},
    {"COERCIBILITY", kFnKnown}, {"COLLATION", kFnKnown}, {"COLUMN_GET", kFnKnown},
    {"COLUMN_JSON", kFnKnown}, {"COMPRESS", kFnKnown}, {"CONCAT", kFnKnown},
    {"CONCAT_WS", kFnKnown}, {"CONNECTION_ID", kFnKnown | kFnNotReadOnly | kFnSystemInfo},
    {"CONV", kFnKnown | kFnEncoding}, {"CONVERT", kFnKnown}, {"CONVERT_TZ", kFnKnown},
    {"COS", kFnKnown}, {"COT", kFnKnown}, {"COUNT", kFnKnown | kFnAggregate}, {"CRC32", kFnKnown},
    {"CUME_DIST", kFnKnown}, {"CURDATE", kFnKnown}, {"CURRENT_DATE", kFnKnown},
    {"CURRENT_ROLE", kFnKnown | kFnSystemInfo}, {"CURRENT_TIME", kFnKnown},
    {"CURRENT_TIMESTAMP", kFnKnown}, {"CURRENT_USER", kFnKnown | kFnSystemInfo},
    {"CURTIME", kFnKnown}, {"DATABASE", kFnKnown | kFnSystemInfo}, {"DATE", kFnKnown},
    {"DATEDIFF", kFnKnown}, {"DATE_ADD", kFnKnown}, {"DATE_FORMAT", kFnKnown},
    {"DATE_SUB", kFnKnown}, {"DAY", kFnKnown}, {"DAYNAME", kFnKnown}, {"DAYOFMONTH", kFnKnown},
    {"DAYOFWEEK", kFnKnown}, {"DAYOFYEAR", kFnKnown}, {"DECODE", kFnKnown}, {"DEFAULT", kFnKnown},
    {"DEGREES", kFnKnown}, {"DENSE_RANK", kFnKnown}, {"ELT", kFnKnown}, {"ENCODE", kFnKnown},
    {"EXP", kFnKnown}, {"EXPORT_SET", kFnKnown}, {"EXTRACT", kFnKnown},
    {"EXTRACTVALUE", kFnKnown | kFnErrorBased}, {"FIELD", kFnKnown}, {"FIND_IN_SET", kFnKnown},
    {"FIRST_VALUE", kFnKnown}, {"FLOOR", kFnKnown}, {"FORMAT", kFnKnown},
    {"FORMAT_BYTES", kFnKnown}, {"FORMAT_PICO_TIME", kFnKnown},
    {"FOUND_ROWS", kFnKnown | kFnFoundRows | kFnNotReadOnly},
    {"FROM_BASE64", kFnKnown | kFnEncoding}, {"FROM_DAYS", kFnKnown}, {"FROM_UNIXTIME", kFnKnown},
    {"GEOMETRYCOLLECTION", kFnKnown | kFnErrorBased}, {"GEOMFROMTEXT", kFnKnown},
    {"GET_FORMAT", kFnKnown}, {"GET_LOCK", kFnKnown | kFnNamedLock | kFnNotReadOnly},
    {"GREATEST", kFnKnown}, {"GROUPING", kFnKnown}, {"GROUP_CONCAT", kFnKnown | kFnAggregate},
    {"GTID_SUBSET", kFnKnown}, {"GTID_SUBTRACT", kFnKnown}, {"HEX", kFnKnown}, {"HOUR", kFnKnown},
    {"IF", kFnKnown}, {"IFNULL", kFnKnown}, {"INET6_ATON", kFnKnown}, {"INET6_NTOA", kFnKnown},
    {"INET_ATON", kFnKnown}, {"INET_NTOA", kFnKnown}, {"INSERT", kFnKnown}, {"INSTR", kFnKnown},
    {"INTERVAL", kFnKnown}, {"ISNULL", kFnKnown},
    {"IS_FREE_LOCK", kFnKnown | kFnNamedLock | kFnNotReadOnly}, {"IS_IPV4", kFnKnown},
    {"IS_IPV4_COMPAT", kFnKnown}, {"IS_IPV4_MAPPED", kFnKnown}, {"IS_IPV6", kFnKnown},
    {"IS_USED_LOCK", kFnKnown | kFnNamedLock | kFnNotReadOnly}, {"IS_UUID", kFnKnown},
    {"JSON_ARRAY", kFnKnown}, {"JSON_ARRAYAGG", kFnKnown | kFnAggregate},
    {"JSON_ARRAY_APPEND", kFnKnown}, {"JSON_ARRAY_INSERT", kFnKnown}, {"JSON_COMPACT", kFnKnown},
    {"JSON_CONTAINS", kFnKnown}, {"JSON_CONTAINS_PATH", kFnKnown}, {"JSON_DEPTH", kFnKnown},
    {"JSON_DETAILED", kFnKnown}, {"JSON_EXISTS", kFnKnown}, {"JSON_EXTRACT", kFnKnown},
    {"JSON_INSERT", kFnKnown}, {"JSON_KEYS", kFnKnown}, {"JSON_LENGTH", kFnKnown},
    {"JSON_LOOSE", kFnKnown}, {"JSON_MERGE", kFnKnown}, {"JSON_MERGE_PATCH", kFnKnown},
    {"JSON_MERGE_PRESERVE", kFnKnown}, {"JSON_OBJECT", kFnKnown},
    {"JSON_OBJECTAGG", kFnKnown | kFnAggregate}, {"JSON_OVERLAPS", kFnKnown},
    {"JSON_PRETTY", kFnKnown}, {"JSON_QUERY", kFnKnown}, {"JSON_QUOTE", kFnKnown},
    {"JSON_REMOVE", kFnKnown}, {"JSON_REPLACE", kFnKnown}, {"JSON_SCHEMA_VALID", kFnKnown},
    {"JSON_SCHEMA_VALIDATION_REPORT", kFnKnown}, {"JSON_SEARCH", kFnKnown},
    {"JSON_SET", kFnKnown}, {"JSON_STORAGE_FREE", kFnKnown}, {"JSON_STORAGE_SIZE", kFnKnown},
    {"JSON_TABLE", kFnKnown}, {"JSON_TYPE", kFnKnown}, {"JSON_UNQUOTE", kFnKnown},
    {"JSON_VALID", kFnKnown}, {"JSON_VALUE", kFnKnown}, {"LAG", kFnKnown},
    {"LASTVAL", kFnKnown | kFnNotReadOnly | kFnSequence}, {"LAST_DAY", kFnKnown},
    {"LAST_INSERT_ID", kFnKnown | kFnLastInsertId | kFnNotReadOnly}, {"LAST_VALUE", kFnKnown},
    {"LCASE", kFnKnown}, {"LEAD", kFnKnown}, {"LEAST", kFnKnown}, {"LEFT", kFnKnown},
    {"LENGTH", kFnKnown}, {"LIB_MYSQLUDF_SYS_INFO", kFnKnown | kFnDangerous | kFnNotReadOnly},
    {"LINESTRING", kFnKnown | kFnErrorBased}, {"LN", kFnKnown},
    {"LOAD_FILE", kFnKnown | kFnDangerous | kFnLoadFile | kFnNotReadOnly},
    {"LOCALTIME", kFnKnown}, {"LOCALTIMESTAMP", kFnKnown}, {"LOCATE", kFnKnown},
    {"LOG", kFnKnown}, {"LOG10", kFnKnown}, {"LOG2", kFnKnown}, {"LOWER", kFnKnown},
    {"LPAD", kFnKnown}, {"LTRIM", kFnKnown}, {"MAKEDATE", kFnKnown}, {"MAKETIME", kFnKnown},
    {"MAKE_SET", kFnKnown}, {"MASTER_GTID_WAIT", kFnKnown | kFnNotReadOnly},
    {"MASTER_POS_WAIT", kFnKnown | kFnNotReadOnly}, {"MAX", kFnKnown | kFnAggregate},
    {"MBRCONTAINS", kFnKnown}, {"MBRINTERSECTS", kFnKnown}, {"MBRWITHIN", kFnKnown},
    {"MD5", kFnKnown}, {"MEDIAN", kFnKnown}, {"MICROSECOND", kFnKnown}, {"MID", kFnKnown},
    {"MIN", kFnKnown | kFnAggregate}, {"MINUTE", kFnKnown}, {"MOD", kFnKnown},
    {"MONTH", kFnKnown}, {"MONTHNAME", kFnKnown}, {"MULTILINESTRING", kFnKnown | kFnErrorBased},
    {"MULTIPOINT", kFnKnown | kFnErrorBased}, {"MULTIPOLYGON", kFnKnown | kFnErrorBased},
    {"NAME_CONST", kFnKnown | kFnErrorBased},
    {"NEXTVAL", kFnKnown | kFnNotReadOnly | kFnSequence}, {"NOW", kFnKnown},
    {"NTH_VALUE", kFnKnown}, {"NTILE", kFnKnown}, {"NULLIF", kFnKnown}, {"NVL", kFnKnown},
    {"NVL2", kFnKnown}, {"OCT", kFnKnown}, {"OCTET_LENGTH", kFnKnown}, {"ORD", kFnKnown},
    {"PERCENTILE_CONT", kFnKnown}, {"PERCENTILE_DISC", kFnKnown}, {"PERCENT_RANK", kFnKnown},
    {"PERIOD_ADD", kFnKnown}, {"PERIOD_DIFF", kFnKnown},
    {"PG_SLEEP", kFnKnown | kFnNotReadOnly | kFnTimeDelay}, {"PI", kFnKnown}, {"POINT", kFnKnown},
    {"POLYGON", kFnKnown | kFnErrorBased}, {"POSITION", kFnKnown}, {"POW", kFnKnown},
    {"POWER", kFnKnown}, {"QUARTER", kFnKnown}, {"QUOTE", kFnKnown}, {"RADIANS", kFnKnown},
    {"RAND", kFnKnown}, {"RANDOM_BYTES", kFnKnown}, {"RANK", kFnKnown},
    {"REGEXP_INSTR", kFnKnown}, {"REGEXP_LIKE", kFnKnown}, {"REGEXP_REPLACE", kFnKnown},
    {"REGEXP_SUBSTR", kFnKnown}, {"RELEASE_ALL_LOCKS", kFnKnown | kFnNamedLock | kFnNotReadOnly},
    {"RELEASE_LOCK", kFnKnown | kFnNamedLock | kFnNotReadOnly}, {"REPEAT", kFnKnown},
    {"REPLACE", kFnKnown}, {"REVERSE", kFnKnown}, {"RIGHT", kFnKnown}, {"ROUND", kFnKnown},
    {"ROW_COUNT", kFnKnown | kFnFoundRows | kFnNotReadOnly}, {"ROW_NUMBER", kFnKnown},
    {"RPAD", kFnKnown}, {"RTRIM", kFnKnown}, {"SCHEMA", kFnKnown | kFnSystemInfo},
    {"SECOND", kFnKnown}, {"SEC_TO_TIME", kFnKnown}, {"SESSION_USER", kFnKnown | kFnSystemInfo},
    {"SETVAL", kFnKnown | kFnNotReadOnly | kFnSequence}, {"SFORMAT", kFnKnown}, {"SHA", kFnKnown},
    {"SHA1", kFnKnown}, {"SHA2", kFnKnown}, {"SIGN", kFnKnown}, {"SIN", kFnKnown},
    {"SLEEP", kFnKnown | kFnNotReadOnly | kFnTimeDelay}, {"SOUNDEX", kFnKnown},
    {"SOURCE_POS_WAIT", kFnKnown | kFnNotReadOnly}, {"SPACE", kFnKnown}, {"SQRT", kFnKnown},
    {"STATEMENT_DIGEST", kFnKnown}, {"STATEMENT_DIGEST_TEXT", kFnKnown},
    {"STD", kFnKnown | kFnAggregate}, {"STDDEV", kFnKnown | kFnAggregate},
    {"STDDEV_POP", kFnKnown | kFnAggregate}, {"STDDEV_SAMP", kFnKnown | kFnAggregate},
    {"STRCMP", kFnKnown}, {"STR_TO_DATE", kFnKnown}, {"ST_AREA", kFnKnown},
    {"ST_ASBINARY", kFnKnown}, {"ST_ASGEOJSON", kFnKnown}, {"ST_ASTEXT", kFnKnown},
    {"ST_ASWKB", kFnKnown}, {"ST_ASWKT", kFnKnown}, {"ST_BUFFER", kFnKnown},
    {"ST_CENTROID", kFnKnown}, {"ST_CONTAINS", kFnKnown}, {"ST_CROSSES", kFnKnown},
    {"ST_DIFFERENCE", kFnKnown}, {"ST_DIMENSION", kFnKnown}, {"ST_DISJOINT", kFnKnown},
    {"ST_DISTANCE", kFnKnown}, {"ST_DISTANCE_SPHERE", kFnKnown}, {"ST_ENDPOINT", kFnKnown},
    {"ST_ENVELOPE", kFnKnown}, {"ST_EQUALS", kFnKnown}, {"ST_GEOMETRYTYPE", kFnKnown},
    {"ST_GEOMFROMGEOJSON", kFnKnown}, {"ST_GEOMFROMTEXT", kFnKnown}, {"ST_GEOMFROMWKB", kFnKnown},
    {"ST_INTERSECTION", kFnKnown}, {"ST_INTERSECTS", kFnKnown}, {"ST_ISEMPTY", kFnKnown},
    {"ST_ISVALID", kFnKnown}, {"ST_LATITUDE", kFnKnown}, {"ST_LENGTH", kFnKnown},
    {"ST_LONGITUDE", kFnKnown}, {"ST_NUMPOINTS", kFnKnown}, {"ST_OVERLAPS", kFnKnown},
    {"ST_POINTFROMTEXT", kFnKnown}, {"ST_SRID", kFnKnown}, {"ST_STARTPOINT", kFnKnown},
    {"ST_TOUCHES", kFnKnown}, {"ST_UNION", kFnKnown}, {"ST_WITHIN", kFnKnown}, {"ST_X", kFnKnown},
    {"ST_Y", kFnKnown}, {"SUBDATE", kFnKnown}, {"SUBSTR", kFnKnown}, {"SUBSTRING", kFnKnown},
    {"SUBSTRING_INDEX", kFnKnown}, {"SUBTIME", kFnKnown}, {"SUM", kFnKnown | kFnAggregate},
    {"SYSDATE", kFnKnown}, {"SYSTEM_USER", kFnKnown | kFnSystemInfo},
    {"SYS_EVAL", kFnKnown | kFnDangerous | kFnNotReadOnly},
    {"SYS_EXEC", kFnKnown | kFnDangerous | kFnNotReadOnly},
    {"SYS_GET", kFnKnown | kFnDangerous | kFnNotReadOnly},
    {"SYS_SET", kFnKnown | kFnDangerous | kFnNotReadOnly}, {"TAN", kFnKnown}, {"TIME", kFnKnown},
    {"TIMEDIFF", kFnKnown}, {"TIMESTAMP", kFnKnown}, {"TIMESTAMPADD", kFnKnown},
    {"TIMESTAMPDIFF", kFnKnown}, {"TIME_FORMAT", kFnKnown}, {"TIME_TO_SEC", kFnKnown},
    {"TO_BASE64", kFnKnown}, {"TO_CHAR", kFnKnown}, {"TO_DAYS", kFnKnown},
    {"TO_SECONDS", kFnKnown}, {"TRIM", kFnKnown}, {"TRUNCATE", kFnKnown}, {"UCASE", kFnKnown},
    {"UNCOMPRESS", kFnKnown}, {"UNCOMPRESSED_LENGTH", kFnKnown},
    {"UNHEX", kFnKnown | kFnEncoding}, {"UNIX_TIMESTAMP", kFnKnown},
    {"UPDATEXML", kFnKnown | kFnErrorBased}, {"UPPER", kFnKnown},
    {"USER", kFnKnown | kFnSystemInfo}, {"UTC_DATE", kFnKnown}, {"UTC_TIME", kFnKnown},
    {"UTC_TIMESTAMP", kFnKnown}, {"UUID", kFnKnown}, {"UUID_SHORT", kFnKnown},
    {"UUID_TO_BIN", kFnKnown}, {"VALUES", kFnKnown}, {"VARIANCE", kFnKnown | kFnAggregate},
    {"VAR_POP", kFnKnown | kFnAggregate}, {"VAR_SAMP", kFnKnown | kFnAggregate},
    {"VERSION", kFnKnown | kFnSystemInfo},
    {"WAIT_FOR_EXECUTED_GTID_SET", kFnKnown | kFnNotReadOnly},
    {"WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS", kFnKnown | kFnNotReadOnly}, {"WEEK", kFnKnown},
    {"WEEKDAY", kFnKnown}, {"WEEKOFYEAR", kFnKnown}, {"WEIGHT_STRING", kFnKnown}, {"X", kFnKnown},
    {"Y", kFnKnown}, {"YEAR", kFnKnown}, {"YEARWEEK", kFnKnown},
};

constexpr std::string_view kKeywords[] = {
    "ACCESSIBLE", "ADD", "AFTER", "AGAINST", "AGGREGATE", "ALGORITHM", "ALL", "ALTER", "ANALYZE",
    "AND", "ANY", "AS", "ASC", "ASENSITIVE", "AT", "AUTO_INCREMENT", "BEFORE", "BEGIN", "BETWEEN",
    "BIGINT", "BINARY", "BLOB", "BOOL", "BOOLEAN", "BOTH", "BY", "CALL", "CASCADE", "CASE",
    "CHAIN", "CHANGE", "CHARACTER", "CHECK", "COLLATE", "COLUMN", "COLUMNS", "COMMENT", "COMMIT",
    "COMMITTED", "CONDITION", "CONSTRAINT", "CONTINUE", "CREATE", "CROSS", "CUBE", "CURRENT",
    "CURSOR", "DATABASES", "DATETIME", "DAY_HOUR", "DAY_MICROSECOND", "DAY_MINUTE", "DAY_SECOND",
    "DEALLOCATE", "DEC", "DECIMAL", "DECLARE", "DEFINER", "DELAYED", "DELETE", "DESC", "DESCRIBE",
    "DETERMINISTIC", "DISTINCT", "DISTINCTROW", "DIV", "DO", "DOUBLE", "DROP", "DUAL", "DUMPFILE",
    "DUPLICATE", "EACH", "ELSE", "ELSEIF", "ENCLOSED", "END", "ENGINE", "ENUM", "ESCAPE",
    "ESCAPED", "EXCEPT", "EXECUTE", "EXISTS", "EXIT", "EXPLAIN", "FALSE", "FETCH", "FIELDS",
    "FIRST", "FLOAT", "FLOAT4", "FLOAT8", "FOLLOWING", "FOR", "FORCE", "FOREIGN", "FROM", "FULL",
    "FULLTEXT", "FUNCTION", "GENERATED", "GLOBAL", "GRANT", "GROUP", "GROUPS", "HANDLER",
    "HAVING", "HIGH_PRIORITY", "HOUR_MICROSECOND", "HOUR_MINUTE", "HOUR_SECOND", "IGNORE", "IN",
    "INDEX", "INFILE", "INNER", "INOUT", "INSENSITIVE", "INT", "INT1", "INT2", "INT3", "INT4",
    "INT8", "INTEGER", "INTERSECT", "INTO", "INVOKER", "IS", "ISOLATION", "ITERATE", "JOIN",
    "JSON", "KEY", "KEYS", "KILL", "LAST", "LATERAL", "LEADING", "LEAVE", "LEVEL", "LIKE",
    "LIMIT", "LINEAR", "LINES", "LOAD", "LOCAL", "LOCK", "LOCKED", "LONG", "LONGBLOB", "LONGTEXT",
    "LOOP", "LOW_PRIORITY", "MATCH", "MEDIUMBLOB", "MEDIUMINT", "MEDIUMTEXT", "MIDDLEINT",
    "MINUTE_MICROSECOND", "MINUTE_SECOND", "MODE", "MODIFIES", "NAMES", "NATURAL", "NCHAR",
    "NEXT", "NO", "NOT", "NOWAIT", "NO_WRITE_TO_BINLOG", "NULL", "NULLS", "NUMERIC", "OF",
    "OFFSET", "ON", "ONLY", "OPTIMIZE", "OPTION", "OPTIONALLY", "OR", "ORDER", "OUT", "OUTER",
    "OUTFILE", "OVER", "PARTITION", "PATH", "PERSIST", "PERSIST_ONLY", "PRECEDING", "PRECISION",
    "PREPARE", "PREVIOUS", "PRIMARY", "PROCEDURE", "PURGE", "RANGE", "READ", "READS", "REAL",
    "RECURSIVE", "REFERENCES", "REGEXP", "RELEASE", "RENAME", "REPEATABLE", "REQUIRE", "RESIGNAL",
    "RESTRICT", "RETURN", "RETURNING", "RETURNS", "REVOKE", "RLIKE", "ROLLBACK", "ROLLUP", "ROW",
    "ROWS", "SAVEPOINT", "SCHEMAS", "SECOND_MICROSECOND", "SECURITY", "SELECT", "SENSITIVE",
    "SEPARATOR", "SERIALIZABLE", "SESSION", "SET", "SHARE", "SHOW", "SIGNAL", "SIGNED", "SKIP",
    "SMALLINT", "SOME", "SONAME", "SOUNDS", "SPATIAL", "SPECIFIC", "SQL", "SQLEXCEPTION",
    "SQLSTATE", "SQLWARNING", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_CACHE",
    "SQL_CALC_FOUND_ROWS", "SQL_NO_CACHE", "SQL_SMALL_RESULT", "SSL", "START", "STARTING",
    "STORED", "STRAIGHT_JOIN", "TABLE", "TABLES", "TEMPORARY", "TERMINATED", "THEN", "TINYBLOB",
    "TINYINT", "TINYTEXT", "TO", "TRAILING", "TRANSACTION", "TRIGGER", "TRUE", "UNBOUNDED",
    "UNCOMMITTED", "UNDO", "UNION", "UNIQUE", "UNLOCK", "UNSIGNED", "UNTIL", "UPDATE", "USAGE",
    "USE", "USING", "VALUE", "VALUES", "VARBINARY", "VARCHAR", "VARCHARACTER", "VARYING", "VIEW",
    "VIRTUAL", "WHEN", "WHERE", "WHILE", "WINDOW", "WITH", "WORK", "WRITE", "XOR", "YEAR_MONTH",
    "ZEROFILL",
};
// clang-format on

// Case-insensitive FNV-1a over ASCII-upper-cased bytes.
constexpr uint32_t hash_upper(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    if (u >= 'a' && u <= 'z') u = static_cast<unsigned char>(u - 'a' + 'A');
    h = (h ^ u) * 16777619u;
  }
  return h;
}

constexpr size_t kIndexSize = 1024;                  // power of two, load factor < 0.4
using WordIndex = std::array<uint16_t, kIndexSize>;  // table position + 1, 0 = empty

template <class Table, class NameOf>
constexpr WordIndex build_index(const Table& table, NameOf name_of) {
  WordIndex idx{};
  for (size_t i = 0; i < std::size(table); ++i) {
    size_t h = hash_upper(name_of(table[i])) & (kIndexSize - 1);
    while (idx[h] != 0) h = (h + 1) & (kIndexSize - 1);
    idx[h] = static_cast<uint16_t>(i + 1);
  }
  return idx;
}

constexpr WordIndex kFunctionIndex =
    build_index(kFunctions, [](const FunctionEntry& e) { return e.name; });
constexpr WordIndex kKeywordIndex = build_index(kKeywords, [](std::string_view k) { return k; });

// Position of `word` in a table through its index, or -1.
template <class Table, class NameOf>
int find(const WordIndex& idx, const Table& table, NameOf name_of, std::string_view word) {
  if (word.empty() || word.size() > 40) return -1;
  size_t h = hash_upper(word) & (kIndexSize - 1);
  while (idx[h] != 0) {
    const size_t i = idx[h] - 1u;
    if (compare_upper(name_of(table[i]), word) == 0) return static_cast<int>(i);
    h = (h + 1) & (kIndexSize - 1);
  }
  return -1;
}

}  // namespace

uint16_t function_traits(std::string_view name) {
  const int i = find(
      kFunctionIndex, kFunctions, [](const FunctionEntry& e) { return e.name; }, name);
  return i < 0 ? 0 : kFunctions[i].traits;
}

bool is_keyword_word(std::string_view word) {
  return find(
             kKeywordIndex, kKeywords, [](std::string_view k) { return k; }, word) >= 0;
}

bool word_tables_sorted() {
  for (size_t i = 1; i < std::size(kFunctions); ++i) {
    if (!(kFunctions[i - 1].name < kFunctions[i].name)) return false;
  }
  for (size_t i = 1; i < std::size(kKeywords); ++i) {
    if (!(kKeywords[i - 1] < kKeywords[i])) return false;
  }
  return true;
}

}  // namespace gh::sql
