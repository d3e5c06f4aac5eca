// Tests of password generation and the credentials file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <set>

#include "cluster/credentials.h"

namespace gh::cluster {
namespace {

TEST(Credentials, RandomPasswordsAreBase62AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string pw = random_password();
    ASSERT_EQ(pw.size(), 24u);
    for (char c : pw) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << pw;
    seen.insert(pw);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(random_password(7).size(), 7u);
}

TEST(Credentials, GeneratedForConfiguredNames) {
  config::UserNames names;
  names.app = "shop";
  Credentials c = generate_credentials(names);
  EXPECT_EQ(c.admin.user, "gh_admin");
  EXPECT_EQ(c.app.user, "shop");
  EXPECT_EQ(c.proxy_client.user, "gh_client");
  EXPECT_NE(c.admin.password, c.repl.password);
}

TEST(Credentials, RenderParseRoundTrip) {
  Credentials c = generate_credentials({});
  std::string text = render_credentials(c);
  EXPECT_NE(text.find("[admin]\nuser = \"gh_admin\"\npassword = \""), std::string::npos);
  auto parsed = parse_credentials(text, "credentials.toml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->admin.password, c.admin.password);
  EXPECT_EQ(parsed->repl.user, "gh_repl");
  EXPECT_EQ(parsed->monitor.password, c.monitor.password);
  EXPECT_EQ(parsed->proxy_client.password, c.proxy_client.password);
}

TEST(Credentials, ParseErrorsNameTheKey) {
  auto parsed = parse_credentials("[admin]\nuser = \"a\"\n", "c.toml");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("c.toml"), std::string::npos);
  EXPECT_NE(parsed.error().message.find("admin.user"), std::string::npos);
  // Files from before [proxy_client] existed still load.
  std::string old =
      "[admin]\nuser=\"a\"\npassword=\"p\"\n[repl]\nuser=\"a\"\npassword=\"p\"\n"
      "[app]\nuser=\"a\"\npassword=\"p\"\n[monitor]\nuser=\"a\"\npassword=\"p\"\n";
  EXPECT_TRUE(parse_credentials(old, "c.toml"));
}

TEST(Credentials, SavedWithMode0600) {
  char tmpl[] = "/tmp/gh_cred_test.XXXXXX";
  std::filesystem::path dir = ::mkdtemp(tmpl);
  auto path = dir / "credentials.toml";
  Credentials c = generate_credentials({});
  ASSERT_TRUE(save_credentials(path, c));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto loaded = load_credentials(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->app.password, c.app.password);
  auto missing = load_credentials(dir / "nope.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("gatehouse up"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gh::cluster
