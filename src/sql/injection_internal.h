// Internals of detect_injection(), shared by injection.cc (token-structure rules) and
// injection_functions.cc (function-call and literal rules). Not part of the public API.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "sql/injection.h"
#include "sql/tokenizer.h"

namespace gh::sql::detail {

enum class Rule : uint8_t {
  kTautology,
  kUnionSelect,
  kTimeBased,
  kCommentTruncation,
  kSchemaProbe,
  kEncodedPayload,
  kStackedQuery,
  kDangerousFunction,
  kFingerprint,
  kErrorBased,
  kCount,
};

class Detector {
 public:
  explicit Detector(std::string_view sql);
  std::vector<Finding> run();

  // Token access (an kEnd token outside the range).
  const Token& at(size_t i) const { return i < t_.size() ? t_[i] : end_; }
  size_t size() const { return t_.size(); }
  // Index of the ")" matching the "(" at i, or size() if unbalanced.
  size_t close_of(size_t i) const;
  bool flagged(Rule r) const { return found_[static_cast<size_t>(r)].has_value(); }
  void add(Rule r, const Token& evidence, std::string_view what);

  // injection_functions.cc
  void check_functions();
  void check_literals();

 private:
  void check_tautologies();
  void check_unions();
  void check_comments();
  void check_schema_probes();

  std::string_view sql_;
  std::vector<Token> t_;                  // significant tokens, unterminated strings included
  std::vector<size_t> match_;             // matching paren index per token (size() if none)
  std::vector<Token> trailing_comments_;  // comments after the last significant token
  std::optional<Token> unterminated_comment_;
  bool saw_union_ = false;
  Token end_;
  std::array<std::optional<Finding>, static_cast<size_t>(Rule::kCount)> found_;
};

// Helpers shared by both files.
bool is_compare_op(const Token& t);      // = <=> != <> < > <= >= LIKE RLIKE REGEXP
bool is_constant(const Token& t);        // literal, NULL, TRUE, FALSE
bool is_identifier(const Token& t);      // a non-keyword word or a quoted identifier
bool is_predicate_word(const Token& t);  // WHERE HAVING ON AND OR XOR WHEN && ||

}  // namespace gh::sql::detail
