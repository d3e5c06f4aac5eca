// classify() internals: the per-statement token scan that computes the routing/safety flags,
// tracks compound-statement bodies (so ';' inside BEGIN..END does not end a CREATE PROCEDURE),
// and parses SET statements into assignments.
#include <algorithm>
#include <iterator>
#include <optional>

#include "sql/classifier_internal.h"
#include "sql/keywords.h"

namespace gh::sql::detail {
namespace {

using K = StatementClass;
using C = StatementCategory;
using TK = TokenKind;

bool kw(const Token& t, std::string_view k) { return is_keyword(t, k); }

// Session variables that only change connection-level behaviour (allowed for every role).
constexpr std::string_view kSessionControlVars[] = {"autocommit",
                                                    "character_set",
                                                    "character_set_client",
                                                    "character_set_connection",
                                                    "character_set_results",
                                                    "collation_connection",
                                                    "max_execution_time",
                                                    "max_statement_time",
                                                    "names",
                                                    "net_read_timeout",
                                                    "net_write_timeout",
                                                    "next_transaction",
                                                    "sql_mode",
                                                    "time_zone",
                                                    "transaction",
                                                    "transaction_isolation",
                                                    "transaction_read_only",
                                                    "tx_isolation",
                                                    "tx_read_only",
                                                    "wait_timeout"};

// Session variables that need SUPER-like privileges or tamper with replication.
constexpr std::string_view kPrivilegedVars[] = {
    "binlog_format",  "binlog_row_image", "debug",       "debug_dbug",        "debug_sync",
    "gtid_domain_id", "gtid_next",        "gtid_seq_no", "pseudo_slave_mode", "pseudo_thread_id",
    "server_id",      "skip_replication", "sql_log_bin", "sql_log_off",       "wsrep_on"};

bool in_list(std::string_view name, const std::string_view* b, const std::string_view* e) {
  return std::find(b, e, name) != e;
}

std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

// 0/1/ON/OFF/TRUE/FALSE (optionally quoted) -> bool.
std::optional<bool> parse_bool(const Token& t) {
  std::string v = t.kind == TK::kString ? unquote_string(t.text) : std::string(t.text);
  if (v == "1" || iequals(v, "ON") || iequals(v, "TRUE")) return true;
  if (v == "0" || iequals(v, "OFF") || iequals(v, "FALSE")) return false;
  return std::nullopt;
}

class Scan {
 public:
  Scan(Cursor& c, StatementInfo& info, int depth) : c_(c), info_(info), nest_(depth) {}

  StatementResult run_statement() {
    h_ = read_head(c_.fork());
    if (h_.cls == K::kSet) {
      run_set();
    } else if (h_.cls == K::kUse) {
      run_use();
    } else {
      run();
    }
    if (c_.peek().kind == TK::kSemicolon) c_.next();
    return finish();
  }

 private:
  bool at_end() const {
    const Token& p = c_.peek();
    return p.kind == TK::kEnd || (p.kind == TK::kSemicolon && block_ == 0);
  }

  void run() {
    while (!at_end()) step(c_.next());
  }

  void step(const Token& t) {
    if (!(t.kind == TK::kError && t.text.starts_with("/*"))) any_ = true;
    switch (t.kind) {
      case TK::kPunctuation:
        if (t.text[0] == '(') {
          ++paren_;
          in_into_ = false;
        } else if (t.text[0] == ')' && paren_ > 0) {
          --paren_;
        }
        break;
      case TK::kWord:
        word(t);
        break;
      case TK::kQuotedIdent:
        if (is_punct(c_.peek(), '(') && !cte_name()) ro_ = false;  // `stored_function`(...)
        break;
      case TK::kVariable:
        variable(t);
        break;
      default:
        break;
    }
    if (h_.routine_body) {
      stmt_start_ = t.kind == TK::kSemicolon || is_punct(t, ':') ||
                    (t.kind == TK::kWord && (kw(t, "BEGIN") || kw(t, "THEN") || kw(t, "ELSE") ||
                                             kw(t, "DO") || kw(t, "LOOP") || kw(t, "REPEAT")));
    }
    prev_ = t;
  }

  // A name followed by "(" in the CTE list of WITH (before the main statement keyword).
  bool cte_name() const { return h_.with_header && !main_seen_ && paren_ == 0; }

