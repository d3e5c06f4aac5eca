// KeyStore: the gatekeeper's principals, in one TOML file (DIR/gatekeeper-keys.toml, mode 0600)
// managed by `gatehouse key ...`:
//   - API keys for the HTTP API. A token is "ghk_<id>_<secret>": id = 12 lower-case hex digits,
//     secret = 32 characters of [0-9A-Za-z] from the OpenSSL CSPRNG. Only SHA-256(secret) (hex)
//     is stored; the token is printed once by `key create`.
//   - Users of the MySQL front, stored as SHA1(SHA1(password)) (mysql_native_password).
// Both carry a role, an optional default database, a digest-allowlist mode and an optional
// per-principal rate limit. Revoked keys stay in the file (revoked = true) for the audit trail.
//
// File format:
//   [[key]]
//   id = "0123456789ab"       name = "demo-read"    role = "read"
//   hash = "<64 hex>"         database = "sakila"   digest_mode = "off"
//   rate_limit_per_s = 0      (0: the gatekeeper default)
//   created = "2026-11-21T10:00:00Z"   revoked = false
//   [[mysql_user]]
//   name = "gh_read"   role = "read"   hash = "<40 hex>"   database = ""   digest_mode = "off"
//   rate_limit_per_s = 0
//
// A KeyStore is an immutable snapshot once loaded; the gatekeeper swaps in a new one when the
// file changes. authenticate() compares hashes in constant time.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "gatekeeper/policy.h"

namespace gh::gatekeeper {

struct Principal {
  std::string id;    // API key id, or the MySQL front user name
  std::string name;  // human label (API keys); equals id for MySQL users
  Role role = Role::kRead;
  std::string hash;      // hex: SHA-256(secret) for keys, SHA1(SHA1(password)) for users
  std::string database;  // default schema; empty: none
  DigestMode digest_mode = DigestMode::kOff;
  int rate_limit_per_s = 0;  // 0: the gatekeeper's default
  std::string created;       // ISO 8601 UTC
  bool revoked = false;
};

class KeyStore {
 public:
  // A missing file is an empty store; a malformed one is an error naming FILE:LINE.
  static std::expected<KeyStore, std::string> load(const std::filesystem::path& path);
  // Writes atomically with mode 0600.
  Status save(const std::filesystem::path& path) const;

  // Adds a new API key and returns its token (shown once); "" (and no key) if the CSPRNG fails.
  std::string create_key(Role role, std::string name, std::string database = {});
  // Adds or replaces a MySQL front user.
  void set_mysql_user(std::string name, Role role, std::string_view password,
                      std::string database = {});
  bool revoke(std::string_view id);  // API key id or MySQL user name; false if unknown
  // Changes a key's (or user's) digest mode; false if unknown.
  bool set_digest_mode(std::string_view id, DigestMode mode);
  // Changes a key's (or user's) rate limit (requests/s, 0: the default); false if unknown.
  bool set_rate_limit(std::string_view id, int per_s);

  // The live key for a bearer token, or nullptr (unknown id, revoked, wrong secret, malformed).
  const Principal* authenticate(std::string_view token) const;
  // A live MySQL front user by name, or nullptr. Its hash is hex SHA1(SHA1(password)).
  const Principal* mysql_user(std::string_view name) const;
  const Principal* find(std::string_view id) const;  // key or user, live or revoked

  const std::vector<Principal>& keys() const { return keys_; }
  const std::vector<Principal>& mysql_users() const { return mysql_users_; }

 private:
  std::vector<Principal> keys_;
  std::vector<Principal> mysql_users_;
};

}  // namespace gh::gatekeeper
