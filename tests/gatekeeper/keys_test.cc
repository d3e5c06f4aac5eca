// KeyStore: token format, authentication (wrong secret, malformed, revoked), MySQL front users,
// save/load round trip, file mode 0600, and load errors that name FILE:LINE.
#include "gatekeeper/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "protocol/auth.h"
#include "temp_dir.h"

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;
using test_util::TempDir;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(Keys, CreateAndAuthenticate) {
  KeyStore store;
  std::string token = store.create_key(Role::kWrite, "app", "sakila");
  EXPECT_TRUE(std::regex_match(token, std::regex("ghk_[0-9a-f]{12}_[0-9A-Za-z]{32}"))) << token;
  ASSERT_EQ(store.keys().size(), 1u);
  const Principal& key = store.keys()[0];
  EXPECT_EQ(token.substr(4, 12), key.id);
  EXPECT_EQ(key.name, "app");
  EXPECT_EQ(key.role, Role::kWrite);
  EXPECT_EQ(key.database, "sakila");
  EXPECT_EQ(key.digest_mode, DigestMode::kOff);
  EXPECT_FALSE(key.revoked);
  EXPECT_TRUE(std::regex_match(key.hash, std::regex("[0-9a-f]{64}")));
  EXPECT_EQ(key.hash.find(token.substr(17)), std::string::npos);
  EXPECT_TRUE(std::regex_match(key.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << key.created;

  const Principal* p = store.authenticate(token);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->id, key.id);
  EXPECT_EQ(store.find(key.id), p);

  // A second key gets a different id and secret.
  std::string token2 = store.create_key(Role::kRead, "other");
  EXPECT_NE(token2.substr(4, 12), token.substr(4, 12));
  EXPECT_NE(token2.substr(17), token.substr(17));
  EXPECT_EQ(store.authenticate(token2)->role, Role::kRead);
}

TEST(Keys, RejectsWrongSecretAndMalformedTokens) {
  KeyStore store;
  std::string token = store.create_key(Role::kRead, "r");
  ASSERT_NE(store.authenticate(token), nullptr);

  std::string wrong = token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(store.authenticate(wrong), nullptr);

  std::string other_id = token;
  other_id[4] = other_id[4] == '0' ? '1' : '0';
  EXPECT_EQ(store.authenticate(other_id), nullptr);

  std::string upper_id = token;
  for (size_t i = 4; i < 16; ++i) upper_id[i] = static_cast<char>(std::toupper(upper_id[i]));
  if (upper_id != token) {
    EXPECT_EQ(store.authenticate(upper_id), nullptr);
  }
  for (std::string bad :
       {std::string(), std::string("ghk_"), token + "x", token.substr(1), "Bearer " + token,
        "xhk_" + token.substr(4), token.substr(0, 16) + "-" + token.substr(17),
        token.substr(0, 17) + std::string(31, 'a') + "!",
        token.substr(0, 17) + std::string(31, 'a') + std::string(1, '\0')}) {
    EXPECT_EQ(store.authenticate(bad), nullptr) << bad;
  }
}

TEST(Keys, RevokedKeysDoNotAuthenticate) {
  KeyStore store;
  std::string token = store.create_key(Role::kAdmin, "ops");
  std::string id = token.substr(4, 12);
  EXPECT_FALSE(store.revoke("000000000000"));
  ASSERT_TRUE(store.revoke(id));
  EXPECT_EQ(store.authenticate(token), nullptr);
  ASSERT_NE(store.find(id), nullptr);  // kept for the audit trail
  EXPECT_TRUE(store.find(id)->revoked);
}

TEST(Keys, MysqlUsers) {
  KeyStore store;
  store.set_mysql_user("app_ro", Role::kRead, "s3cret", "sakila");
  const Principal* u = store.mysql_user("app_ro");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->id, "app_ro");
  EXPECT_EQ(u->name, "app_ro");
  EXPECT_EQ(u->role, Role::kRead);
  EXPECT_EQ(u->database, "sakila");
  EXPECT_EQ(u->hash, mysql::to_hex(mysql::native_password_stored_hash("s3cret")));
  EXPECT_EQ(mysql::stored_hash_from_hex(u->hash), mysql::native_password_stored_hash("s3cret"));
  EXPECT_EQ(store.mysql_user("nobody"), nullptr);

  ASSERT_TRUE(store.set_digest_mode("app_ro", DigestMode::kEnforce));
  ASSERT_TRUE(store.revoke("app_ro"));
  EXPECT_EQ(store.mysql_user("app_ro"), nullptr);
  EXPECT_NE(store.find("app_ro"), nullptr);

  // Setting it again replaces role and password, un-revokes, keeps the digest mode.
  store.set_mysql_user("app_ro", Role::kWrite, "other");
  ASSERT_EQ(store.mysql_users().size(), 1u);
  u = store.mysql_user("app_ro");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->role, Role::kWrite);
  EXPECT_EQ(u->database, "");
  EXPECT_EQ(u->digest_mode, DigestMode::kEnforce);
  EXPECT_EQ(u->hash, mysql::to_hex(mysql::native_password_stored_hash("other")));
  EXPECT_FALSE(store.set_digest_mode("nobody", DigestMode::kLearn));
}

