// Internals of classify(), shared by classifier.cc (statement heads, the driver loop) and
// classifier_scan.cc (the per-token flag scan and SET parsing). Not part of the public API.
#pragma once

#include <string_view>

#include "sql/classifier.h"
#include "sql/tokenizer.h"

namespace gh::sql::detail {

// Significant tokens of the input with one token of lookahead. Comments are skipped, and
// gatehouse hint comments are recorded into the StatementInfo (if any).
class Cursor {
 public:
  Cursor(std::string_view sql, StatementInfo* info) : tz_(sql), info_(info) { fetch(); }

  const Token& peek() const { return ahead_; }
  Token next() {
    Token t = ahead_;
    if (t.kind != TokenKind::kEnd) fetch();
    return t;
  }
  // A copy for arbitrary lookahead that records nothing.
  Cursor fork() const {
    Cursor c = *this;
    c.info_ = nullptr;
    return c;
  }
  std::string_view input() const { return tz_.input(); }
  bool saw_versioned_comment() const { return tz_.saw_versioned_comment(); }

 private:
  void fetch();  // reads the next significant token into ahead_

  Tokenizer tz_;
  StatementInfo* info_;
  Token ahead_;
};

// What the first words of a statement say about it.
struct Head {
  StatementClass cls = StatementClass::kOther;
  StatementCategory category = StatementCategory::kAdmin;
  bool select_like = false;   // read-only rules apply (SELECT, SHOW, DESCRIBE, ...)
  bool routine_body = false;  // compound body with inner ';' (CREATE PROCEDURE, BEGIN NOT ATOMIC)
  bool user_names = false;    // 'user'@'host' may appear (GRANT, DEFINER=, SET PASSWORD FOR)
  bool with_header = false;   // starts with WITH: CTE names precede "(" at depth 0
  bool temporary = false;     // CREATE/DROP TEMPORARY TABLE
  bool implicit_commit = false;
  bool starts_transaction = false;
  bool ends_transaction = false;
};

// Reads the head of the statement at `c` (a fork: nothing is consumed).
Head read_head(Cursor c);

// Per-statement result of the scan.
struct StatementResult {
  StatementClass cls = StatementClass::kEmpty;
  StatementCategory category = StatementCategory::kRead;
  bool read_only = true;
  bool empty = true;
};

// Consumes one statement (through its terminating top-level ';' or the end) and ORs its flags
// into `info`. `depth` bounds recursion into PREPARE literals.
StatementResult scan_statement(Cursor& c, StatementInfo& info, int depth);

// classify() with a recursion bound (PREPARE ... FROM '<sql>' classifies the literal).
StatementInfo classify_nested(std::string_view sql, int depth);

inline StatementCategory max_category(StatementCategory a, StatementCategory b) {
  return static_cast<uint8_t>(a) >= static_cast<uint8_t>(b) ? a : b;
}

}  // namespace gh::sql::detail
