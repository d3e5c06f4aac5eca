// KeyStore: API keys and MySQL front users in one TOML file (see keys.h). Tokens come from
// OpenSSL's CSPRNG; only hashes are stored; secrets are compared in constant time.
#include "gatekeeper/keys.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "common/file_io.h"
#include "config/toml_reader.h"
#include "gatekeeper/allowlist.h"
#include "protocol/auth.h"

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTokenPrefix = "ghk_";
constexpr size_t kIdLength = 12;
constexpr size_t kSecretLength = 32;
constexpr size_t kSha256HexLength = 64;
constexpr size_t kSha1HexLength = 40;

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kDigits[md[i] >> 4]);
    out.push_back(kDigits[md[i] & 15]);
  }
  return out;
}

// `n` characters of [0-9a-f] or [0-9A-Za-z] from the CSPRNG (rejection sampling: no bias).
// Empty if the CSPRNG fails.
std::string random_chars(size_t n, std::string_view alphabet) {
  const unsigned limit = 256 - 256 % unsigned(alphabet.size());
  std::string out;
  out.reserve(n);
  std::array<unsigned char, 64> buf{};
  while (out.size() < n) {
    if (RAND_bytes(buf.data(), int(buf.size())) != 1) return {};
    for (unsigned char b : buf) {
      if (b >= limit) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == n) break;
    }
  }
  return out;
}

constexpr std::string_view kHexAlphabet = "0123456789abcdef";
constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string now_iso8601() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// ---- loading ------------------------------------------------------------------------------

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Reads the fields of one [[key]] / [[mysql_user]] table, collecting the first error.
class Fields {
 public:
  Fields(std::string_view label, std::string where, const toml::table& table)
      : label_(label), where_(std::move(where)), table_(table) {}

  // Required string field (or optional when `required` is false: absent leaves `out` alone).
  void str(std::string_view key, std::string& out, bool required) {
    used_.push_back(key);
    const toml::node* n = table_.get(key);
    if (!n) {
      if (required) error(table_, key, "is missing; add it (see `gatehouse key --help`)");
      return;
    }
    if (!n->is_string()) {
      error(*n, key, fmt::format("expected a string, got {}", config::describe_value(*n)));
      return;
    }
    out = n->as_string()->get();
  }
  void boolean(std::string_view key, bool& out) {
    used_.push_back(key);
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_boolean()) {
      error(*n, key, fmt::format("expected true or false, got {}", config::describe_value(*n)));
      return;
    }
    out = n->as_boolean()->get();
  }
  void integer(std::string_view key, int& out, int min, int max) {
    used_.push_back(key);
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_integer() || n->as_integer()->get() < min || n->as_integer()->get() > max) {
      error(*n, key,
            fmt::format("expected an integer from {} to {}, got {}", min, max,
                        config::describe_value(*n)));
      return;
    }
    out = static_cast<int>(n->as_integer()->get());
  }
  // Records an error about `key` (at its line when present).
  void invalid(std::string_view key, std::string_view message) {
    const toml::node* n = table_.get(key);
    error(n ? *n : static_cast<const toml::node&>(table_), key, message);
  }
  // Every key that no read asked for is an error (typos must not be ignored).
  void finish() {
    for (auto&& [key, node] : table_) {
      if (std::find(used_.begin(), used_.end(), key.str()) != used_.end()) continue;
      error(node, key.str(), "unknown field; remove it");
    }
  }
  const std::string& first_error() const { return error_; }

 private:
  void error(const toml::node& at, std::string_view key, std::string_view message) {
    if (!error_.empty()) return;
    error_ = fmt::format("{}:{}: {}.{}: {}", label_, line_of(at), where_, key, message);
  }

  std::string_view label_;
  std::string where_;
  const toml::table& table_;
  std::vector<std::string_view> used_;
  std::string error_;
};

