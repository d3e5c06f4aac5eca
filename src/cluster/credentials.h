// The cluster's accounts and their generated passwords, kept in DIR/credentials.toml (0600).
//
// Owner: the cluster control plane (Foundation issue). The file has one section per account role
// ([admin], [repl], [app], [monitor], [proxy_client]) with `user` and `password`; later roles read
// it with load_credentials() (e.g. the proxy logs in to the backends as [app]). [proxy_client] is
// not a MariaDB account: it is the user clients of the proxy log in as.
#pragma once

#include <filesystem>
#include <string>

#include "cluster/cluster_error.h"
#include "config/cluster_config.h"

namespace gh::cluster {

struct Credential {
  std::string user;
  std::string password;
};

struct Credentials {
  Credential admin;         // ALL WITH GRANT OPTION: the control plane
  Credential repl;          // REPLICATION SLAVE
  Credential app;           // the proxy's backend user
  Credential monitor;       // health checks
  Credential proxy_client;  // clients of the proxy (checked by the proxy, not by MariaDB)
  // The gatekeeper tier (filled by provision_gatekeeper(); empty in files written before it).
  Credential gatekeeper_upstream;  // proxy login of the gatekeeper / trusted host (proxy user)
  Credential trusted_host_link;    // user "gatekeeper-*", password = the shared secret
  // Demo API keys, one per role (read, write, admin): user = key id, password = token.
  Credential api_keys[3];
  // Demo users of the gatekeeper's MySQL front, one per role.
  Credential front_users[3];
};

// `length` characters of [0-9A-Za-z] from OpenSSL's CSPRNG (unbiased).
std::string random_password(size_t length = 24);
Credentials generate_credentials(const config::UserNames& names);

std::string render_credentials(const Credentials& credentials);
Outcome<Credentials> parse_credentials(std::string_view text, const std::string& label);
Done save_credentials(const std::filesystem::path& path, const Credentials& credentials);
Outcome<Credentials> load_credentials(const std::filesystem::path& path);

}  // namespace gh::cluster
