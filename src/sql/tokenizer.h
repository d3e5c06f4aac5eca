// MySQL/MariaDB lexer: splits SQL text into tokens that are string_views into the input.
//
// The tokenizer never allocates, never throws and accepts any bytes (invalid UTF-8, NULs,
// unterminated quotes or comments). It follows the server's lexical rules closely enough for
// classification, digesting and injection detection: `-- ` needs a following space or control
// character, `#` and `/* */` are comments, `/*+ ... */` is an optimizer hint, and the contents of
// versioned comments (`/*!` / `/*!NNNNN` / MariaDB `/*M!NNNNNN`) are tokenized as ordinary SQL
// (the server executes them) with Token::in_versioned_comment set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gh::sql {

enum class TokenKind : uint8_t {
  kEnd,          // end of input (text empty, offset == input size)
  kWord,         // keyword or unquoted identifier
  kQuotedIdent,  // `backtick quoted`, text includes the backticks
  kString,       // '..', "..", N'..', _charset'..'; text includes quotes and introducer
  kNumber,       // 12, 1.5, .5, 1e10
  kHexLiteral,   // 0x1F, X'1F'
  kBitLiteral,   // 0b101, b'101'
  kVariable,     // @x, @'x', @`x`, @@x, @@session.x
  kPlaceholder,  // ?
  kOperator,     // = <=> := -> ->> || && + - * / ... (and any stray byte)
  kPunctuation,  // ( ) , . { }
  kSemicolon,    // ;
  kComment,      // -- .., # .., /* .. */
  kHintComment,  // /*+ .. */
  kError,        // unterminated string/identifier/comment: the rest of the input
};

std::string_view token_kind_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  bool in_versioned_comment = false;
  uint32_t offset = 0;  // byte offset of text in the input
  std::string_view text;

  uint32_t end() const { return offset + static_cast<uint32_t>(text.size()); }
};

// ASCII case-insensitive equality (SQL keywords), no allocation.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x == y) continue;
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}
// ASCII case-insensitive prefix test.
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
// `t` is the word `keyword` (case-insensitive).
inline bool is_keyword(const Token& t, std::string_view keyword) {
  return t.kind == TokenKind::kWord && iequals(t.text, keyword);
}
// `t` is the punctuation/operator consisting of exactly `c`.
inline bool is_punct(const Token& t, char c) {
  return (t.kind == TokenKind::kPunctuation || t.kind == TokenKind::kOperator) &&
         t.text.size() == 1 && t.text[0] == c;
}
inline bool is_comment(TokenKind k) {
  return k == TokenKind::kComment || k == TokenKind::kHintComment;
}
// Literal values: strings, numbers, hex and bit literals.
bool is_literal(TokenKind k);

class Tokenizer {
 public:
  // Inputs larger than 4 GiB are truncated (MySQL packets are at most 1 GiB).
  explicit Tokenizer(std::string_view sql);

  // The next token, comments included; kEnd (repeatedly) at the end.
  Token next() {
    Token t;
    next(t);
    return t;
  }
  // Same, written into `out` (the fast path: no temporary copy).
  void next(Token& out);
  // Like next() but skips kComment/kHintComment.
  Token next_significant();

  std::string_view input() const { return s_; }
  size_t position() const { return pos_; }
  bool saw_versioned_comment() const { return saw_versioned_; }
  // True if the input ended inside a versioned comment.
  bool in_versioned_comment() const { return in_versioned_; }

 private:
  void make(TokenKind kind, size_t begin, size_t end);
  void lex_word(size_t begin);
  void lex_number(size_t begin);
  void lex_quoted(size_t begin, size_t quote_at, TokenKind kind);
  void lex_variable(size_t begin);
  bool lex_slash_star(size_t begin);

  std::string_view s_;
  Token* out_ = nullptr;  // where make() writes the token being lexed
  size_t pos_ = 0;
  bool in_versioned_ = false;
  bool saw_versioned_ = false;
  TokenKind last_kind_ = TokenKind::kEnd;
  char last_char_ = 0;
};

// All tokens of `sql` (comments included, kEnd excluded).
std::vector<Token> tokenize(std::string_view sql);

// Unquotes an identifier token text (`a``b` -> a`b); unquoted words come back unchanged.
std::string unquote_identifier(std::string_view text);
// Value of a string token (introducer dropped, quotes removed, escapes and doubled quotes
// resolved); a non-string text comes back unchanged.
std::string unquote_string(std::string_view text);

}  // namespace gh::sql
