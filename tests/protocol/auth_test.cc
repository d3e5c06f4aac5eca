// Authentication plugins against known vectors. Derivations (nonce "abcdefghijklmnopqrst"):
//   stage1 = printf pw | openssl dgst -sha1 -binary               = 1a91d62f...3baa6073
//   stage2 = SHA1(stage1)                                          = d821809f...20bdd122
//            (MariaDB: PASSWORD('pw') = '*D821809F681A40A6E379B50D0463EFAE20BDD122')
//   native = stage1 XOR SHA1(nonce || stage2)
//          = 1a91d62f7ca67399625a4368a6ab5d4a3baa6073 XOR 08014b5da4d321a6eec72eccea166726274df4a8
//   p1 = printf pw | openssl dgst -sha256 -binary = 30c952fa...e26170c4
//   p2 = SHA256(p1)                                = ec7a74ba...4a49bfbf
//   sha2 = p1 XOR SHA256(p2 || nonce), SHA256(p2 || nonce) = 9d8ac26a...65e04ce8
#include "protocol/auth.h"

#include <gtest/gtest.h>

#include <set>

#include "hex.h"

namespace gh::mysql {
namespace {

using test::hex;
using test::unhex;

constexpr std::string_view kNonce = "abcdefghijklmnopqrst";

TEST(Auth, NativeStoredHashMatchesMariaDbPassword) {
  EXPECT_EQ(to_hex(native_password_stored_hash("pw")), "D821809F681A40A6E379B50D0463EFAE20BDD122");
  EXPECT_EQ(stored_hash_from_hex("*D821809F681A40A6E379B50D0463EFAE20BDD122"),
            native_password_stored_hash("pw"));
  EXPECT_EQ(stored_hash_from_hex("d821809f681a40a6e379b50d0463efae20bdd122"),
            native_password_stored_hash("pw"));
}

TEST(Auth, NativeScrambleKnownVector) {
  EXPECT_EQ(hex(native_password_scramble("pw", kNonce)),
            "12909d72d875523f8c9d6da44cbd3a6c1ce794db");
  // The NUL a greeting puts after the nonce never reaches the hash.
  EXPECT_EQ(native_password_scramble("pw", std::string(kNonce) + '\0'),
            native_password_scramble("pw", kNonce));
  EXPECT_EQ(native_password_scramble("", kNonce), "");
}

TEST(Auth, NativeVerifyAcceptsOnlyTheRightScramble) {
  std::string stored = native_password_stored_hash("pw");
  std::string good = unhex("12909d72d875523f8c9d6da44cbd3a6c1ce794db");
  EXPECT_TRUE(native_password_verify(good, kNonce, stored));
  std::string flipped = good;
  flipped[7] = char(flipped[7] ^ 1);
  EXPECT_FALSE(native_password_verify(flipped, kNonce, stored));
  EXPECT_FALSE(native_password_verify(good, "abcdefghijklmnopqrsX", stored));  // other nonce
  EXPECT_FALSE(native_password_verify(native_password_scramble("pW", kNonce), kNonce, stored));
  EXPECT_FALSE(native_password_verify(good.substr(0, 19), kNonce, stored));  // short
  EXPECT_FALSE(native_password_verify(good + "x", kNonce, stored));          // long
  EXPECT_FALSE(native_password_verify("", kNonce, stored));                  // no password given
  EXPECT_FALSE(native_password_verify(good, kNonce, stored.substr(0, 10)));  // bad stored hash
}

TEST(Auth, NativeEmptyPasswordAccount) {
  EXPECT_TRUE(native_password_verify("", kNonce, ""));
  EXPECT_FALSE(
      native_password_verify(unhex("12909d72d875523f8c9d6da44cbd3a6c1ce794db"), kNonce, ""));
}

TEST(Auth, CachingSha2ScrambleKnownVector) {
  EXPECT_EQ(hex(caching_sha2_scramble("pw", kNonce)),
            "ad439090e1914151d1a7f6bf7c21561d283f2fba52fe39ce9dcd29d687813c2c");
  EXPECT_EQ(caching_sha2_scramble("", kNonce), "");
}

TEST(Auth, NonceIsPrintableAndFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string n = make_nonce();
    ASSERT_EQ(n.size(), kNonceSize);
    for (char c : n) {
      EXPECT_GE(c, 0x21);
      EXPECT_LE(c, 0x7e);
      EXPECT_NE(c, '$');
    }
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Auth, HexHelpers) {
  EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00FF10");
  EXPECT_EQ(stored_hash_from_hex("abc"), "");  // odd length
  EXPECT_EQ(stored_hash_from_hex("zz"), "");   // not hex
  EXPECT_EQ(stored_hash_from_hex("*"), "");
}

}  // namespace
}  // namespace gh::mysql
