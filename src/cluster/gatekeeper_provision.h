// Provisioning of the gatekeeper tier by `gatehouse up`, before the roles start:
//   - the proxy login of the gatekeeper / trusted host ([gatekeeper_upstream] in credentials.toml;
//     the proxy adds it to its users), and the trusted-host shared secret when enabled;
//   - the demo principals, one per role: API keys (tokens in credentials.toml [api_key_<role>])
//     and MySQL-front users ([gatekeeper_mysql_<role>]), registered in the keys file (hashes
//     only) — re-created if the keys file lost them;
//   - DIR/gatekeeper-secrets.toml and DIR/trusted-host-secrets.toml: the only secrets those
//     processes read.
// Idempotent: a second `up` changes nothing. Owner: the control plane.
#pragma once

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"

namespace gh::cluster {

Done provision_gatekeeper(ClusterContext& context, const Progress& say);

// The keys file of a config (its [gatekeeper] keys_file or DIR/gatekeeper-keys.toml).
std::filesystem::path gatekeeper_keys_file(const ClusterContext& context);

}  // namespace gh::cluster
