// Small JSON text helpers for the gatekeeper's hot path, where responses are written straight
// into a string instead of building a Boost.JSON tree: string escaping (invalid UTF-8 becomes
// U+FFFD, so output is always valid JSON), base64, and UTF-8 validation.
#pragma once

#include <string>
#include <string_view>

namespace gh::gatekeeper {

// Appends s as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);
// Appends standard base64 (RFC 4648, with padding), unquoted.
void append_base64(std::string& out, std::string_view bytes);
bool valid_utf8(std::string_view s);
// A client-supplied name shortened to 40 bytes for use inside an error message.
std::string json_safe_name(std::string_view name);

}  // namespace gh::gatekeeper
