// Policy: what a client with a given role may run. One pure function, check_statement(), shared
// by every front that validates SQL (the HTTP API, the MySQL front and the trusted host), so the
// rules are the same wherever a statement enters.
//
// Order of checks (the first that fails decides, and names its rule):
//   1. size:      query bytes > limits.max_query_bytes      -> kTooLarge,  rule "query_bytes"
//                 params > limits.max_params                -> kTooLarge,  rule "param_count"
//   2. empty:     nothing but comments/whitespace           -> kBadRequest, rule "empty_statement"
//   3. stacked:   more than one statement                   -> kForbidden, rule "stacked_query"
//   4. always denied (any role): GRANT, REVOKE, user admin, SHUTDOWN/RESTART, KILL, LOAD DATA,
//      INTO OUTFILE/DUMPFILE, LOAD_FILE(), SET GLOBAL, INSTALL/UNINSTALL PLUGIN, FLUSH, HANDLER,
//      unknown statements                                  -> kForbidden, rule "always_denied"
//   5. role:      the statement's category exceeds the role -> kForbidden, rule "role"
//        read:  SELECT, SHOW, DESCRIBE/EXPLAIN, and harmless session control (USE, SET NAMES,
//               SET of session variables, SET @gatehouse_strategy); locking reads are DML.
//        write: + DML (INSERT/UPDATE/DELETE/REPLACE/CALL/DO, transactions, LOCK TABLES,
//               temporary tables, SQL PREPARE)
//        admin: + DDL (CREATE/ALTER/DROP/TRUNCATE/RENAME, ANALYZE/OPTIMIZE/CHECK/REPAIR)
//   6. injection (when enabled): sql::detect_injection findings -> kInjectionSuspected,
//      rule "injection:<finding rule>" (e.g. "injection:tautology")
// The digest allowlist (allowlist.h) and rate limit (rate_limiter.h) are applied by the caller
// after this, because they have state.
//
// Messages name what was denied (statement class, rule) and never echo parameter values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "sql/classifier.h"

namespace gh::gatekeeper {

enum class Role : uint8_t { kRead = 0, kWrite = 1, kAdmin = 2 };
std::string_view role_name(Role role);
// "read" | "write" | "admin"; false if unknown.
bool parse_role(std::string_view text, Role& out);

enum class DigestMode : uint8_t { kOff = 0, kLearn = 1, kEnforce = 2 };
std::string_view digest_mode_name(DigestMode mode);
// "off" | "learn" | "enforce"; false if unknown.
bool parse_digest_mode(std::string_view text, DigestMode& out);

struct PolicyLimits {
  size_t max_query_bytes = 64 * 1024;
  size_t max_params = 1000;
  bool detect_injection = true;
};

// The outcome of a check: allowed (code kOk) or the rule that denied it.
struct Verdict {
  Errc code = Errc::kOk;  // kOk, kBadRequest, kTooLarge, kForbidden, kInjectionSuspected,
                          // kNotAllowlisted, kRateLimited
  std::string rule;       // stable id: "query_bytes", "role", "injection:tautology", ...
  std::string message;    // one human sentence; never contains parameter values
  bool ok() const { return code == Errc::kOk; }
};

struct CheckedStatement {
  Verdict verdict;
  sql::StatementInfo info;  // string_views point into the checked text
  uint64_t digest = 0;      // sql::digest() hash (computed only when the statement passed 1-3)
  std::string digest_text;  // normalized text, literals as "?"
};

// Runs checks 1-6 above on one statement text with `param_count` bound parameters.
CheckedStatement check_statement(Role role, std::string_view sql, size_t param_count,
                                 const PolicyLimits& limits);

// The digest as 16 lower-case hex digits (the form used in files, audit lines and the CLI).
std::string digest_hex(uint64_t digest);

}  // namespace gh::gatekeeper
