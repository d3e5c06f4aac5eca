// MySQL/MariaDB lexer implementation. See tokenizer.h for the rules it follows.
#include "sql/tokenizer.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace gh::sql {
namespace {

// Character classes, one table lookup per byte.
enum : uint8_t { kSpaceBit = 1, kIdentBit = 2, kDigitBit = 4, kHexBit = 8 };

constexpr uint8_t char_class(int c) {
  uint8_t k = 0;
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') k |= kSpaceBit;
  // Identifier characters: ASCII letters, digits, _ and $, and any non-ASCII byte (UTF-8).
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
      c == '$' || c >= 0x80) {
    k |= kIdentBit;
  }
  if (c >= '0' && c <= '9') k |= kDigitBit | kHexBit;
  if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) k |= kHexBit;
  return k;
}

struct CharTable {
  uint8_t v[256];
  constexpr CharTable() : v() {
    for (int i = 0; i < 256; ++i) v[i] = char_class(i);
  }
};
constexpr CharTable kClass;

inline bool has(char c, uint8_t bit) { return kClass.v[static_cast<unsigned char>(c)] & bit; }
inline bool is_space(char c) { return has(c, kSpaceBit); }
inline bool is_digit(char c) { return has(c, kDigitBit); }
inline bool is_hex(char c) { return has(c, kHexBit); }
inline bool is_ident(char c) { return has(c, kIdentBit); }
inline char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "end";
    case TokenKind::kWord:
      return "word";
    case TokenKind::kQuotedIdent:
      return "quoted_ident";
    case TokenKind::kString:
      return "string";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kHexLiteral:
      return "hex";
    case TokenKind::kBitLiteral:
      return "bit";
    case TokenKind::kVariable:
      return "variable";
    case TokenKind::kPlaceholder:
      return "placeholder";
    case TokenKind::kOperator:
      return "operator";
    case TokenKind::kPunctuation:
      return "punctuation";
    case TokenKind::kSemicolon:
      return "semicolon";
    case TokenKind::kComment:
      return "comment";
    case TokenKind::kHintComment:
      return "hint_comment";
    case TokenKind::kError:
      return "error";
  }
  return "unknown";
}

bool is_literal(TokenKind k) {
  return k == TokenKind::kString || k == TokenKind::kNumber || k == TokenKind::kHexLiteral ||
         k == TokenKind::kBitLiteral;
}

Tokenizer::Tokenizer(std::string_view sql)
    : s_(sql.substr(0, std::min<size_t>(sql.size(), std::numeric_limits<uint32_t>::max()))) {}

void Tokenizer::make(TokenKind kind, size_t begin, size_t end) {
  pos_ = end;
  Token& t = *out_;
  t.kind = kind;
  t.in_versioned_comment = in_versioned_;
  t.offset = static_cast<uint32_t>(begin);
  t.text = std::string_view(s_.data() + begin, end - begin);
  if (kind != TokenKind::kComment && kind != TokenKind::kHintComment) {
    last_kind_ = kind;
    last_char_ = begin == end ? 0 : s_[end - 1];
  }
}

Token Tokenizer::next_significant() {
  for (;;) {
    Token t = next();
    if (!is_comment(t.kind)) return t;
  }
}