// Parses one principal; `api_key` selects the [[key]] rules, else [[mysql_user]].
std::expected<Principal, std::string> read_principal(std::string_view label, std::string where,
                                                     const toml::table& t, bool api_key) {
  Fields f(label, std::move(where), t);
  Principal p;
  std::string role = "read";
  std::string mode = "off";
  if (api_key) {
    f.str("id", p.id, true);
    f.str("name", p.name, false);
  } else {
    f.str("name", p.id, true);
  }
  f.str("role", role, true);
  f.str("hash", p.hash, true);
  f.str("database", p.database, false);
  f.str("digest_mode", mode, false);
  f.integer("rate_limit_per_s", p.rate_limit_per_s, 0, 100'000'000);
  f.str("created", p.created, false);
  f.boolean("revoked", p.revoked);
  f.finish();
  if (!f.first_error().empty()) return std::unexpected(f.first_error());
  if (!api_key) p.name = p.id;
  if (api_key && (p.id.size() != kIdLength || !is_lower_hex(p.id))) {
    f.invalid("id", "expected 12 lower-case hex digits");
  } else if (!api_key && !valid_key_id(p.id)) {
    f.invalid("name", "expected 1-64 characters of [0-9A-Za-z_.-], not starting with '.'");
  } else if (!parse_role(role, p.role)) {
    f.invalid("role",
              fmt::format("unknown role {}; use read, write or admin", config::toml_quote(role)));
  } else if (!parse_digest_mode(mode, p.digest_mode)) {
    f.invalid("digest_mode",
              fmt::format("unknown mode {}; use off, learn or enforce", config::toml_quote(mode)));
  } else if (api_key && (p.hash.size() != kSha256HexLength || !is_lower_hex(lower(p.hash)))) {
    f.invalid("hash", "expected 64 hex digits (SHA-256 of the key's secret)");
  } else if (!api_key && (p.hash.size() != kSha1HexLength ||
                          mysql::stored_hash_from_hex(p.hash).size() != 20)) {
    f.invalid("hash", "expected 40 hex digits (SHA1(SHA1(password)))");
  }
  if (!f.first_error().empty()) return std::unexpected(f.first_error());
  p.hash = api_key ? lower(p.hash) : upper(p.hash);
  return p;
}

std::expected<std::vector<Principal>, std::string> read_array(std::string_view label,
                                                              const toml::table& root,
                                                              std::string_view name, bool api_key) {
  std::vector<Principal> out;
  const toml::node* node = root.get(name);
  if (!node) return out;
  const toml::array* arr = node->as_array();
  if (!arr || !arr->is_array_of_tables()) {
    return std::unexpected(fmt::format("{}:{}: {}: expected [[{}]] tables, got {}", label,
                                       line_of(*node), name, name, config::describe_value(*node)));
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *(*arr)[i].as_table();
    auto p = read_principal(label, fmt::format("{}[{}]", name, i), t, api_key);
    if (!p) return std::unexpected(p.error());
    for (const Principal& other : out) {
      if (other.id == p->id) {
        return std::unexpected(fmt::format("{}:{}: {}[{}].{}: duplicate {} {}; ids must be unique",
                                           label, line_of(t), name, i, api_key ? "id" : "name",
                                           api_key ? "key id" : "user", p->id));
      }
    }
    out.push_back(std::move(*p));
  }
  return out;
}

// ---- saving -------------------------------------------------------------------------------

void render_principal(std::string& out, const Principal& p, bool api_key) {
  using config::toml_quote;
  if (api_key) {
    out += fmt::format("[[key]]\nid = {}\nname = {}\n", toml_quote(p.id), toml_quote(p.name));
  } else {
    out += fmt::format("[[mysql_user]]\nname = {}\n", toml_quote(p.id));
  }
  out += fmt::format(
      "role = {}\nhash = {}\ndatabase = {}\ndigest_mode = {}\nrate_limit_per_s = {}\n"
      "created = {}\nrevoked = {}\n\n",
      toml_quote(role_name(p.role)), toml_quote(p.hash), toml_quote(p.database),
      toml_quote(digest_mode_name(p.digest_mode)), p.rate_limit_per_s, toml_quote(p.created),
      p.revoked ? "true" : "false");
}

}  // namespace

std::expected<KeyStore, std::string> KeyStore::load(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return KeyStore{};
  const std::string label = path.string();
  if (!fs::is_regular_file(path, ec))
    return std::unexpected(
        fmt::format("{}: not a regular file; expected the TOML keys file", label));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(fmt::format("{}: cannot read the keys file: {}", label,
                                       std::error_code(errno, std::generic_category()).message()));
  }
  std::stringstream text;
  text << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(text.str(), label);
  } catch (const toml::parse_error& e) {
    return std::unexpected(fmt::format("{}:{}:{}: TOML syntax error: {}; fix the syntax", label,
                                       e.source().begin.line, e.source().begin.column,
                                       e.description()));
  }
  for (auto&& [key, node] : root) {
    if (key.str() != "key" && key.str() != "mysql_user") {
      return std::unexpected(
          fmt::format("{}:{}: {}: unknown section; expected [[key]] or "
                      "[[mysql_user]]",
                      label, line_of(node), key.str()));
    }
  }
  KeyStore store;
  auto keys = read_array(label, root, "key", true);
  if (!keys) return std::unexpected(keys.error());
  auto users = read_array(label, root, "mysql_user", false);
  if (!users) return std::unexpected(users.error());
  store.keys_ = std::move(*keys);
  store.mysql_users_ = std::move(*users);
  return store;
}

