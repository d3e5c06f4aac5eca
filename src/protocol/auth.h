// Authentication plugins gatehouse speaks: mysql_native_password (both sides) and the fast path
// of caching_sha2_password (client side, for MySQL 8 backends). Pure functions over bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gh::mysql {

inline constexpr std::string_view kNativePassword = "mysql_native_password";
inline constexpr std::string_view kCachingSha2Password = "caching_sha2_password";
inline constexpr size_t kNonceSize = 20;

// A fresh nonce of kNonceSize printable bytes (no NUL), from OpenSSL's CSPRNG.
std::string make_nonce();

// Client side: SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))). Empty password -> empty response.
std::string native_password_scramble(std::string_view password, std::string_view nonce);

// The stored form of a password: SHA1(SHA1(pw)), 20 raw bytes. Config files hold it as
// 40 hex digits, like MySQL's "*HEX" (see stored_hash_from_hex).
std::string native_password_stored_hash(std::string_view password);

// Server side: checks a client's scramble against the stored hash.
bool native_password_verify(std::string_view response, std::string_view nonce,
                            std::string_view stored_hash);

// Client side caching_sha2_password fast path:
// SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce).
std::string caching_sha2_scramble(std::string_view password, std::string_view nonce);

// The client's answer to `nonce` under `plugin` (mysql_native_password or the
// caching_sha2_password fast path); nullopt for a plugin gatehouse does not speak.
std::optional<std::string> scramble_for(std::string_view plugin, std::string_view password,
                                        std::string_view nonce);

// Hex helpers for stored hashes ("*" prefix optional). Empty string on malformed input.
std::string to_hex(std::string_view bytes);
std::string stored_hash_from_hex(std::string_view hex);

}  // namespace gh::mysql
