// `gatehouse down`: stop every process of the cluster's process table (nodes, and later the
// proxy and gatekeeper) gracefully, together; `--purge` then deletes what `up` created in DIR.
//
// Owner: the cluster control plane (Foundation issue). Purge removes only gatehouse's own
// entries (nodes/, run/, credentials.toml, gatehouse.toml, the lock) and DIR itself if that left
// it empty, so a mistaken --dir never wipes unrelated files.
#pragma once

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"

namespace gh::cluster {

Done cluster_down(ClusterContext& context, bool purge, const Progress& say);

}  // namespace gh::cluster
