// Tests of the TOML config loader: defaults, errors that name file:line and key, overrides,
// resolution of the config file, and the rendered default file loading back to the same values.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace gh::config {
namespace {

ConfigResult<Config> load(std::string_view text) {
  return load_config_text(text, "g.toml", "/base");
}

std::string error_of(std::string_view text) {
  auto c = load(text);
  EXPECT_FALSE(c.has_value()) << "expected an error for:\n" << text;
  return c ? "" : c.error().message;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/gh_config_test.XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(ConfigDefaults, EmptyFileGivesDefaults) {
  auto c = load("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cluster.base_port, 3307);
  EXPECT_EQ(c->cluster.replicas, 2);
  EXPECT_EQ(c->cluster.host, "127.0.0.1");
  EXPECT_FALSE(c->cluster.replication.semi_sync);
  EXPECT_EQ(c->cluster.replication.binlog_format, "ROW");
  EXPECT_EQ(c->cluster.mariadb.innodb_buffer_pool_size, "64M");
  EXPECT_EQ(c->cluster.mariadb.durability, "relaxed");
  EXPECT_EQ(c->cluster.users.admin, "gh_admin");
  EXPECT_TRUE(c->cluster.data.demo);
  EXPECT_TRUE(c->cluster.dir.is_absolute());
}

TEST(ConfigDefaults, NodesAreDerivedFromBasePortAndReplicas) {
  auto c = load("[cluster]\nbase_port = 4000\nreplicas = 3\n");
  ASSERT_TRUE(c) << c.error().message;
  auto nodes = c->cluster.nodes();
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[0].name, "source");
  EXPECT_EQ(nodes[0].role, NodeRole::kSource);
  EXPECT_EQ(nodes[0].port, 4000);
  EXPECT_EQ(nodes[0].server_id, 1u);
  EXPECT_EQ(nodes[3].name, "replica3");
  EXPECT_EQ(nodes[3].role, NodeRole::kReplica);
  EXPECT_EQ(nodes[3].port, 4003);
  EXPECT_EQ(nodes[3].server_id, 4u);
}

TEST(ConfigDefaults, EndpointsListEveryNodeInOrder) {
  auto c = load("[cluster]\nbase_port = 5000\nreplicas = 1\n");
  ASSERT_TRUE(c);
  Endpoints expected = {{"source", "127.0.0.1:5000"},
                        {"replica1", "127.0.0.1:5001"},
                        {"proxy_mysql", "127.0.0.1:5020"},  // [proxy] port 0: base + 20
                        {"gatekeeper_http", "127.0.0.1:5040"},
                        {"gatekeeper_mysql", "127.0.0.1:5041"}};
  EXPECT_EQ(c->endpoints(), expected);
  auto fewer = load(
      "[cluster]\nbase_port = 5000\nreplicas = 1\n[proxy]\nenabled = false\n"
      "[gatekeeper]\nenabled = false\n");
  ASSERT_TRUE(fewer);
  EXPECT_EQ(fewer->endpoints().size(), 2u);
  auto trusted =
      load("[cluster]\nbase_port = 5000\nreplicas = 1\n[trusted_host]\nenabled = true\n");
  ASSERT_TRUE(trusted);
  EXPECT_EQ(trusted->endpoints().back(),
            (std::pair<std::string, std::string>{"trusted_host", "127.0.0.1:5045"}));
}

TEST(ConfigErrors, GatekeeperSectionIsChecked) {
  EXPECT_EQ(error_of("[gatekeeper]\ntls = \"maybe\"\n").substr(0, 26),
            "g.toml:2: gatekeeper.tls: ");
  EXPECT_NE(error_of("[gatekeeper]\nmax_body_byte = 5\n").find("max_body_bytes"),
            std::string::npos);  // typo: unknown key, with a suggestion
}

TEST(ConfigErrors, WrongTypeNamesFileLineKeyAndValue) {
  EXPECT_EQ(error_of("[cluster]\nname = \"x\"\nbase_port = \"abc\"\n"),
            "g.toml:3: cluster.base_port: expected an integer between 1024 and 65535, got \"abc\"");
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_EQ(error_of("[cluster]\nreplicas = 17\n"),
            "g.toml:2: cluster.replicas: expected an integer between 0 and 16, got 17");
  EXPECT_EQ(error_of("[cluster]\nbase_port = 80\n"),
            "g.toml:2: cluster.base_port: expected an integer between 1024 and 65535, got 80");
}

TEST(ConfigErrors, SyntaxErrorHasLineAndColumn) {
  auto c = load("[cluster]\nbase_port = 3307\nname = \"unterminated\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, make_error_code(Errc::kConfigParse));
  EXPECT_TRUE(c.error().message.starts_with("g.toml:3:")) << c.error().message;
  EXPECT_NE(c.error().message.find("TOML syntax error"), std::string::npos);
}

TEST(ConfigErrors, UnknownKeySuggestsTheClosestKnownOne) {
  std::string msg = error_of("[cluster]\n\nbase_prot = 3307\n");
  EXPECT_EQ(msg, "g.toml:3: cluster.base_prot: unknown key; did you mean base_port?");
}

TEST(ConfigErrors, UnknownKeyWithoutNearMatchListsKnownKeys) {
  std::string msg = error_of("[replication]\ncolour = 1\n");
  EXPECT_TRUE(
      msg.starts_with("g.toml:2: replication.colour: unknown key; keys of [replication] are:"))
      << msg;
  EXPECT_NE(msg.find("semi_sync"), std::string::npos);
}

TEST(ConfigErrors, UnknownSection) {
  EXPECT_EQ(error_of("[clustr]\nx = 1\n"),
            "g.toml:1: clustr: unknown section; did you mean [cluster]?");
  std::string msg = error_of("top = 1\n");
  EXPECT_TRUE(msg.starts_with("g.toml:1: top: unknown top-level key")) << msg;
}

TEST(ConfigErrors, FirstErrorCountsTheOthers) {
  std::string msg = error_of("[cluster]\nbase_port = \"a\"\nreplicas = -1\n");
  EXPECT_TRUE(msg.starts_with("g.toml:2: cluster.base_port:")) << msg;
  EXPECT_TRUE(msg.ends_with("(and 1 more error)")) << msg;
}

TEST(ConfigErrors, ChoicesSizesAccountsAndHosts) {
  EXPECT_EQ(
      error_of("[mariadb]\ndurability = \"maybe\"\n"),
      "g.toml:2: mariadb.durability: expected one of \"relaxed\", \"durable\", got \"maybe\"");
  EXPECT_NE(error_of("[mariadb]\ninnodb_buffer_pool_size = \"lots\"\n")
                .find("mariadb.innodb_buffer_pool_size: expected a size"),
            std::string::npos);
  EXPECT_NE(error_of("[users]\nadmin = \"bad name\"\n").find("g.toml:2: users.admin:"),
            std::string::npos);
  EXPECT_NE(error_of("[cluster]\nhost = \"localhost\"\n").find("g.toml:2: cluster.host:"),
            std::string::npos);
  EXPECT_NE(error_of("[mariadb]\nextra = [\"[client]\"]\n").find("g.toml:2: mariadb.extra:"),
            std::string::npos);
  EXPECT_NE(
      error_of("[data]\ndemo = \"yes\"\n").find("g.toml:2: data.demo: expected true or false"),
      std::string::npos);
}

TEST(ConfigErrors, PortsMustFitTheReplicas) {
  std::string msg = error_of("[cluster]\nbase_port = 65535\nreplicas = 2\n");
  EXPECT_NE(msg.find("cluster.base_port: base port 65535 + 2 replicas runs past port 65535"),
            std::string::npos)
      << msg;
}

TEST(ConfigValues, FileValuesAndRelativePaths) {
  auto c = load(
      "[cluster]\nname = \"demo\"\ndir = \"data/run\"\nreplicas = 0\n"
      "[replication]\nsemi_sync = true\n[data]\nsakila_dir = \"../sakila\"\ndemo = false\n"
      "[mariadb]\nextra = [\"slow_query_log=1\"]\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cluster.name, "demo");
  EXPECT_EQ(c->cluster.dir, "/base/data/run");
  EXPECT_EQ(c->cluster.nodes().size(), 1u);
  EXPECT_TRUE(c->cluster.replication.semi_sync);
  EXPECT_EQ(c->cluster.data.sakila_dir, "/sakila");
  EXPECT_FALSE(c->cluster.data.demo);
  EXPECT_EQ(c->cluster.mariadb.extra, std::vector<std::string>{"slow_query_log=1"});
  EXPECT_EQ(c->where("cluster.replicas"), "g.toml:4: cluster.replicas");
  EXPECT_EQ(c->where("cluster.mariadbd"), "cluster.mariadbd");
}

TEST(ConfigOverrides, FlagsWinAndAreRecorded) {
  auto c = load("[cluster]\nbase_port = 4000\nreplicas = 1\n");
  ASSERT_TRUE(c);
  CliOverrides flags;
  flags.replicas = 3;
  flags.base_port = 6000;
  flags.dir = "/tmp/x/../y";
  flags.semi_sync = true;
  ASSERT_TRUE(apply_overrides(*c, flags));
  EXPECT_EQ(c->cluster.replicas, 3);
  EXPECT_EQ(c->cluster.base_port, 6000);
  EXPECT_EQ(c->cluster.dir, "/tmp/y");
  EXPECT_TRUE(c->cluster.replication.semi_sync);
  EXPECT_EQ(c->where("cluster.base_port"), "--base-port");
}

TEST(ConfigOverrides, BadFlagsAreUsageErrors) {
  auto c = load("");
  ASSERT_TRUE(c);
  CliOverrides flags;
  flags.replicas = -1;
  auto r = apply_overrides(*c, flags);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::kUsage));
  EXPECT_EQ(r.error().message, "--replicas: expected an integer between 0 and 16, got -1");
  flags = {};
  flags.base_port = 70000;
  EXPECT_FALSE(apply_overrides(*c, flags));
  flags = {};
  flags.base_port = 65530;
  flags.replicas = 9;
  r = apply_overrides(*c, flags);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("runs past port 65535"), std::string::npos);
}

TEST(ConfigResolve, UsesDirConfigThenFlags) {
  TempDir tmp;
  tmp.write("gatehouse.toml", "[cluster]\ndir = \".\"\nbase_port = 9000\nreplicas = 1\n");
  CliOverrides flags;
  flags.dir = tmp.path().string();
  auto c = resolve_config(flags);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cluster.base_port, 9000);
  EXPECT_EQ(c->cluster.dir, tmp.path());
  EXPECT_EQ(c->file, tmp.path() / "gatehouse.toml");
  flags.base_port = 9100;
  c = resolve_config(flags);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cluster.base_port, 9100);
  EXPECT_EQ(c->cluster.replicas, 1);
}

