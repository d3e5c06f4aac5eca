// ResponseTracker: table-driven responses built with the codec, fed frame by frame.
#include "protocol/response_tracker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/capabilities.h"
#include "protocol/response.h"
#include "protocol/resultset.h"
#include "protocol/wire.h"

namespace gh::mysql {
namespace {

using Step = ResponseTracker::Step;

std::string ok(uint16_t status, uint8_t header = 0x00, uint64_t affected = 0, uint64_t id = 0) {
  OkPacket p;
  p.status_flags = status;
  p.affected_rows = affected;
  p.last_insert_id = id;
  std::string out;
  encode_ok(p, cap::kProtocol41, out, header);
  return out;
}
std::string eof(uint16_t status) {
  std::string out;
  encode_eof({0, status}, out);
  return out;
}
std::string err() {
  std::string out;
  encode_err(1146, "42S02", "Table 'x.y' doesn't exist", out);
  return out;
}
std::string count(uint64_t n) {
  std::string out;
  Writer(out).lenenc_int(n);
  return out;
}
std::string coldef(std::string_view name) {
  ColumnDefinition c;
  c.name = name;
  std::string out;
  encode_column_definition(c, out);
  return out;
}
std::string row(std::string_view v) {
  std::string out;
  TextValue vals[1] = {v};
  encode_text_row(vals, out);
  return out;
}

// Feeds every packet; expects kMore for all but the last, which must be `last`.
void expect_sequence(Command cmd, uint32_t caps, const std::vector<std::string>& packets,
                     Step last = Step::kDone, uint32_t mariadb_caps = 0) {
  ResponseTracker t;
  t.start(cmd, caps, mariadb_caps);
  for (size_t i = 0; i < packets.size(); ++i) {
    auto step = t.on_frame(packets[i]);
    ASSERT_TRUE(step.has_value()) << "packet " << i;
    if (i + 1 < packets.size()) {
      EXPECT_EQ(*step, Step::kMore) << "packet " << i;
    } else {
      EXPECT_EQ(*step, last) << "last packet";
    }
  }
}

const uint32_t kEofCaps = cap::kProtocol41;
const uint32_t kNoEofCaps = cap::kProtocol41 | cap::kDeprecateEof;

TEST(ResponseTracker, OkAndErrEndAQuery) {
  expect_sequence(Command::kQuery, kEofCaps, {ok(status::kAutocommit, 0x00, 3, 7)});
  expect_sequence(Command::kQuery, kEofCaps, {err()});
}

TEST(ResponseTracker, TextResultSetWithLegacyEof) {
  expect_sequence(Command::kQuery, kEofCaps,
                  {count(2), coldef("a"), coldef("b"), eof(0), row("1"), row("2"), eof(0x0002)});
}

TEST(ResponseTracker, TextResultSetWithDeprecateEof) {
  expect_sequence(Command::kQuery, kNoEofCaps,
                  {count(1), coldef("a"), row("1"), row("2"), ok(0x0002, 0xFE)});
}

TEST(ResponseTracker, MultiResultsFollowMoreResultsFlag) {
  uint16_t more = status::kMoreResultsExist;
  expect_sequence(Command::kQuery, kEofCaps,
                  {count(1), coldef("a"), eof(0), row("1"), eof(more), ok(more), count(1),
                   coldef("b"), eof(0), eof(0)});
  // CALL: a result set, then the trailing OK.
  expect_sequence(Command::kQuery, kNoEofCaps,
                  {count(1), coldef("a"), row("x"), ok(more, 0xFE), ok(0)});
}

// MariaDB's metadata caching: a "metadata follows" byte after the column count (as captured
// from MariaDB 10.11: 02 00 00 01 | 01 00 for an execute whose definitions were skipped).
std::string count_with_flag(uint64_t n, uint8_t follows) { return count(n) + char(follows); }
std::string binary_row() { return std::string("\x00\x00\x01\x31", 4); }

TEST(ResponseTracker, CachedMetadataSkipsColumnDefinitions) {
  const uint32_t kCache = mariadb_cap::kCacheMetadata;
  // Skipped definitions: the legacy EOF still follows the count, then rows.
  expect_sequence(Command::kStmtExecute, kEofCaps,
                  {count_with_flag(1, 0), eof(0), binary_row(), eof(0x0002)}, Step::kDone, kCache);
  expect_sequence(Command::kStmtExecute, kNoEofCaps,
                  {count_with_flag(2, 0), binary_row(), ok(0x0002, 0xFE)}, Step::kDone, kCache);
  // Definitions sent (changed, or a text result): as without the capability.
  expect_sequence(Command::kQuery, kEofCaps,
                  {count_with_flag(1, 1), coldef("a"), eof(0), row("1"), eof(0x0002)}, Step::kDone,
                  kCache);
  // The byte is optional on the wire; without the capability it is a malformed count.
  expect_sequence(Command::kQuery, kNoEofCaps, {count(1), coldef("a"), ok(0x0002, 0xFE)},
                  Step::kDone, kCache);
  ResponseTracker t;
  t.start(Command::kQuery, kNoEofCaps);
  EXPECT_FALSE(t.on_frame(count_with_flag(1, 0)).has_value());
  t.start(Command::kStmtExecute, kNoEofCaps, kCache);
  EXPECT_FALSE(t.on_frame(count_with_flag(1, 2)).has_value());  // neither 0 nor 1
}

TEST(ResponseTracker, ErrorInsideRowsEndsTheResponse) {
  expect_sequence(Command::kQuery, kEofCaps, {count(1), coldef("a"), eof(0), row("1"), err()});
}

TEST(ResponseTracker, RowCountAndSummary) {
  ResponseTracker t;
  t.start(Command::kQuery, kNoEofCaps);
  for (auto& p : {count(1), coldef("a"), row("1"), row("2"), row("3")})
    ASSERT_EQ(*t.on_frame(p), Step::kMore);
  ASSERT_EQ(*t.on_frame(ok(status::kInTrans, 0xFE)), Step::kDone);
  EXPECT_EQ(t.summary().rows, 3u);
  EXPECT_EQ(t.summary().result_sets, 1u);
  EXPECT_TRUE(t.summary().status_flags & status::kInTrans);
  EXPECT_TRUE(t.summary().has_status);
  EXPECT_FALSE(t.summary().error);
}

TEST(ResponseTracker, PrepareResponse) {
  // 0x00, id=5, 1 column, 2 params, filler, warnings
  std::string prep("\x00\x05\x00\x00\x00\x01\x00\x02\x00\x00\x00\x00", 12);
  expect_sequence(Command::kStmtPrepare, kEofCaps,
                  {prep, coldef("?"), coldef("?"), eof(0), coldef("c"), eof(0)});
  expect_sequence(Command::kStmtPrepare, kNoEofCaps, {prep, coldef("?"), coldef("?"), coldef("c")});
  ResponseTracker t;
  t.start(Command::kStmtPrepare, kNoEofCaps);
  ASSERT_TRUE(t.on_frame(prep));
  EXPECT_FALSE(t.summary().has_status) << "PREPARE_OK has no status flags";
  EXPECT_EQ(t.summary().statement_id, 5u);
  EXPECT_EQ(t.summary().num_params, 2);
  EXPECT_EQ(t.summary().num_columns, 1);
}

TEST(ResponseTracker, CommandsWithoutResponseAreDoneAtOnce) {
  for (auto c : {Command::kQuit, Command::kStmtClose, Command::kStmtSendLongData}) {
    ResponseTracker t;
    t.start(c, kEofCaps);
    EXPECT_TRUE(t.done());
    EXPECT_FALSE(ResponseTracker::expects_response(c));
  }
}

TEST(ResponseTracker, LocalInfileHandsOverToTheClient) {
  ResponseTracker t;
  t.start(Command::kQuery, kEofCaps);
  ASSERT_EQ(*t.on_frame(std::string("\xFB/tmp/x.csv")), Step::kLocalInfile);
  t.resume_after_infile();
  ASSERT_EQ(*t.on_frame(ok(0, 0x00, 10)), Step::kDone);
  EXPECT_EQ(t.summary().affected_rows, 10u);
}

TEST(ResponseTracker, ContinuationFramesAreNotClassified) {
  ResponseTracker t;
  t.start(Command::kQuery, kNoEofCaps);
  ASSERT_EQ(*t.on_frame(count(1)), Step::kMore);
  ASSERT_EQ(*t.on_frame(coldef("a")), Step::kMore);
  std::string big(0xFFFFFF, '\xFE');  // a full frame whose bytes look like a terminator
  ASSERT_EQ(*t.on_frame(big), Step::kMore);
  ASSERT_EQ(*t.on_frame(std::string(10, '\xFE')), Step::kMore);  // its continuation
  ASSERT_EQ(*t.on_frame(ok(0, 0xFE)), Step::kDone);
  EXPECT_EQ(t.summary().rows, 1u);
}

TEST(ResponseTracker, GarbageIsAnErrorNotACrash) {
  ResponseTracker t;
  t.start(Command::kQuery, kEofCaps);
  EXPECT_FALSE(t.on_frame(std::string()).has_value());
  t.start(Command::kQuery, kEofCaps);
  EXPECT_FALSE(t.on_frame(std::string("\xFC\x01", 2)).has_value());  // truncated lenenc
  t.start(Command::kPing, kEofCaps);
  ASSERT_EQ(*t.on_frame(ok(0)), Step::kDone);
  EXPECT_FALSE(t.on_frame(ok(0)).has_value());  // nothing may follow a complete response
}

}  // namespace
}  // namespace gh::mysql
