// `gatehouse policy`: the statement policy and the per-key digest allowlists
// (gatekeeper.allowlist_dir, default DIR/allowlist/<id>.digests):
//   policy mode ID off|learn|enforce     a key's (or MySQL front user's) digest mode
//   policy list ID [--json]              the digests a key may run
//   policy allow ID "SQL"                adds the SQL's digest ("-": read the SQL from stdin)
//   policy forget ID HEX                 removes a digest
//   policy check (--role R | --key ID) "SQL"   the verdict, rule and digest of a statement
// A running gatekeeper reloads the allowlist when a file changes. Exit codes: 0 ok (check:
// allowed), 1 check: denied (or a file could not be written), 2 bad input (one line on stderr).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "config/config.h"
#include "gatekeeper/allowlist.h"
#include "gatekeeper/keys.h"
#include "gatekeeper/policy.h"

namespace gh::cli {
namespace {

namespace fs = std::filesystem;
using gatekeeper::DigestAllowlist;
using gatekeeper::DigestMode;
using gatekeeper::KeyStore;
using gatekeeper::Principal;
using gatekeeper::Role;

struct PolicyFlags {
  std::string dir, config_file;
  CLI::Option* dir_opt = nullptr;
  std::string id, mode, sql, hex, role;
  bool json = false;
};

template <class... Args>
int complain(int rc, std::string_view sub, fmt::format_string<Args...> f, Args&&... args) {
  fmt::print(stderr, "gatehouse policy {}: {}\n", sub, fmt::format(f, std::forward<Args>(args)...));
  return rc;
}

// What every subcommand works with: the config (limits), the keys and the allowlist folder.
struct Context {
  config::Config config;
  fs::path keys_file;
  fs::path allowlist_dir;
  KeyStore keys;
  gatekeeper::PolicyLimits limits;
};

std::expected<Context, std::string> load_context(const PolicyFlags& f) {
  config::CliOverrides overrides;
  overrides.config_file = f.config_file;
  if (f.dir_opt->count()) overrides.dir = f.dir;
  auto config = config::resolve_config(overrides);
  if (!config) return std::unexpected(config.error().message);
  Context c;
  c.config = std::move(*config);
  const auto& g = c.config.gatekeeper;
  const fs::path& dir = c.config.cluster.dir;
  // The same defaults as `gatehouse gatekeeper`.
  c.keys_file = g.keys_file.empty() ? dir / "gatekeeper-keys.toml" : fs::path(g.keys_file);
  c.allowlist_dir = g.allowlist_dir.empty() ? dir / "allowlist" : fs::path(g.allowlist_dir);
  auto keys = KeyStore::load(c.keys_file);
  if (!keys) return std::unexpected(keys.error());
  c.keys = std::move(*keys);
  c.limits.max_query_bytes = size_t(g.max_query_bytes);
  c.limits.max_params = size_t(g.max_params);
  c.limits.detect_injection = g.detect_injection;
  return c;
}

// Loads the context and, when `need_principal`, checks that f.id names a key or user (look it up
// with keys.find(f.id)); on failure prints one line and sets `rc`.
std::optional<Context> context_for(const PolicyFlags& f, std::string_view sub, int& rc,
                                   bool need_principal) {
  auto c = load_context(f);
  if (!c) {
    rc = complain(2, sub, "{}", c.error());
    return std::nullopt;
  }
  if (need_principal && c->keys.find(f.id) == nullptr) {
    rc = complain(2, sub, "no API key or MySQL front user '{}' in {}; see `gatehouse key list`",
                  f.id, c->keys_file.string());
    return std::nullopt;
  }
  return std::move(*c);
}

// The SQL argument; "-" reads it from stdin.
std::string sql_text(const std::string& arg) {
  if (arg != "-") return arg;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

bool parse_hex(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 16) return false;
  uint64_t v = 0;
  for (char ch : text) {
    int d = (ch >= '0' && ch <= '9')   ? ch - '0'
            : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
            : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                       : -1;
    if (d < 0) return false;
    v = (v << 4) | uint64_t(d);
  }
  out = v;
  return true;
}

int run_mode(const PolicyFlags& f) {
  int rc = 0;
  DigestMode mode;
  if (!gatekeeper::parse_digest_mode(f.mode, mode))
    return complain(2, "mode", "unknown mode '{}'; use off, learn or enforce", f.mode);
  auto c = context_for(f, "mode", rc, true);
  if (!c) return rc;
  c->keys.set_digest_mode(f.id, mode);
  if (auto saved = c->keys.save(c->keys_file); !saved)
    return complain(1, "mode", "cannot write {}: {}", c->keys_file.string(),
                    saved.error().message());
  fmt::print(stderr, "digest mode of {} is now {}\n", f.id, f.mode);
  if (mode == DigestMode::kEnforce && DigestAllowlist(c->allowlist_dir).list(f.id).empty()) {
    fmt::print(stderr,
               "note: the allowlist of {} is empty, so every statement is denied; add digests "
               "with `gatehouse policy allow` or run in learn mode first\n",
               f.id);
  }
  return 0;
}

int run_list(const PolicyFlags& f) {
  int rc = 0;
  auto c = context_for(f, "list", rc, true);
  if (!c) return rc;
  const Principal* p = c->keys.find(f.id);
  DigestAllowlist allowlist(c->allowlist_dir);
  auto digests = allowlist.list(f.id);
  if (f.json) {
    boost::json::array arr;
    for (const auto& [d, text] : digests)
      arr.push_back(boost::json::object{{"digest", gatekeeper::digest_hex(d)}, {"text", text}});
    boost::json::object root{{"id", f.id},
                             {"digest_mode", gatekeeper::digest_mode_name(p->digest_mode)},
                             {"allowlist_dir", c->allowlist_dir.string()},
                             {"digests", std::move(arr)}};
    fmt::print("{}\n", boost::json::serialize(root));
    return 0;
  }
  for (const auto& [d, text] : digests) fmt::print("{} {}\n", gatekeeper::digest_hex(d), text);
  fmt::print(stderr, "{} digest{} for {} (digest mode {})\n", digests.size(),
             digests.size() == 1 ? "" : "s", f.id, gatekeeper::digest_mode_name(p->digest_mode));
  return 0;
}

int run_allow(const PolicyFlags& f) {
  int rc = 0;
  auto c = context_for(f, "allow", rc, true);
  if (!c) return rc;
  const Principal* p = c->keys.find(f.id);
  std::string sql = sql_text(f.sql);
  gatekeeper::CheckedStatement checked = gatekeeper::check_statement(p->role, sql, 0, c->limits);
  if (!checked.verdict.ok()) {
    // Its digest would never reach the allowlist: the policy denies it first.
    return complain(2, "allow", "not added: for role {} the policy denies it: {}",
                    gatekeeper::role_name(p->role), checked.verdict.message);
  }
  DigestAllowlist allowlist(c->allowlist_dir);
  auto known = allowlist.list(f.id);
  const bool present = std::any_of(known.begin(), known.end(),
                                   [&](const auto& e) { return e.first == checked.digest; });
  if (auto added = allowlist.add(f.id, checked.digest, checked.digest_text); !added) {
    return complain(added.error() == make_error_code(Errc::kBadRequest) ? 2 : 1, "allow",
                    "cannot add to the allowlist of {} in {}: {}", f.id, c->allowlist_dir.string(),
                    added.error().message());
  }
  fmt::print("{} {}\n", gatekeeper::digest_hex(checked.digest), checked.digest_text);
  fmt::print(stderr, "{} the allowlist of {}\n", present ? "already in" : "added to", f.id);
  return 0;
}

int run_forget(const PolicyFlags& f) {
  int rc = 0;
  uint64_t digest = 0;
  if (!parse_hex(f.hex, digest))
    return complain(2, "forget", "'{}' is not a digest; expected up to 16 hex digits", f.hex);
  auto c = context_for(f, "forget", rc, true);
  if (!c) return rc;
  DigestAllowlist allowlist(c->allowlist_dir);
  auto known = allowlist.list(f.id);
  if (std::none_of(known.begin(), known.end(), [&](const auto& e) { return e.first == digest; }))
    return complain(2, "forget", "digest {} is not in the allowlist of {}",
                    gatekeeper::digest_hex(digest), f.id);
  if (auto removed = allowlist.remove(f.id, digest); !removed)
    return complain(1, "forget", "cannot rewrite the allowlist of {} in {}: {}", f.id,
                    c->allowlist_dir.string(), removed.error().message());
  fmt::print(stderr, "removed {} from the allowlist of {}\n", gatekeeper::digest_hex(digest), f.id);
  return 0;
}

int run_check(const PolicyFlags& f) {
  int rc = 0;
  if (f.role.empty() == f.id.empty())
    return complain(2, "check", "pass exactly one of --role R and --key ID");
  Role role = Role::kRead;
  if (!f.role.empty() && !gatekeeper::parse_role(f.role, role))
    return complain(2, "check", "--role: unknown role '{}'; use read, write or admin", f.role);
  auto c = context_for(f, "check", rc, !f.id.empty());
  if (!c) return rc;
  const Principal* p = f.id.empty() ? nullptr : c->keys.find(f.id);
  if (p != nullptr) role = p->role;
  if (p != nullptr && p->revoked)
    fmt::print(stderr, "note: {} is revoked; the gatekeeper refuses it before any policy\n", f.id);
  std::string sql = sql_text(f.sql);
  gatekeeper::CheckedStatement checked = gatekeeper::check_statement(role, sql, 0, c->limits);
  gatekeeper::Verdict verdict = checked.verdict;
  std::string allowlist_state = "not used";
  if (verdict.ok() && p != nullptr && p->digest_mode != DigestMode::kOff) {
    // Read-only: a check never records a digest.
    auto known = DigestAllowlist(c->allowlist_dir).list(p->id);
    const bool present = std::any_of(known.begin(), known.end(),
                                     [&](const auto& e) { return e.first == checked.digest; });
    if (present) {
      allowlist_state = "known";
    } else if (p->digest_mode == DigestMode::kLearn) {
      allowlist_state = "unknown (learn mode would add it)";
    } else {
      allowlist_state = "unknown";
      verdict = gatekeeper::Verdict{Errc::kNotAllowlisted, "digest_allowlist",
                                    fmt::format("statement digest {} is not in the allowlist of "
                                                "key {}",
                                                gatekeeper::digest_hex(checked.digest), p->id)};
    }
  }
  const std::string digest = checked.digest || !checked.digest_text.empty()
                                 ? gatekeeper::digest_hex(checked.digest)
                                 : std::string();
  if (f.json) {
    boost::json::object o{
        {"allowed", verdict.ok()},
        {"role", gatekeeper::role_name(role)},
        {"code", errc_name(verdict.code)},
        {"rule", verdict.rule},
        {"reason", verdict.message},
        {"digest", digest},
        {"digest_text", checked.digest_text},
        {"statement_class", sql::statement_class_name(checked.info.statement_class)}};
    if (p != nullptr) o["allowlist"] = allowlist_state;
    fmt::print("{}\n", boost::json::serialize(o));
  } else {
    fmt::print("{}\n", verdict.ok() ? "allowed" : "denied");
    fmt::print("role: {}\n", gatekeeper::role_name(role));
    if (!verdict.ok()) {
      fmt::print("code: {}\nrule: {}\nreason: {}\n", errc_name(verdict.code), verdict.rule,
                 verdict.message);
    }
    if (!digest.empty()) fmt::print("digest: {} {}\n", digest, checked.digest_text);
    if (p != nullptr)
      fmt::print("allowlist: {} (digest mode {})\n", allowlist_state,
                 gatekeeper::digest_mode_name(p->digest_mode));
  }
  return verdict.ok() ? 0 : 1;
}

void add_common(CLI::App* cmd, const std::shared_ptr<PolicyFlags>& f) {
  f->dir_opt = cmd->add_option("--dir", f->dir, "Cluster directory (default ./run)");
  cmd->add_option("--config", f->config_file,
                  "Config file (default DIR/gatehouse.toml if it exists)");
}

}  // namespace

void register_policy(CLI::App& app) {
  CLI::App* policy = app.add_subcommand(
      "policy", "Check statements against the policy; manage per-key digest allowlists");
  policy->require_subcommand(1);
  {
    auto f = std::make_shared<PolicyFlags>();
    CLI::App* cmd = policy->add_subcommand("mode", "Set a key's digest mode: off|learn|enforce");
    add_common(cmd, f);
    cmd->add_option("id", f->id, "API key id or MySQL front user name")->required();
    cmd->add_option("mode", f->mode, "off | learn | enforce")->required();
    cmd->callback([f] { set_exit_code(run_mode(*f)); });
  }
  {
    auto f = std::make_shared<PolicyFlags>();
    CLI::App* cmd = policy->add_subcommand("list", "List the digests in a key's allowlist");
    add_common(cmd, f);
    cmd->add_option("id", f->id, "API key id or MySQL front user name")->required();
    cmd->add_flag("--json", f->json, "Machine-readable output");
    cmd->callback([f] { set_exit_code(run_list(*f)); });
  }
  {
    auto f = std::make_shared<PolicyFlags>();
    CLI::App* cmd =
        policy->add_subcommand("allow", "Add a statement's digest to a key's allowlist");
    add_common(cmd, f);
    cmd->add_option("id", f->id, "API key id or MySQL front user name")->required();
    cmd->add_option("sql", f->sql, "The statement (literals do not matter; '-': read stdin)")
        ->required();
    cmd->callback([f] { set_exit_code(run_allow(*f)); });
  }
  {
    auto f = std::make_shared<PolicyFlags>();
    CLI::App* cmd = policy->add_subcommand("forget", "Remove a digest from a key's allowlist");
    add_common(cmd, f);
    cmd->add_option("id", f->id, "API key id or MySQL front user name")->required();
    cmd->add_option("digest", f->hex, "The digest (16 hex digits, see `policy list`)")->required();
    cmd->callback([f] { set_exit_code(run_forget(*f)); });
  }
  {
    auto f = std::make_shared<PolicyFlags>();
    CLI::App* cmd = policy->add_subcommand(
        "check", "Show the policy's verdict, rule and digest for a statement (exit 1 if denied)");
    add_common(cmd, f);
    cmd->add_option("--role", f->role, "read | write | admin");
    cmd->add_option("--key", f->id, "Use this key's role and digest allowlist");
    cmd->add_flag("--json", f->json, "Machine-readable output");
    cmd->add_option("sql", f->sql, "The statement ('-': read stdin)")->required();
    cmd->callback([f] { set_exit_code(run_check(*f)); });
  }
}

}  // namespace gh::cli
