// detect_injection(): lexing into significant tokens, and the structural rules (tautologies,
// UNION SELECT, comment truncation, system-schema probes, stacked queries). Function-call and
// literal rules are in injection_functions.cc.
#include "sql/injection.h"

#include <algorithm>
#include <cstdint>

#include "sql/classifier.h"
#include "sql/injection_internal.h"
#include "sql/keywords.h"

namespace gh::sql {
namespace detail {
namespace {

constexpr std::string_view kRuleIds[] = {
    kRuleTautology,   kRuleUnionSelect,    kRuleTimeBased,    kRuleCommentTruncation,
    kRuleSchemaProbe, kRuleEncodedPayload, kRuleStackedQuery, kRuleDangerousFunction,
    kRuleFingerprint, kRuleErrorBased};

bool kw(const Token& t, std::string_view k) { return is_keyword(t, k); }

bool is_number01(const Token& t) {
  return t.kind == TokenKind::kNumber && (t.text == "0" || t.text == "1");
}

// Words that end an operand: "OR 1" followed by one of these is a lone constant.
bool is_terminator(const Token& t) {
  if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kSemicolon || is_punct(t, ')')) return true;
  if (t.kind == TokenKind::kOperator) return t.text == "&&";
  return kw(t, "AND") || kw(t, "OR") || kw(t, "XOR") || kw(t, "LIMIT") || kw(t, "ORDER") ||
         kw(t, "GROUP") || kw(t, "HAVING") || kw(t, "UNION") || kw(t, "INTO") ||
         kw(t, "PROCEDURE") || kw(t, "FOR") || kw(t, "WINDOW");
}

std::string_view comment_body(std::string_view c) {
  if (c.starts_with("/*")) {
    c.remove_prefix(2);
    if (c.ends_with("*/")) c.remove_suffix(2);
  } else if (c.starts_with("--")) {
    c.remove_prefix(2);
  } else if (c.starts_with("#")) {
    c.remove_prefix(1);
  }
  return c;
}

// An operand: a constant (optionally signed) or a (qualified) identifier that is not a call.
struct Atom {
  enum Kind : uint8_t { kNone, kConst, kIdent } kind = kNone;
  size_t end = 0;  // index after the atom
  std::string_view text;
  bool number01 = false;
};

}  // namespace

bool is_compare_op(const Token& t) {
  if (t.kind == TokenKind::kOperator) {
    return t.text == "=" || t.text == "<=>" || t.text == "!=" || t.text == "<>" || t.text == "<" ||
           t.text == ">" || t.text == "<=" || t.text == ">=";
  }
  return kw(t, "LIKE") || kw(t, "RLIKE") || kw(t, "REGEXP");
}

bool is_constant(const Token& t) {
  return is_literal(t.kind) || kw(t, "NULL") || kw(t, "TRUE") || kw(t, "FALSE");
}

bool is_identifier(const Token& t) {
  return t.kind == TokenKind::kQuotedIdent ||
         (t.kind == TokenKind::kWord && !is_keyword_word(t.text));
}

bool is_predicate_word(const Token& t) {
  if (t.kind == TokenKind::kOperator) return t.text == "&&" || t.text == "||";
  return kw(t, "WHERE") || kw(t, "HAVING") || kw(t, "ON") || kw(t, "AND") || kw(t, "OR") ||
         kw(t, "XOR") || kw(t, "WHEN");
}

Detector::Detector(std::string_view sql) : sql_(sql) {
  Tokenizer tz(sql);
  t_.reserve(std::min<size_t>(sql.size() / 5 + 8, size_t{1} << 16));
  for (Token t = tz.next(); t.kind != TokenKind::kEnd; t = tz.next()) {
    if (is_comment(t.kind)) {
      trailing_comments_.push_back(t);
      continue;
    }
    if (t.kind == TokenKind::kError && t.text.starts_with("/*")) {
      unterminated_comment_ = t;
      continue;
    }
    trailing_comments_.clear();  // only comments after the last significant token are kept
    t_.push_back(t);
  }
  end_.offset = static_cast<uint32_t>(std::min<size_t>(sql.size(), UINT32_MAX));
  match_.assign(t_.size(), t_.size());
  std::vector<size_t> stack;
  for (size_t i = 0; i < t_.size(); ++i) {
    if (is_punct(t_[i], '(')) {
      stack.push_back(i);
    } else if (is_punct(t_[i], ')') && !stack.empty()) {
      match_[stack.back()] = i;
      stack.pop_back();
    }
  }
}

size_t Detector::close_of(size_t i) const { return i < match_.size() ? match_[i] : t_.size(); }

void Detector::add(Rule r, const Token& evidence, std::string_view what) {
  auto& slot = found_[static_cast<size_t>(r)];
  if (slot) return;
  Finding f;
  f.rule = kRuleIds[static_cast<size_t>(r)];
  f.message = std::string(what);
  f.offset = evidence.offset;
  slot = std::move(f);
}

std::vector<Finding> Detector::run() {
  check_comments();
  check_tautologies();
  check_schema_probes();
  check_functions();
  check_literals();
  check_unions();  // last: it looks at the other findings
  if (classify(sql_).statement_count > 1) {
    const Token* evidence = &end_;  // the first ';' followed by more SQL, if there is one
    for (size_t i = 0; i + 1 < t_.size(); ++i) {
      if (t_[i].kind == TokenKind::kSemicolon && t_[i + 1].kind != TokenKind::kSemicolon) {
        evidence = &t_[i];
        break;
      }
    }
    add(Rule::kStackedQuery, *evidence, "more than one statement");
  }
  std::vector<Finding> out;
  for (auto& f : found_) {
    if (f) out.push_back(std::move(*f));
  }
  return out;
}

void Detector::check_tautologies() {
  auto atom_at = [&](size_t j) {
    Atom a;
    const Token& t = at(j);
    if (t.kind == TokenKind::kOperator && (t.text == "-" || t.text == "+") &&
        at(j + 1).kind == TokenKind::kNumber) {
      a.kind = Atom::kConst;
      a.end = j + 2;
      a.text = sql_.substr(t.offset, at(j + 1).end() - t.offset);
      return a;
    }
    if (is_constant(t)) {
      a.kind = Atom::kConst;
      a.end = j + 1;
      a.text = t.text;
      a.number01 = is_number01(t);
      return a;
    }
    if (!is_identifier(t) || is_punct(at(j + 1), '(')) return a;
    size_t e = j + 1;
    while (is_punct(at(e), '.') && is_identifier(at(e + 1))) e += 2;
    if (is_punct(at(e), '(')) return a;  // schema.function(...)
    a.kind = Atom::kIdent;
    a.end = e;
    a.text = sql_.substr(t.offset, at(e - 1).end() - t.offset);
    return a;
  };
  for (size_t i = 0; i < t_.size() && !flagged(Rule::kTautology); ++i) {
    const Token& op = t_[i];
    const bool strong = kw(op, "OR") || kw(op, "XOR") || op.text == "||";
    const bool weak =
        kw(op, "AND") || op.text == "&&" || kw(op, "WHERE") || kw(op, "HAVING") || kw(op, "ON");
    if (!strong && !weak) continue;
    size_t j = i + 1;
    if (kw(at(j), "NOT") || is_punct(at(j), '!')) ++j;
    while (is_punct(at(j), '(')) ++j;
    const Atom a = atom_at(j);
    if (a.kind == Atom::kNone) continue;
    const Token& cmp = at(a.end);
    // The source text from the operator through token `last`, at most 60 bytes.
    auto evidence = [&](size_t last) {
      const size_t end = std::min<size_t>(at(last).end(), op.offset + 60);
      return std::string(sql_.substr(op.offset, end > op.offset ? end - op.offset : 0));
    };
    if (is_compare_op(cmp)) {
      const Atom b = atom_at(a.end + 1);
      if (b.kind == Atom::kNone) continue;
      if (a.kind == Atom::kConst && b.kind == Atom::kConst) {
        // Query builders emit WHERE 1=1 / AND 0=1 / ON 1=1; only OR makes those suspicious.
        if (strong || !(a.number01 && b.number01)) {
          add(Rule::kTautology, op, "constant comparison: " + evidence(b.end - 1));
        }
      } else if (a.kind == Atom::kIdent && b.kind == Atom::kIdent && iequals(a.text, b.text)) {
        add(Rule::kTautology, op, "identical operands: " + evidence(b.end - 1));
      }
    } else if (kw(cmp, "IS") && a.kind == Atom::kConst && strong) {
      add(Rule::kTautology, op, "constant IS test: " + evidence(a.end + 1));
    } else if (strong && a.kind == Atom::kConst && is_terminator(cmp) &&
               !(op.text == "||" && cmp.text == "||")) {
      add(Rule::kTautology, op, "constant condition: " + evidence(a.end - 1));
    }
  }
}

void Detector::check_unions() {
  for (size_t i = 0; i < t_.size() && !flagged(Rule::kUnionSelect); ++i) {
    if (!kw(t_[i], "UNION")) continue;
    size_t j = i + 1;
    if (kw(at(j), "ALL") || kw(at(j), "DISTINCT")) ++j;
    while (is_punct(at(j), '(')) ++j;
    if (!kw(at(j), "SELECT")) continue;
    saw_union_ = true;
    ++j;
    while (kw(at(j), "ALL") || kw(at(j), "DISTINCT") || kw(at(j), "DISTINCTROW")) ++j;
    // The select list: constants only (NULL, literals, system functions, @@variables)?
    bool constant = true;
    bool strong_item = false;  // NULL, a number, a system function or an @@variable
    int depth = 0;
    size_t k = j;
    for (; k < t_.size(); ++k) {
      const Token& t = t_[k];
      if (is_punct(t, '(')) ++depth;
      if (is_punct(t, ')') && --depth < 0) break;
      if (depth == 0 && (t.kind == TokenKind::kSemicolon || kw(t, "FROM") || kw(t, "WHERE") ||
                         kw(t, "UNION") || kw(t, "INTO") || kw(t, "LIMIT") || kw(t, "ORDER") ||
                         kw(t, "GROUP") || kw(t, "HAVING"))) {
        break;
      }
      if (kw(t, "NULL") || t.kind == TokenKind::kNumber ||
          (t.kind == TokenKind::kVariable && t.text.starts_with("@@"))) {
        strong_item = true;
      } else if (t.kind == TokenKind::kWord && is_punct(at(k + 1), '(')) {
        const uint16_t traits = function_traits(t.text);
        if (traits == 0) constant = false;
        if (traits & (kFnSystemInfo | kFnEncoding)) strong_item = true;
      } else if (is_identifier(t) && !kw(at(k - 1), "AS")) {
        constant = false;
      } else if (t.kind == TokenKind::kVariable) {
        constant = false;
      }
    }
    if (constant && strong_item) {
      add(Rule::kUnionSelect, t_[i], "UNION SELECT of constants or system functions");
      return;
    }
    // The branch reads system schemas.
    for (; k < t_.size() && !kw(t_[k], "UNION") && t_[k].kind != TokenKind::kSemicolon; ++k) {
      const Token& t = t_[k];
      if (kw(t, "information_schema") || iequals(t.text, "`information_schema`") ||
          kw(t, "performance_schema") ||
          ((kw(t, "mysql") || iequals(t.text, "`mysql`") || kw(t, "sys")) &&
           is_punct(at(k + 1), '.'))) {
        add(Rule::kUnionSelect, t_[i], "UNION SELECT from a system schema");
        return;
      }
    }
  }
  if (saw_union_ && (flagged(Rule::kCommentTruncation) || flagged(Rule::kTautology))) {
    for (const Token& t : t_) {
      if (kw(t, "UNION")) {
        add(Rule::kUnionSelect, t, "UNION SELECT together with a truncating comment or tautology");
        break;
      }
    }
  }
}

void Detector::check_comments() {
  if (unterminated_comment_)
    add(Rule::kCommentTruncation, *unterminated_comment_, "unterminated /* comment");
  const Token* last = t_.empty() ? nullptr : &t_.back();
  if (last && last->kind == TokenKind::kError) {  // quote imbalance: the query ends inside a string
    add(Rule::kCommentTruncation, *last, "unterminated quoted string at the end of the query");
  }
  for (const Token& c : trailing_comments_) {
    std::string_view body = comment_body(c.text);
    if (c.kind == TokenKind::kHintComment) continue;
    const bool quote = body.find_first_of("'\"`") != std::string_view::npos;
    const bool empty = body.find_first_not_of(" \t\r\n\f\v-") == std::string_view::npos;
    const bool glued = last && last->end() == c.offset &&
                       (last->kind == TokenKind::kString || last->kind == TokenKind::kNumber ||
                        last->kind == TokenKind::kQuotedIdent);
    if (quote || empty || glued) {
      add(Rule::kCommentTruncation, c,
          quote   ? "trailing comment swallows a quote"
          : empty ? "empty trailing comment cuts off the query"
                  : "comment glued to a literal at the end of the query");
      return;
    }
  }
}

void Detector::check_schema_probes() {
  for (size_t i = 0; i < t_.size(); ++i) {
    const Token& t = t_[i];
    if (t.kind != TokenKind::kWord && t.kind != TokenKind::kQuotedIdent) continue;
    std::string_view name = t.text;
    if (t.kind == TokenKind::kQuotedIdent && name.size() >= 2)
      name = name.substr(1, name.size() - 2);
    if (iequals(name, "information_schema") || iequals(name, "performance_schema")) {
      add(Rule::kSchemaProbe, t, std::string(name) + " access");
      return;
    }
    if ((iequals(name, "mysql") || iequals(name, "sys")) && is_punct(at(i + 1), '.') &&
        !is_punct(at(i - 1), '.') &&
        (at(i + 2).kind == TokenKind::kWord || at(i + 2).kind == TokenKind::kQuotedIdent)) {
      add(Rule::kSchemaProbe, t, std::string(name) + " schema access");
      return;
    }
  }
}

}  // namespace detail

std::vector<Finding> detect_injection(std::string_view sql) { return detail::Detector(sql).run(); }

}  // namespace gh::sql
