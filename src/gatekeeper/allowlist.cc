// DigestAllowlist: per-key digest sets in ALLOWLIST_DIR/<key id>.digests (see allowlist.h).
#include "gatekeeper/allowlist.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include "common/file_io.h"

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExtension = ".digests";
constexpr std::string_view kRule = "digest_allowlist";

bool hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// "<16 hex> <text>" -> (digest, text); false for anything else.
bool parse_line(std::string_view line, uint64_t& digest, std::string& text) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() < 16 || (line.size() > 16 && line[16] != ' ')) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < 16; ++i) {
    char c = line[i];
    if (!hex_digit(c)) return false;
    int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    v = (v << 4) | uint64_t(d);
  }
  digest = v;
  text = line.size() > 17 ? std::string(line.substr(17)) : std::string();
  return true;
}

// One line of a digests file (newlines in the text would break the format).
std::string format_line(uint64_t digest, std::string_view text) {
  std::string clean(text);
  std::replace_if(
      clean.begin(), clean.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return fmt::format("{} {}\n", digest_hex(digest), clean);
}

// Creates the directory (mode 0700) if it is missing.
Status ensure_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  fs::create_directories(dir, ec);
  if (ec) return fail(Errc::kIo);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return {};
}

Status append_line(const fs::path& dir, const fs::path& file, std::string_view line) {
  if (auto ok = ensure_dir(dir); !ok) return ok;
  int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::kIo);
  Status st = write_all(fd, line);
  ::close(fd);
  return st;
}

// Replaces `file` with `content` atomically (mode 0600).
Status rewrite_file(const fs::path& file, std::string_view content) {
  if (!write_file_atomic(file, content, 0600, /*durable=*/true)) return fail(Errc::kIo);
  return {};
}

}  // namespace

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '.' || c == '-';
  });
}

DigestAllowlist::DigestAllowlist(fs::path dir) : dir_(std::move(dir)) {
  if (auto ok = reload(); !ok)
    spdlog::warn("allowlist: cannot read {}: {}", dir_.string(), ok.error().message());
}

Verdict DigestAllowlist::apply(std::string_view key_id, DigestMode mode, uint64_t digest,
                               std::string_view digest_text) {
  if (mode == DigestMode::kOff) return {};
  if (!valid_key_id(key_id)) {
    return Verdict{
        Errc::kNotAllowlisted, std::string(kRule),
        fmt::format("the principal's id cannot name an allowlist file (rule {})", kRule)};
  }
  {
    std::shared_lock lock(mu_);
    auto it = digests_.find(std::string(key_id));
    if (it != digests_.end() && it->second.contains(digest)) return {};
  }
  if (mode == DigestMode::kEnforce) {
    return Verdict{Errc::kNotAllowlisted, std::string(kRule),
                   fmt::format("statement digest {} is not in the allowlist of key {}",
                               digest_hex(digest), key_id)};
  }
  // Learn: record it once (another thread may have just done so).
  std::unique_lock lock(mu_);
  auto& set = digests_[std::string(key_id)];
  if (set.emplace(digest, std::string(digest_text)).second) {
    fs::path file = dir_ / (std::string(key_id) + std::string(kExtension));
    if (auto ok = append_line(dir_, file, format_line(digest, digest_text)); !ok)
      spdlog::warn("allowlist: cannot append to {}: learned digest {} kept in memory only",
                   file.string(), digest_hex(digest));
  }
  return {};
}

Status DigestAllowlist::add(std::string_view key_id, uint64_t digest,
                            std::string_view digest_text) {
  if (!valid_key_id(key_id)) return fail(Errc::kBadRequest);
  std::unique_lock lock(mu_);
  auto& set = digests_[std::string(key_id)];
  if (set.contains(digest)) return {};
  fs::path file = dir_ / (std::string(key_id) + std::string(kExtension));
  if (auto ok = append_line(dir_, file, format_line(digest, digest_text)); !ok) return ok;
  set.emplace(digest, std::string(digest_text));
  return {};
}

Status DigestAllowlist::remove(std::string_view key_id, uint64_t digest) {
  if (!valid_key_id(key_id)) return fail(Errc::kBadRequest);
  std::unique_lock lock(mu_);
  auto it = digests_.find(std::string(key_id));
  if (it == digests_.end() || !it->second.contains(digest)) return {};
  std::string content;
  for (const auto& [d, text] : it->second) {
    if (d != digest) content += format_line(d, text);
  }
  fs::path file = dir_ / (std::string(key_id) + std::string(kExtension));
  if (auto ok = rewrite_file(file, content); !ok) return ok;
  it->second.erase(digest);
  return {};
}

std::vector<std::pair<uint64_t, std::string>> DigestAllowlist::list(std::string_view key_id) const {
  std::vector<std::pair<uint64_t, std::string>> out;
  {
    std::shared_lock lock(mu_);
    auto it = digests_.find(std::string(key_id));
    if (it == digests_.end()) return out;
    out.assign(it->second.begin(), it->second.end());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second < b.second : a.first < b.first;
  });
  return out;
}

Status DigestAllowlist::reload() {
  std::unordered_map<std::string, std::map<uint64_t, std::string>> fresh;
  Status result;
  std::error_code ec;
  if (fs::is_directory(dir_, ec)) {
    fs::directory_iterator it(dir_, ec);
    if (ec) return fail(Errc::kIo);
    for (const fs::directory_entry& entry : it) {
      const fs::path& path = entry.path();
      if (path.extension() != kExtension) continue;
      std::string id = path.stem().string();
      if (!valid_key_id(id) || !entry.is_regular_file(ec)) continue;
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        result = fail(Errc::kIo);
        continue;
      }
      auto& set = fresh[id];
      std::string line;
      while (std::getline(in, line)) {
        uint64_t digest = 0;
        std::string text;
        if (parse_line(line, digest, text)) set.emplace(digest, std::move(text));
      }
    }
  }
  std::unique_lock lock(mu_);
  digests_ = std::move(fresh);
  return result;
}

}  // namespace gh::gatekeeper
