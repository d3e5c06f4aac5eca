// Policy: check_statement(), the pure role/safety check shared by every front (see policy.h).
//
// The statement classifier (sql/classifier.h) decides what a statement is; this file maps that
// onto the gatekeeper's rules: what is never allowed, which role a statement needs, and the
// injection heuristics. Messages name keywords and rules only, never literals from the SQL.
#include "gatekeeper/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "sql/digest.h"
#include "sql/injection.h"
#include "sql/keywords.h"
#include "sql/tokenizer.h"

namespace gh::gatekeeper {
namespace {

using sql::StatementCategory;
using sql::StatementClass;
using sql::Token;
using sql::TokenKind;

constexpr std::string_view kRuleQueryBytes = "query_bytes";
constexpr std::string_view kRuleParamCount = "param_count";
constexpr std::string_view kRuleEmpty = "empty_statement";
constexpr std::string_view kRuleStacked = "stacked_query";
constexpr std::string_view kRuleAlwaysDenied = "always_denied";
constexpr std::string_view kRuleRole = "role";

bool kw(const Token& t, std::string_view k) { return sql::is_keyword(t, k); }

template <size_t N>
bool kw_in(const Token& t, const std::array<std::string_view, N>& words) {
  if (t.kind != TokenKind::kWord) return false;
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return sql::iequals(t.text, w); });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The significant tokens (comments dropped) of `text`.
std::vector<Token> significant_tokens(std::string_view text) {
  std::vector<Token> out;
  sql::Tokenizer tz(text);
  for (Token t = tz.next(); t.kind != TokenKind::kEnd; t = tz.next()) {
    if (sql::is_comment(t.kind)) continue;
    if (t.kind == TokenKind::kError && t.text.starts_with("/*")) continue;
    out.push_back(t);
  }
  return out;
}

// Statement-leading words that are safe to name in a message even when the classifier does not
// know the statement (they are SQL keywords, never user data).
constexpr std::array<std::string_view, 24> kNameableWords = {
    "BINLOG",   "CHANGE", "START",   "STOP",      "RESET",    "PURGE",   "BEGIN",  "IF",
    "WHILE",    "LOOP",   "REPEAT",  "CASE",      "FOR",      "INSTALL", "BACKUP", "SIGNAL",
    "RESIGNAL", "GET",    "DECLARE", "UNINSTALL", "SHUTDOWN", "RESTART", "FLUSH",  "CACHE"};

// Object words that complete a statement label ("CREATE" + "TABLE").
constexpr std::array<std::string_view, 36> kObjectWords = {
    "TABLE",       "TABLES",      "DATABASE",   "SCHEMA",    "VIEW",    "INDEX",
    "USER",        "ROLE",        "PROCEDURE",  "FUNCTION",  "TRIGGER", "EVENT",
    "SEQUENCE",    "PACKAGE",     "DATA",       "XML",       "PLUGIN",  "SONAME",
    "PASSWORD",    "TEMPORARY",   "GLOBAL",     "MASTER",    "SLAVE",   "REPLICA",
    "REPLICATION", "SERVER",      "TABLESPACE", "LOGS",      "BINARY",  "STATEMENT",
    "NAMES",       "TRANSACTION", "PREPARE",    "IMMEDIATE", "DEFAULT", "COMPONENT"};

constexpr std::array<std::string_view, 6> kLabelModifiers = {"OR",        "REPLACE", "AGGREGATE",
                                                             "TEMPORARY", "ONLINE",  "OFFLINE"};

// "CREATE TABLE", "GRANT", "LOAD DATA", ...: the leading keywords of a statement, for messages.
// Only words known to be keywords are used (for a statement the classifier did not recognize,
// the first word may be anything): otherwise "an unrecognized statement".
std::string statement_label(const std::vector<Token>& toks, StatementClass cls) {
  const bool known_statement = cls != StatementClass::kOther;
  size_t i = 0;
  while (i < toks.size() && sql::is_punct(toks[i], '(')) ++i;
  if (i >= toks.size() || toks[i].kind != TokenKind::kWord) return "an unrecognized statement";
  const Token& first = toks[i];
  // A statement the classifier recognized starts with a keyword by construction.
  if (!known_statement && !sql::is_keyword_word(first.text) && !kw_in(first, kNameableWords) &&
      !kw_in(first, kObjectWords)) {
    return "an unrecognized statement";
  }
  std::string label = upper(first.text);
  if (kw(first, "WITH") && known_statement) {  // WITH cte AS (...) <statement>
    return fmt::format("WITH ... {}", upper(sql::statement_class_name(cls)));
  }
  bool temporary = false;
  size_t j = i + 1;
  for (int skipped = 0; j < toks.size() && skipped < 3 && kw_in(toks[j], kLabelModifiers);
       ++skipped, ++j) {
    if (kw(toks[j], "TEMPORARY")) temporary = true;
  }
  if (j < toks.size() && kw_in(toks[j], kObjectWords)) {
    if (temporary) label += " TEMPORARY";
    label += ' ';
    label += upper(toks[j].text);
  }
  return label;
}

Verdict deny(Errc code, std::string_view rule, std::string message) {
  return Verdict{code, std::string(rule), std::move(message)};
}

Verdict always_denied(std::string_view what) {
  return deny(
      Errc::kForbidden, kRuleAlwaysDenied,
      fmt::format("{} is never allowed through the gatekeeper (rule {})", what, kRuleAlwaysDenied));
}

// CREATE/ALTER of a stored program (PROCEDURE, FUNCTION, TRIGGER, EVENT, PACKAGE): its body
// runs later (on CALL, on a trigger, on schedule) with the definer's rights, so it must not
// contain what is never allowed directly. Returns the object keyword, or nullopt.
std::optional<std::string_view> stored_program_object(const std::vector<Token>& toks) {
  static constexpr std::array<std::string_view, 5> kPrograms = {"PROCEDURE", "FUNCTION", "TRIGGER",
                                                                "EVENT", "PACKAGE"};
  static constexpr std::array<std::string_view, 11> kModifiers = {
      "OR",     "REPLACE",  "AGGREGATE", "NONBLOCKING", "ONLINE", "OFFLINE",
      "IGNORE", "EXTERNAL", "UNDO",      "IF",          "NOT"};
  size_t i = 0;
  if (i >= toks.size() || !(kw(toks[i], "CREATE") || kw(toks[i], "ALTER"))) return std::nullopt;
  for (++i; i < toks.size(); ++i) {
    const Token& t = toks[i];
    if (kw_in(t, kPrograms)) return t.text;
    if (kw_in(t, kModifiers)) continue;
    if (kw(t, "DEFINER")) {  // DEFINER = 'u'@'h' | CURRENT_USER[()] | role
      size_t j = i + 1;
      if (j < toks.size() && sql::is_punct(toks[j], '=')) ++j;
      while (j < toks.size() && j < i + 8 && !kw_in(toks[j], kPrograms) && !kw(toks[j], "VIEW") &&
             !kw(toks[j], "SQL") && !kw(toks[j], "ALGORITHM")) {
        ++j;
      }
      i = j - 1;
      continue;
    }
    if (kw(t, "ALGORITHM")) {  // ALGORITHM = x
      i += 2;
      continue;
    }
    if (kw(t, "SQL")) {  // SQL SECURITY x
      i += 2;
      continue;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// The first construct in a stored program body that is never allowed, as a label, or "".
std::string forbidden_in_body(const std::vector<Token>& toks) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "GRANT",     "REVOKE",  "SHUTDOWN", "RESTART",  "KILL",    "FLUSH",   "INSTALL",
      "UNINSTALL", "HANDLER", "OUTFILE",  "DUMPFILE", "PREPARE", "EXECUTE", "BINLOG"};
  static constexpr std::array<std::string_view, 4> kUserDdl = {"CREATE", "DROP", "ALTER", "RENAME"};
  for (size_t i = 1; i < toks.size(); ++i) {
    const Token& t = toks[i];
    if (t.kind == TokenKind::kVariable) {
      std::string_view v = t.text;
      if (sql::istarts_with(v, "@@global.") || sql::istarts_with(v, "@@persist")) {
        return "SET GLOBAL";
      }
      continue;
    }
    if (t.kind != TokenKind::kWord) continue;
    if (sql::is_punct(toks[i - 1], '.')) continue;  // a qualified column name
    const Token* next = i + 1 < toks.size() ? &toks[i + 1] : nullptr;
    if (next && sql::is_punct(*next, '(')) continue;  // a function call (LOAD_FILE is caught)
    if (kw_in(t, kWords)) return upper(t.text);
    if (!next) continue;
    auto pair = [&] { return upper(t.text) + " " + upper(next->text); };
    if (kw(t, "LOAD") && (kw(*next, "DATA") || kw(*next, "XML"))) return pair();
    if (kw_in(t, kUserDdl) && (kw(*next, "USER") || kw(*next, "ROLE"))) return pair();
    if (kw(t, "SET") && (kw(*next, "PASSWORD") || kw(*next, "GLOBAL") || kw(*next, "ROLE") ||
                         kw(*next, "PERSIST") || kw(*next, "DEFAULT"))) {
      return pair();
    }
    if (kw(t, "CHANGE") && (kw(*next, "MASTER") || kw(*next, "REPLICATION"))) return pair();
    if ((kw(t, "START") || kw(t, "STOP") || kw(t, "RESET")) &&
        (kw(*next, "SLAVE") || kw(*next, "REPLICA") || kw(*next, "MASTER") || kw(*next, "ALL"))) {
      return pair();
    }
    if (kw(t, "PURGE") && (kw(*next, "BINARY") || kw(*next, "MASTER"))) return pair();
  }
  return {};
}

// A variable name that is safe to name in a message: [a-z0-9_.], at most 64 characters.
bool plain_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  });
}

