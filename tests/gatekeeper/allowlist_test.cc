// DigestAllowlist: learn then enforce, files and modes, reload after a CLI change, key id
// validation (no path traversal), and concurrent apply() from many threads.
#include "gatekeeper/allowlist.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace gh::gatekeeper {
namespace {

namespace fs = std::filesystem;
using test_util::lines_of;
using test_util::TempDir;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

constexpr std::string_view kKey = "0123456789ab";

TEST(Allowlist, OffAllowsEverything) {
  TempDir dir;
  DigestAllowlist list(dir.path() / "allowlist");
  EXPECT_TRUE(list.apply(kKey, DigestMode::kOff, 42, "SELECT ?").ok());
  EXPECT_FALSE(fs::exists(dir.path() / "allowlist"));  // nothing recorded
}

TEST(Allowlist, LearnThenEnforce) {
  TempDir dir;
  fs::path root = dir.path() / "allowlist";
  DigestAllowlist list(root);
  Verdict unknown = list.apply(kKey, DigestMode::kEnforce, 0x1234, "SELECT * FROM film");
  EXPECT_EQ(unknown.code, Errc::kNotAllowlisted);
  EXPECT_EQ(unknown.rule, "digest_allowlist");
  EXPECT_EQ(unknown.message,
            "statement digest 0000000000001234 is not in the allowlist of key 0123456789ab");

  EXPECT_TRUE(list.apply(kKey, DigestMode::kLearn, 0x1234, "SELECT * FROM film").ok());
  EXPECT_TRUE(list.apply(kKey, DigestMode::kLearn, 0x1234, "SELECT * FROM film").ok());
  EXPECT_TRUE(list.apply(kKey, DigestMode::kLearn, 0xabcdef, "DELETE FROM t WHERE id = ?").ok());
  EXPECT_TRUE(list.apply(kKey, DigestMode::kEnforce, 0x1234, "").ok());
  EXPECT_TRUE(list.apply(kKey, DigestMode::kEnforce, 0xabcdef, "").ok());
  EXPECT_EQ(list.apply(kKey, DigestMode::kEnforce, 0x9999, "").code, Errc::kNotAllowlisted);
  // Per key: another key learned nothing.
  EXPECT_EQ(list.apply("other_key", DigestMode::kEnforce, 0x1234, "").code, Errc::kNotAllowlisted);

  fs::path file = root / "0123456789ab.digests";
  EXPECT_EQ(lines_of(file),
            (std::vector<std::string>{"0000000000001234 SELECT * FROM film",
                                      "0000000000abcdef DELETE FROM t WHERE id = ?"}));
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(mode_of(root), 0700u);

  // Sorted by digest text.
  auto listed = list.list(kKey);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].second, "DELETE FROM t WHERE id = ?");
  EXPECT_EQ(listed[1].first, 0x1234u);
  EXPECT_TRUE(list.list("nobody").empty());

  // A new instance (a restart) loads what was learned.
  DigestAllowlist again(root);
  EXPECT_TRUE(again.apply(kKey, DigestMode::kEnforce, 0xabcdef, "").ok());
  EXPECT_EQ(again.list(kKey).size(), 2u);
}

TEST(Allowlist, ReloadSeesChangesFromTheCli) {
  TempDir dir;
  fs::path root = dir.path() / "allowlist";
  DigestAllowlist gatekeeper(root);
  DigestAllowlist cli(root);

  ASSERT_TRUE(cli.add(kKey, 77, "SELECT ? FROM DUAL"));
  ASSERT_TRUE(cli.add(kKey, 77, "SELECT ? FROM DUAL"));  // idempotent
  EXPECT_EQ(lines_of(root / "0123456789ab.digests").size(), 1u);
  EXPECT_EQ(gatekeeper.apply(kKey, DigestMode::kEnforce, 77, "").code, Errc::kNotAllowlisted);
  ASSERT_TRUE(gatekeeper.reload());
  EXPECT_TRUE(gatekeeper.apply(kKey, DigestMode::kEnforce, 77, "").ok());

  ASSERT_TRUE(cli.add(kKey, 78, "SELECT ?"));
  ASSERT_TRUE(cli.remove(kKey, 77));
  ASSERT_TRUE(cli.remove(kKey, 12345));  // unknown: no-op
  ASSERT_TRUE(gatekeeper.reload());
  EXPECT_EQ(gatekeeper.apply(kKey, DigestMode::kEnforce, 77, "").code, Errc::kNotAllowlisted);
  EXPECT_TRUE(gatekeeper.apply(kKey, DigestMode::kEnforce, 78, "").ok());
  EXPECT_EQ(lines_of(root / "0123456789ab.digests"),
            std::vector<std::string>{"000000000000004e SELECT ?"});
  EXPECT_EQ(mode_of(root / "0123456789ab.digests"), 0600u);
  EXPECT_FALSE(fs::exists(root / "0123456789ab.digests.tmp"));
}

