// DigestAllowlist: per-key sets of allowed statement digests (literals normalized to "?"), kept
// in one text file per key: ALLOWLIST_DIR/<key id>.digests, one "<16 hex digest> <digest text>"
// line each. Managed with `gatehouse policy ...`; the gatekeeper appends to it in learn mode.
//
// Thread-safe (a shared_mutex): gatekeeper worker threads call apply() concurrently. The files
// are re-read by reload() (the gatekeeper calls it when a file's mtime changes), so a digest
// added by the CLI takes effect without a restart.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "gatekeeper/policy.h"

namespace gh::gatekeeper {

// Whether `id` can name a principal's allowlist file: 1-64 characters of [0-9A-Za-z_.-], not
// starting with '.' (so no hidden files, "..", or path separators).
bool valid_key_id(std::string_view id);

class DigestAllowlist {
 public:
  // Loads the directory's files (as reload(); a missing or unreadable directory starts empty).
  explicit DigestAllowlist(std::filesystem::path dir);

  // kOff: allowed. kLearn: allowed, and a new digest is recorded (in memory and appended to
  // the key's file). kEnforce: allowed when known, else Verdict{kNotAllowlisted,
  // "digest_allowlist", "statement digest <hex> is not in the allowlist of key <id>"}.
  Verdict apply(std::string_view key_id, DigestMode mode, uint64_t digest,
                std::string_view digest_text);

  // CLI side (also thread-safe). add() is idempotent; remove() of an unknown digest is a no-op.
  // Both fail with Errc::kBadRequest for an invalid key id and Errc::kIo when the file cannot
  // be written.
  Status add(std::string_view key_id, uint64_t digest, std::string_view digest_text);
  Status remove(std::string_view key_id, uint64_t digest);
  // Sorted by digest text.
  std::vector<std::pair<uint64_t, std::string>> list(std::string_view key_id) const;
  // Re-reads every file of the directory (missing directory: empty).
  Status reload();
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  mutable std::shared_mutex mu_;
  // key id -> digest -> text
  std::unordered_map<std::string, std::map<uint64_t, std::string>> digests_;
};

}  // namespace gh::gatekeeper