void Tokenizer::next(Token& out) {
  out_ = &out;
  const size_t n = s_.size();
  for (;;) {
    while (pos_ < n && is_space(s_[pos_])) ++pos_;
    if (pos_ >= n) return make(TokenKind::kEnd, n, n);
    const size_t b = pos_;
    const char c = s_[b];
    const char c1 = b + 1 < n ? s_[b + 1] : '\0';
    if (in_versioned_ && c == '*' && c1 == '/') {  // end of an executable comment
      in_versioned_ = false;
      pos_ = b + 2;
      continue;
    }
    switch (c) {
      case '\'':
      case '"':
        return lex_quoted(b, b, TokenKind::kString);
      case '`':
        return lex_quoted(b, b, TokenKind::kQuotedIdent);
      case '@':
        return lex_variable(b);
      case '?':
        return make(TokenKind::kPlaceholder, b, b + 1);
      case ';':
        return make(TokenKind::kSemicolon, b, b + 1);
      case '(':
      case ')':
      case ',':
      case '{':
      case '}':
        return make(TokenKind::kPunctuation, b, b + 1);
      case '#': {
        size_t e = s_.find('\n', b);
        return make(TokenKind::kComment, b, e == std::string_view::npos ? n : e);
      }
      case '.':
        if (is_digit(c1) && last_kind_ != TokenKind::kWord &&
            last_kind_ != TokenKind::kQuotedIdent && last_char_ != ')') {
          return lex_number(b);
        }
        return make(TokenKind::kPunctuation, b, b + 1);
      case '-':
        if (c1 == '-' && (b + 2 >= n || static_cast<unsigned char>(s_[b + 2]) <= ' ')) {
          size_t e = s_.find('\n', b);
          return make(TokenKind::kComment, b, e == std::string_view::npos ? n : e);
        }
        if (c1 == '>')
          return make(TokenKind::kOperator, b, b + 2 < n && s_[b + 2] == '>' ? b + 3 : b + 2);
        return make(TokenKind::kOperator, b, b + 1);
      case '/':
        if (c1 == '*') {
          if (lex_slash_star(b)) return;
          continue;
        }
        return make(TokenKind::kOperator, b, b + 1);
      case '<':
        if (c1 == '=' && b + 2 < n && s_[b + 2] == '>') return make(TokenKind::kOperator, b, b + 3);
        if (c1 == '=' || c1 == '>' || c1 == '<') return make(TokenKind::kOperator, b, b + 2);
        return make(TokenKind::kOperator, b, b + 1);
      case '>':
        if (c1 == '=' || c1 == '>') return make(TokenKind::kOperator, b, b + 2);
        return make(TokenKind::kOperator, b, b + 1);
      case '!':
      case ':':
        return make(TokenKind::kOperator, b, c1 == '=' ? b + 2 : b + 1);
      case '|':
      case '&':
        return make(TokenKind::kOperator, b, c1 == c ? b + 2 : b + 1);
      default:
        break;
    }
    if (is_digit(c)) return lex_number(b);
    if (is_ident(c)) return lex_word(b);
    return make(TokenKind::kOperator, b, b + 1);  // = + * % ^ ~ \ and stray bytes
  }
}

void Tokenizer::lex_word(size_t b) {
  const size_t n = s_.size();
  size_t e = b;
  while (e < n && is_ident(s_[e])) ++e;
  if (e < n && (s_[e] == '\'' || s_[e] == '"')) {
    const size_t len = e - b;
    const unsigned char first = lower(s_[b]);
    if (len == 1 && s_[e] == '\'' && first == 'x') return lex_quoted(b, e, TokenKind::kHexLiteral);
    if (len == 1 && s_[e] == '\'' && first == 'b') return lex_quoted(b, e, TokenKind::kBitLiteral);
    if ((len == 1 && first == 'n') || (len > 1 && s_[b] == '_')) {
      return lex_quoted(b, e, TokenKind::kString);  // national / charset introducer
    }
  }
  return make(TokenKind::kWord, b, e);
}

void Tokenizer::lex_number(size_t b) {
  const size_t n = s_.size();
  size_t e = b;
  if (s_[b] == '0' && b + 2 < n && (s_[b + 1] == 'x' || s_[b + 1] == 'X') && is_hex(s_[b + 2])) {
    e = b + 2;
    while (e < n && is_hex(s_[e])) ++e;
    if (e < n && is_ident(s_[e])) return lex_word(b);  // 0x1g is an identifier
    return make(TokenKind::kHexLiteral, b, e);
  }
  if (s_[b] == '0' && b + 2 < n && (s_[b + 1] == 'b' || s_[b + 1] == 'B') &&
      (s_[b + 2] == '0' || s_[b + 2] == '1')) {
    e = b + 2;
    while (e < n && (s_[e] == '0' || s_[e] == '1')) ++e;
    if (e < n && is_ident(s_[e])) return lex_word(b);
    return make(TokenKind::kBitLiteral, b, e);
  }
  bool plain = true;  // digits only so far
  while (e < n && is_digit(s_[e])) ++e;
  if (e < n && s_[e] == '.') {
    plain = false;
    ++e;
    while (e < n && is_digit(s_[e])) ++e;
  }
  if (e < n && (s_[e] == 'e' || s_[e] == 'E')) {
    size_t k = e + 1;
    if (k < n && (s_[k] == '+' || s_[k] == '-')) ++k;
    if (k < n && is_digit(s_[k])) {
      plain = false;
      e = k;
      while (e < n && is_digit(s_[e])) ++e;
    }
  }
  if (plain && e < n && is_ident(s_[e])) return lex_word(b);  // 1abc is an identifier
  return make(TokenKind::kNumber, b, e);
}

