// LinkSecrets: the only secrets the gatekeeper and the trusted host hold. `gatehouse up` writes
// them (mode 0600) from the cluster's credentials file, so neither process ever reads
// credentials.toml and neither holds a MariaDB account:
//   DIR/gatekeeper-secrets.toml    [upstream] the proxy-front login (when no trusted host)
//                                  [trusted_host] secret (when the trusted host is enabled)
//   DIR/trusted-host-secrets.toml  [upstream] the proxy-front login; [trusted_host] secret
// The proxy-front login is a proxy user, checked by the proxy, useless against MariaDB.
//
// The gatekeeper logs in to the trusted host as "gatekeeper-<role>" with a password derived
// from the shared secret (HMAC-SHA256(secret, user), hex): a challenge-response (the MySQL
// native-password handshake) that proves knowledge of the secret without sending it, and tells
// the trusted host which role's policy to re-check.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gatekeeper/policy.h"

namespace gh::gatekeeper {

struct LinkSecrets {
  std::string upstream_user;
  std::string upstream_password;
  std::string trusted_host_secret;  // empty: no trusted host configured
};

std::expected<LinkSecrets, std::string> load_link_secrets(const std::filesystem::path& path);
std::expected<void, std::string> save_link_secrets(const std::filesystem::path& path,
                                                   const LinkSecrets& secrets);

// "gatekeeper-read" | "gatekeeper-write" | "gatekeeper-admin".
std::string trusted_link_user(Role role);
// The role a trusted-link user name stands for, or nullopt.
std::optional<Role> trusted_link_role(std::string_view user);
// HMAC-SHA256(secret, trusted_link_user(role)) as 64 hex digits.
std::string trusted_link_password(std::string_view secret, Role role);

inline constexpr const char* kGatekeeperSecretsFile = "gatekeeper-secrets.toml";
inline constexpr const char* kTrustedHostSecretsFile = "trusted-host-secrets.toml";

}  // namespace gh::gatekeeper