TEST(Allowlist, SkipsMalformedLinesAndOtherFiles) {
  TempDir dir;
  fs::path root = dir.path();
  std::ofstream(root / "app.digests") << "# comment\n\n"
                                         "00000000000000ff SELECT ?\n"
                                         "zz00000000000000 bad hex\n"
                                         "0000000000000001\n"
                                         "12345 short\n"
                                         "00000000000000fe\tTAB\n"
                                         "00000000000000AA UPPER ?\r\n";
  std::ofstream(root / "notes.txt") << "00000000000000ff SELECT ?\n";
  std::ofstream(root / ".hidden.digests") << "00000000000000ff SELECT ?\n";
  DigestAllowlist list(root);
  auto listed = list.list("app");
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_TRUE(list.apply("app", DigestMode::kEnforce, 0xff, "").ok());
  EXPECT_TRUE(list.apply("app", DigestMode::kEnforce, 0x1, "").ok());
  EXPECT_TRUE(list.apply("app", DigestMode::kEnforce, 0xaa, "").ok());
  EXPECT_EQ(list.apply("app", DigestMode::kEnforce, 0xfe, "").code, Errc::kNotAllowlisted);
  EXPECT_TRUE(list.list("notes").empty());
  EXPECT_TRUE(list.list(".hidden").empty());
}

TEST(Allowlist, MissingDirectoryIsEmpty) {
  TempDir dir;
  DigestAllowlist list(dir.path() / "does" / "not" / "exist");
  EXPECT_TRUE(list.reload());
  EXPECT_TRUE(list.list(kKey).empty());
}

TEST(Allowlist, RejectsKeyIdsThatAreNotFileNames) {
  TempDir dir;
  fs::path root = dir.path() / "allowlist";
  DigestAllowlist list(root);
  for (std::string bad :
       {std::string(), std::string("../escape"), std::string("a/b"), std::string(".."),
        std::string(".hidden"), std::string("x y"), std::string("key\n"), std::string("k\0ey", 4),
        std::string(65, 'a'), std::string("/etc/passwd"), std::string("caf\xc3\xa9")}) {
    EXPECT_FALSE(valid_key_id(bad)) << bad;
    auto added = list.add(bad, 1, "SELECT ?");
    ASSERT_FALSE(added) << bad;
    EXPECT_EQ(added.error(), make_error_code(Errc::kBadRequest));
    EXPECT_FALSE(list.remove(bad, 1));
    Verdict v = list.apply(bad, DigestMode::kLearn, 1, "SELECT ?");
    EXPECT_EQ(v.code, Errc::kNotAllowlisted) << bad;
    EXPECT_EQ(v.rule, "digest_allowlist");
    EXPECT_EQ(list.apply(bad, DigestMode::kEnforce, 1, "").code, Errc::kNotAllowlisted);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "escape.digests"));
  EXPECT_FALSE(fs::exists(root));
  for (std::string good : {std::string("0123456789ab"), std::string("gh_read"),
                           std::string("app-1.v2"), std::string(64, 'z')}) {
    EXPECT_TRUE(valid_key_id(good)) << good;
  }
}

TEST(Allowlist, NewlinesInDigestTextCannotForgeLines) {
  TempDir dir;
  DigestAllowlist list(dir.path());
  ASSERT_TRUE(list.add("k", 5, "SELECT ?\n0000000000000006 forged"));
  DigestAllowlist again(dir.path());
  EXPECT_EQ(again.list("k").size(), 1u);
  EXPECT_EQ(again.apply("k", DigestMode::kEnforce, 6, "").code, Errc::kNotAllowlisted);
}

TEST(Allowlist, ConcurrentApply) {
  TempDir dir;
  fs::path root = dir.path() / "allowlist";
  DigestAllowlist list(root);
  constexpr int kThreads = 8;
  constexpr int kDigests = 300;  // every thread learns the same 300 digests, in its own order
  std::atomic<int> denied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kDigests; ++i) {
        int d = (i * 7 + t * 31) % kDigests;
        std::string key = d % 2 ? "odd" : "even";
        if (!list.apply(key, DigestMode::kLearn, uint64_t(d), "SELECT " + std::to_string(d)).ok()) {
          ++denied;
        }
        // Readers in enforce mode at the same time: a learned digest is never lost.
        if (!list.apply(key, DigestMode::kEnforce, uint64_t(d), "").ok()) ++denied;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(denied.load(), 0);
  EXPECT_EQ(list.list("odd").size() + list.list("even").size(), size_t(kDigests));
  // Each digest was appended exactly once.
  auto odd = lines_of(root / "odd.digests");
  auto even = lines_of(root / "even.digests");
  EXPECT_EQ(odd.size() + even.size(), size_t(kDigests));
  std::set<std::string> unique(odd.begin(), odd.end());
  unique.insert(even.begin(), even.end());
  EXPECT_EQ(unique.size(), size_t(kDigests));
}

}  // namespace
}  // namespace gh::gatekeeper