  void word(const Token& t) {
    const Token& nx = c_.peek();
    const bool call = is_punct(nx, '(');
    if (h_.routine_body) routine_word(t, call);
    if (call) {
      function_call(t);
    } else {
      switch (t.text.size()) {  // cheap dispatch on length before comparing text
        case 3:
          if (kw(t, "FOR") && (kw(nx, "UPDATE") || kw(nx, "SHARE"))) locking_ = true;
          break;
        case 4:
          if (kw(t, "LOCK")) {
            if (kw(nx, "IN") && h_.cls != K::kLockTables) locking_ = true;  // LOCK IN SHARE MODE
          } else if (kw(t, "INTO")) {
            if (h_.select_like) {
              into_ = true;
              in_into_ = true;
              if (kw(nx, "OUTFILE") || kw(nx, "DUMPFILE")) outfile_ = true;
              return;
            }
          } else if (kw(t, "NEXT")) {
            if (kw(nx, "VALUE")) ro_ = false;  // NEXT VALUE FOR sequence
          } else if (kw(t, "FROM")) {
            if (h_.cls == K::kPrepareSql && paren_ == 0) prepare_operand(nx, false);
          }
          break;
        case 5:
          if (kw(t, "CHAIN") && kw(prev_, "AND")) chain_ = true;  // not AND NO CHAIN
          break;
        case 8:
          if (kw(t, "PREVIOUS") && kw(nx, "VALUE")) ro_ = false;
          break;
        case 9:
          if (kw(t, "IMMEDIATE") && h_.cls == K::kPrepareSql) prepare_operand(nx, true);
          break;
        case 19:
          if (kw(t, "SQL_CALC_FOUND_ROWS")) info_.sql_calc_found_rows = true;
          break;
        default:
          break;
      }
    }
    if (h_.with_header && paren_ == 0 &&
        (kw(t, "SELECT") || kw(t, "UPDATE") || kw(t, "DELETE") || kw(t, "INSERT") ||
         kw(t, "REPLACE") || kw(t, "VALUES") || kw(t, "TABLE"))) {
      main_seen_ = true;
    }
    in_into_ = false;
  }

  // BEGIN..END / IF..END IF / CASE..END / LOOP, WHILE, REPEAT, FOR ... END x nesting.
  void routine_word(const Token& t, bool call) {
    if (kw(t, "END")) {
      if (block_ > 0) --block_;
      const Token& nx = c_.peek();
      if (kw(nx, "IF") || kw(nx, "LOOP") || kw(nx, "WHILE") || kw(nx, "REPEAT") || kw(nx, "CASE") ||
          kw(nx, "FOR")) {
        c_.next();
      }
    } else if (kw(t, "BEGIN") || kw(t, "CASE")) {
      ++block_;
    } else if (kw(t, "IF") || kw(t, "LOOP") || kw(t, "WHILE") || kw(t, "REPEAT")) {
      const bool header_if = kw(t, "IF") && (kw(c_.peek(), "NOT") || kw(c_.peek(), "EXISTS"));
      if ((stmt_start_ && !(call && paren_ > 0)) || (block_ == 0 && !call && !header_if)) ++block_;
    } else if (kw(t, "FOR") && stmt_start_) {
      ++block_;  // MariaDB FOR loop
    }
  }

  void function_call(const Token& t) {
    if (is_punct(prev_, '.')) {  // schema.stored_function(...)
      ro_ = false;
      return;
    }
    const uint16_t traits = function_traits(t.text);
    if (traits == 0) {
      if (!is_keyword_word(t.text) && !cte_name()) ro_ = false;  // unknown: stored or UDF
      return;
    }
    if (traits & kFnNotReadOnly) ro_ = false;
    if (traits & kFnNamedLock) info_.uses_named_lock = true;
    if (traits & kFnLastInsertId) info_.uses_last_insert_id = true;
    if (traits & kFnFoundRows) info_.uses_found_rows = true;
    if (traits & kFnLoadFile) {
      info_.uses_load_file = true;
      load_file_ = true;
    }
  }

