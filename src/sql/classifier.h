// Statement classification for the proxy router and the gatekeeper.
//
// classify() tokenizes a COM_QUERY text once and reports what kind of statement it is, which
// gatekeeper category it falls in, and a set of routing/safety flags (read-only on a replica,
// transaction boundaries, session-state changes, named locks, ...). It never fails: unknown or
// malformed SQL is StatementClass::kOther / StatementCategory::kAdmin (deny by default).
//
// The string_views in StatementInfo point into the classified text and are only valid while it
// lives. No heap allocation happens on the common SELECT/INSERT path; SET statements allocate
// their parsed assignments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::sql {

enum class StatementClass : uint8_t {
  kEmpty,      // nothing but whitespace, comments and semicolons
  kSelect,     // SELECT, (SELECT ...), WITH ... SELECT, VALUES, TABLE t
  kShow,       // SHOW ..., HELP ...
  kDescribe,   // DESC, DESCRIBE, EXPLAIN (and MariaDB ANALYZE <statement>)
  kSet,        // SET (variables, NAMES, CHARACTER SET, TRANSACTION, ROLE)
  kUse,        // USE db
  kBegin,      // BEGIN [WORK], START TRANSACTION [READ ONLY|READ WRITE|...]
  kCommit,     // COMMIT
  kRollback,   // ROLLBACK (not TO SAVEPOINT)
  kSavepoint,  // SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO
  kInsert,
  kUpdate,
  kDelete,
  kReplace,
  kLoadData,  // LOAD DATA / LOAD XML
  kCall,
  kDo,
  kCreate,
  kAlter,
  kDrop,
  kTruncate,
  kRename,
  kGrant,
  kRevoke,
  kUserAdmin,  // CREATE/DROP/ALTER/RENAME USER, CREATE/DROP ROLE, SET PASSWORD, SET DEFAULT ROLE
  kLockTables,
  kUnlockTables,
  kPrepareSql,  // PREPARE s FROM ..., EXECUTE IMMEDIATE
  kExecuteSql,  // EXECUTE s
  kDeallocate,  // DEALLOCATE / DROP PREPARE
  kHandler,
  kFlush,
  kKill,
  kShutdown,         // SHUTDOWN, RESTART
  kInstallPlugin,    // INSTALL/UNINSTALL PLUGIN|SONAME|COMPONENT, CREATE FUNCTION ... SONAME
  kAnalyzeOptimize,  // ANALYZE/OPTIMIZE/CHECK/CHECKSUM/REPAIR TABLE
  kXa,
  kOther,
};

// Gatekeeper categories, ordered from least to most privileged (a multi-statement text gets
// the maximum of its statements).
enum class StatementCategory : uint8_t {
  kRead,            // SELECT, SHOW, DESCRIBE
  kSessionControl,  // USE, SET NAMES/CHARACTER SET/autocommit/TRANSACTION, user variables
  kDml,             // INSERT/UPDATE/DELETE/REPLACE/CALL/DO, transactions, other session SET,
                    // locking reads, LOCK TABLES, temporary tables, SQL-level prepared statements
  kDdl,             // CREATE/ALTER/DROP/TRUNCATE/RENAME, ANALYZE/OPTIMIZE/CHECK/REPAIR
  kAdmin,           // always denied: GRANT, REVOKE, users, SHUTDOWN, KILL, LOAD DATA, plugins,
                    // SET GLOBAL, FLUSH, HANDLER, INTO OUTFILE, LOAD_FILE, unknown statements
};

std::string_view statement_class_name(StatementClass c);
std::string_view statement_category_name(StatementCategory c);

enum class VarScope : uint8_t { kSession, kGlobal, kUser };

struct SetAssignment {
  VarScope scope = VarScope::kSession;
  // Lower-cased, without @, @@ or the scope prefix ("sql_mode" for @@SESSION.sql_mode).
  // Special forms: "names" (SET NAMES), "character_set" (SET CHARACTER SET / CHARSET),
  // "transaction" (SET SESSION|GLOBAL TRANSACTION ...), "next_transaction" (SET TRANSACTION ...).
  std::string name;
  std::string value;  // the value's source text, as written ("utf8mb4 COLLATE utf8mb4_bin")

  bool operator==(const SetAssignment&) const = default;
};

struct StatementInfo {
  StatementClass statement_class = StatementClass::kEmpty;  // of the first statement
  StatementCategory category = StatementCategory::kRead;    // maximum over all statements
  std::string_view first_keyword;                           // first word of the first statement
  uint32_t statement_count = 0;  // non-empty statements separated by top-level ';'

  bool read_only = true;  // every statement is provably read-only (safe on a replica)
  bool locking_read = false;
  // BEGIN / START TRANSACTION / XA START / COMMIT AND CHAIN (a BEGIN also commits an open
  // transaction implicitly; that is implied, ends_transaction stays false for it).
  bool starts_transaction = false;
  // COMMIT, ROLLBACK (not TO SAVEPOINT), XA COMMIT/ROLLBACK, and statements with an implicit
  // commit: DDL (not on TEMPORARY tables), GRANT/REVOKE/user admin, LOCK TABLES, FLUSH, ANALYZE/
  // OPTIMIZE/CHECK/REPAIR TABLE, INSTALL PLUGIN. Not set for UNLOCK TABLES or SET autocommit=1,
  // which commit only depending on session state the router tracks (see `autocommit`).
  bool ends_transaction = false;
  bool assigns_user_variable = false;  // SET @x, @x := ..., SELECT ... INTO @x, CALL p(@x)
  bool reads_user_variable = false;    // any other @x reference
  bool creates_temporary_table = false;
  bool drops_temporary_table = false;
  bool uses_named_lock = false;
  bool uses_last_insert_id = false;
  bool uses_found_rows = false;
  bool sql_calc_found_rows = false;
  bool into_outfile = false;
  bool uses_load_file = false;
  bool set_global = false;
  bool has_versioned_comment = false;

  std::optional<bool> autocommit;  // SET autocommit = ...
  std::string schema;              // USE <schema>, unquoted
  std::vector<SetAssignment> set_assignments;

  // The first `gatehouse:key=value[,key=value]` comment's spec ("strategy=random"), or empty.
  std::string_view gatehouse_hints;
  // The `strategy` value of that hint (direct|random|customized; validated by the router).
  std::optional<std::string_view> strategy_hint;

  // Value of `key` in gatehouse_hints.
  std::optional<std::string_view> hint(std::string_view key) const;
};

StatementInfo classify(std::string_view sql);

// If `comment` (a comment token's full text: "/* ... */", "-- ...", "# ...") is a gatehouse hint,
// returns its spec (the text after "gatehouse:", trimmed).
std::optional<std::string_view> parse_gatehouse_comment(std::string_view comment);
// Looks `key` up (case-insensitively) in a hint spec "k1=v1,k2=v2" (commas or spaces separate).
std::optional<std::string_view> find_hint(std::string_view spec, std::string_view key);

}  // namespace gh::sql