TEST(ConfigResolve, ExplicitConfigFile) {
  TempDir tmp;
  tmp.write("my.toml", "[cluster]\ndir = \"cl\"\n");
  CliOverrides flags;
  flags.config_file = (tmp.path() / "my.toml").string();
  auto c = resolve_config(flags);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cluster.dir, tmp.path() / "cl");

  flags.config_file = (tmp.path() / "missing.toml").string();
  c = resolve_config(flags);
  ASSERT_FALSE(c);
  EXPECT_TRUE(c.error().message.starts_with("--config: ")) << c.error().message;

  tmp.write("bad.toml", "[cluster]\nbase_port = true\n");
  flags.config_file = (tmp.path() / "bad.toml").string();
  c = resolve_config(flags);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, flags.config_file +
                                   ":2: cluster.base_port: expected an integer between 1024 and "
                                   "65535, got true");
}

TEST(ConfigRender, DefaultFileLoadsBackToTheSameValues) {
  auto defaults = load("");
  ASSERT_TRUE(defaults);
  std::string text = render_config(*defaults);
  EXPECT_NE(text.find("# "), std::string::npos);  // it is commented
  auto again = load_config_text(text, "rendered.toml", defaults->cluster.dir);
  ASSERT_TRUE(again) << again.error().message << "\n" << text;
  EXPECT_EQ(again->cluster.dir, defaults->cluster.dir);
  EXPECT_EQ(again->cluster.base_port, 3307);
  EXPECT_EQ(again->cluster.replicas, 2);
}

