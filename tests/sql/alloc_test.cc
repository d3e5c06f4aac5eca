// Hot-path allocation checks: the tokenizer and classify() of ordinary SELECT/INSERT statements
// must not touch the heap. This file replaces the global operator new for the whole test_sql
// binary with a counting version (thread-local counter, malloc-backed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "sql/classifier.h"
#include "sql/tokenizer.h"

namespace {
thread_local size_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace gh::sql {
namespace {

template <class F>
size_t allocations_of(F&& f) {
  const size_t before = g_allocations;
  f();
  return g_allocations - before;
}

TEST(HotPathAllocations, CounterWorks) {
  // SET statements record their assignments on the heap: the counter must see that.
  size_t n = allocations_of([] {
    StatementInfo info =
        classify("SET @a_rather_long_user_variable_name = 'some value that is long'");
    EXPECT_EQ(info.set_assignments.size(), 1u);
  });
  EXPECT_GT(n, 0u);
}

TEST(HotPathAllocations, TokenizerAllocatesNothing) {
  const std::string sql =
      "SELECT `a`, 'b''c', 0x1F, @x, @@session.y FROM t /* c */ WHERE d = ? -- e";
  size_t n = allocations_of([&] {
    Tokenizer tz(sql);
    for (Token t = tz.next(); t.kind != TokenKind::kEnd; t = tz.next()) {
    }
  });
  EXPECT_EQ(n, 0u);
}

TEST(HotPathAllocations, ClassifySelectAndInsertAllocateNothing) {
  const std::string queries[] = {
      "SELECT f.film_id, f.title, COUNT(r.rental_id) FROM film f JOIN inventory i USING (film_id) "
      "WHERE f.rating = 'PG' AND f.title LIKE 'A%' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10",
      "/* gatehouse:strategy=random */ SELECT c FROM sbtest1 WHERE id=?",
      "WITH c AS (SELECT 1 AS x) SELECT x FROM c FOR UPDATE",
      "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') ON DUPLICATE KEY UPDATE b = VALUES(b)",
      "UPDATE sbtest1 SET k=k+1 WHERE id=?",
      "BEGIN",
      "COMMIT",
  };
  for (const auto& q : queries) {
    size_t n = allocations_of([&] {
      StatementInfo info = classify(q);
      EXPECT_GE(info.statement_count, 1u);
    });
    EXPECT_EQ(n, 0u) << q;
  }
}

}  // namespace
}  // namespace gh::sql