// Whether a SET value (its source text) evaluates without side effects.
bool value_read_only(std::string_view value) {
  sql::StatementInfo v = sql::classify(fmt::format("SELECT {}", value));
  return v.statement_count == 1 && v.statement_class == StatementClass::kSelect &&
         v.category == StatementCategory::kRead && v.read_only && !v.assigns_user_variable &&
         !v.uses_load_file && !v.into_outfile;
}

// Session-control forms whose value is not an expression.
bool special_set_name(std::string_view name) {
  return name == "names" || name == "character_set" || name == "transaction" ||
         name == "next_transaction";
}

// What a role check found: the role a statement needs, and how to describe it.
struct Need {
  Role role = Role::kRead;
  std::string what;  // "INSERT", "SET of a user variable", ...
};

// The role a SET statement's assignments need (the statement passed the always-denied check).
Need set_need(const sql::StatementInfo& info, const std::string& label) {
  Need need{Role::kRead, label};
  for (const auto& a : info.set_assignments) {
    switch (a.scope) {
      case sql::VarScope::kGlobal:
        break;  // denied before
      case sql::VarScope::kUser:
        if (a.name != "gatehouse_strategy") return Need{Role::kWrite, "SET of a user variable"};
        break;
      case sql::VarScope::kSession:
        if (!special_set_name(a.name) && !value_read_only(a.value))
          return Need{Role::kWrite, "SET with a value that has side effects"};
        break;
    }
  }
  if (info.set_assignments.empty() && info.category != StatementCategory::kSessionControl)
    need.role = Role::kWrite;  // a SET form without parsed assignments: be strict
  return need;
}

