// AuditLog: JSON lines of denied requests and learned digests (see audit_log.h). Strings go
// through append_json_string, so any bytes (invalid UTF-8 included) still give valid JSON.
#include "gatekeeper/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "common/json_text.h"

namespace gh::gatekeeper {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  if (out.size() > 1) out += ',';
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

std::string utc_timestamp_ms() {
  using namespace std::chrono;
  auto now = floor<milliseconds>(system_clock::now());
  auto secs = floor<seconds>(now);
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (now - secs).count());
}

}  // namespace

std::string format_audit_line(const AuditEvent& event, std::string_view timestamp) {
  std::string out = "{";
  append_field(out, "ts", timestamp);
  append_field(out, "front", event.front);
  append_field(out, "event", event.event);
  append_field(out, "key", event.key);
  append_field(out, "client", event.client);
  append_field(out, "digest", event.digest);
  append_field(out, "code", errc_name(event.code));
  append_field(out, "rule", event.rule);
  append_field(out, "reason", event.reason);
  out += "}\n";
  return out;
}

AuditLog::~AuditLog() {
  if (file_ != nullptr) std::fclose(file_);
}

Status AuditLog::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::kIo);
  std::FILE* f = ::fdopen(fd, "a");
  if (f == nullptr) {
    ::close(fd);
    return fail(Errc::kIo);
  }
  std::lock_guard lock(mu_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = f;
  return {};
}

void AuditLog::write(const AuditEvent& event) {
  std::string line;
  {
    std::lock_guard lock(mu_);
    if (file_ == nullptr) return;
  }
  line = format_audit_line(event, utc_timestamp_ms());
  std::lock_guard lock(mu_);
  if (file_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
  lines_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace gh::gatekeeper
