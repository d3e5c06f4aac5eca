// The gatehouse configuration: one TOML file, one section per role, CLI flags on top.
//
// Owner: the cluster control plane (Foundation issue) owns this file, Config and the loader.
// Other roles add their section in their own files: a `struct ProxyConfig` plus
// `read_proxy_section(TomlReader&, Config&)` / `render_proxy_section(const Config&)` /
// `add_proxy_endpoints(const Config&, Endpoints&)`, a member below and one line in the section
// table in config.cc. Precedence: built-in defaults < the file < command-line flags.
//
// Which file: `--config FILE` if given, else DIR/gatehouse.toml if it exists, else defaults.
// Relative paths in a file are relative to the file's folder; on the command line to the cwd.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/cluster_config.h"
#include "config/gatekeeper_config.h"
#include "config/proxy_config.h"
#include "config/toml_reader.h"

namespace gh::config {

// Named network endpoints in display order: ("source", "127.0.0.1:3307"), ("proxy_mysql", ...).
using Endpoints = std::vector<std::pair<std::string, std::string>>;

struct Config {
  std::filesystem::path file;  // the file loaded, or empty (defaults only)
  ClusterConfig cluster;
  ProxyConfig proxy;               // [proxy], owned by the proxy role (proxy_config.h)
  GatekeeperConfig gatekeeper;     // [gatekeeper] (gatekeeper_config.h)
  TrustedHostConfig trusted_host;  // [trusted_host] (gatekeeper_config.h)
  // "cluster.base_port" -> "FILE:LINE" or "--base-port": where a value came from, for messages.
  std::map<std::string, std::string, std::less<>> origins;

  // Every endpoint the roles of this config expose (each role's section adds its own).
  Endpoints endpoints() const;
  // "FILE:LINE: key" / "--flag" / "key" for messages about a value that turned out bad later.
  std::string where(std::string_view key) const;
};

// Command-line flags common to the subcommands; unset ones leave the file's values alone.
struct CliOverrides {
  std::string config_file;                // --config
  std::optional<std::string> dir;         // --dir
  std::optional<int> replicas;            // --replicas
  std::optional<int> base_port;           // --base-port
  std::optional<bool> semi_sync;          // --semi-sync
  std::optional<std::string> sakila_dir;  // --sakila
};

// Parses a config file (or text, labelled `label`, for tests) on top of the defaults.
ConfigResult<Config> load_config_file(const std::filesystem::path& path, std::string label = "");
ConfigResult<Config> load_config_text(std::string_view text, std::string label,
                                      const std::filesystem::path& base_dir);
// Defaults < file < flags, with every check applied; the config each subcommand runs with.
ConfigResult<Config> resolve_config(const CliOverrides& flags);
// Applies flags onto a loaded config (range checks included).
ConfigResult<void> apply_overrides(Config& config, const CliOverrides& flags);

// The whole config as a commented TOML file; cluster.dir is written as `dir_value`.
std::string render_config(const Config& config, std::string_view dir_value = ".");

inline constexpr const char* kConfigFileName = "gatehouse.toml";
inline constexpr const char* kDefaultDir = "run";

}  // namespace gh::config