// A quoted token whose opening quote is at `q` (b < q for introducers / X'' / B'').
void Tokenizer::lex_quoted(size_t b, size_t q, TokenKind kind) {
  const size_t n = s_.size();
  const char quote = s_[q];
  const bool escapes =
      quote != '`' && kind != TokenKind::kHexLiteral && kind != TokenKind::kBitLiteral;
  size_t j = q + 1;
  while (j < n) {
    const char c = s_[j];
    if (c == '\\' && escapes) {
      j += 2;
      continue;
    }
    if (c == quote) {
      if (j + 1 < n && s_[j + 1] == quote && (escapes || quote == '`')) {
        j += 2;
        continue;
      }
      return make(kind, b, j + 1);
    }
    ++j;
  }
  return make(TokenKind::kError, b, n);
}

void Tokenizer::lex_variable(size_t b) {
  const size_t n = s_.size();
  size_t j = b + 1;
  if (j < n && s_[j] == '@') {
    ++j;
    while (j < n && (is_ident(s_[j]) || s_[j] == '.')) ++j;
    if (j < n && s_[j] == '`' && s_[j - 1] == '.') {  // @@session.`var`
      return lex_quoted(b, j, TokenKind::kVariable);
    }
    return make(TokenKind::kVariable, b, j);
  }
  if (j < n && (s_[j] == '\'' || s_[j] == '"' || s_[j] == '`')) {
    return lex_quoted(b, j, TokenKind::kVariable);
  }
  while (j < n && (is_ident(s_[j]) || s_[j] == '.')) ++j;
  return make(TokenKind::kVariable, b, j);
}

// "/*" at b: a comment, hint, or the start of a versioned comment (which produces no token:
// returns false).
bool Tokenizer::lex_slash_star(size_t b) {
  const size_t n = s_.size();
  size_t k = b + 2;
  const bool bang = k < n && s_[k] == '!';
  const bool mariadb = k + 1 < n && s_[k] == 'M' && s_[k + 1] == '!';
  if ((bang || mariadb) && !in_versioned_) {
    k += bang ? 1 : 2;
    for (int d = 0; d < 6 && k < n && is_digit(s_[k]); ++d) ++k;
    in_versioned_ = true;
    saw_versioned_ = true;
    pos_ = k;
    return false;
  }
  size_t e = s_.find("*/", b + 2);
  if (e == std::string_view::npos) {
    make(TokenKind::kError, b, n);
  } else {
    const bool hint = k < n && s_[k] == '+';
    make(hint ? TokenKind::kHintComment : TokenKind::kComment, b, e + 2);
  }
  return true;
}

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  out.reserve(std::min<size_t>(sql.size() / 4 + 4, size_t{1} << 16));
  Tokenizer tz(sql);
  for (Token t = tz.next(); t.kind != TokenKind::kEnd; t = tz.next()) out.push_back(t);
  return out;
}

std::string unquote_identifier(std::string_view text) {
  if (text.size() < 2 || text.front() != '`' || text.back() != '`') return std::string(text);
  std::string out;
  out.reserve(text.size() - 2);
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] == '`' && text[i + 1] == '`' && i + 2 < text.size()) ++i;
  }
  return out;
}

std::string unquote_string(std::string_view text) {
  size_t q = 0;
  while (q < text.size() && text[q] != '\'' && text[q] != '"') ++q;
  if (q >= text.size() || text.size() - q < 2 || text.back() != text[q]) return std::string(text);
  const char quote = text[q];
  std::string out;
  out.reserve(text.size() - q);
  for (size_t i = q + 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 2 < text.size()) {
      char e = text[++i];
      switch (e) {
        case '0':
          out.push_back('\0');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'Z':
          out.push_back('\x1a');
          break;
        case '%':
        case '_':
          out.push_back('\\');
          out.push_back(e);
          break;  // kept for LIKE
        default:
          out.push_back(e);
          break;
      }
      continue;
    }
    out.push_back(c);
    if (c == quote && text[i + 1] == quote && i + 2 < text.size()) ++i;
  }
  return out;
}

}  // namespace gh::sql
