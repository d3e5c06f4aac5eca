// StatementMeta: a prepared statement's column definitions, for MariaDB's metadata caching
// (mariadb_cap::kCacheMetadata). With it, a server skips the definitions in an execute's result
// when they did not change since it last sent them *on that connection*, and the client reuses
// the ones it cached. The proxy runs one client statement on many backend connections, so it
// remembers what each side last saw (ClientSession::Prepared::meta_hash for the client,
// BackendConnection::prepared_meta for each backend statement). When they differ (a DDL changed
// the result between the client's PREPARE and the backend's), the skipped definitions would
// leave the client with stale ones: the proxy then puts them back (inject_metadata). Pure
// functions, no I/O; owned by the proxy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace gh::proxy {

struct StatementMeta {
  uint64_t hash = 0;                 // of the definitions; never 0 (0: unknown)
  std::vector<std::string> columns;  // column definition payloads
};

// The hash of a list of column definitions (never 0).
uint64_t hash_columns(const std::vector<std::string>& columns);

// The column definitions of a COM_STMT_PREPARE response (its frames, as read from the wire).
Result<StatementMeta> meta_of_prepare(std::string_view frames, bool deprecate_eof);

// Rebuilds an execute response whose definitions the server skipped ("metadata follows" 0 in
// the column count) so that it carries `meta`'s: the flag set to 1, the definitions, then the
// rest of the response with sequence ids shifted past them. Anything else (an ERR, an OK, a
// result that has its definitions) comes back unchanged with `injected` false.
Result<std::string> inject_metadata(std::string_view frames, const StatementMeta& meta,
                                    bool& injected);

}  // namespace gh::proxy