TEST(ConfigRender, NonDefaultValuesRoundTrip) {
  auto c = load(
      "[cluster]\nname = \"q\\\"uote\"\nbase_port = 12000\nreplicas = 4\nstop_timeout_s = 5\n"
      "[mariadb]\ndurability = \"durable\"\nextra = [\"a=1\", \"b\"]\n"
      "[replication]\nsemi_sync = true\nbinlog_format = \"MIXED\"\n"
      "[users]\napp = \"appuser\"\n[data]\ndemo = false\nseed = 7\n");
  ASSERT_TRUE(c) << c.error().message;
  auto again = load_config_text(render_config(*c, "/abs/dir"), "r.toml", "/");
  ASSERT_TRUE(again) << again.error().message;
  const auto& a = again->cluster;
  EXPECT_EQ(a.name, "q\"uote");
  EXPECT_EQ(a.dir, "/abs/dir");
  EXPECT_EQ(a.base_port, 12000);
  EXPECT_EQ(a.replicas, 4);
  EXPECT_EQ(a.stop_timeout_s, 5);
  EXPECT_EQ(a.mariadb.durability, "durable");
  EXPECT_EQ(a.mariadb.extra, (std::vector<std::string>{"a=1", "b"}));
  EXPECT_TRUE(a.replication.semi_sync);
  EXPECT_EQ(a.replication.binlog_format, "MIXED");
  EXPECT_EQ(a.users.app, "appuser");
  EXPECT_FALSE(a.data.demo);
  EXPECT_EQ(a.data.seed, 7);
}

TEST(TomlReaderHelpers, ClosestNameAndQuoting) {
  std::vector<std::string> known = {"base_port", "replicas", "name"};
  EXPECT_EQ(closest_name("replica", known), "replicas");
  EXPECT_EQ(closest_name("completely_else", known), "");
  EXPECT_EQ(toml_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

}  // namespace
}  // namespace gh::config
