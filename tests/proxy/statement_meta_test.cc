// StatementMeta: column definitions out of a PREPARE response, and putting skipped definitions
// back into an execute response, with exact bytes.
#include "proxy/statement_meta.h"

#include <gtest/gtest.h>

#include "../protocol/hex.h"

namespace gh::proxy {
namespace {

using gh::mysql::test::unhex;

// PREPARE_OK of statement 7 with 1 column and 1 parameter, legacy EOFs: OK, param def, EOF,
// column def, EOF. The definitions are short stand-ins ("P", "C1"): the functions only frame.
const std::string kPrepare = unhex(
    "0c0000 00 | 00 07000000 0100 0100 00 0000"
    "010000 01 | 50"
    "050000 02 | fe00000200"
    "020000 03 | 4331"
    "050000 04 | fe00000200");

TEST(StatementMeta, ColumnsOfAPrepareResponse) {
  auto meta = meta_of_prepare(kPrepare, false);
  ASSERT_TRUE(meta.has_value());
  ASSERT_EQ(meta->columns.size(), 1u);
  EXPECT_EQ(meta->columns[0], "C1");
  EXPECT_NE(meta->hash, 0u);
  // Same definitions, same hash; other definitions, another one.
  EXPECT_EQ(meta_of_prepare(kPrepare, false)->hash, meta->hash);
  std::string other = kPrepare;
  other[kPrepare.size() - 9 - 1] = '2';  // "C1" -> "C2"
  EXPECT_NE(meta_of_prepare(other, false)->hash, meta->hash);
  // Truncated or not a PREPARE_OK: errors, not crashes.
  EXPECT_FALSE(meta_of_prepare(kPrepare.substr(0, 20), false).has_value());
  EXPECT_FALSE(meta_of_prepare(unhex("050000 01 | ff1a04 2358"), false).has_value());
  EXPECT_FALSE(meta_of_prepare("", false).has_value());
}

TEST(StatementMeta, SkippedDefinitionsArePutBackWithShiftedSequenceIds) {
  StatementMeta meta;
  meta.columns = {"C1", "C2"};
  meta.hash = 3;
  // Execute result: count 2 + "metadata follows" 0, EOF, one binary row, EOF.
  std::string skipped = unhex(
      "020000 01 | 0200"
      "050000 02 | fe00000200"
      "040000 03 | 00000131"
      "050000 04 | fe00000200");
  bool injected = false;
  auto out = inject_metadata(skipped, meta, injected);
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(injected);
  EXPECT_EQ(*out, unhex("020000 01 | 0201"
                        "020000 02 | 4331"
                        "020000 03 | 4332"
                        "050000 04 | fe00000200"
                        "040000 05 | 00000131"
                        "050000 06 | fe00000200"));
}

TEST(StatementMeta, ResponsesThatNeedNothingPassUnchanged) {
  StatementMeta meta;
  meta.columns = {"C1"};
  bool injected = true;
  for (std::string wire : {
           unhex("070000 01 | 00000002000000"),                                // OK
           unhex("090000 01 | ff1a04 2334325330 78"),                          // ERR
           unhex("020000 01 | 0101 020000 02 | 4331 050000 03 | fe00000200"),  // sent
           unhex("010000 01 | 01 020000 02 | 4331 050000 03 | fe00000200"),    // no flag byte
       }) {
    auto out = inject_metadata(wire, meta, injected);
    ASSERT_TRUE(out.has_value());
    EXPECT_FALSE(injected);
    EXPECT_EQ(*out, wire);
  }
  // A column count that disagrees with the remembered definitions is refused.
  EXPECT_FALSE(inject_metadata(unhex("020000 01 | 0300"), meta, injected).has_value());
  // Broken framing is refused.
  EXPECT_FALSE(inject_metadata(unhex("090000 01 | 0100"), meta, injected).has_value());
}

}  // namespace
}  // namespace gh::proxy