TEST(Keys, SaveLoadRoundTripWithMode0600) {
  TempDir dir;
  fs::path file = dir.path() / "sub" / "gatekeeper-keys.toml";
  KeyStore store;
  std::string t1 = store.create_key(Role::kRead, "reader \"quoted\" \\ name", "sakila");
  std::string t2 = store.create_key(Role::kAdmin, "ops");
  store.revoke(t2.substr(4, 12));
  store.set_digest_mode(t1.substr(4, 12), DigestMode::kLearn);
  store.set_mysql_user("front_rw", Role::kWrite, "pw", "sakila");
  ASSERT_TRUE(store.save(file));

  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
  std::string text = read_file(file);
  EXPECT_EQ(text.find(t1.substr(17)), std::string::npos);  // secrets are never written
  EXPECT_EQ(text.find(t2.substr(17)), std::string::npos);

  auto loaded = KeyStore::load(file);
  ASSERT_TRUE(loaded) << loaded.error();
  ASSERT_EQ(loaded->keys().size(), 2u);
  ASSERT_EQ(loaded->mysql_users().size(), 1u);
  for (size_t i = 0; i < 2; ++i) {
    const Principal& a = store.keys()[i];
    const Principal& b = loaded->keys()[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.role, b.role);
    EXPECT_EQ(a.hash, b.hash);
    EXPECT_EQ(a.database, b.database);
    EXPECT_EQ(a.digest_mode, b.digest_mode);
    EXPECT_EQ(a.created, b.created);
    EXPECT_EQ(a.revoked, b.revoked);
  }
  EXPECT_EQ(loaded->mysql_users()[0].hash, store.mysql_users()[0].hash);
  EXPECT_EQ(loaded->mysql_users()[0].role, Role::kWrite);
  ASSERT_NE(loaded->authenticate(t1), nullptr);
  EXPECT_EQ(loaded->authenticate(t1)->digest_mode, DigestMode::kLearn);
  EXPECT_EQ(loaded->authenticate(t2), nullptr);  // revoked
  EXPECT_NE(loaded->mysql_user("front_rw"), nullptr);

  // Saving over an existing file keeps mode 0600 even if it was looser.
  ::chmod(file.c_str(), 0644);
  ASSERT_TRUE(loaded->save(file));
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Keys, MissingFileIsEmpty) {
  TempDir dir;
  auto store = KeyStore::load(dir.path() / "none.toml");
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->keys().empty());
  EXPECT_TRUE(store->mysql_users().empty());
  auto not_a_file = KeyStore::load(dir.path());
  ASSERT_FALSE(not_a_file);
  EXPECT_NE(not_a_file.error().find("not a regular file"), std::string::npos);
}

