// String helpers declared in classifier.h: stable names of statement classes and categories,
// and the gatehouse hint comment parser (`/* gatehouse:strategy=random,key=value */`).
#include "sql/classifier.h"
#include "sql/tokenizer.h"

namespace gh::sql {

std::optional<std::string_view> StatementInfo::hint(std::string_view key) const {
  return find_hint(gatehouse_hints, key);
}

std::string_view statement_class_name(StatementClass c) {
  static constexpr std::string_view kNames[] = {
      "empty",       "select",      "show",           "describe",
      "set",         "use",         "begin",          "commit",
      "rollback",    "savepoint",   "insert",         "update",
      "delete",      "replace",     "load_data",      "call",
      "do",          "create",      "alter",          "drop",
      "truncate",    "rename",      "grant",          "revoke",
      "user_admin",  "lock_tables", "unlock_tables",  "prepare_sql",
      "execute_sql", "deallocate",  "handler",        "flush",
      "kill",        "shutdown",    "install_plugin", "analyze_optimize",
      "xa",          "other"};
  auto i = static_cast<size_t>(c);
  return i < std::size(kNames) ? kNames[i] : "unknown";
}

std::string_view statement_category_name(StatementCategory c) {
  switch (c) {
    case StatementCategory::kRead:
      return "read";
    case StatementCategory::kSessionControl:
      return "session_control";
    case StatementCategory::kDml:
      return "dml";
    case StatementCategory::kDdl:
      return "ddl";
    case StatementCategory::kAdmin:
      return "admin";
  }
  return "unknown";
}

namespace {
bool hint_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
std::string_view trim(std::string_view s) {
  while (!s.empty() && hint_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && hint_space(s.back())) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<std::string_view> parse_gatehouse_comment(std::string_view comment) {
  std::string_view body = comment;
  if (body.starts_with("/*")) {
    body.remove_prefix(2);
    if (body.ends_with("*/")) body.remove_suffix(2);
    if (body.starts_with("+")) body.remove_prefix(1);
  } else if (body.starts_with("--")) {
    body.remove_prefix(2);
  } else if (body.starts_with("#")) {
    body.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  body = trim(body);
  constexpr std::string_view kPrefix = "gatehouse:";
  if (!istarts_with(body, kPrefix)) return std::nullopt;
  body = trim(body.substr(kPrefix.size()));
  if (body.empty()) return std::nullopt;
  return body;
}

std::optional<std::string_view> find_hint(std::string_view spec, std::string_view key) {
  size_t i = 0;
  while (i < spec.size()) {
    while (i < spec.size() && (spec[i] == ',' || hint_space(spec[i]))) ++i;
    size_t e = i;
    while (e < spec.size() && spec[e] != ',' && !hint_space(spec[e])) ++e;
    std::string_view item = spec.substr(i, e - i);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && iequals(trim(item.substr(0, eq)), key)) {
      return item.substr(eq + 1);
    }
    i = e;
  }
  return std::nullopt;
}

}  // namespace gh::sql