// The text between STATEMENT and the top-level FOR of `SET STATEMENT a=1,b=2 FOR <stmt>`, or
// nullopt when the statement is not of that form.
std::optional<std::string_view> set_statement_vars(std::string_view sql,
                                                   const std::vector<Token>& toks) {
  if (toks.size() < 2 || !kw(toks[0], "SET") || !kw(toks[1], "STATEMENT")) return std::nullopt;
  int depth = 0;
  for (size_t i = 2; i < toks.size(); ++i) {
    if (sql::is_punct(toks[i], '(')) ++depth;
    if (sql::is_punct(toks[i], ')') && depth > 0) --depth;
    if (depth == 0 && kw(toks[i], "FOR")) {
      return sql.substr(toks[1].end(), toks[i].offset - toks[1].end());
    }
  }
  return sql.substr(toks[1].end());
}

// Check 4. Returns a denial, or nullopt.
std::optional<Verdict> check_always_denied(std::string_view sql, const sql::StatementInfo& info,
                                           const std::vector<Token>& toks,
                                           const std::string& label) {
  if (toks.empty()) return always_denied("an unrecognized statement");
  // Flags first: they name the dangerous part better than the statement class does.
  if (info.into_outfile) return always_denied("SELECT ... INTO OUTFILE/DUMPFILE");
  if (info.uses_load_file) return always_denied("LOAD_FILE()");
  if (info.set_global) return always_denied("SET GLOBAL (or of a @@global variable)");
  switch (info.statement_class) {
    case StatementClass::kGrant:
    case StatementClass::kRevoke:
    case StatementClass::kUserAdmin:
    case StatementClass::kShutdown:
    case StatementClass::kKill:
    case StatementClass::kLoadData:
    case StatementClass::kFlush:
    case StatementClass::kHandler:
      return always_denied(label);
    case StatementClass::kInstallPlugin:
      return always_denied(kw(toks.front(), "CREATE") ? "CREATE FUNCTION ... SONAME" : label);
    case StatementClass::kOther:
      return always_denied(label == "an unrecognized statement"
                               ? label
                               : fmt::format("unrecognized statement {}", label));
    default:
      break;
  }
  if (toks.size() > 1 && kw(toks[0], "SET") && kw(toks[1], "ROLE"))
    return always_denied("SET ROLE");
  if (auto vars = set_statement_vars(sql, toks)) {
    sql::StatementInfo set_part = sql::classify(fmt::format("SET {}", *vars));
    if (set_part.set_global || set_part.category == StatementCategory::kAdmin)
      return always_denied("SET STATEMENT of a privileged or global variable");
  }
  if (auto object = stored_program_object(toks)) {
    std::string inner = forbidden_in_body(toks);
    if (!inner.empty()) {
      return always_denied(
          fmt::format("{} {} whose body runs {}", upper(toks[0].text), upper(*object), inner));
    }
  }
  if (info.category == StatementCategory::kAdmin) {
    switch (info.statement_class) {
      case StatementClass::kSet: {
        // Privileged session variables (sql_log_bin, gtid_*, ...): name them (identifiers).
        for (const auto& a : info.set_assignments) {
          if (a.scope != sql::VarScope::kSession || !plain_name(a.name)) continue;
          auto one = sql::classify(fmt::format("SET {} = 0", a.name));
          if (one.category == StatementCategory::kAdmin)
            return always_denied(fmt::format("SET of the privileged variable {}", a.name));
        }
        return always_denied("this form of SET");
      }
      case StatementClass::kPrepareSql:
        return always_denied(
            fmt::format("{} of a statement that is not a literal or is itself denied", label));
      default:
        return always_denied(label);
    }
  }
  return std::nullopt;
}

