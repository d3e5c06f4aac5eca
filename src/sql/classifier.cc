// classify(): statement heads (what the first words say) and the driver over statements.
// The per-token flag scan and SET parsing live in classifier_scan.cc.
#include "sql/classifier.h"

#include "sql/classifier_internal.h"

namespace gh::sql {
namespace detail {
namespace {

using K = StatementClass;
using C = StatementCategory;

bool kw(const Token& t, std::string_view k) { return is_keyword(t, k); }

Head make_head(StatementClass cls, StatementCategory cat) {
  Head h;
  h.cls = cls;
  h.category = cat;
  return h;
}

Head select_head(StatementClass cls = K::kSelect) {
  Head h = make_head(cls, C::kRead);
  h.select_like = true;
  return h;
}

bool starts_statement(const Token& t) {
  return is_punct(t, '(') || kw(t, "SELECT") || kw(t, "WITH") || kw(t, "VALUES") ||
         kw(t, "TABLE") || kw(t, "INSERT") || kw(t, "UPDATE") || kw(t, "DELETE") ||
         kw(t, "REPLACE");
}

// WITH ...: the class is decided by the first statement keyword at parenthesis depth 0.
Head with_head(Cursor c) {
  int depth = 0;
  for (Token t = c.next(); t.kind != TokenKind::kEnd && t.kind != TokenKind::kSemicolon;
       t = c.next()) {
    if (is_punct(t, '(')) ++depth;
    if (is_punct(t, ')') && depth > 0) --depth;
    if (depth != 0 || t.kind != TokenKind::kWord) continue;
    Head h;
    if (kw(t, "SELECT") || kw(t, "VALUES") || kw(t, "TABLE")) {
      h = select_head();
    } else if (kw(t, "UPDATE")) {
      h = make_head(K::kUpdate, C::kDml);
    } else if (kw(t, "DELETE")) {
      h = make_head(K::kDelete, C::kDml);
    } else if (kw(t, "INSERT")) {
      h = make_head(K::kInsert, C::kDml);
    } else if (kw(t, "REPLACE")) {
      h = make_head(K::kReplace, C::kDml);
    } else {
      continue;
    }
    h.with_header = true;
    return h;
  }
  return make_head(K::kOther, C::kAdmin);
}

// EXPLAIN/DESCRIBE (after the keyword) or MariaDB ANALYZE <statement>.
Head explain_head(Cursor c, bool analyze) {
  for (int i = 0; i < 8; ++i) {  // options before the statement
    const Token& p = c.peek();
    if (kw(p, "ANALYZE")) {
      analyze = true;
    } else if (kw(p, "FORMAT")) {
      c.next();
      if (is_punct(c.peek(), '=')) c.next();
    } else if (!kw(p, "EXTENDED") && !kw(p, "PARTITIONS")) {
      break;
    }
    c.next();
  }
  if (!starts_statement(c.peek()))
    return select_head(K::kDescribe);  // DESCRIBE tbl, FOR CONNECTION
  Head inner = read_head(c);
  Head h = select_head(K::kDescribe);
  if (analyze) {  // the statement really runs
    h.select_like = inner.select_like;
    h.with_header = inner.with_header;
    h.category = inner.select_like ? C::kRead : max_category(C::kDml, inner.category);
  } else {
    h.with_header = inner.with_header;
  }
  return h;
}

// True for the loadable-function form CREATE [AGGREGATE] FUNCTION [IF NOT EXISTS] f RETURNS t
// SONAME.
bool is_udf(Cursor c) {
  if (kw(c.peek(), "IF")) {
    c.next();
    if (kw(c.peek(), "NOT")) c.next();
    if (kw(c.peek(), "EXISTS")) c.next();
  }
  c.next();  // name
  if (is_punct(c.peek(), '.')) {
    c.next();
    c.next();
  }
  if (!kw(c.next(), "RETURNS")) return false;
  c.next();  // STRING | INTEGER | REAL | DECIMAL
  return kw(c.peek(), "SONAME");
}

// CREATE / ALTER / DROP: skips modifiers and dispatches on the object keyword.
Head ddl_head(Cursor c, StatementClass base) {
  bool temporary = false;
  bool definer = false;
  for (int i = 0; i < 16; ++i) {
    const Token& p = c.peek();
    if (kw(p, "OR")) {  // OR REPLACE
      c.next();
    } else if (kw(p, "DEFINER")) {
      definer = true;
      c.next();
      if (is_punct(c.peek(), '=')) c.next();
      Token user = c.next();
      if (kw(user, "CURRENT_USER") && is_punct(c.peek(), '(')) {
        c.next();
        if (is_punct(c.peek(), ')')) c.next();
        continue;
      }
      if (c.peek().kind == TokenKind::kVariable && c.peek().offset == user.end()) c.next();
      continue;
    } else if (kw(p, "ALGORITHM")) {
      c.next();
      if (is_punct(c.peek(), '=')) c.next();
    } else if (kw(p, "SQL")) {  // SQL SECURITY x
      c.next();
      c.next();
    } else if (kw(p, "TEMPORARY")) {
      temporary = true;
    } else if (!(kw(p, "REPLACE") || kw(p, "AGGREGATE") || kw(p, "ONLINE") || kw(p, "OFFLINE") ||
                 kw(p, "IGNORE") || kw(p, "UNIQUE") || kw(p, "FULLTEXT") || kw(p, "SPATIAL") ||
                 kw(p, "NONBLOCKING") || kw(p, "UNDO") || kw(p, "EXTERNAL"))) {
      break;
    }
    c.next();
  }
  const Token o = c.next();
  Head h = make_head(base, C::kDdl);
  h.user_names = definer;
  h.implicit_commit = true;
  if (kw(o, "USER") || kw(o, "ROLE")) {
    h = make_head(K::kUserAdmin, C::kAdmin);
    h.user_names = true;
    h.implicit_commit = true;
  } else if (kw(o, "TABLE") || kw(o, "TABLES")) {
    if (temporary) {
      h.temporary = true;
      h.category = C::kDml;
      h.implicit_commit = false;
    }
  } else if (kw(o, "PROCEDURE") || kw(o, "TRIGGER") || kw(o, "EVENT") || kw(o, "PACKAGE")) {
    h.routine_body = base != K::kDrop;
  } else if (kw(o, "FUNCTION")) {
    if (base == K::kCreate && is_udf(c)) {
      h = make_head(K::kInstallPlugin, C::kAdmin);
      h.implicit_commit = true;
    } else {
      h.routine_body = base != K::kDrop;
    }
  } else if (kw(o, "PREPARE") && base == K::kDrop) {
    h = make_head(K::kDeallocate, C::kDml);
  } else if (!(kw(o, "DATABASE") || kw(o, "SCHEMA") || kw(o, "VIEW") || kw(o, "INDEX") ||
               kw(o, "SEQUENCE") || kw(o, "SYNONYM"))) {
    h.category = C::kAdmin;  // SERVER, TABLESPACE, INSTANCE, LOGFILE GROUP, RESOURCE GROUP, ...
  }
  return h;
}

}  // namespace

Head read_head(Cursor c) {
  Token t = c.next();
  int parens = 0;
  while (is_punct(t, '(')) {
    ++parens;
    t = c.next();
  }
  if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kSemicolon) {
    return parens ? make_head(K::kOther, C::kAdmin) : make_head(K::kEmpty, C::kRead);
  }
  if (t.kind != TokenKind::kWord) return make_head(K::kOther, C::kAdmin);
  if (kw(t, "SELECT") || kw(t, "VALUES") || kw(t, "TABLE")) return select_head();
  if (kw(t, "WITH")) return with_head(c);
  if (parens) return make_head(K::kOther, C::kAdmin);
  const Token& p = c.peek();
  Head h = make_head(K::kOther, C::kAdmin);
  if (kw(t, "SHOW") || kw(t, "HELP")) {
    h = select_head(K::kShow);
    h.user_names = true;  // SHOW GRANTS FOR 'u'@'h'
  } else if (kw(t, "DESC") || kw(t, "DESCRIBE") || kw(t, "EXPLAIN")) {
    h = explain_head(c, false);
  } else if (kw(t, "ANALYZE")) {
    if (kw(p, "TABLE") || kw(p, "TABLES") || kw(p, "NO_WRITE_TO_BINLOG") || kw(p, "LOCAL")) {
      h = make_head(K::kAnalyzeOptimize, C::kDdl);
      h.implicit_commit = true;
    } else {
      h = explain_head(c, true);
    }
  } else if (kw(t, "SET")) {
    h = make_head(K::kSet, C::kSessionControl);
  } else if (kw(t, "USE")) {
    h = make_head(K::kUse, C::kSessionControl);
  } else if (kw(t, "BEGIN")) {
    if (kw(p, "NOT")) {  // MariaDB BEGIN NOT ATOMIC ... END
      h.routine_body = true;
    } else {
      h = make_head(K::kBegin, C::kDml);
      h.starts_transaction = true;
    }
  } else if (kw(t, "START")) {
    if (kw(p, "TRANSACTION")) {
      h = make_head(K::kBegin, C::kDml);
      h.starts_transaction = true;
    }
  } else if (kw(t, "COMMIT")) {
    h = make_head(K::kCommit, C::kDml);
    h.ends_transaction = true;
  } else if (kw(t, "ROLLBACK")) {
    if (kw(p, "WORK")) c.next();
    if (kw(c.peek(), "TO")) {
      h = make_head(K::kSavepoint, C::kDml);
    } else {
      h = make_head(K::kRollback, C::kDml);
      h.ends_transaction = true;
    }
  } else if (kw(t, "SAVEPOINT") || (kw(t, "RELEASE") && kw(p, "SAVEPOINT"))) {
    h = make_head(K::kSavepoint, C::kDml);
  } else if (kw(t, "INSERT")) {
    h = make_head(K::kInsert, C::kDml);
  } else if (kw(t, "UPDATE")) {
    h = make_head(K::kUpdate, C::kDml);
  } else if (kw(t, "DELETE")) {
    h = make_head(K::kDelete, C::kDml);
  } else if (kw(t, "REPLACE")) {
    h = make_head(K::kReplace, C::kDml);
  } else if (kw(t, "LOAD")) {
    if (kw(p, "DATA") || kw(p, "XML")) h = make_head(K::kLoadData, C::kAdmin);
  } else if (kw(t, "CALL")) {
    h = make_head(K::kCall, C::kDml);
  } else if (kw(t, "DO")) {
    h = make_head(K::kDo, C::kDml);
  } else if (kw(t, "CREATE")) {
    h = ddl_head(c, K::kCreate);
  } else if (kw(t, "ALTER")) {
    h = ddl_head(c, K::kAlter);
  } else if (kw(t, "DROP")) {
    h = ddl_head(c, K::kDrop);
  } else if (kw(t, "TRUNCATE")) {
    h = make_head(K::kTruncate, C::kDdl);
    h.implicit_commit = true;
  } else if (kw(t, "RENAME")) {
    if (kw(p, "USER")) {
      h = make_head(K::kUserAdmin, C::kAdmin);
      h.user_names = true;
    } else {
      h = make_head(K::kRename, C::kDdl);
    }
    h.implicit_commit = true;
  } else if (kw(t, "GRANT") || kw(t, "REVOKE")) {
    h = make_head(kw(t, "GRANT") ? K::kGrant : K::kRevoke, C::kAdmin);
    h.user_names = true;
    h.implicit_commit = true;
  } else if (kw(t, "LOCK")) {
    if (kw(p, "TABLES") || kw(p, "TABLE")) {
      h = make_head(K::kLockTables, C::kDml);
      h.implicit_commit = true;
    }
  } else if (kw(t, "UNLOCK")) {
    if (kw(p, "TABLES") || kw(p, "TABLE")) h = make_head(K::kUnlockTables, C::kDml);
  } else if (kw(t, "PREPARE")) {
    h = make_head(K::kPrepareSql, C::kAdmin);  // the scan lowers it for a literal text
  } else if (kw(t, "EXECUTE")) {
    h = kw(p, "IMMEDIATE") ? make_head(K::kPrepareSql, C::kAdmin)
                           : make_head(K::kExecuteSql, C::kDml);
  } else if (kw(t, "DEALLOCATE")) {
    h = make_head(K::kDeallocate, C::kDml);
  } else if (kw(t, "HANDLER")) {
    h = make_head(K::kHandler, C::kAdmin);
  } else if (kw(t, "FLUSH")) {
    h = make_head(K::kFlush, C::kAdmin);
    h.implicit_commit = true;
  } else if (kw(t, "KILL")) {
    h = make_head(K::kKill, C::kAdmin);
  } else if (kw(t, "SHUTDOWN") || kw(t, "RESTART")) {
    h = make_head(K::kShutdown, C::kAdmin);
  } else if (kw(t, "INSTALL") || kw(t, "UNINSTALL")) {
    h = make_head(K::kInstallPlugin, C::kAdmin);
    h.implicit_commit = true;
  } else if (kw(t, "OPTIMIZE") || kw(t, "REPAIR") || kw(t, "CHECK") || kw(t, "CHECKSUM")) {
    h = make_head(K::kAnalyzeOptimize, C::kDdl);
    h.implicit_commit = !kw(t, "CHECKSUM");
  } else if (kw(t, "XA")) {
    h = make_head(K::kXa, C::kDml);
    h.starts_transaction = kw(p, "START") || kw(p, "BEGIN");
    h.ends_transaction = kw(p, "COMMIT") || kw(p, "ROLLBACK");
  } else if (kw(t, "IF") || kw(t, "WHILE") || kw(t, "LOOP") || kw(t, "REPEAT") || kw(t, "CASE") ||
             kw(t, "FOR")) {
    h.routine_body = true;  // MariaDB compound statement outside a stored program
  }
  return h;
}

void Cursor::fetch() {
  for (;;) {
    tz_.next(ahead_);
    if (!is_comment(ahead_.kind)) return;
    if (info_ && info_->gatehouse_hints.empty()) {
      if (auto spec = parse_gatehouse_comment(ahead_.text)) info_->gatehouse_hints = *spec;
    }
  }
}

StatementInfo classify_nested(std::string_view sql, int depth) {
  StatementInfo info;
  Cursor c(sql, &info);
  for (;;) {
    while (c.peek().kind == TokenKind::kSemicolon) c.next();
    if (c.peek().kind == TokenKind::kEnd) break;
    if (info.statement_count == 0 && info.first_keyword.empty()) {
      Cursor f = c.fork();
      while (is_punct(f.peek(), '(')) f.next();
      if (f.peek().kind == TokenKind::kWord) info.first_keyword = f.peek().text;
    }
    StatementResult r = scan_statement(c, info, depth);
    if (r.empty) continue;
    if (++info.statement_count == 1) {
      info.statement_class = r.cls;
      info.category = r.category;
      info.read_only = r.read_only;
    } else {
      info.category = max_category(info.category, r.category);
      info.read_only = info.read_only && r.read_only;
    }
  }
  info.has_versioned_comment = c.saw_versioned_comment();
  if (!info.gatehouse_hints.empty())
    info.strategy_hint = find_hint(info.gatehouse_hints, "strategy");
  return info;
}

}  // namespace detail

StatementInfo classify(std::string_view sql) { return detail::classify_nested(sql, 0); }

}  // namespace gh::sql
