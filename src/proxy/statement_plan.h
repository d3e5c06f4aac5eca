// StatementPlan: what the proxy must do with one SQL statement, derived from the SQL
// classifier (src/sql). It answers: may it run on a replica, does it change session state that
// has to follow the session to other backend connections (USE, SET), and does it tie the
// session to one backend connection (transactions, temporary tables, user variables, locks).
// This file is the only place where SQL semantics turn into routing rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/options.h"

namespace gh::proxy {

enum class Intercept : uint8_t {
  kNone,
  kSetStrategy,   // SET @gatehouse_strategy = 'random'
  kShowLastNode,  // SELECT @gatehouse_last_node
  kShowStrategy,  // SELECT @gatehouse_strategy
  kShowCluster,   // SELECT @gatehouse_cluster: node states and counters as one JSON value
};

struct StatementPlan {
  bool read_only = false;  // provably read-only: a replica may serve it
  bool starts_transaction = false;
  bool ends_transaction = false;
  bool pin_session = false;  // ties the session to its backend connection for good
  bool lock_tables = false;  // LOCK TABLES: pinned until UNLOCK TABLES
  bool unlock_tables = false;
  bool pin_next = false;  // keep the connection for the next statement too
  bool uses_last_insert_id = false;
  std::optional<Strategy> hint;           // /* gatehouse:strategy=... */
  std::optional<bool> autocommit;         // SET autocommit = ...
  std::optional<std::string> use_schema;  // USE db
  // Session variable assignments to replay on other connections: (name, full SET text).
  std::vector<std::pair<std::string, std::string>> session_sets;
  Intercept intercept = Intercept::kNone;
  std::string intercept_value;  // kSetStrategy: the strategy; kShow*: the column name
  bool multi_statement = false;
};

StatementPlan plan_statement(std::string_view sql);

}  // namespace gh::proxy