// Check 5: the role a statement needs.
Need role_need(std::string_view sql, const sql::StatementInfo& info, const std::vector<Token>& toks,
               const std::string& label) {
  Need need{Role::kRead, label};
  switch (info.category) {
    case StatementCategory::kRead:
    case StatementCategory::kSessionControl:
      need.role = Role::kRead;
      break;
    case StatementCategory::kDml:
      need.role = Role::kWrite;
      break;
    case StatementCategory::kDdl:
    case StatementCategory::kAdmin:
      need.role = Role::kAdmin;
      break;
  }
  if (info.locking_read) {
    return Need{std::max(need.role, Role::kWrite),
                "a locking read (FOR UPDATE / LOCK IN SHARE MODE)"};
  }
  if (auto vars = set_statement_vars(sql, toks)) {
    // SET STATEMENT vars FOR <statement>: the classifier reports the inner statement; the
    // variables are checked like a SET of their own.
    Need s = set_need(sql::classify(fmt::format("SET {}", *vars)), label);
    if (s.role > need.role) need = Need{s.role, fmt::format("SET STATEMENT with {}", s.what)};
  } else if (info.statement_class == StatementClass::kSet) {
    // Session variables are session control for every role unless their value has side
    // effects; the classifier's stricter category for uncommon variables is relaxed here.
    return set_need(info, label);
  }
  if (info.assigns_user_variable && need.role < Role::kWrite)
    return Need{Role::kWrite, fmt::format("{} that assigns a user variable", label)};
  return need;
}

