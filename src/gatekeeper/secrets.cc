// LinkSecrets: load/save and the trusted-link password derivation (see secrets.h).
#include "gatekeeper/secrets.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/file_io.h"
#include "config/toml_reader.h"

namespace gh::gatekeeper {

std::expected<LinkSecrets, std::string> load_link_secrets(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text)
    return std::unexpected(fmt::format("cannot read {}; run `gatehouse up` first", path.string()));
  config::TomlReader reader(path.string());
  if (auto parsed = reader.parse_text(*text); !parsed)
    return std::unexpected(parsed.error().message);
  LinkSecrets s;
  auto up = reader.section("upstream");
  up.read("user", s.upstream_user);
  up.read("password", s.upstream_password);
  up.finish();
  auto th = reader.section("trusted_host");
  th.read("secret", s.trusted_host_secret);
  th.finish();
  reader.finish();
  if (!reader.ok()) return std::unexpected(reader.first_error().message);
  return s;
}

std::expected<void, std::string> save_link_secrets(const std::filesystem::path& path,
                                                   const LinkSecrets& s) {
  std::string text = fmt::format(
      "# Written by `gatehouse up`: the upstream login of this tier. Secret: mode 0600.\n"
      "[upstream]\nuser = {}\npassword = {}\n\n[trusted_host]\nsecret = {}\n",
      config::toml_quote(s.upstream_user), config::toml_quote(s.upstream_password),
      config::toml_quote(s.trusted_host_secret));
  if (auto written = write_file_atomic(path, text, 0600, /*durable=*/true); !written)
    return std::unexpected(
        fmt::format("cannot write {}: {}", path.string(), written.error().message()));
  return {};
}

std::string trusted_link_user(Role role) { return fmt::format("gatekeeper-{}", role_name(role)); }

std::optional<Role> trusted_link_role(std::string_view user) {
  constexpr std::string_view kPrefix = "gatekeeper-";
  if (!user.starts_with(kPrefix)) return std::nullopt;
  Role r;
  if (!parse_role(user.substr(kPrefix.size()), r)) return std::nullopt;
  return r;
}

std::string trusted_link_password(std::string_view secret, Role role) {
  std::string user = trusted_link_user(role);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), int(secret.size()),
       reinterpret_cast<const unsigned char*>(user.data()), user.size(), mac, &len);
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", mac[i]);
  return out;
}

}  // namespace gh::gatekeeper