TEST(Keys, HandWrittenFile) {
  TempDir dir;
  fs::path file = dir.path() / "keys.toml";
  write_file(file,
             "[[key]]\n"
             "id = \"0123456789ab\"\n"
             "role = \"read\"\n"
             "hash = \"" +
                 std::string(64, 'A') +
                 "\"\n"
                 "\n"
                 "[[mysql_user]]\n"
                 "name = \"gh_read\"\n"
                 "role = \"admin\"\n"
                 "hash = \"*" +
                 std::string(39, 'a') + "\"\n");
  auto store = KeyStore::load(file);
  // 39 hex digits after '*' is 40 characters but not a hash.
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("keys.toml:9: mysql_user[0].hash"), std::string::npos)
      << store.error();

  write_file(file,
             "[[key]]\n"
             "id = \"0123456789ab\"\n"
             "role = \"read\"\n"
             "hash = \"" +
                 std::string(64, 'A') +
                 "\"\n"
                 "\n"
                 "[[mysql_user]]\n"
                 "name = \"gh_read\"\n"
                 "role = \"admin\"\n"
                 "hash = \"" +
                 std::string(40, 'a') + "\"\n");
  store = KeyStore::load(file);
  ASSERT_TRUE(store) << store.error();
  ASSERT_NE(store->find("0123456789ab"), nullptr);
  EXPECT_EQ(store->find("0123456789ab")->hash, std::string(64, 'a'));  // normalized
  EXPECT_EQ(store->find("0123456789ab")->digest_mode, DigestMode::kOff);
  ASSERT_NE(store->mysql_user("gh_read"), nullptr);
  EXPECT_EQ(store->mysql_user("gh_read")->role, Role::kAdmin);
}

struct BadFile {
  std::string text;
  std::string expected;  // substring of the error
};

TEST(Keys, MalformedFileNamesTheLine) {
  TempDir dir;
  fs::path file = dir.path() / "keys.toml";
  const std::string hash = std::string(64, 'a');
  const std::string good_head = "[[key]]\nid = \"0123456789ab\"\nhash = \"" + hash + "\"\n";
  const std::vector<BadFile> cases = {
      {"[[key]]\nid = \"0123456789ab\"\nrole = \"root\"\nhash = \"" + hash + "\"\n",
       "keys.toml:3: key[0].role"},
      {"[[key]]\nid = 5\n", "keys.toml:2: key[0].id: expected a string"},
      {"[[key]]\nid = \"xyz\"\nrole = \"read\"\nhash = \"\"\n", "keys.toml:2: key[0].id"},
      {"[[key]]\nrole = \"read\"\n", "keys.toml:1: key[0].id: is missing"},
      {"[[key]]\nid = \"0123456789ab\"\nrole = \"read\"\nhash = \"abc\"\n",
       "keys.toml:4: key[0].hash"},
      {good_head + "role = \"read\"\nhsah = \"x\"\n", "keys.toml:5: key[0].hsah: unknown field"},
      {good_head + "role = \"read\"\ndigest_mode = \"on\"\n", "keys.toml:5: key[0].digest_mode"},
      {good_head + "role = \"read\"\nrevoked = \"no\"\n", "keys.toml:5: key[0].revoked"},
      {good_head + "role = \"read\"\nrate_limit_per_s = -1\n",
       "keys.toml:5: key[0].rate_limit_per_s"},
      {"[[key]]\nid = \"0123456789ab\"\nrole = \"read\"\nid = \"x\"\n", "keys.toml:4:"},
      {"[[key]\n", "keys.toml:1:"},
      {"[keys]\nid = 1\n", "keys.toml:1: keys: unknown section"},
      {"key = 1\n", "keys.toml:1: key: expected [[key]] tables"},
      {"[[mysql_user]]\nname = \"../etc\"\nrole = \"read\"\nhash = \"\"\n",
       "keys.toml:2: mysql_user[0].name"},
  };
  for (const BadFile& c : cases) {
    write_file(file, c.text);
    auto store = KeyStore::load(file);
    ASSERT_FALSE(store) << c.text;
    EXPECT_NE(store.error().find(c.expected), std::string::npos)
        << c.text << "\n  error: " << store.error() << "\n  expected: " << c.expected;
    EXPECT_EQ(store.error().find('\n'), std::string::npos) << store.error();
  }
  // Duplicate ids.
  write_file(file, good_head + "role = \"read\"\n\n" + good_head + "role = \"write\"\n");
  auto dup = KeyStore::load(file);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().find("keys.toml:6: key[1].id: duplicate"), std::string::npos)
      << dup.error();
}

}  // namespace
}  // namespace gh::gatekeeper