  void variable(const Token& t) {
    std::string_view v = t.text;
    if (v.starts_with("@@")) {
      v.remove_prefix(2);
      if (size_t dot = v.find('.'); dot != std::string_view::npos) v.remove_prefix(dot + 1);
      if (iequals(v, "identity") || iequals(v, "last_insert_id")) {
        info_.uses_last_insert_id = true;
        ro_ = false;
      }
      return;
    }
    // 'user'@'host' in GRANT, DEFINER=, SET PASSWORD FOR ...
    if (h_.user_names && prev_.end() == t.offset &&
        (prev_.kind == TK::kString || prev_.kind == TK::kQuotedIdent || prev_.kind == TK::kWord)) {
      return;
    }
    if (in_into_ || c_.peek().text == ":=") {  // INTO @x / @x := ...: a write, not a read
      assigns_ = true;
      return;
    }
    info_.reads_user_variable = true;
    if (h_.cls == K::kCall) assigns_ = true;  // CALL p(@out): may be an OUT parameter
  }

  void prepare_operand(const Token& operand, bool immediate) {
    if (operand.kind != TK::kString || nest_ >= 4) return;  // PREPARE FROM @var: stays admin
    StatementInfo inner = classify_nested(unquote_string(operand.text), nest_ + 1);
    h_.category = max_category(C::kDml, inner.category);
    if (immediate) {  // runs now: its transaction effects are this statement's
      ro_ = false;
      h_.starts_transaction = h_.starts_transaction || inner.starts_transaction;
      h_.ends_transaction = h_.ends_transaction || inner.ends_transaction;
    }
  }

  void run_use() {
    step(c_.next());  // USE
    const Token& n = c_.peek();
    if (n.kind == TK::kWord || n.kind == TK::kQuotedIdent) {
      info_.schema = unquote_identifier(n.text);
      step(c_.next());
    }
    run();
  }

  void run_set();
  void add_value(VarScope scope, std::string name, bool to_end);
  StatementResult finish();

