// Mix: a weighted set of statement templates that a bench phase draws from, and the mix file
// format (`gatehouse bench --mix FILE`). One statement per line:
//
//   # comment (also blank lines)
//   WEIGHT KIND SQL...
//
// WEIGHT is a positive integer, KIND is `read` or `write` (reads get the phase's strategy;
// writes always go to the source), SQL is the rest of the line. Placeholders in SQL:
//   {id}           a random id in the bench table's known id range (see MixContext)
//   {int:LO:HI}    a uniform random integer in [LO, HI]
//   {str:N}        N random characters of [0-9A-Za-z] (1 <= N <= 255)
// For the HTTP target each placeholder becomes a `?` with a JSON parameter; for the MySQL target
// it is written inline as a literal (strings are quoted; they never need escaping).
#pragma once

#include <cstdint>
#include <expected>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.h"

namespace gh::bench {

struct Placeholder {
  enum class Kind { kId, kInt, kStr } kind = Kind::kId;
  int64_t lo = 0, hi = 0;  // kInt range; kStr: lo = length
};

struct StatementTemplate {
  uint32_t weight = 1;
  bool is_read = true;
  std::vector<std::string> text;  // literal pieces: text[0] ph[0] text[1] ph[1] ... text[n]
  std::vector<Placeholder> placeholders;
  std::string source;  // the SQL as written, for reports
};

// What {id} draws from: ids the bench table is known to hold.
struct MixContext {
  int64_t id_lo = 1, id_hi = 1;
};

using Param = std::variant<int64_t, std::string>;

// One statement, ready for a target.
struct Statement {
  bool is_read = true;
  std::string sql;            // with `?` (parameterized) or literals (inline)
  std::vector<Param> params;  // parameterized form only
};

class Mix {
 public:
  // Parses mix text; `label` names it in errors ("FILE:LINE: ...").
  static std::expected<Mix, std::string> parse(std::string_view text, std::string_view label);
  static std::expected<Mix, std::string> load(const std::string& path);
  // A one-statement mix (used for the built-in scenario).
  static Mix single(bool is_read, std::string_view sql);

  const std::vector<StatementTemplate>& statements() const { return statements_; }
  bool has_reads() const;
  bool has_writes() const;
  bool uses_id() const;
  double read_share() const;  // by weight

  // Draws a statement and renders it.
  template <class Rng>
  void draw(Rng& rng, const MixContext& ctx, bool inline_params, Statement& out) const {
    size_t i = 0;
    if (statements_.size() > 1) {
      uint64_t pick = std::uniform_int_distribution<uint64_t>(0, total_weight_ - 1)(rng);
      while (pick >= statements_[i].weight) pick -= statements_[i++].weight;
    }
    render(statements_[i], rng(), ctx, inline_params, out);
  }
  // Renders template `t` with randomness derived from `seed`.
  static void render(const StatementTemplate& t, uint64_t seed, const MixContext& ctx,
                     bool inline_params, Statement& out);

 private:
  std::vector<StatementTemplate> statements_;
  uint64_t total_weight_ = 0;
};

}  // namespace gh::bench
