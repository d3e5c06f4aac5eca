// Mix: parsing the mix file format and rendering statements (see mix.h).
#include "bench/mix.h"

#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace gh::bench {
namespace {

constexpr std::string_view kAlnum =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// A tiny, fast generator for rendering (seeding std::mt19937_64 per statement costs more than the
// rest of the rendering).
struct SplitMix64 {
  using result_type = uint64_t;
  uint64_t state;
  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t(0); }
  uint64_t operator()() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

bool parse_int(std::string_view s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Splits "{...}" placeholders out of sql; empty string on success, else the problem.
std::string parse_sql(std::string_view sql, StatementTemplate& t) {
  std::string piece;
  size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] != '{') {
      piece += sql[i++];
      continue;
    }
    size_t close = sql.find('}', i);
    if (close == std::string_view::npos) return "unclosed '{'";
    std::string_view body = sql.substr(i + 1, close - i - 1);
    Placeholder ph;
    if (body == "id") {
      ph.kind = Placeholder::Kind::kId;
    } else if (body.starts_with("int:")) {
      std::string_view range = body.substr(4);
      size_t colon = range.find(':');
      if (colon == std::string_view::npos || !parse_int(range.substr(0, colon), ph.lo) ||
          !parse_int(range.substr(colon + 1), ph.hi) || ph.lo > ph.hi)
        return fmt::format("bad placeholder {{{}}}; want {{int:LO:HI}} with LO <= HI", body);
      ph.kind = Placeholder::Kind::kInt;
    } else if (body.starts_with("str:")) {
      if (!parse_int(body.substr(4), ph.lo) || ph.lo < 1 || ph.lo > 255)
        return fmt::format("bad placeholder {{{}}}; want {{str:N}} with 1 <= N <= 255", body);
      ph.kind = Placeholder::Kind::kStr;
    } else {
      return fmt::format("unknown placeholder {{{}}}; known: {{id}} {{int:LO:HI}} {{str:N}}", body);
    }
    t.text.push_back(std::move(piece));
    piece.clear();
    t.placeholders.push_back(ph);
    i = close + 1;
  }
  t.text.push_back(std::move(piece));
  return {};
}

}  // namespace

std::expected<Mix, std::string> Mix::parse(std::string_view text, std::string_view label) {
  Mix mix;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto err = [&](std::string_view what) {
      return std::unexpected(fmt::format("{}:{}: {}", label, line_no, what));
    };
    size_t sp = line.find_first_of(" \t");
    if (sp == std::string_view::npos) return err("want: WEIGHT read|write SQL");
    int64_t weight = 0;
    if (!parse_int(line.substr(0, sp), weight) || weight < 1 || weight > 1'000'000)
      return err(fmt::format("weight '{}' is not an integer in 1..1000000", line.substr(0, sp)));
    line = trim(line.substr(sp));
    sp = line.find_first_of(" \t");
    std::string_view kind = line.substr(0, sp);
    StatementTemplate t;
    t.weight = uint32_t(weight);
    if (kind == "read") {
      t.is_read = true;
    } else if (kind == "write") {
      t.is_read = false;
    } else {
      return err(fmt::format("kind '{}' is neither read nor write", kind));
    }
    std::string_view sql =
        sp == std::string_view::npos ? std::string_view{} : trim(line.substr(sp));
    if (sql.empty()) return err("no SQL after the kind");
    t.source = std::string(sql);
    if (auto problem = parse_sql(sql, t); !problem.empty()) return err(problem);
    mix.total_weight_ += t.weight;
    mix.statements_.push_back(std::move(t));
  }
  if (mix.statements_.empty()) return std::unexpected(fmt::format("{}: no statements", label));
  return mix;
}

std::expected<Mix, std::string> Mix::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::unexpected(fmt::format("{}: cannot read the mix file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

Mix Mix::single(bool is_read, std::string_view sql) {
  Mix mix;
  StatementTemplate t;
  t.is_read = is_read;
  t.source = std::string(sql);
  parse_sql(sql, t);  // built-in text: always valid
  mix.total_weight_ = 1;
  mix.statements_.push_back(std::move(t));
  return mix;
}

bool Mix::has_reads() const {
  for (const auto& t : statements_)
    if (t.is_read) return true;
  return false;
}

bool Mix::has_writes() const {
  for (const auto& t : statements_)
    if (!t.is_read) return true;
  return false;
}

bool Mix::uses_id() const {
  for (const auto& t : statements_)
    for (const auto& p : t.placeholders)
      if (p.kind == Placeholder::Kind::kId) return true;
  return false;
}

double Mix::read_share() const {
  uint64_t reads = 0;
  for (const auto& t : statements_)
    if (t.is_read) reads += t.weight;
  return total_weight_ ? double(reads) / double(total_weight_) : 0.0;
}

void Mix::render(const StatementTemplate& t, uint64_t seed, const MixContext& ctx,
                 bool inline_params, Statement& out) {
  SplitMix64 rng{seed};
  out.is_read = t.is_read;
  out.sql.clear();
  out.params.clear();
  for (size_t i = 0; i < t.placeholders.size(); ++i) {
    out.sql += t.text[i];
    const Placeholder& ph = t.placeholders[i];
    if (ph.kind == Placeholder::Kind::kStr) {
      std::string s(size_t(ph.lo), ' ');
      std::uniform_int_distribution<size_t> pick(0, kAlnum.size() - 1);
      for (char& c : s) c = kAlnum[pick(rng)];
      if (inline_params) {
        out.sql += '\'';
        out.sql += s;
        out.sql += '\'';
      } else {
        out.sql += '?';
        out.params.emplace_back(std::move(s));
      }
      continue;
    }
    int64_t lo = ph.kind == Placeholder::Kind::kId ? ctx.id_lo : ph.lo;
    int64_t hi = ph.kind == Placeholder::Kind::kId ? std::max(ctx.id_lo, ctx.id_hi) : ph.hi;
    int64_t v = std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    if (inline_params) {
      fmt::format_to(std::back_inserter(out.sql), "{}", v);
    } else {
      out.sql += '?';
      out.params.emplace_back(v);
    }
  }
  out.sql += t.text.back();
}

}  // namespace gh::bench
