// `gatehouse key`: manages the gatekeeper's principals in the keys file (gatehouse.toml's
// gatekeeper.keys_file, default DIR/gatekeeper-keys.toml, mode 0600):
//   key create --role R [--name N] [--database DB] [--rate-limit N]   prints the token once
//   key list [--json]                                                  never prints hashes
//   key revoke ID                                                      API key id or user name
//   key mysql-user NAME --role R [--password P|-] [--database DB] [--rate-limit N]
// Exit codes: 0 ok, 1 the file could not be written, 2 bad input (one line on stderr).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cluster/credentials.h"
#include "config/config.h"
#include "gatekeeper/allowlist.h"
#include "gatekeeper/keys.h"

namespace gh::cli {
namespace {

namespace fs = std::filesystem;
using gatekeeper::KeyStore;
using gatekeeper::Principal;
using gatekeeper::Role;

struct KeyFlags {
  std::string dir, config_file;
  CLI::Option* dir_opt = nullptr;
  CLI::Option* rate_opt = nullptr;
  std::string role, name, database, password, id;
  int rate_limit = 0;
  bool json = false;
};

// Prints "gatehouse key <sub>: <message>" on stderr and returns `rc`.
template <class... Args>
int complain(int rc, std::string_view sub, fmt::format_string<Args...> f, Args&&... args) {
  fmt::print(stderr, "gatehouse key {}: {}\n", sub, fmt::format(f, std::forward<Args>(args)...));
  return rc;
}

// The keys file this invocation works on (same rule as `gatehouse gatekeeper`).
std::expected<fs::path, std::string> keys_path(const KeyFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) return std::unexpected(config.error().message);
  const std::string& configured = config->gatekeeper.keys_file;
  return configured.empty() ? config->cluster.dir / "gatekeeper-keys.toml" : fs::path(configured);
}

struct Loaded {
  fs::path path;
  KeyStore store;
};

// Resolves and loads the keys file; on failure prints the problem and sets `rc`.
std::optional<Loaded> load_store(const KeyFlags& f, std::string_view sub, int& rc) {
  auto path = keys_path(f);
  if (!path) {
    rc = complain(2, sub, "{}", path.error());
    return std::nullopt;
  }
  auto store = KeyStore::load(*path);
  if (!store) {
    rc = complain(2, sub, "{}", store.error());
    return std::nullopt;
  }
  return Loaded{*path, std::move(*store)};
}

int save_store(const Loaded& l, std::string_view sub) {
  if (auto saved = l.store.save(l.path); !saved)
    return complain(1, sub, "cannot write {}: {}", l.path.string(), saved.error().message());
  return 0;
}

bool parse_role_flag(const std::string& text, Role& role, std::string_view sub, int& rc) {
  if (gatekeeper::parse_role(text, role)) return true;
  rc = complain(2, sub, "--role: unknown role '{}'; use read, write or admin", text);
  return false;
}

int run_create(const KeyFlags& f) {
  int rc = 0;
  Role role;
  if (!parse_role_flag(f.role, role, "create", rc)) return rc;
  if (f.rate_limit < 0) return complain(2, "create", "--rate-limit must be 0 or more");
  auto l = load_store(f, "create", rc);
  if (!l) return rc;
  std::string token = l->store.create_key(role, f.name, f.database);
  if (token.empty()) return complain(1, "create", "the random number generator failed");
  std::string id = token.substr(4, 12);
  if (f.rate_limit > 0) l->store.set_rate_limit(id, f.rate_limit);
  if (int saved = save_store(*l, "create"); saved != 0) return saved;
  fmt::print("{}\n", token);
  std::fflush(stdout);
  fmt::print(stderr,
             "created API key {} (role {}{}) in {}.\nThe token above is shown only once: store it "
             "now. Use it as `Authorization: Bearer <token>`.\n",
             id, f.role, f.name.empty() ? "" : fmt::format(", name {}", f.name), l->path.string());
  return 0;
}

boost::json::object principal_json(const Principal& p, bool api_key) {
  boost::json::object o;
  if (api_key) {
    o["id"] = p.id;
    o["name"] = p.name;
  } else {
    o["name"] = p.id;
  }
  o["role"] = std::string(gatekeeper::role_name(p.role));
  o["database"] = p.database;
  o["digest_mode"] = std::string(gatekeeper::digest_mode_name(p.digest_mode));
  o["rate_limit_per_s"] = p.rate_limit_per_s;
  o["created"] = p.created;
  o["revoked"] = p.revoked;
  return o;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

int run_list(const KeyFlags& f) {
  int rc = 0;
  auto l = load_store(f, "list", rc);
  if (!l) return rc;
  const KeyStore& s = l->store;
  if (f.json) {
    boost::json::array keys, users;
    for (const Principal& p : s.keys()) keys.push_back(principal_json(p, true));
    for (const Principal& p : s.mysql_users()) users.push_back(principal_json(p, false));
    boost::json::object root;
    root["keys_file"] = l->path.string();
    root["keys"] = std::move(keys);
    root["mysql_users"] = std::move(users);
    fmt::print("{}\n", boost::json::serialize(root));
    return 0;
  }
  if (s.keys().empty() && s.mysql_users().empty()) {
    fmt::print(stderr, "no keys in {}; create one with `gatehouse key create --role read`\n",
               l->path.string());
    return 0;
  }
  constexpr std::string_view kRow = "{:<10} {:<14} {:<20} {:<6} {:<12} {:<8} {:<20} {}\n";
  fmt::print(kRow, "KIND", "ID", "NAME", "ROLE", "DATABASE", "DIGESTS", "CREATED", "STATUS");
  auto row = [&](std::string_view kind, const Principal& p, const std::string& name) {
    fmt::print(kRow, kind, p.id, or_dash(name), gatekeeper::role_name(p.role), or_dash(p.database),
               gatekeeper::digest_mode_name(p.digest_mode), or_dash(p.created),
               p.revoked ? "revoked" : "active");
  };
  for (const Principal& p : s.keys()) row("api_key", p, p.name);
  for (const Principal& p : s.mysql_users()) row("mysql_user", p, "");
  return 0;
}

int run_revoke(const KeyFlags& f) {
  int rc = 0;
  auto l = load_store(f, "revoke", rc);
  if (!l) return rc;
  const Principal* p = l->store.find(f.id);
  if (p == nullptr)
    return complain(2, "revoke", "no API key or MySQL front user '{}' in {}", f.id,
                    l->path.string());
  if (p->revoked) {
    fmt::print(stderr, "{} is already revoked\n", f.id);
    return 0;
  }
  l->store.revoke(f.id);
  if (int saved = save_store(*l, "revoke"); saved != 0) return saved;
  fmt::print(stderr, "revoked {}; a running gatekeeper picks the change up from {}\n", f.id,
             l->path.string());
  return 0;
}

int run_mysql_user(const KeyFlags& f) {
  int rc = 0;
  Role role;
  if (!parse_role_flag(f.role, role, "mysql-user", rc)) return rc;
  if (f.rate_limit < 0) return complain(2, "mysql-user", "--rate-limit must be 0 or more");
  if (!gatekeeper::valid_key_id(f.name))
    return complain(2, "mysql-user",
                    "'{}' is not a valid user name; use 1-64 characters of [0-9A-Za-z_.-], not "
                    "starting with '.'",
                    f.name);
  auto l = load_store(f, "mysql-user", rc);
  if (!l) return rc;
  for (const Principal& k : l->store.keys()) {
    if (k.id == f.name)
      return complain(2, "mysql-user", "'{}' is already an API key id; pick another name", f.name);
  }
  std::string password = f.password;
  bool generated = false;
  if (password == "-") {  // read it from stdin, so it stays out of `ps` and shell history
    if (!std::getline(std::cin, password))
      return complain(2, "mysql-user", "--password -: nothing on standard input");
    if (!password.empty() && password.back() == '\r') password.pop_back();
  } else if (password.empty()) {
    password = cluster::random_password();
    generated = true;
  }
  if (password.empty()) return complain(2, "mysql-user", "the password must not be empty");
  const bool existed = l->store.find(f.name) != nullptr;
  l->store.set_mysql_user(f.name, role, password, f.database);
  if (f.rate_opt->count()) l->store.set_rate_limit(f.name, f.rate_limit);
  if (int saved = save_store(*l, "mysql-user"); saved != 0) return saved;
  if (generated) {
    fmt::print("{}\n", password);
    std::fflush(stdout);
  }
  fmt::print(stderr, "{} MySQL front user {} (role {}) in {}.{}\n", existed ? "updated" : "created",
             f.name, f.role, l->path.string(),
             generated ? "\nThe generated password above is shown only once: store it now." : "");
  return 0;
}

void add_common(CLI::App* cmd, const std::shared_ptr<KeyFlags>& f) {
  f->dir_opt = cmd->add_option("--dir", f->dir, "Cluster directory (default ./run)");
  cmd->add_option("--config", f->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
}

}  // namespace

void register_key(CLI::App& app) {
  CLI::App* key = app.add_subcommand(
      "key", "Manage the gatekeeper's API keys and MySQL front users (the keys file)");
  key->require_subcommand(1);

  {
    auto f = std::make_shared<KeyFlags>();
    CLI::App* cmd = key->add_subcommand("create", "Create an API key; prints its token once");
    add_common(cmd, f);
    cmd->add_option("--role", f->role, "read | write | admin")->required();
    cmd->add_option("--name", f->name, "A label for the key");
    cmd->add_option("--database", f->database, "Default database of its requests");
    cmd->add_option("--rate-limit", f->rate_limit,
                    "Requests per second for this key (0: the gatekeeper default)");
    cmd->callback([f] { set_exit_code(run_create(*f)); });
  }
  {
    auto f = std::make_shared<KeyFlags>();
    CLI::App* cmd = key->add_subcommand("list", "List API keys and MySQL front users (no hashes)");
    add_common(cmd, f);
    cmd->add_flag("--json", f->json, "Machine-readable output");
    cmd->callback([f] { set_exit_code(run_list(*f)); });
  }
  {
    auto f = std::make_shared<KeyFlags>();
    CLI::App* cmd =
        key->add_subcommand("revoke", "Revoke an API key (by id) or a MySQL front user (by name)");
    add_common(cmd, f);
    cmd->add_option("id", f->id, "API key id or MySQL front user name")->required();
    cmd->callback([f] { set_exit_code(run_revoke(*f)); });
  }
  {
    auto f = std::make_shared<KeyFlags>();
    CLI::App* cmd =
        key->add_subcommand("mysql-user", "Create or reset a user of the gatekeeper's MySQL front");
    add_common(cmd, f);
    cmd->add_option("name", f->name, "User name")->required();
    cmd->add_option("--role", f->role, "read | write | admin")->required();
    cmd->add_option("--password", f->password,
                    "Password ('-': read one line from stdin; default: generate and print once)");
    cmd->add_option("--database", f->database, "Default database");
    f->rate_opt =
        cmd->add_option("--rate-limit", f->rate_limit,
                        "Statements per second for this user (0: the gatekeeper default)");
    cmd->callback([f] { set_exit_code(run_mysql_user(*f)); });
  }
}

}  // namespace gh::cli
