// StatementPlan: SQL classification turned into routing and pinning rules (see
// statement_plan.h). Anything not provably read-only goes to the source; anything that leaves
// state behind on its connection either follows the session (USE, session SET) or pins it.
#include "proxy/statement_plan.h"

#include "sql/classifier.h"
#include "sql/tokenizer.h"

namespace gh::proxy {
namespace {

using sql::StatementClass;
using sql::VarScope;

std::string strip_quotes(std::string_view v) {
  while (!v.empty() && (v.front() == ' ')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == ';')) v.remove_suffix(1);
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front())
    v = v.substr(1, v.size() - 2);
  return std::string(v);
}

// If `sql` is `SELECT @var [[AS] alias]` (any case, optional trailing ';'), returns the column
// name the answer should carry (the alias, or "@var"); nullopt otherwise.
std::optional<std::string> select_of(std::string_view sql, std::string_view var) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';'))
      s.remove_suffix(1);
    return s;
  };
  auto next_word = [&](std::string_view& s) {
    s = trim(s);
    size_t n = 0;
    while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
    std::string_view w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
  };
  std::string_view rest = trim(sql);
  if (!sql::iequals(next_word(rest), "select") || !sql::iequals(next_word(rest), var))
    return std::nullopt;
  std::string_view alias = next_word(rest);
  if (sql::iequals(alias, "as")) alias = next_word(rest);
  if (!trim(rest).empty()) return std::nullopt;
  if (alias.empty()) return std::string(var);
  if (alias.size() >= 2 &&
      (alias.front() == '`' || alias.front() == '\'' || alias.front() == '"') &&
      alias.back() == alias.front())
    alias = alias.substr(1, alias.size() - 2);
  for (char c : alias)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  return std::string(alias);
}

}  // namespace

StatementPlan plan_statement(std::string_view text) {
  StatementPlan plan;
  if (auto column = select_of(text, "@gatehouse_last_node")) {
    plan.intercept = Intercept::kShowLastNode;
    plan.intercept_value = std::move(*column);
    return plan;
  }
  if (auto column = select_of(text, "@gatehouse_cluster")) {
    plan.intercept = Intercept::kShowCluster;
    plan.intercept_value = std::move(*column);
    return plan;
  }
  if (auto column = select_of(text, "@gatehouse_strategy")) {
    plan.intercept = Intercept::kShowStrategy;
    plan.intercept_value = std::move(*column);
    return plan;
  }
  sql::StatementInfo info = sql::classify(text);
  plan.read_only = info.read_only && !info.sql_calc_found_rows;
  plan.multi_statement = info.statement_count > 1;
  plan.starts_transaction = info.starts_transaction;
  plan.ends_transaction = info.ends_transaction;
  plan.uses_last_insert_id = info.uses_last_insert_id;
  plan.autocommit = info.autocommit;
  if (info.strategy_hint) {
    Strategy s;
    if (parse_strategy(*info.strategy_hint, s)) plan.hint = s;
  }
  // State that only exists on the connection that created it: pin the session to it.
  plan.pin_session = info.assigns_user_variable || info.creates_temporary_table ||
                     info.uses_named_lock || info.statement_class == StatementClass::kPrepareSql ||
                     info.statement_class == StatementClass::kHandler ||
                     info.statement_class == StatementClass::kXa;
  plan.lock_tables = info.statement_class == StatementClass::kLockTables;
  plan.unlock_tables = info.statement_class == StatementClass::kUnlockTables;
  // FOUND_ROWS() after SQL_CALC_FOUND_ROWS, and SET TRANSACTION for the next transaction, need
  // the next statement on the same connection.
  plan.pin_next = info.sql_calc_found_rows;
  if (info.statement_class == StatementClass::kUse && !info.schema.empty() && !plan.multi_statement)
    plan.use_schema = info.schema;
  if (info.statement_class == StatementClass::kSet) {
    bool only_strategy = !info.set_assignments.empty();
    for (const auto& a : info.set_assignments) {
      if (a.scope == VarScope::kUser && a.name == "gatehouse_strategy") {
        plan.intercept_value = strip_quotes(a.value);
        continue;
      }
      only_strategy = false;
      if (a.name == "next_transaction") plan.pin_next = true;
    }
    if (only_strategy) {
      plan.intercept = Intercept::kSetStrategy;
      return plan;
    }
    // Session variables follow the session: remember the statement, keyed by what it sets.
    // (autocommit is not replayed: autocommit=0 pins the session until it is back to 1.)
    if (!plan.multi_statement && !info.set_global && !info.assigns_user_variable) {
      std::string key;
      bool replayable = true;
      for (const auto& a : info.set_assignments) {
        if (a.name == "autocommit" || a.name == "next_transaction") replayable = false;
        if (!key.empty()) key += ',';
        key += a.name;
      }
      if (replayable && !key.empty()) plan.session_sets.emplace_back(key, std::string(text));
    }
  }
  // A multi-statement text that touches session state in any way: keep it where it ran.
  if (plan.multi_statement && (info.statement_class == StatementClass::kSet ||
                               info.category != sql::StatementCategory::kRead))
    plan.pin_session = true;
  return plan;
}

}  // namespace gh::proxy
