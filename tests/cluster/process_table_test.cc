// Tests of the process table: detached spawning, identity checks, pid files, graceful stop and
// SIGKILL escalation. Uses real processes (/bin/sleep, /bin/sh).
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cluster/file_util.h"
#include "cluster/process_table.h"

namespace gh::cluster {
namespace {

using namespace std::chrono_literals;

class ProcessTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gh_process_test.XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    ProcessTable table(dir_ / "run");
    auto records = table.list();
    table.stop(records, 1s);
    std::filesystem::remove_all(dir_);
  }
  std::string marker(std::string_view what) const { return (dir_ / what).string(); }
  std::filesystem::path dir_;
};

pid_t parent_of(pid_t pid) {
  auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return -1;
  size_t paren = stat->rfind(')');
  return static_cast<pid_t>(std::stol(stat->substr(paren + 4)));
}

TEST_F(ProcessTableTest, SpawnsDetachedRecordsAndStops) {
  ProcessTable table(dir_ / "run");
  // No identity given: the whole argv is the identity ($0 of the script is a unique marker).
  ProcessSpec spec{
      "sleeper",
      {"/bin/sh", "-c", "echo started; while :; do sleep 0.05; done", marker("sleeper")},
      dir_ / "sleeper.log",
      ""};
  auto record = table.spawn(spec);
  ASSERT_TRUE(record) << record.error().message();
  EXPECT_GT(record->pid, 0);
  EXPECT_NE(parent_of(record->pid), ::getpid());  // reparented: survives its starter
  EXPECT_TRUE(table.alive("sleeper"));

  auto found = table.find("sleeper");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->pid, record->pid);
  EXPECT_EQ(found->identity, record->identity);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "run" / "sleeper.pid"));

  // Spawning the same name again while it runs is refused.
  auto again = table.spawn(spec);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), make_error_code(Errc::kAlreadyRunning));

  std::this_thread::sleep_for(200ms);
  EXPECT_NE(read_file(dir_ / "sleeper.log").value_or("").find("started"), std::string::npos);

  auto reports = table.stop(std::vector<ProcessRecord>{*found}, 5s);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result, StopResult::kStopped);
  EXPECT_FALSE(process_matches(record->pid, record->identity));
  EXPECT_FALSE(table.find("sleeper"));  // the record is gone with the process
}

TEST_F(ProcessTableTest, EscalatesToSigkill) {
  ProcessTable table(dir_ / "run");
  ProcessSpec spec{
      "stubborn",
      {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done", marker("stubborn")},
      dir_ / "stubborn.log",
      ""};
  auto record = table.spawn(spec);
  ASSERT_TRUE(record);
  std::this_thread::sleep_for(100ms);  // let the shell install its trap
  auto start = std::chrono::steady_clock::now();
  auto reports = table.stop(std::vector<ProcessRecord>{*record}, 300ms);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].result, StopResult::kKilled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(table.alive(*record));
}

TEST_F(ProcessTableTest, StopsSeveralTogetherAndReportsDeadOnes) {
  ProcessTable table(dir_ / "run");
  std::vector<ProcessRecord> records;
  for (const char* name : {"a", "b", "c"}) {
    auto r = table.spawn({name, {"/bin/sleep", "30"}, dir_ / "x.log", marker(name)});
    ASSERT_TRUE(r);
    records.push_back(*r);
  }
  // The identity given in the spec is not in sleep's command line: such records count as dead.
  EXPECT_FALSE(table.alive("a"));
  for (auto& r : records) {
    r.identity = "/bin/sleep 30";
    ASSERT_TRUE(table.record(r));
  }
  EXPECT_EQ(table.list().size(), 3u);
  EXPECT_EQ(table.list().front().name, "a");
  ::kill(records[1].pid, SIGKILL);
  std::this_thread::sleep_for(100ms);
  auto reports = table.stop(records, 5s);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].result, StopResult::kStopped);
  EXPECT_EQ(reports[1].result, StopResult::kNotRunning);
  EXPECT_EQ(reports[2].result, StopResult::kStopped);
  EXPECT_TRUE(table.list().empty());
}

TEST_F(ProcessTableTest, ExecFailureIsReported) {
  auto pid = spawn_detached({"/nonexistent/program"}, dir_ / "x.log");
  ASSERT_FALSE(pid);
  EXPECT_EQ(pid.error(), std::make_error_code(std::errc::no_such_file_or_directory));
}

TEST_F(ProcessTableTest, IdentityGuardsAgainstPidReuse) {
  // Our own pid is alive, but its command line is not the recorded one.
  EXPECT_FALSE(process_matches(::getpid(), "--defaults-file=/nowhere/my.cnf"));
  EXPECT_TRUE(process_matches(::getpid(), process_cmdline(::getpid()).substr(0, 5)));
  EXPECT_FALSE(process_matches(0, "x"));
  EXPECT_FALSE(process_matches(-1, "x"));
}

TEST(PidFile, FormatAndParse) {
  ProcessRecord r{"source", 1234, "--defaults-file=/a b/my.cnf"};
  std::string text = format_pid_file(r);
  EXPECT_EQ(text, "1234\n--defaults-file=/a b/my.cnf\n");
  auto parsed = parse_pid_file("source", text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pid, 1234);
  EXPECT_EQ(parsed->identity, r.identity);
  EXPECT_FALSE(parse_pid_file("x", "abc\nid\n"));
  EXPECT_FALSE(parse_pid_file("x", "12\n"));  // no identity: cannot be checked, so not trusted
  EXPECT_FALSE(parse_pid_file("x", "-5\nid\n"));
  EXPECT_FALSE(parse_pid_file("x", ""));
}

TEST(FileUtil, AtomicWriteModeAndTail) {
  char tmpl[] = "/tmp/gh_file_test.XXXXXX";
  std::filesystem::path dir = ::mkdtemp(tmpl);
  auto path = dir / "secret";
  ASSERT_TRUE(write_file_atomic(path, "a\nb\nc\n\nd\n", 0600));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(tail_lines(path, 2), "c\nd\n");
  EXPECT_EQ(tail_lines(dir / "missing", 2), "");
  auto created = create_directories_tracked(dir / "x" / "y");
  ASSERT_TRUE(created);
  EXPECT_EQ(*created, dir / "x");
  created = create_directories_tracked(dir / "x" / "y");
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->empty());
  EXPECT_FALSE(create_directories_tracked(path / "sub"));  // under a regular file
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gh::cluster
