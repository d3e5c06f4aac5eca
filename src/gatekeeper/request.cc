// JSON request bodies of the HTTP API: strict decoding with Boost.JSON (see request.h).
#include "gatekeeper/request.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>

#include "common/json_text.h"

namespace gh::gatekeeper {
namespace json = boost::json;
namespace {

constexpr std::string_view kStrategies[] = {"direct", "random", "customized"};

std::expected<json::object, std::string> parse_object(std::string_view body) {
  if (body.empty()) return std::unexpected("empty body: expected a JSON object");
  json::parse_options opt;
  opt.max_depth = 8;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, json::storage_ptr(), opt);
  if (ec) return std::unexpected(fmt::format("invalid JSON: {}", ec.message()));
  if (!v.is_object()) return std::unexpected("expected a JSON object");
  return std::move(v.as_object());
}

std::expected<std::string, std::string> string_field(const json::value& v, std::string_view name) {
  if (!v.is_string()) return std::unexpected(fmt::format("{}: expected a string", name));
  const json::string& s = v.get_string();
  return std::string(s.data(), s.size());
}

std::expected<StatementRequest, std::string> statement_from(const json::object& o,
                                                            std::string_view prefix,
                                                            const RequestLimits& limits,
                                                            bool allow_other_fields) {
  StatementRequest st;
  const json::value* sql = o.if_contains("sql");
  if (!sql) return std::unexpected(fmt::format("{}sql: missing", prefix));
  auto text = string_field(*sql, fmt::format("{}sql", prefix));
  if (!text) return std::unexpected(text.error());
  if (text->find('\0') != std::string::npos)
    return std::unexpected(fmt::format("{}sql: contains a NUL byte", prefix));
  st.sql = std::move(*text);
  if (const json::value* params = o.if_contains("params"); params && !params->is_null()) {
    if (!params->is_array())
      return std::unexpected(fmt::format("{}params: expected an array", prefix));
    const json::array& a = params->get_array();
    if (a.size() > limits.max_params)
      return std::unexpected(fmt::format("{}params: {} parameters, the limit is {}", prefix,
                                         a.size(), limits.max_params));
    for (size_t i = 0; i < a.size(); ++i) {
      const json::value& p = a[i];
      switch (p.kind()) {
        case json::kind::null:
          st.params.emplace_back(std::monostate{});
          break;
        case json::kind::bool_:
          st.params.emplace_back(int64_t(p.get_bool() ? 1 : 0));
          break;
        case json::kind::int64:
          st.params.emplace_back(p.get_int64());
          break;
        case json::kind::uint64:
          st.params.emplace_back(p.get_uint64());
          break;
        case json::kind::double_:
          if (!std::isfinite(p.get_double()))
            return std::unexpected(
                fmt::format("{}params[{}]: number out of range for a double", prefix, i));
          st.params.emplace_back(p.get_double());
          break;
        case json::kind::string:
          st.params.emplace_back(std::string(p.get_string().data(), p.get_string().size()));
          break;
        default:
          return std::unexpected(
              fmt::format("{}params[{}]: expected a string, number, boolean or null", prefix, i));
      }
    }
  }
  if (!allow_other_fields) {
    for (const auto& kv : o) {
      if (kv.key() != "sql" && kv.key() != "params")
        return std::unexpected(
            fmt::format("{}{}: unknown field", prefix, json_safe_name(std::string_view(kv.key()))));
    }
  }
  return st;
}

std::expected<std::optional<std::string>, std::string> database_from(const json::object& o) {
  const json::value* db = o.if_contains("database");
  if (!db || db->is_null()) return std::optional<std::string>{};
  auto name = string_field(*db, "database");
  if (!name) return std::unexpected(name.error());
  if (!valid_database_name(*name)) return std::unexpected("database: not a valid database name");
  return std::optional<std::string>(std::move(*name));
}

}  // namespace

bool valid_database_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || !valid_utf8(name)) return false;
  for (char c : name)
    if (c == '\0' || c == '/' || c == '\\' || c == '.' || c == '`') return false;
  return true;
}

std::expected<QueryRequest, std::string> decode_query_request(std::string_view body,
                                                              const RequestLimits& limits) {
  auto o = parse_object(body);
  if (!o) return std::unexpected(o.error());
  for (const auto& kv : *o) {
    std::string_view k = kv.key();
    if (k != "sql" && k != "params" && k != "strategy" && k != "database")
      return std::unexpected(
          fmt::format("{}: unknown field (expected sql, params, strategy, "
                      "database)",
                      json_safe_name(k)));
  }
  QueryRequest req;
  auto st = statement_from(*o, "", limits, true);
  if (!st) return std::unexpected(st.error());
  req.statement = std::move(*st);
  if (const json::value* s = o->if_contains("strategy"); s && !s->is_null()) {
    auto name = string_field(*s, "strategy");
    if (!name) return std::unexpected(name.error());
    bool known = false;
    for (auto k : kStrategies) known = known || *name == k;
    if (!known) return std::unexpected("strategy: expected direct, random or customized");
    req.strategy = std::move(*name);
  }
  auto db = database_from(*o);
  if (!db) return std::unexpected(db.error());
  req.database = std::move(*db);
  return req;
}

std::expected<TransactionRequest, std::string> decode_transaction_request(
    std::string_view body, const RequestLimits& limits) {
  auto o = parse_object(body);
  if (!o) return std::unexpected(o.error());
  for (const auto& kv : *o) {
    std::string_view k = kv.key();
    if (k != "statements" && k != "database")
      return std::unexpected(
          fmt::format("{}: unknown field (expected statements, database)", json_safe_name(k)));
  }
  TransactionRequest req;
  const json::value* list = o->if_contains("statements");
  if (!list || !list->is_array() || list->get_array().empty())
    return std::unexpected("statements: expected a non-empty array");
  const json::array& a = list->get_array();
  if (a.size() > limits.max_statements)
    return std::unexpected(
        fmt::format("statements: {} statements, the limit is {}", a.size(), limits.max_statements));
  for (size_t i = 0; i < a.size(); ++i) {
    std::string prefix = fmt::format("statements[{}].", i);
    if (a[i].is_string()) {  // shorthand: a bare SQL string
      req.statements.push_back({std::string(a[i].get_string()), {}});
      continue;
    }
    if (!a[i].is_object())
      return std::unexpected(fmt::format("statements[{}]: expected an object or a string", i));
    auto st = statement_from(a[i].get_object(), prefix, limits, false);
    if (!st) return std::unexpected(st.error());
    req.statements.push_back(std::move(*st));
  }
  auto db = database_from(*o);
  if (!db) return std::unexpected(db.error());
  req.database = std::move(*db);
  return req;
}

}  // namespace gh::gatekeeper
