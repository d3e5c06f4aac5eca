// Statement digests: token-stream normalization (see digest.h) and FNV-1a hashing.
#include "sql/digest.h"

#include "sql/keywords.h"
#include "sql/tokenizer.h"

namespace gh::sql {
namespace {

bool is_value(const Token& t) {
  return is_literal(t.kind) || t.kind == TokenKind::kPlaceholder || is_keyword(t, "NULL");
}

// True if `t` can end an operand (so a following "-" is binary, not a sign).
bool ends_operand(const Token& t) {
  switch (t.kind) {
    case TokenKind::kWord:
      return !is_keyword_word(t.text) || is_keyword(t, "NULL");
    case TokenKind::kQuotedIdent:
    case TokenKind::kString:
    case TokenKind::kNumber:
    case TokenKind::kHexLiteral:
    case TokenKind::kBitLiteral:
    case TokenKind::kVariable:
    case TokenKind::kPlaceholder:
      return true;
    case TokenKind::kPunctuation:
      return t.text == ")";
    default:
      return false;
  }
}

// Significant tokens with lookahead over a forkable tokenizer.
class Stream {
 public:
  explicit Stream(std::string_view sql) : tz_(sql) { advance(); }
  const Token& peek() const { return cur_; }
  Token next() {
    Token t = cur_;
    advance();
    return t;
  }
  Stream fork() const { return *this; }

 private:
  void advance() {
    for (;;) {
      tz_.next(cur_);
      if (is_comment(cur_.kind)) continue;
      if (cur_.kind == TokenKind::kError && cur_.text.starts_with("/*")) continue;
      return;
    }
  }
  Tokenizer tz_;
  Token cur_;
};

// If the stream is at "(" followed by a flat list of values and ")", consumes it.
bool skip_value_list(Stream& s) {
  Stream f = s.fork();
  if (!is_punct(f.next(), '(')) return false;
  bool any = false;
  for (;;) {
    Token t = f.next();
    if (t.kind == TokenKind::kOperator && (t.text == "-" || t.text == "+")) t = f.next();
    if (!is_value(t)) return false;
    any = true;
    Token sep = f.next();
    if (is_punct(sep, ')')) break;
    if (!is_punct(sep, ',')) return false;
  }
  if (!any) return false;
  s = f;
  return true;
}

class Writer {
 public:
  explicit Writer(size_t reserve) { out_.reserve(reserve); }

  // Appends `text` with the spacing rules: no space after "(" "." "@", none before "," ")" "."
  // and none before "(" of a function call (previous token an identifier/function name).
  void put(std::string_view text, bool call_paren = false) {
    if (!out_.empty()) {
      const char first = text.empty() ? ' ' : text[0];
      const bool glue_before =
          first == ',' || first == ')' || first == '.' || first == ';' || call_paren;
      if (!glue_after_ && !glue_before) out_.push_back(' ');
    }
    out_.append(text);
    glue_after_ = text == "(" || text == ".";
  }
  void put_upper(std::string_view w) {
    const size_t at = out_.size();
    put(w);
    for (size_t i = at; i < out_.size(); ++i) {
      char& c = out_[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  std::string take() {
    while (out_.ends_with(";")) {  // trailing semicolons
      out_.pop_back();
      while (out_.ends_with(" ")) out_.pop_back();
    }
    return std::move(out_);
  }

 private:
  std::string out_;
  bool glue_after_ = false;
};

}  // namespace

uint64_t fnv1a64(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

Digest digest(std::string_view sql) {
  Writer w(sql.size() < 4096 ? sql.size() : 4096);
  Stream s(sql);
  Token prev;                 // previous significant token (kEnd at the start)
  bool prev_is_call = false;  // previous output was an identifier or a function name
  while (s.peek().kind != TokenKind::kEnd) {
    if (is_punct(s.peek(), '(') &&
        (is_keyword(prev, "IN") || is_keyword(prev, "VALUES") || is_keyword(prev, "VALUE")) &&
        skip_value_list(s)) {
      for (;;) {  // further rows: VALUES (...), (...), ...
        if (!is_punct(s.peek(), ',')) break;
        Stream g = s.fork();
        g.next();
        if (!skip_value_list(g)) break;
        s = g;
      }
      w.put("(...)");
      prev = Token{};
      prev.kind = TokenKind::kPunctuation;
      prev.text = ")";
      prev_is_call = false;
      continue;
    }
    const Token t = s.next();
    bool call = false;
    switch (t.kind) {
      case TokenKind::kString:
      case TokenKind::kNumber:
      case TokenKind::kHexLiteral:
      case TokenKind::kBitLiteral:
      case TokenKind::kPlaceholder:
      case TokenKind::kError:  // unterminated string or identifier
        w.put("?");
        break;
      case TokenKind::kOperator:
        // A unary sign folds into the number: "= -5" and "= 5" digest alike.
        if ((t.text == "-" || t.text == "+") && !ends_operand(prev) &&
            (s.peek().kind == TokenKind::kNumber || s.peek().kind == TokenKind::kPlaceholder)) {
          continue;
        }
        w.put(t.text);
        break;
      case TokenKind::kWord: {
        // Keywords, and built-in function names in calls, are upper-cased; other identifiers
        // keep their case. A name glues to its "(" unless it is a table: INTO t (a, b).
        const bool paren = is_punct(s.peek(), '(');
        const bool table = is_keyword(prev, "INTO") || is_keyword(prev, "TABLE");
        if (is_keyword_word(t.text)) {
          w.put_upper(t.text);
        } else if (paren && function_traits(t.text) != 0) {
          w.put_upper(t.text);
          call = true;
        } else {
          w.put(t.text);
          call = !table;
        }
        break;
      }
      case TokenKind::kQuotedIdent:
        w.put(unquote_identifier(t.text));
        call = !(is_keyword(prev, "INTO") || is_keyword(prev, "TABLE"));
        break;
      case TokenKind::kPunctuation:
        w.put(t.text, t.text == "(" && prev_is_call);
        break;
      default:
        w.put(t.text);
        break;
    }
    prev_is_call = call;
    prev = t;
  }
  Digest d;
  d.text = w.take();
  d.hash = fnv1a64(d.text);
  return d;
}

}  // namespace gh::sql
