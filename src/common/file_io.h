// Whole-file I/O shared by every component: atomic replacement (temporary file + rename, with
// an exact mode, optionally fsync'ed with its directory), whole-file reads and a write loop.
// The control plane writes its state files with it, the roles their stats snapshots, the
// gatekeeper its keys, allowlists and secrets.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh {

// Writes `content` to `path` through `path`.tmp and rename(); the file gets exactly `mode`.
// `durable`: fsync the file before the rename and the directory after it (secrets, keys).
// Errors carry errno (generic category); the temporary file is removed on failure.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         mode_t mode = 0644, bool durable = false);
std::optional<std::string> read_file(const std::filesystem::path& path);
// write(2) until all of `data` is written (retrying EINTR).
Status write_all(int fd, std::string_view data);

}  // namespace gh
