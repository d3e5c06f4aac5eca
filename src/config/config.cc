// The gatehouse configuration loader: section table, flag overrides, endpoints (see config.h).
#include "config/config.h"

#include <fmt/format.h>

#include <system_error>

namespace gh::config {
namespace {

// One entry per role's part of the file. Add yours here (read, render, endpoints; any may be
// nullptr).
struct SectionHandlers {
  void (*read)(TomlReader& reader, Config& config, const std::filesystem::path& base_dir);
  std::string (*render)(const Config& config, std::string_view dir_value);
  void (*endpoints)(const Config& config, Endpoints& out);
};

const SectionHandlers kSections[] = {
    {
        [](TomlReader& r, Config& c, const std::filesystem::path& base) {
          read_cluster_sections(r, c.cluster, base);
        },
        [](const Config& c, std::string_view dir) {
          return render_cluster_sections(c.cluster, dir);
        },
        [](const Config& c, Endpoints& out) {
          for (const auto& node : c.cluster.nodes())
            out.emplace_back(node.name, fmt::format("{}:{}", c.cluster.host, node.port));
        },
    },
    {
        [](TomlReader& r, Config& c, const std::filesystem::path&) { read_proxy_section(r, c); },
        [](const Config& c, std::string_view) { return render_proxy_section(c); },
        [](const Config& c, Endpoints& out) {
          if (c.proxy.enabled)
            out.emplace_back(
                "proxy_mysql",
                fmt::format("{}:{}", c.cluster.host, c.proxy.effective_port(c.cluster.base_port)));
        },
    },
    {
        [](TomlReader& r, Config& c, const std::filesystem::path&) {
          read_gatekeeper_section(r, c);
        },
        [](const Config& c, std::string_view) { return render_gatekeeper_section(c); },
        [](const Config& c, Endpoints& out) {
          if (!c.gatekeeper.enabled) return;
          int base = c.cluster.base_port;
          out.emplace_back("gatekeeper_http", fmt::format("{}:{}", c.cluster.host,
                                                          c.gatekeeper.effective_http_port(base)));
          out.emplace_back(
              "gatekeeper_mysql",
              fmt::format("{}:{}", c.cluster.host, c.gatekeeper.effective_mysql_port(base)));
        },
    },
    {
        [](TomlReader& r, Config& c, const std::filesystem::path&) {
          read_trusted_host_section(r, c);
        },
        [](const Config& c, std::string_view) { return render_trusted_host_section(c); },
        [](const Config& c, Endpoints& out) {
          if (c.trusted_host.enabled)
            out.emplace_back("trusted_host",
                             fmt::format("{}:{}", c.cluster.host,
                                         c.trusted_host.effective_port(c.cluster.base_port)));
        },
    },
};

std::filesystem::path absolute_path(const std::filesystem::path& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  return clean_path(ec ? p : abs);
}

ConfigError usage_error(std::string message) {
  return ConfigError{make_error_code(Errc::kUsage), std::move(message)};
}

ConfigResult<Config> load_from(TomlReader& reader, const std::filesystem::path& base_dir) {
  Config config;
  config.cluster.dir = absolute_path(kDefaultDir);
  for (const auto& section : kSections)
    if (section.read) section.read(reader, config, base_dir);
  reader.finish();
  if (!reader.ok()) return std::unexpected(reader.first_error());
  config.origins = reader.origins();
  return config;
}

}  // namespace

Endpoints Config::endpoints() const {
  Endpoints out;
  for (const auto& section : kSections)
    if (section.endpoints) section.endpoints(*this, out);
  return out;
}

std::string Config::where(std::string_view key) const {
  auto it = origins.find(key);
  if (it == origins.end()) return std::string(key);
  if (it->second.starts_with("--")) return it->second;
  return fmt::format("{}: {}", it->second, key);
}

ConfigResult<Config> load_config_text(std::string_view text, std::string label,
                                      const std::filesystem::path& base_dir) {
  TomlReader reader(std::move(label));
  if (auto parsed = reader.parse_text(text); !parsed) return std::unexpected(parsed.error());
  return load_from(reader, base_dir);
}

ConfigResult<Config> load_config_file(const std::filesystem::path& path, std::string label) {
  TomlReader reader(label.empty() ? path.string() : std::move(label));
  if (auto parsed = reader.parse_file(path); !parsed) return std::unexpected(parsed.error());
  auto config = load_from(reader, absolute_path(path).parent_path());
  if (config) config->file = absolute_path(path);
  return config;
}

ConfigResult<void> apply_overrides(Config& config, const CliOverrides& flags) {
  ClusterConfig& c = config.cluster;
  if (flags.dir) {
    if (flags.dir->empty()) return std::unexpected(usage_error("--dir: expected a directory"));
    c.dir = absolute_path(*flags.dir);
    config.origins["cluster.dir"] = "--dir";
  }
  if (flags.replicas) {
    if (*flags.replicas < 0 || *flags.replicas > kMaxReplicas) {
      return std::unexpected(
          usage_error(fmt::format("--replicas: expected an integer between 0 and {}, got {}",
                                  kMaxReplicas, *flags.replicas)));
    }
    c.replicas = *flags.replicas;
    config.origins["cluster.replicas"] = "--replicas";
  }
  if (flags.base_port) {
    if (*flags.base_port < kMinPort || *flags.base_port > kMaxPort) {
      return std::unexpected(
          usage_error(fmt::format("--base-port: expected an integer between {} and {}, got {}",
                                  kMinPort, kMaxPort, *flags.base_port)));
    }
    c.base_port = *flags.base_port;
    config.origins["cluster.base_port"] = "--base-port";
  }
  if (std::string msg = validate_ports(c); !msg.empty()) {
    return std::unexpected(
        usage_error(fmt::format("{}: {}", config.where("cluster.base_port"), msg)));
  }
  if (flags.semi_sync) {
    c.replication.semi_sync = *flags.semi_sync;
    config.origins["replication.semi_sync"] = "--semi-sync";
  }
  if (flags.sakila_dir) {
    if (flags.sakila_dir->empty())
      return std::unexpected(usage_error("--sakila: expected a directory"));
    c.data.sakila_dir = absolute_path(*flags.sakila_dir).string();
    config.origins["data.sakila_dir"] = "--sakila";
  }
  return {};
}

ConfigResult<Config> resolve_config(const CliOverrides& flags) {
  Config config;
  config.cluster.dir = absolute_path(kDefaultDir);
  std::filesystem::path file;
  if (!flags.config_file.empty()) {
    file = flags.config_file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      return std::unexpected(usage_error(
          fmt::format("--config: {}: no such file; pass an existing TOML file (or omit --config)",
                      flags.config_file)));
    }
  } else {
    auto candidate = absolute_path(flags.dir ? std::filesystem::path(*flags.dir)
                                             : std::filesystem::path(kDefaultDir)) /
                     kConfigFileName;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) file = candidate;
  }
  if (!file.empty()) {
    auto loaded = load_config_file(file);
    if (!loaded) return std::unexpected(loaded.error());
    config = std::move(*loaded);
  }
  if (auto applied = apply_overrides(config, flags); !applied)
    return std::unexpected(applied.error());
  return config;
}

std::string render_config(const Config& config, std::string_view dir_value) {
  std::string out =
      "# gatehouse configuration. Every subcommand reads it (--config FILE, or "
      "DIR/gatehouse.toml);\n"
      "# command-line flags override it. Unknown keys are errors.\n\n";
  for (const auto& section : kSections)
    if (section.render) out += section.render(config, dir_value);
  return out;
}

}  // namespace gh::config
