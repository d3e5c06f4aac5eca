// SQL injection heuristics for the gatekeeper: detect_injection() inspects one query text (as
// sent by an application that may have concatenated untrusted input into it) and reports the
// structural anomalies that classic injection payloads leave behind.
//
// Rules (Finding::rule, stable identifiers):
//   tautology          OR 1=1, OR 'a'='a', OR 2>1, OR x=x, || 1, OR true (constant or identical
//                      operands after OR/XOR/||; after WHERE/AND/ON only non-0/1 constants, so
//                      query-builder "WHERE 1=1 AND ..." / "AND 0 = 1" stay clean)
//   union_select       UNION SELECT of constants/NULLs/system functions, or touching system
//                      schemas, or any UNION together with a comment truncation or tautology
//   time_based         SLEEP(), BENCHMARK(), PG_SLEEP(), WAITFOR DELAY, GET_LOCK() in a predicate
//   comment_truncation a trailing comment that swallows the rest of the query (it holds a quote,
//                      is empty, or is glued to a literal), or an unterminated /*
//   schema_probe       information_schema, performance_schema, mysql.*, sys.*
//   encoded_payload    CHAR(n,n,n...), hex literals spelling text, UNHEX/FROM_BASE64 of literals,
//                      CONV(n,b,36)
//   stacked_query      more than one statement
//   dangerous_function LOAD_FILE(), INTO OUTFILE/DUMPFILE, sys_exec()/sys_eval()
//   fingerprint        VERSION(), USER(), DATABASE(), @@version... inside a predicate (blind
//   probes) error_based        EXTRACTVALUE/UPDATEXML with constant documents or CONCAT payloads,
//                      NAME_CONST, EXP(~...), FLOOR(RAND(0)*2), geometry/GTID functions on
//                      subqueries
//
// Each rule is reported at most once, in the order above. Pure function: no allocation beyond the
// token vector and the findings; any bytes are accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gh::sql {

inline constexpr std::string_view kRuleTautology = "tautology";
inline constexpr std::string_view kRuleUnionSelect = "union_select";
inline constexpr std::string_view kRuleTimeBased = "time_based";
inline constexpr std::string_view kRuleCommentTruncation = "comment_truncation";
inline constexpr std::string_view kRuleSchemaProbe = "schema_probe";
inline constexpr std::string_view kRuleEncodedPayload = "encoded_payload";
inline constexpr std::string_view kRuleStackedQuery = "stacked_query";
inline constexpr std::string_view kRuleDangerousFunction = "dangerous_function";
inline constexpr std::string_view kRuleFingerprint = "fingerprint";
inline constexpr std::string_view kRuleErrorBased = "error_based";

struct Finding {
  std::string_view rule;  // one of the kRule* constants
  std::string message;    // short human explanation with the evidence
  uint32_t offset = 0;    // byte offset of the evidence in the query
};

std::vector<Finding> detect_injection(std::string_view sql);

}  // namespace gh::sql
