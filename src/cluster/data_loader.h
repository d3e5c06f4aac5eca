// Loads the cluster's data set into the source (replication carries it to the replicas): the
// generated demo data (demo_data.h) or, with [data] sakila_dir / --sakila, the real Sakila scripts
// split by sql::split_script. Only into a source that has no `sakila` database yet.
//
// Owner: the cluster control plane (Foundation issue).
#pragma once

#include "cluster/cluster.h"
#include "cluster/cluster_error.h"
#include "cluster/credentials.h"

namespace gh::cluster {

// Loads the configured data set if the source lacks it; reports what it did through `say`.
Done load_dataset(ClusterContext& context, const Credentials& credentials, const Progress& say);

// The statements of the real Sakila in `dir` (schema, then data).
Outcome<std::vector<std::string>> sakila_statements(const std::filesystem::path& dir);

}  // namespace gh::cluster
