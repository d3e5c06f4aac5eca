#include "common/error.h"

#include <gtest/gtest.h>

namespace gh {
namespace {

TEST(Error, CodesCarryStableNamesAndMysqlNumbers) {
  std::error_code ec = Errc::kQueueFull;
  EXPECT_EQ(&ec.category(), &gatehouse_category());
  EXPECT_EQ(ec.value(), 401);
  EXPECT_EQ(errc_name(Errc::kQueueFull), "queue_full");
  EXPECT_EQ(mysql_errno(Errc::kQueueFull), 7401);
  EXPECT_EQ(mysql_sqlstate(Errc::kQueueTimeout), "HYT00");
  EXPECT_EQ(ec.message(), "request queue is full");
}

TEST(Error, UnknownValuesDoNotCrash) {
  EXPECT_EQ(errc_name(static_cast<Errc>(9999)), "unknown");
  EXPECT_EQ(std::error_code(9999, gatehouse_category()).message(), "unknown gatehouse error 9999");
}

TEST(Error, ResultCarriesEitherValueOrCode) {
  auto half = [](int v) -> Result<int> {
    if (v % 2) return fail(Errc::kBadRequest);
    return v / 2;
  };
  ASSERT_TRUE(half(4).has_value());
  EXPECT_EQ(*half(4), 2);
  ASSERT_FALSE(half(3).has_value());
  EXPECT_EQ(half(3).error(), make_error_code(Errc::kBadRequest));
}

}  // namespace
}  // namespace gh
