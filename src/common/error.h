// gatehouse error codes: one std::error_category for the whole project.
//
// Every fallible function returns gh::Result<T> (std::expected<T, std::error_code>). Each Errc has
// a stable numeric value, a stable snake_case name (used in JSON errors, logs and audit lines) and
// a MySQL error number (kMysqlErrorBase + value) that clients see in ERR packets from gatehouse.
// Values never change once released; add new ones at the end of their block.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <system_error>

namespace gh {

enum class Errc : int {
  kOk = 0,
  // Codec (100-199): untrusted bytes that do not decode.
  kIncomplete = 100,       // need more bytes; not fatal for stream decoders
  kMalformedPacket = 101,  // bytes that cannot be a valid packet of the expected kind
  kPacketTooLarge = 102,   // exceeds max_allowed_packet / configured limit
  kSequenceMismatch = 103,
  kUnsupportedAuthPlugin = 104,
  kUnsupportedCapability = 105,
  kUnexpectedPacket = 106,
  // Config and CLI (200-299).
  kConfigParse = 200,
  kConfigInvalid = 201,
  kUsage = 202,
  // Cluster control plane (300-399).
  kBinaryMissing = 300,
  kPortInUse = 301,
  kNodeStartFailed = 302,
  kNodeDown = 303,
  kReplicationFailed = 304,
  kTimeout = 305,
  kIo = 306,
  kAlreadyRunning = 307,
  kNotRunning = 308,
  // Proxy data plane (400-499).
  kNoHealthyNode = 400,
  kQueueFull = 401,
  kQueueTimeout = 402,
  kBackendError = 403,
  kBackendLost = 404,
  kAuthFailed = 405,
  kAccessDenied = 406,
  kUnsupportedCommand = 407,
  kConnectionLimit = 408,
  // Gatekeeper (500-599).
  kBadRequest = 500,
  kUnauthorized = 501,
  kForbidden = 502,
  kTooLarge = 503,
  kRateLimited = 504,
  kRequestTimeout = 505,
  kInjectionSuspected = 506,
  kNotAllowlisted = 507,
  kNotFound = 508,
  kMethodNotAllowed = 509,
};

// MySQL ERR packets that gatehouse itself produces carry kMysqlErrorBase + Errc value.
inline constexpr uint16_t kMysqlErrorBase = 7000;

const std::error_category& gatehouse_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

// Stable snake_case name of a code ("queue_full"); "unknown" for values outside the enum.
std::string_view errc_name(Errc e) noexcept;
// MySQL error number for an ERR packet and the SQLSTATE that goes with it.
uint16_t mysql_errno(Errc e) noexcept;
std::string_view mysql_sqlstate(Errc e) noexcept;

template <class T>
using Result = std::expected<T, std::error_code>;
using Status = std::expected<void, std::error_code>;

inline std::unexpected<std::error_code> fail(Errc e) { return std::unexpected(make_error_code(e)); }
inline std::unexpected<std::error_code> fail(std::error_code ec) { return std::unexpected(ec); }

}  // namespace gh

// GH_TRY(x, expr): evaluates a Result-returning expr; on error returns it from the enclosing
// function (which must return a Result/Status); otherwise binds the value to `x`.
#define GH_TRY(var, expr)                                       \
  auto var##_result_ = (expr);                                  \
  if (!var##_result_) return ::gh::fail(var##_result_.error()); \
  auto var = std::move(*var##_result_)

template <>
struct std::is_error_code_enum<gh::Errc> : std::true_type {};
