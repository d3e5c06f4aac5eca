// Small JSON text helpers for code that writes JSON straight into a string instead of building a
// Boost.JSON tree (the gatekeeper's responses and audit lines, the bench's request bodies):
// string escaping (control characters and DEL as \u00XX, invalid UTF-8 as U+FFFD, so output is
// always valid JSON and safe in a terminal), base64, and UTF-8 validation.
#pragma once

#include <string>
#include <string_view>

namespace gh {

// Appends s as a quoted JSON string.
void append_json_string(std::string& out, std::string_view s);
// Appends standard base64 (RFC 4648, with padding), unquoted.
void append_base64(std::string& out, std::string_view bytes);
bool valid_utf8(std::string_view s);
// A client-supplied name shortened to 40 bytes for use inside an error message.
std::string json_safe_name(std::string_view name);

}  // namespace gh