Status KeyStore::save(const fs::path& path) const {
  std::string text =
      "# gatehouse principals, managed by `gatehouse key ...` (mode 0600).\n"
      "# [[key]]: HTTP API keys; hash = SHA-256 of the token's secret (the token is never "
      "stored).\n"
      "# [[mysql_user]]: users of the gatekeeper's MySQL front; hash = SHA1(SHA1(password)).\n\n";
  for (const Principal& p : keys_) render_principal(text, p, true);
  for (const Principal& p : mysql_users_) render_principal(text, p, false);

  std::error_code ec;
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return fail(Errc::kIo);
  }
  if (!write_file_atomic(path, text, 0600, /*durable=*/true)) return fail(Errc::kIo);
  return {};
}

std::string KeyStore::create_key(Role role, std::string name, std::string database) {
  std::string id;
  for (int attempt = 0; attempt < 8 && (id.empty() || find(id)); ++attempt)
    id = random_chars(kIdLength, kHexAlphabet);
  std::string secret = random_chars(kSecretLength, kBase62Alphabet);
  if (id.size() != kIdLength || find(id) || secret.size() != kSecretLength) return {};
  Principal p;
  p.id = id;
  p.name = std::move(name);
  p.role = role;
  p.hash = sha256_hex(secret);
  if (p.hash.empty()) return {};
  p.database = std::move(database);
  p.created = now_iso8601();
  keys_.push_back(std::move(p));
  return fmt::format("{}{}_{}", kTokenPrefix, id, secret);
}

void KeyStore::set_mysql_user(std::string name, Role role, std::string_view password,
                              std::string database) {
  std::string hash = mysql::to_hex(mysql::native_password_stored_hash(password));
  for (Principal& u : mysql_users_) {
    if (u.id != name) continue;
    // A reset: new role, password and database; the digest mode and rate limit stay.
    u.role = role;
    u.hash = std::move(hash);
    u.database = std::move(database);
    u.revoked = false;
    u.created = now_iso8601();
    return;
  }
  Principal p;
  p.id = name;
  p.name = std::move(name);
  p.role = role;
  p.hash = std::move(hash);
  p.database = std::move(database);
  p.created = now_iso8601();
  mysql_users_.push_back(std::move(p));
}

bool KeyStore::revoke(std::string_view id) {
  for (auto* list : {&keys_, &mysql_users_}) {
    for (Principal& p : *list) {
      if (p.id == id) {
        p.revoked = true;
        return true;
      }
    }
  }
  return false;
}

bool KeyStore::set_digest_mode(std::string_view id, DigestMode mode) {
  for (auto* list : {&keys_, &mysql_users_}) {
    for (Principal& p : *list) {
      if (p.id == id) {
        p.digest_mode = mode;
        return true;
      }
    }
  }
  return false;
}

bool KeyStore::set_rate_limit(std::string_view id, int per_s) {
  for (auto* list : {&keys_, &mysql_users_}) {
    for (Principal& p : *list) {
      if (p.id == id) {
        p.rate_limit_per_s = per_s < 0 ? 0 : per_s;
        return true;
      }
    }
  }
  return false;
}

const Principal* KeyStore::authenticate(std::string_view token) const {
  // ghk_<12 hex>_<32 base62>
  if (token.size() != kTokenPrefix.size() + kIdLength + 1 + kSecretLength) return nullptr;
  if (!token.starts_with(kTokenPrefix)) return nullptr;
  std::string_view id = token.substr(kTokenPrefix.size(), kIdLength);
  if (token[kTokenPrefix.size() + kIdLength] != '_') return nullptr;
  std::string_view secret = token.substr(kTokenPrefix.size() + kIdLength + 1);
  if (!is_lower_hex(id) || !std::all_of(secret.begin(), secret.end(), is_alnum)) return nullptr;
  const Principal* key = nullptr;
  for (const Principal& p : keys_) {
    if (p.id == id) key = &p;
  }
  if (key == nullptr || key->revoked || key->hash.size() != kSha256HexLength) return nullptr;
  std::string hash = sha256_hex(secret);
  if (hash.size() != kSha256HexLength) return nullptr;
  if (CRYPTO_memcmp(hash.data(), key->hash.data(), kSha256HexLength) != 0) return nullptr;
  return key;
}

const Principal* KeyStore::mysql_user(std::string_view name) const {
  for (const Principal& u : mysql_users_) {
    if (u.id == name) return u.revoked ? nullptr : &u;
  }
  return nullptr;
}

const Principal* KeyStore::find(std::string_view id) const {
  for (const auto* list : {&keys_, &mysql_users_}) {
    for (const Principal& p : *list) {
      if (p.id == id) return &p;
    }
  }
  return nullptr;
}

}  // namespace gh::gatekeeper
