// AuditLog: append-only JSON lines, one per denied request (and per learned digest), shared by
// the gatekeeper's threads and the trusted host. A line never contains parameter values or the
// raw SQL: only the digest, so the log is safe to ship.
//
//   {"ts":"2026-11-21T10:00:00.123Z","front":"http","event":"deny","key":"0123456789ab",
//    "client":"127.0.0.1:51234","digest":"9f86d081884c7d65","code":"forbidden",
//    "rule":"always_denied","reason":"GRANT is never allowed"}
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "common/error.h"

namespace gh::gatekeeper {

struct AuditEvent {
  std::string_view front;   // "http" | "mysql" | "trusted_host"
  std::string_view event;   // "deny" | "learn"
  std::string_view key;     // principal id ("" when unauthenticated)
  std::string_view client;  // "ip:port"
  std::string_view digest;  // 16 hex digits, or ""
  Errc code = Errc::kForbidden;
  std::string_view rule;
  std::string_view reason;
};

class AuditLog {
 public:
  AuditLog() = default;  // disabled: write() does nothing
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Opens (creates, mode 0600) the file for appending.
  Status open(const std::filesystem::path& path);
  // Formats one JSON line and appends it (flushed at once; thread-safe).
  void write(const AuditEvent& event);
  uint64_t lines_written() const { return lines_; }

 private:
  std::mutex mu_;
  std::FILE* file_ = nullptr;
  std::atomic<uint64_t> lines_{0};
};

// One event as a JSON line (with trailing newline); exposed for tests.
std::string format_audit_line(const AuditEvent& event, std::string_view timestamp);

}  // namespace gh::gatekeeper
