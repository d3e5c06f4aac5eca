// The gatehouse error category: names and messages for gh::Errc.
#include "common/error.h"

namespace gh {
namespace {

struct Entry {
  Errc code;
  std::string_view name;
  std::string_view message;
  std::string_view sqlstate;
};

constexpr Entry kEntries[] = {
    {Errc::kOk, "ok", "success", "00000"},
    {Errc::kIncomplete, "incomplete", "more bytes needed", "08S01"},
    {Errc::kMalformedPacket, "malformed_packet", "malformed packet", "08S01"},
    {Errc::kPacketTooLarge, "packet_too_large", "packet larger than allowed", "08S01"},
    {Errc::kSequenceMismatch, "sequence_mismatch", "packet sequence number out of order", "08S01"},
    {Errc::kUnsupportedAuthPlugin, "unsupported_auth_plugin", "authentication plugin not supported",
     "08004"},
    {Errc::kUnsupportedCapability, "unsupported_capability", "peer lacks a required capability",
     "08004"},
    {Errc::kUnexpectedPacket, "unexpected_packet", "unexpected packet for this protocol state",
     "08S01"},
    {Errc::kConfigParse, "config_parse", "configuration file does not parse", "HY000"},
    {Errc::kConfigInvalid, "config_invalid", "configuration value is invalid", "HY000"},
    {Errc::kUsage, "usage", "invalid command-line usage", "HY000"},
    {Errc::kBinaryMissing, "binary_missing", "required program not found", "HY000"},
    {Errc::kPortInUse, "port_in_use", "port already in use", "HY000"},
    {Errc::kNodeStartFailed, "node_start_failed", "database node failed to start", "HY000"},
    {Errc::kNodeDown, "node_down", "database node is down", "08S01"},
    {Errc::kReplicationFailed, "replication_failed", "replication setup failed", "HY000"},
    {Errc::kTimeout, "timeout", "operation timed out", "HYT00"},
    {Errc::kIo, "io_error", "I/O error", "HY000"},
    {Errc::kAlreadyRunning, "already_running", "already running", "HY000"},
    {Errc::kNotRunning, "not_running", "not running", "HY000"},
    {Errc::kNoHealthyNode, "no_healthy_node", "no healthy node can serve this statement", "08S01"},
    {Errc::kQueueFull, "queue_full", "request queue is full", "HY000"},
    {Errc::kQueueTimeout, "queue_timeout", "timed out waiting for a free backend connection",
     "HYT00"},
    {Errc::kBackendError, "backend_error", "backend error", "HY000"},
    {Errc::kBackendLost, "backend_lost", "lost connection to backend during statement", "08S01"},
    {Errc::kAuthFailed, "auth_failed", "access denied: bad user or password", "28000"},
    {Errc::kAccessDenied, "access_denied", "access denied by policy", "42000"},
    {Errc::kUnsupportedCommand, "unsupported_command", "command not supported by gatehouse",
     "HY000"},
    {Errc::kConnectionLimit, "connection_limit", "too many connections", "08004"},
    {Errc::kBadRequest, "bad_request", "malformed request", "HY000"},
    {Errc::kUnauthorized, "unauthorized", "missing or bad credentials", "28000"},
    {Errc::kForbidden, "forbidden", "denied by policy", "42000"},
    {Errc::kTooLarge, "too_large", "request too large", "HY000"},
    {Errc::kRateLimited, "rate_limited", "rate limit exceeded", "HY000"},
    {Errc::kRequestTimeout, "timeout", "request timed out", "HYT00"},
    {Errc::kInjectionSuspected, "injection_suspected", "statement looks like SQL injection",
     "42000"},
    {Errc::kNotAllowlisted, "not_allowlisted", "statement digest not in allowlist", "42000"},
    {Errc::kNotFound, "not_found", "no such route", "HY000"},
    {Errc::kMethodNotAllowed, "method_not_allowed", "method not allowed on this route", "HY000"},
};

const Entry* find(int v) noexcept {
  for (const auto& e : kEntries)
    if (static_cast<int>(e.code) == v) return &e;
  return nullptr;
}

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "gatehouse"; }
  std::string message(int v) const override {
    const Entry* e = find(v);
    return e ? std::string(e->message) : "unknown gatehouse error " + std::to_string(v);
  }
};

}  // namespace

const std::error_category& gatehouse_category() noexcept {
  static const Category kCategory;
  return kCategory;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), gatehouse_category()};
}

std::string_view errc_name(Errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->name : "unknown";
}

uint16_t mysql_errno(Errc e) noexcept {
  return static_cast<uint16_t>(kMysqlErrorBase + static_cast<int>(e));
}

std::string_view mysql_sqlstate(Errc e) noexcept {
  const Entry* entry = find(static_cast<int>(e));
  return entry ? entry->sqlstate : "HY000";
}

}  // namespace gh
