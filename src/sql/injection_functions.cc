// detect_injection() rules that look at function calls and literals: time delays, dangerous
// functions, fingerprinting probes, error-based extraction and encoded payloads.
#include <cstdlib>

#include "sql/injection_internal.h"
#include "sql/keywords.h"

namespace gh::sql::detail {
namespace {

bool kw(const Token& t, std::string_view k) { return is_keyword(t, k); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hex digits of a 0x.. / X'..' literal, or of a quoted string of hex digits (UNHEX('..')).
std::string_view hex_digits(const Token& t) {
  std::string_view s = t.text;
  if (s.starts_with("0x") || s.starts_with("0X")) return s.substr(2);
  const size_t q = s.find('\'');
  if (q == std::string_view::npos || s.size() < q + 2) return {};
  return s.substr(q + 1, s.size() - q - 2);
}

// True if the digits decode to at least `min_bytes` bytes of printable ASCII text.
bool hex_spells_text(std::string_view digits, size_t min_bytes) {
  if (digits.size() % 2 == 1 || digits.size() / 2 < min_bytes) return false;
  for (size_t i = 0; i < digits.size(); i += 2) {
    const int hi = hex_value(digits[i]);
    const int lo = hex_value(digits[i + 1]);
    if (hi < 0 || lo < 0) return false;
    const int byte = hi * 16 + lo;
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

long number_value(const Token& t) {
  if (t.kind != TokenKind::kNumber || t.text.size() > 9) return -1;
  return std::strtol(std::string(t.text).c_str(), nullptr, 10);
}

constexpr std::string_view kProbeVariables[] = {"version",
                                                "version_comment",
                                                "version_compile_os",
                                                "version_compile_machine",
                                                "hostname",
                                                "datadir",
                                                "basedir",
                                                "tmpdir",
                                                "plugin_dir",
                                                "secure_file_priv",
                                                "log_error",
                                                "general_log_file"};

bool is_probe_variable(std::string_view v) {
  if (!v.starts_with("@@")) return false;
  v.remove_prefix(2);
  if (size_t dot = v.find('.'); dot != std::string_view::npos) v.remove_prefix(dot + 1);
  for (std::string_view p : kProbeVariables) {
    if (iequals(v, p)) return true;
  }
  return false;
}

}  // namespace

void Detector::check_functions() {
  // Is the expression from `b` to `e` (token indices, inclusive) compared with a column, as in
  // "owner = CURRENT_USER()"? Probes compare with literals or slice the value instead.
  auto compared_with_column = [&](size_t b, size_t e) {
    if (is_compare_op(at(b - 1)) && is_identifier(at(b - 2)) && !is_punct(at(b - 3), '.'))
      return true;
    return is_compare_op(at(e + 1)) && is_identifier(at(e + 2)) && !is_punct(at(e + 3), '(');
  };
  // Does the argument list opened at `open` contain a token satisfying `pred`?
  auto args_have = [&](size_t open, auto pred) {
    const size_t close = close_of(open);
    for (size_t k = open + 1; k < close && k < size(); ++k) {
      if (pred(at(k), k)) return true;
    }
    return false;
  };
  auto payload_token = [&](const Token& t, size_t k) {
    if (kw(t, "SELECT") || (t.kind == TokenKind::kVariable && t.text.starts_with("@@")))
      return true;
    if (t.kind == TokenKind::kWord && is_punct(at(k + 1), '(')) {
      return iequals(t.text, "CONCAT") || iequals(t.text, "CONCAT_WS") ||
             (function_traits(t.text) & kFnSystemInfo) != 0;
    }
    return false;
  };

  bool predicate = false;  // inside WHERE/HAVING/ON/... of the current statement
  for (size_t i = 0; i < size(); ++i) {
    const Token& t = at(i);
    if (t.kind == TokenKind::kSemicolon) {
      predicate = false;
      continue;
    }
    if (is_predicate_word(t) || kw(t, "ORDER") || kw(t, "GROUP")) predicate = true;
    if (kw(t, "WAITFOR") && kw(at(i + 1), "DELAY")) add(Rule::kTimeBased, t, "WAITFOR DELAY");
    if (kw(t, "INTO") && (kw(at(i + 1), "OUTFILE") || kw(at(i + 1), "DUMPFILE"))) {
      add(Rule::kDangerousFunction, t, "INTO OUTFILE/DUMPFILE writes a server file");
    }
    if (t.kind == TokenKind::kVariable && predicate && is_probe_variable(t.text) &&
        !compared_with_column(i, i)) {
      add(Rule::kFingerprint, t, "server variable " + std::string(t.text) + " in a predicate");
    }
    if (t.kind != TokenKind::kWord || !is_punct(at(i + 1), '(')) continue;
    const size_t open = i + 1;
    const size_t close = close_of(open);
    const uint16_t traits = function_traits(t.text);
    const std::string name(t.text);
    if (traits & kFnTimeDelay) add(Rule::kTimeBased, t, name + "() delays the response");
    if (iequals(t.text, "GET_LOCK") && predicate)
      add(Rule::kTimeBased, t, "GET_LOCK() in a predicate");
    if (traits & kFnDangerous)
      add(Rule::kDangerousFunction, t, name + "() reaches outside the database");
    if ((traits & kFnSystemInfo) && !iequals(t.text, "CHARSET") && predicate &&
        !compared_with_column(i, close)) {
      add(Rule::kFingerprint, t, name + "() probed in a predicate");
    }
    if (iequals(t.text, "EXTRACTVALUE") || iequals(t.text, "UPDATEXML")) {
      const Token& doc = at(open + 1);
      if (doc.kind == TokenKind::kNumber || kw(doc, "NULL") || args_have(open, payload_token)) {
        add(Rule::kErrorBased, t, name + "() used to leak data through an XPath error");
      }
    } else if (iequals(t.text, "NAME_CONST")) {
      add(Rule::kErrorBased, t, "NAME_CONST() duplicate-column error");
    } else if (iequals(t.text, "EXP") && at(open + 1).text == "~") {
      add(Rule::kErrorBased, t, "EXP(~...) overflow error");
    } else if (iequals(t.text, "FLOOR") && kw(at(open + 1), "RAND") &&
               is_punct(at(open + 2), '(') && at(open + 3).kind == TokenKind::kNumber) {
      add(Rule::kErrorBased, t, "FLOOR(RAND(n)*2) duplicate-key error");
    } else if ((traits & kFnErrorBased) || iequals(t.text, "GTID_SUBSET") ||
               iequals(t.text, "GTID_SUBTRACT") || iequals(t.text, "JSON_KEYS")) {
      if (args_have(open, [](const Token& a, size_t) { return is_keyword(a, "SELECT"); })) {
        add(Rule::kErrorBased, t, name + "() over a subquery");
      }
    }
    if (iequals(t.text, "CHAR")) {
      size_t numbers = 0;
      bool quote_char = false;
      bool only_numbers = true;
      for (size_t k = open + 1; k < close; ++k) {
        const Token& a = at(k);
        if (a.kind == TokenKind::kNumber || a.kind == TokenKind::kHexLiteral) {
          ++numbers;
          const long v = number_value(a);
          quote_char = quote_char || v == 39 || v == 34 || v == 96 || iequals(a.text, "0x27");
        } else if (kw(a, "USING")) {
          break;
        } else if (!is_punct(a, ',')) {
          only_numbers = false;
        }
      }
      if (only_numbers && (numbers >= 3 || quote_char)) {
        add(Rule::kEncodedPayload, t, "CHAR() builds a string from character codes");
      }
    } else if (iequals(t.text, "UNHEX") || iequals(t.text, "FROM_BASE64")) {
      const Token& a = at(open + 1);
      if (a.kind == TokenKind::kString && is_punct(at(open + 2), ')') &&
          (iequals(t.text, "FROM_BASE64") || hex_spells_text(hex_digits(a), 2))) {
        add(Rule::kEncodedPayload, t, name + "() decodes a literal payload");
      }
    } else if (iequals(t.text, "CONV")) {
      const long to_base = number_value(at(open + 5));
      if (at(open + 1).kind == TokenKind::kNumber && to_base > 10) {
        add(Rule::kEncodedPayload, t, "CONV() spells characters from numbers");
      }
    }
  }
}

void Detector::check_literals() {
  for (size_t i = 0; i < size(); ++i) {
    const Token& t = at(i);
    if (t.kind == TokenKind::kHexLiteral && hex_spells_text(hex_digits(t), 3)) {
      add(Rule::kEncodedPayload, t,
          "hex literal spells text: " + std::string(t.text.substr(0, 40)));
      return;
    }
  }
}

}  // namespace gh::sql::detail
