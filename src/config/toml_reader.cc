// Typed, line-aware reading of one TOML configuration file (see toml_reader.h).
#include "config/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace gh::config {
namespace {

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string joined_key(std::string_view section, std::string_view key) {
  return section.empty() ? std::string(key) : fmt::format("{}.{}", section, key);
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string known_list(std::span<const std::string> known) {
  std::string out;
  for (const auto& k : known) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

}  // namespace

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string describe_value(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return toml_quote(node.as_string()->get());
    case toml::node_type::integer:
      return std::to_string(node.as_integer()->get());
    case toml::node_type::floating_point:
      return fmt::format("{}", node.as_floating_point()->get());
    case toml::node_type::boolean:
      return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string closest_name(std::string_view unknown, std::span<const std::string> known) {
  std::string best;
  size_t best_distance = 3;
  for (const auto& k : known) {
    size_t d = edit_distance(unknown, k);
    if (d < best_distance) best_distance = d, best = k;
  }
  return best;
}

// ---- TomlReader ----------------------------------------------------------------------------

ConfigResult<void> TomlReader::parse_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(
        ConfigError{make_error_code(Errc::kConfigParse),
                    fmt::format("{}: cannot read the configuration file: {}", label_,
                                std::error_code(errno, std::generic_category()).message())});
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_text(buffer.str());
}

ConfigResult<void> TomlReader::parse_text(std::string_view text) {
  try {
    root_ = toml::parse(text, label_);
  } catch (const toml::parse_error& e) {
    return std::unexpected(ConfigError{
        make_error_code(Errc::kConfigParse),
        fmt::format("{}:{}:{}: TOML syntax error: {}; fix the syntax (see https://toml.io)", label_,
                    e.source().begin.line, e.source().begin.column, e.description())});
  }
  return {};
}

TomlSection TomlReader::section(std::string_view name) {
  known_sections_.emplace(name);
  const toml::node* node = root_.get(name);
  if (node == nullptr) return TomlSection(this, std::string(name), nullptr);
  if (!node->is_table()) {
    error(line_of(*node), name,
          fmt::format("expected a section [{}], got {}", name, describe_value(*node)));
    return TomlSection(this, std::string(name), nullptr);
  }
  return TomlSection(this, std::string(name), node->as_table());
}

void TomlReader::finish() {
  std::vector<std::string> known(known_sections_.begin(), known_sections_.end());
  for (auto&& [key, node] : root_) {
    if (known_sections_.contains(key.str())) continue;
    std::string hint = closest_name(key.str(), known);
    std::string what = node.is_table() ? "unknown section" : "unknown top-level key";
    error(static_cast<int>(key.source().begin.line), key.str(),
          hint.empty() ? fmt::format("{}; known sections: {}", what, known_list(known))
                       : fmt::format("{}; did you mean [{}]?", what, hint));
  }
}

void TomlReader::error(int line, std::string_view key, std::string_view message) {
  if (line > 0)
    errors_.push_back(fmt::format("{}:{}: {}: {}", label_, line, key, message));
  else
    errors_.push_back(fmt::format("{}: {}: {}", label_, key, message));
}

ConfigError TomlReader::first_error() const {
  std::string message = errors_.empty() ? label_ + ": invalid configuration" : errors_.front();
  if (errors_.size() > 1) {
    size_t more = errors_.size() - 1;
    message += fmt::format(" (and {} more error{})", more, more == 1 ? "" : "s");
  }
  return ConfigError{make_error_code(Errc::kConfigInvalid), std::move(message)};
}

// ---- TomlSection ---------------------------------------------------------------------------

const toml::node* TomlSection::lookup(std::string_view key) {
  used_.emplace(key);
  if (table_ == nullptr) return nullptr;
  const toml::node* node = table_->get(key);
  if (node != nullptr) {
    reader_->origins_[joined_key(name_, key)] =
        fmt::format("{}:{}", reader_->label_, line_of(*node));
  }
  return node;
}

void TomlSection::error(std::string_view key, std::string_view message) {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  reader_->error(node != nullptr ? line_of(*node) : 0, joined_key(name_, key), message);
}

void TomlSection::read(std::string_view key, std::string& out) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return;
  if (!node->is_string()) {
    error(key, fmt::format("expected a string, got {}", describe_value(*node)));
    return;
  }
  out = node->as_string()->get();
}

void TomlSection::read(std::string_view key, bool& out) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return;
  if (!node->is_boolean()) {
    error(key, fmt::format("expected true or false, got {}", describe_value(*node)));
    return;
  }
  out = node->as_boolean()->get();
}

void TomlSection::read(std::string_view key, int& out, int min, int max) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return;
  if (!node->is_integer() || node->as_integer()->get() < min || node->as_integer()->get() > max) {
    error(key, fmt::format("expected an integer between {} and {}, got {}", min, max,
                           describe_value(*node)));
    return;
  }
  out = static_cast<int>(node->as_integer()->get());
}

void TomlSection::read(std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  std::vector<std::string> values;
  if (array != nullptr) {
    for (const toml::node& element : *array) {
      if (!element.is_string()) {
        error(key, fmt::format("expected an array of strings, got an element {}",
                               describe_value(element)));
        return;
      }
      values.push_back(element.as_string()->get());
    }
  } else {
    error(key, fmt::format("expected an array of strings, got {}", describe_value(*node)));
    return;
  }
  out = std::move(values);
}

void TomlSection::read_choice(std::string_view key, std::string& out,
                              std::span<const std::string_view> choices) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return;
  std::string list;
  for (auto c : choices) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", c);
  if (!node->is_string() ||
      std::find(choices.begin(), choices.end(), node->as_string()->get()) == choices.end()) {
    error(key, fmt::format("expected one of {}, got {}", list, describe_value(*node)));
    return;
  }
  out = node->as_string()->get();
}

void TomlSection::finish() {
  if (table_ == nullptr) return;
  std::vector<std::string> known(used_.begin(), used_.end());
  for (auto&& [key, node] : *table_) {
    if (used_.contains(key.str())) continue;
    std::string hint = closest_name(key.str(), known);
    reader_->error(static_cast<int>(key.source().begin.line), joined_key(name_, key.str()),
                   hint.empty()
                       ? fmt::format("unknown key; keys of [{}] are: {}", name_, known_list(known))
                       : fmt::format("unknown key; did you mean {}?", hint));
  }
}

}  // namespace gh::config
