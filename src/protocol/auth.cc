// Authentication plugins: implementation with OpenSSL's SHA1/SHA256 (see auth.h).
#include "protocol/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>

namespace gh::mysql {
namespace {

constexpr size_t kSha1Size = 20;

std::string digest(const EVP_MD* md, std::string_view a, std::string_view b) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
  EVP_DigestFinal_ex(ctx, out, &len);
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string sha1(std::string_view a, std::string_view b = {}) { return digest(EVP_sha1(), a, b); }
std::string sha256(std::string_view a, std::string_view b = {}) {
  return digest(EVP_sha256(), a, b);
}

std::string xor_bytes(std::string a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] = char(a[i] ^ b[i]);
  return a;
}

}  // namespace

std::string make_nonce() {
  unsigned char raw[kNonceSize];
  RAND_bytes(raw, sizeof raw);
  std::string nonce(kNonceSize, '\0');
  // Printable ASCII 0x21..0x7E minus '$' keeps every client happy.
  for (size_t i = 0; i < kNonceSize; ++i) {
    char c = char(0x21 + raw[i] % 94);
    nonce[i] = c == '$' ? '%' : c;
  }
  return nonce;
}

std::string native_password_scramble(std::string_view password, std::string_view nonce) {
  if (password.empty()) return {};
  std::string stage1 = sha1(password);
  std::string stage2 = sha1(stage1);
  return xor_bytes(stage1, sha1(nonce.substr(0, kNonceSize), stage2));
}

std::string native_password_stored_hash(std::string_view password) { return sha1(sha1(password)); }

bool native_password_verify(std::string_view response, std::string_view nonce,
                            std::string_view stored_hash) {
  if (stored_hash.empty()) return response.empty();  // account without a password
  if (response.size() != kSha1Size || stored_hash.size() != kSha1Size) return false;
  // response = stage1 XOR SHA1(nonce + stage2)  =>  stage1 = response XOR SHA1(nonce + stored)
  std::string stage1 =
      xor_bytes(std::string(response), sha1(nonce.substr(0, kNonceSize), stored_hash));
  std::string candidate = sha1(stage1);
  return CRYPTO_memcmp(candidate.data(), stored_hash.data(), kSha1Size) == 0;
}

std::string caching_sha2_scramble(std::string_view password, std::string_view nonce) {
  if (password.empty()) return {};
  std::string p1 = sha256(password);
  std::string p2 = sha256(p1);
  return xor_bytes(p1, sha256(p2, nonce.substr(0, kNonceSize)));
}

std::optional<std::string> scramble_for(std::string_view plugin, std::string_view password,
                                        std::string_view nonce) {
  if (plugin == kNativePassword) return native_password_scramble(password, nonce);
  if (plugin == kCachingSha2Password) return caching_sha2_scramble(password, nonce);
  return std::nullopt;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string stored_hash_from_hex(std::string_view hex) {
  if (!hex.empty() && hex[0] == '*') hex.remove_prefix(1);
  if (hex.size() % 2) return {};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(char(hi << 4 | lo));
  }
  return out;
}

}  // namespace gh::mysql
