// Provisioning of the gatekeeper tier (see gatekeeper_provision.h).
#include "cluster/gatekeeper_provision.h"

#include <fmt/format.h>

#include "cluster/credentials.h"
#include "gatekeeper/keys.h"
#include "gatekeeper/secrets.h"

namespace gh::cluster {

using gatekeeper::Role;

std::filesystem::path gatekeeper_keys_file(const ClusterContext& ctx) {
  const auto& g = ctx.config().gatekeeper;
  return g.keys_file.empty() ? ctx.layout().dir / "gatekeeper-keys.toml"
                             : std::filesystem::path(g.keys_file);
}

Done provision_gatekeeper(ClusterContext& ctx, const Progress& say) {
  const auto& config = ctx.config();
  if (!config.gatekeeper.enabled && !config.trusted_host.enabled) return {};
  auto creds_path = ctx.layout().credentials_file();
  auto loaded = load_credentials(creds_path);
  if (!loaded) return std::unexpected(loaded.error());
  Credentials creds = std::move(*loaded);
  bool creds_changed = false;
  if (creds.gatekeeper_upstream.user.empty()) {
    creds.gatekeeper_upstream = {"gatekeeper", random_password()};
    creds_changed = true;
  }
  if (config.trusted_host.enabled && creds.trusted_host_link.password.empty()) {
    creds.trusted_host_link = {"gatekeeper-*", random_password(48)};
    creds_changed = true;
  }

  auto keys_path = gatekeeper_keys_file(ctx);
  auto store = gatekeeper::KeyStore::load(keys_path);
  if (!store) return failure(Errc::kConfigInvalid, store.error());
  bool keys_changed = false;
  static constexpr Role kRoles[3] = {Role::kRead, Role::kWrite, Role::kAdmin};
  for (int i = 0; i < 3; ++i) {
    Role role = kRoles[i];
    std::string role_name(gatekeeper::role_name(role));
    Credential& key = creds.api_keys[i];
    const gatekeeper::Principal* known =
        key.password.empty() ? nullptr : store->authenticate(key.password);
    if (!known) {
      std::string token = store->create_key(role, "demo-" + role_name, "sakila");
      key.password = token;
      // The id sits between "ghk_" and the next '_'.
      auto first = token.find('_');
      auto second = token.find('_', first + 1);
      key.user = token.substr(first + 1, second - first - 1);
      keys_changed = creds_changed = true;
    }
    Credential& user = creds.front_users[i];
    if (user.user.empty()) {
      user = {"gk_" + role_name, random_password()};
      creds_changed = true;
    }
    if (!store->mysql_user(user.user)) {
      store->set_mysql_user(user.user, role, user.password, "sakila");
      keys_changed = true;
    }
  }
  if (creds_changed) {
    if (auto saved = save_credentials(creds_path, creds); !saved) return saved;
  }
  if (keys_changed) {
    if (auto saved = store->save(keys_path); !saved)
      return failure(Errc::kIo, fmt::format("cannot write {}: {}", keys_path.string(),
                                            saved.error().message()));
    say(fmt::format("gatekeeper keys: {} (demo keys in {})", keys_path.string(),
                    creds_path.string()));
  }

  gatekeeper::LinkSecrets gk;
  gk.upstream_user = creds.gatekeeper_upstream.user;
  gk.upstream_password = creds.gatekeeper_upstream.password;
  if (config.trusted_host.enabled) gk.trusted_host_secret = creds.trusted_host_link.password;
  auto gk_path = ctx.layout().dir / gatekeeper::kGatekeeperSecretsFile;
  if (config.trusted_host.enabled) {
    // The gatekeeper then holds only the link secret, not even the proxy login.
    gatekeeper::LinkSecrets th = gk;
    gk.upstream_user.clear();
    gk.upstream_password.clear();
    auto th_path = ctx.layout().dir / gatekeeper::kTrustedHostSecretsFile;
    if (auto s = gatekeeper::save_link_secrets(th_path, th); !s)
      return failure(Errc::kIo, s.error());
  }
  if (auto s = gatekeeper::save_link_secrets(gk_path, gk); !s) return failure(Errc::kIo, s.error());
  return {};
}

}  // namespace gh::cluster
