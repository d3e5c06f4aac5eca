// Statement splitter for SQL scripts and dumps, mirroring the `mariadb` client's rules.
//
// A single forward pass over the bytes. The pending statement is accumulated into a string with
// plain comments removed; a `DELIMITER x` command is recognised wherever a statement may start
// (start of a line or right after the previous delimiter, with nothing pending). Unterminated
// quotes or comments simply run to the end of the input, like the client at EOF.
#include "sql/script.h"

#include <cstddef>

namespace gh::sql {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "--" starts a comment only when followed by whitespace/control character or end of input.
bool dash_comment_at(std::string_view s, size_t i) {
  if (i + 1 >= s.size() || s[i] != '-' || s[i + 1] != '-') return false;
  if (i + 2 >= s.size()) return true;
  auto c = static_cast<unsigned char>(s[i + 2]);
  return c <= ' ';
}

bool starts_with_icase(std::string_view s, size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    char a = s[i + k];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != word[k]) return false;
  }
  return true;
}

// End (exclusive) of a quoted token starting at s[i]; runs to the end of input if unterminated.
size_t quote_end(std::string_view s, size_t i) {
  const char q = s[i];
  size_t j = i + 1;
  while (j < s.size()) {
    if (s[j] == '\\' && q != '`') {
      j += 2;
      continue;
    }
    if (s[j] == q) {
      if (j + 1 < s.size() && s[j + 1] == q) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return s.size();
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<std::string> run() {
    const std::string_view s = text_;
    size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (!has_content_ && (c == 'd' || c == 'D') && try_delimiter_command(i)) continue;
      if (s.compare(i, delimiter_.size(), delimiter_) == 0) {
        flush();
        i += delimiter_.size();
        continue;
      }
      if (c == '\'' || c == '"' || c == '`') {
        size_t e = quote_end(s, i);
        append(s.substr(i, e - i));
        i = e;
        continue;
      }
      if (c == '#' || dash_comment_at(s, i)) {
        while (i < s.size() && s[i] != '\n') ++i;
        continue;
      }
      if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        i = comment(i);
        continue;
      }
      append(s.substr(i, 1));
      ++i;
    }
    flush();
    return std::move(out_);
  }

 private:
  // Handles "/*" at s[i]; returns the index after what was consumed.
  size_t comment(size_t i) {
    const std::string_view s = text_;
    const bool versioned = (i + 2 < s.size() && s[i + 2] == '!') ||
                           (i + 3 < s.size() && s[i + 2] == 'M' && s[i + 3] == '!');
    if (versioned) {
      // Executable comment: its contents are SQL, keep scanning them as ordinary text.
      size_t n = s[i + 2] == '!' ? 3 : 4;
      append(s.substr(i, n));
      return i + n;
    }
    size_t end = s.find("*/", i + 2);
    end = end == std::string_view::npos ? s.size() : end + 2;
    if (i + 2 < s.size() && s[i + 2] == '+') {
      append(s.substr(i, end - i));  // optimizer hint: the server reads it
    } else if (!cur_.empty() && !is_space(cur_.back())) {
      cur_.push_back(' ');
    }
    return end;
  }

  // `DELIMITER x` (the rest of the line is the command). Returns false if s[i] does not start one.
  bool try_delimiter_command(size_t& i) {
    const std::string_view s = text_;
    if (!starts_with_icase(s, i, "delimiter")) return false;
    size_t j = i + 9;
    if (j < s.size() && s[j] != ' ' && s[j] != '\t') return false;
    while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
    size_t eol = s.find('\n', j);
    if (eol == std::string_view::npos) eol = s.size();
    std::string_view arg = s.substr(j, eol - j);
    std::string next;
    if (!arg.empty() && (arg[0] == '\'' || arg[0] == '"' || arg[0] == '`')) {
      size_t close = arg.find(arg[0], 1);
      next = std::string(arg.substr(1, close == std::string_view::npos ? arg.npos : close - 1));
    } else {
      size_t k = 0;
      while (k < arg.size() && !is_space(arg[k])) ++k;
      next = std::string(arg.substr(0, k));
    }
    // The client rejects an empty delimiter or one containing a backslash; keep the old one.
    if (!next.empty() && next.find('\\') == std::string::npos) delimiter_ = std::move(next);
    cur_.clear();
    i = eol;
    return true;
  }

  void append(std::string_view piece) {
    for (char c : piece) {
      if (!is_space(c)) {
        has_content_ = true;
        break;
      }
    }
    if (cur_.empty() && !has_content_) return;  // leading whitespace
    cur_.append(piece);
  }

  void flush() {
    size_t e = cur_.size();
    while (e > 0 && is_space(cur_[e - 1])) --e;
    cur_.resize(e);
    if (has_content_ && !cur_.empty()) out_.push_back(std::move(cur_));
    cur_.clear();
    has_content_ = false;
  }

  std::string_view text_;
  std::string delimiter_ = ";";
  std::string cur_;
  bool has_content_ = false;
  std::vector<std::string> out_;
};

}  // namespace

std::vector<std::string> split_script(std::string_view text) { return Splitter(text).run(); }

}  // namespace gh::sql
