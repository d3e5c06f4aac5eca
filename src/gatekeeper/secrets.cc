// LinkSecrets: load/save and the trusted-link password derivation (see secrets.h).
#include "gatekeeper/secrets.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "config/toml_reader.h"

namespace gh::gatekeeper {

std::expected<LinkSecrets, std::string> load_link_secrets(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return std::unexpected(fmt::format("cannot read {}; run `gatehouse up` first", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  config::TomlReader reader(path.string());
  if (auto parsed = reader.parse_text(text.str()); !parsed)
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
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return std::unexpected(fmt::format("cannot write {}", tmp.string()));
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, path, ec);
  if (!ok || ec) return std::unexpected(fmt::format("cannot write {}", path.string()));
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
