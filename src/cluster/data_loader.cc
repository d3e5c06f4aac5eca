// Loading the data set into the source (see data_loader.h).
#include "cluster/data_loader.h"

#include <fmt/format.h>

#include <chrono>

#include "cluster/demo_data.h"
#include "cluster/file_util.h"
#include "cluster/node_sql.h"
#include "sql/script.h"

namespace gh::cluster {
namespace {

constexpr auto kLoadStatementTimeout = std::chrono::minutes(5);

}  // namespace

Outcome<std::vector<std::string>> sakila_statements(const std::filesystem::path& dir) {
  std::vector<std::string> statements;
  for (const char* file : {"sakila-schema.sql", "sakila-data.sql"}) {
    auto text = read_file(dir / file);
    if (!text) {
      return failure(Errc::kConfigInvalid,
                     fmt::format("cannot read {}; pass the folder that holds sakila-schema.sql "
                                 "and sakila-data.sql",
                                 (dir / file).string()));
    }
    auto part = sql::split_script(*text);
    statements.insert(statements.end(), std::make_move_iterator(part.begin()),
                      std::make_move_iterator(part.end()));
  }
  return statements;
}

Done load_dataset(ClusterContext& ctx, const Credentials& credentials, const Progress& say) {
  const auto& data = ctx.cluster().data;
  if (!data.demo && data.sakila_dir.empty()) return {};
  NodeEndpoint source{ctx.source().name, ctx.cluster().host, ctx.source().port};
  auto connection = connect_node(source, credentials.admin, kLoadStatementTimeout);
  if (!connection) return std::unexpected(connection.error());
  auto exists = query_node(*connection, source,
                           fmt::format("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
                                       "SCHEMA_NAME = '{}'",
                                       kDemoDatabase));
  if (!exists) return std::unexpected(exists.error());
  if (first_value(*exists) != "0") return {};

  auto started = std::chrono::steady_clock::now();
  std::vector<std::string> statements;
  std::string what;
  if (!data.sakila_dir.empty()) {
    auto sakila = sakila_statements(data.sakila_dir);
    if (!sakila) return std::unexpected(sakila.error());
    statements = std::move(*sakila);
    what = fmt::format("Sakila from {}", data.sakila_dir);
  } else {
    DemoData demo = generate_demo_data(static_cast<uint64_t>(data.seed));
    what = fmt::format("the demo data set ({} tables, {} rows)", demo.tables.size(),
                       demo.total_rows());
    statements = std::move(demo.statements);
  }
  say(fmt::format("loading {} into {}.{} ...", what, source.name, kDemoDatabase));
  if (auto loaded = execute_on_node(*connection, source, statements); !loaded) {
    // Leave no half-loaded database behind: the next `up` would take it as loaded.
    (void)connection->query(fmt::format("DROP DATABASE IF EXISTS {}", kDemoDatabase));
    return failure(Errc::kBackendError,
                   fmt::format("loading {} failed: {}", what, loaded.error().message));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  say(fmt::format("loaded {} statements in {:.1f} s", statements.size(), seconds));
  return {};
}

}  // namespace gh::cluster