  Cursor& c_;
  StatementInfo& info_;
  int nest_;
  Head h_;
  Token prev_;
  int paren_ = 0;
  int block_ = 0;
  bool any_ = false;
  bool stmt_start_ = true;
  bool ro_ = true;
  bool in_into_ = false;
  bool into_ = false;
  bool outfile_ = false;
  bool load_file_ = false;
  bool locking_ = false;
  bool assigns_ = false;
  bool main_seen_ = false;
  bool chain_ = false;
  StatementCategory set_category_ = C::kSessionControl;
};

void Scan::run_set() {
  step(c_.next());  // SET
  const Token p = c_.peek();
  if (kw(p, "PASSWORD") || (kw(p, "DEFAULT") && [&] {
        Cursor f = c_.fork();
        f.next();
        return kw(f.peek(), "ROLE");
      }())) {
    h_.cls = K::kUserAdmin;
    h_.category = C::kAdmin;
    h_.user_names = true;
    h_.implicit_commit = true;
    run();
    return;
  }
  if (kw(p, "ROLE")) {
    run();
    return;
  }
  if (kw(p, "STATEMENT")) {  // MariaDB SET STATEMENT var=value[,...] FOR <statement>
    while (!at_end() && !(paren_ == 0 && kw(c_.peek(), "FOR"))) step(c_.next());
    if (at_end()) {
      h_ = Head{};
      return;
    }
    c_.next();  // FOR
    h_ = read_head(c_.fork());
    run();
    return;
  }
  if (kw(p, "NAMES") || kw(p, "CHARSET") || kw(p, "CHARACTER")) {
    std::string name = kw(p, "NAMES") ? "names" : "character_set";
    step(c_.next());
    if (kw(c_.peek(), "SET")) step(c_.next());  // CHARACTER SET
    add_value(VarScope::kSession, std::move(name), true);
    run();
    return;
  }
  VarScope sticky = VarScope::kSession;
  bool explicit_scope = false;
  while (!at_end()) {
    Token t = c_.next();
    any_ = true;
    VarScope scope = sticky;
    if (kw(t, "GLOBAL") || kw(t, "PERSIST") || kw(t, "PERSIST_ONLY") || kw(t, "SESSION") ||
        kw(t, "LOCAL")) {
      scope = sticky = kw(t, "SESSION") || kw(t, "LOCAL") ? VarScope::kSession : VarScope::kGlobal;
      explicit_scope = true;
      if (at_end()) break;
      t = c_.next();
    }
    if (kw(t, "TRANSACTION")) {
      add_value(scope, explicit_scope ? "transaction" : "next_transaction", true);
      break;
    }
    std::string name;
    if (t.kind == TK::kVariable && t.text.starts_with("@@")) {
      std::string_view v = t.text.substr(2);
      scope = VarScope::kSession;
      for (std::string_view pre : {"global.", "persist.", "persist_only.", "session.", "local."}) {
        if (istarts_with(v, pre)) {
          scope = pre[0] == 's' || pre[0] == 'l' ? VarScope::kSession : VarScope::kGlobal;
          v.remove_prefix(pre.size());
          break;
        }
      }
      name = lower_copy(unquote_identifier(v));
    } else if (t.kind == TK::kVariable) {
      scope = VarScope::kUser;
      std::string_view v = t.text.substr(1);
      name = lower_copy(v.starts_with("`") ? unquote_identifier(v) : unquote_string(v));
    } else if (t.kind == TK::kWord || t.kind == TK::kQuotedIdent) {
      name = lower_copy(unquote_identifier(t.text));
      if (is_punct(c_.peek(), '.')) {  // structured variable: default.key_buffer_size
        c_.next();
        name += '.';
        name += lower_copy(unquote_identifier(c_.next().text));
      }
    } else {
      step(t);
      set_category_ = C::kAdmin;  // not a SET we understand
      break;
    }
    prev_ = t;
    const Token& eq = c_.peek();
    if (!(is_punct(eq, '=') || eq.text == ":=")) {
      set_category_ = max_category(set_category_, C::kDml);
      break;
    }
    step(c_.next());
    if (scope == VarScope::kGlobal) info_.set_global = true;
    add_value(scope, std::move(name), false);
    if (!is_punct(c_.peek(), ',')) break;
    step(c_.next());
  }
  run();
}

// Reads a SET value (to the next top-level ',' unless to_end) and records the assignment.
void Scan::add_value(VarScope scope, std::string name, bool to_end) {
  const int base = paren_;
  const bool saved_ro = ro_;
  ro_ = true;
  Token first;
  Token last;
  bool any = false;
  while (!at_end() && (to_end || paren_ != base || !is_punct(c_.peek(), ','))) {
    Token t = c_.next();
    step(t);
    if (!any) first = t;
    any = true;
    last = t;
  }
  const bool value_ro = ro_;
  ro_ = saved_ro && value_ro;
  std::string value;
  if (any) value = std::string(c_.input().substr(first.offset, last.end() - first.offset));

  StatementCategory cat = C::kDml;
  const std::string_view* sc_end = std::end(kSessionControlVars);
  if (scope == VarScope::kGlobal) {
    cat = C::kAdmin;
    info_.set_global = true;
  } else if (scope == VarScope::kUser) {
    info_.assigns_user_variable = true;
    cat = value_ro ? C::kSessionControl : C::kDml;
  } else if (in_list(name, std::begin(kPrivilegedVars), std::end(kPrivilegedVars))) {
    cat = C::kAdmin;
  } else if (in_list(name, std::begin(kSessionControlVars), sc_end)) {
    cat = value_ro ? C::kSessionControl : C::kDml;
  }
  // Enabling autocommit commits only if it was off: the router knows, so no implicit commit here.
  if (name == "autocommit" && scope == VarScope::kSession && any && first.offset == last.offset) {
    info_.autocommit = parse_bool(first);
  }
  set_category_ = max_category(set_category_, cat);
  info_.set_assignments.push_back(SetAssignment{scope, std::move(name), std::move(value)});
}

StatementResult Scan::finish() {
  StatementResult r;
  if (!any_) return r;
  r.empty = false;
  r.cls = h_.cls;
  StatementCategory cat = h_.cls == K::kSet ? set_category_ : h_.category;
  if (h_.select_like && locking_) cat = max_category(cat, C::kDml);
  if (outfile_ || load_file_) cat = C::kAdmin;
  r.category = cat;
  r.read_only = h_.select_like && ro_ && !locking_ && !into_ && !assigns_;

  info_.locking_read |= locking_;
  info_.assigns_user_variable |= assigns_;
  info_.into_outfile |= outfile_;
  info_.starts_transaction |= h_.starts_transaction || chain_;
  info_.ends_transaction |= h_.ends_transaction || h_.implicit_commit;
  if (h_.temporary) {
    if (h_.cls == K::kCreate) info_.creates_temporary_table = true;
    if (h_.cls == K::kDrop) info_.drops_temporary_table = true;
  }
  return r;
}

}  // namespace

StatementResult scan_statement(Cursor& c, StatementInfo& info, int depth) {
  return Scan(c, info, depth).run_statement();
}

}  // namespace gh::sql::detail