std::string_view injection_description(std::string_view rule) {
  if (rule == sql::kRuleTautology) return "a condition that is always true";
  if (rule == sql::kRuleUnionSelect) return "a UNION SELECT that extracts other data";
  if (rule == sql::kRuleTimeBased) return "a time delay in a predicate";
  if (rule == sql::kRuleCommentTruncation) return "a comment that cuts off the rest of the query";
  if (rule == sql::kRuleSchemaProbe) return "a probe of the system schemas";
  if (rule == sql::kRuleEncodedPayload) return "an encoded payload";
  if (rule == sql::kRuleStackedQuery) return "stacked statements";
  if (rule == sql::kRuleDangerousFunction) return "a dangerous function";
  if (rule == sql::kRuleFingerprint) return "a server fingerprinting probe";
  if (rule == sql::kRuleErrorBased) return "an error-based extraction";
  return "a suspicious construct";
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kRead:
      return "read";
    case Role::kWrite:
      return "write";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

bool parse_role(std::string_view text, Role& out) {
  for (Role r : {Role::kRead, Role::kWrite, Role::kAdmin}) {
    if (text == role_name(r)) {
      out = r;
      return true;
    }
  }
  return false;
}

std::string_view digest_mode_name(DigestMode mode) {
  switch (mode) {
    case DigestMode::kOff:
      return "off";
    case DigestMode::kLearn:
      return "learn";
    case DigestMode::kEnforce:
      return "enforce";
  }
  return "unknown";
}

bool parse_digest_mode(std::string_view text, DigestMode& out) {
  for (DigestMode m : {DigestMode::kOff, DigestMode::kLearn, DigestMode::kEnforce}) {
    if (text == digest_mode_name(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

std::string digest_hex(uint64_t digest) { return fmt::format("{:016x}", digest); }

CheckedStatement check_statement(Role role, std::string_view sql, size_t param_count,
                                 const PolicyLimits& limits) {
  CheckedStatement out;
  // 1. size
  if (sql.size() > limits.max_query_bytes) {
    out.verdict = deny(Errc::kTooLarge, kRuleQueryBytes,
                       fmt::format("the query is {} bytes, over the limit of {} (rule {})",
                                   sql.size(), limits.max_query_bytes, kRuleQueryBytes));
    return out;
  }
  if (param_count > limits.max_params) {
    out.verdict = deny(Errc::kTooLarge, kRuleParamCount,
                       fmt::format("the query has {} parameters, over the limit of {} (rule {})",
                                   param_count, limits.max_params, kRuleParamCount));
    return out;
  }
  out.info = sql::classify(sql);
  const sql::StatementInfo& info = out.info;
  // 2. empty
  if (info.statement_count == 0) {
    out.verdict =
        deny(Errc::kBadRequest, kRuleEmpty,
             fmt::format("the query holds no statement, only comments or whitespace (rule {})",
                         kRuleEmpty));
    return out;
  }
  // 3. stacked
  if (info.statement_count > 1) {
    out.verdict = deny(Errc::kForbidden, kRuleStacked,
                       fmt::format("the query holds {} statements; send one statement per "
                                   "request (rule {})",
                                   info.statement_count, kRuleStacked));
    return out;
  }
  sql::Digest d = sql::digest(sql);
  out.digest = d.hash;
  out.digest_text = std::move(d.text);

  const std::vector<Token> toks = significant_tokens(sql);
  const std::string label = statement_label(toks, info.statement_class);
  // 4. always denied
  if (auto v = check_always_denied(sql, info, toks, label)) {
    out.verdict = std::move(*v);
    return out;
  }
  // 5. role
  Need need = role_need(sql, info, toks, label);
  if (need.role > role) {
    out.verdict = deny(
        Errc::kForbidden, kRuleRole,
        fmt::format("role {} may not run {} (rule {})", role_name(role), need.what, kRuleRole));
    return out;
  }
  // 6. injection
  if (limits.detect_injection) {
    std::vector<sql::Finding> findings = sql::detect_injection(sql);
    if (!findings.empty()) {
      const std::string_view rule = findings.front().rule;
      std::string full_rule = fmt::format("injection:{}", rule);
      out.verdict = deny(Errc::kInjectionSuspected, full_rule,
                         fmt::format("the statement looks like SQL injection: {} (rule {})",
                                     injection_description(rule), full_rule));
      return out;
    }
  }
  return out;
}

}  // namespace gh::gatekeeper
