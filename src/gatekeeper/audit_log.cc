// AuditLog: JSON lines of denied requests and learned digests (see audit_log.h). Strings are
// escaped by hand so that any bytes (invalid UTF-8 included) still give valid JSON.
#include "gatekeeper/audit_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

namespace gh::gatekeeper {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

// `s` as a JSON string literal; invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\u{:04x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    if (size_t n = utf8_length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out += '"';
}

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
