// Typed, line-aware reading of one TOML configuration file.
//
// Owner: the cluster control plane (Foundation issue). Every role that adds a config section
// ([proxy], [gatekeeper], [trusted_host], ...) reads it through a TomlSection so that all
// errors look the same: `FILE:LINE: section.key: what is wrong; how to fix it`.
//
// A TomlSection remembers which keys were read; finish() reports every other key as unknown
// (typos must not be silently ignored). The reader records where each value came from
// (`origins()`), so later checks (e.g. "cluster.mariadbd does not exist") can still name the line.
#pragma once

#include <toml++/toml.h>

#include <expected>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/error.h"

namespace gh::config {

// A configuration or command-line problem, ready to print as one line.
struct ConfigError {
  std::error_code code;  // Errc::kConfigParse, kConfigInvalid or kUsage
  std::string message;   // "FILE:LINE: key: what is wrong; how to fix it"
};

template <class T>
using ConfigResult = std::expected<T, ConfigError>;

class TomlReader;

// One [section] of the file (possibly absent: then every read keeps its default).
class TomlSection {
 public:
  // Each read leaves `out` unchanged when the key is absent or invalid (and records an error).
  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, int& out, int min, int max);
  void read(std::string_view key, std::vector<std::string>& out);
  // A string that must be one of `choices` (compared case-sensitively).
  void read_choice(std::string_view key, std::string& out,
                   std::span<const std::string_view> choices);
  // Records an error about `key` of this section (at its line when present).
  void error(std::string_view key, std::string_view message);
  // Reports every key of the section that no read() asked for.
  void finish();

  bool present() const { return table_ != nullptr; }
  const std::string& name() const { return name_; }

 private:
  friend class TomlReader;
  TomlSection(TomlReader* reader, std::string name, const toml::table* table)
      : reader_(reader), name_(std::move(name)), table_(table) {}
  const toml::node* lookup(std::string_view key);

  TomlReader* reader_;
  std::string name_;
  const toml::table* table_;
  std::set<std::string, std::less<>> used_;
};

class TomlReader {
 public:
  // `label` names the file in messages (the path as the user gave it).
  explicit TomlReader(std::string label) : label_(std::move(label)) {}

  // Parses a file or a string; a syntax error comes back as "FILE:LINE:COL: ...".
  ConfigResult<void> parse_file(const std::filesystem::path& path);
  ConfigResult<void> parse_text(std::string_view text);

  // The top-level table `name` ([name]); marks it as a known section.
  TomlSection section(std::string_view name);
  // Reports top-level sections/keys that no section() asked for.
  void finish();

  // Records an error at `line` (0: unknown line) about `key` ("cluster.base_port").
  void error(int line, std::string_view key, std::string_view message);
  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  // The first error (plus how many more there are) as one ConfigError.
  ConfigError first_error() const;

  // "cluster.base_port" -> "FILE:LINE" for every value read from the file.
  const std::map<std::string, std::string, std::less<>>& origins() const { return origins_; }
  const std::string& label() const { return label_; }

 private:
  friend class TomlSection;
  std::string label_;
  toml::table root_;
  std::set<std::string, std::less<>> known_sections_;
  std::vector<std::string> errors_;
  std::map<std::string, std::string, std::less<>> origins_;
};

// Human-readable rendering of a TOML value for "got ..." messages: "abc" quoted, 12, true, a table.
std::string describe_value(const toml::node& node);
// The known name closest to `unknown` (edit distance <= 2), or "".
std::string closest_name(std::string_view unknown, std::span<const std::string> known);
// Quotes a string as a TOML basic string ("..." with escapes).
std::string toml_quote(std::string_view s);

}  // namespace gh::config
