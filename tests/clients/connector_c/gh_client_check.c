/* Compatibility check: MariaDB Connector/C (libmariadb, nobody here wrote it) against the gatehouse
 * proxy port. Built and run by tests/integration/clients_connector_c_test.sh:
 *
 *   gh_client_check HOST PORT USER PASSWORD
 *
 * Covers mysql_query + mysql_store_result, prepared statements (bind_param / execute /
 * bind_result / fetch over several rows of INT, VARCHAR, DOUBLE and NULL, streamed and stored),
 * mysql_select_db, mysql_ping, mysql_stat, mysql_change_user (with and without a schema, and a
 * wrong password), mysql_reset_connection (user variables, session variables, temporary
 * tables), multi-statements via mysql_set_server_option + mysql_next_result (also switched on
 * inside a transaction, as PHP's mysqli_multi_query does), SQL errors, and a wrong password
 * failing with 1045. Optional env GH_NODE_PORTS / GH_ADMIN_USER / GH_ADMIN_PASSWORD: wait for
 * the setup to replicate. Prints "ok: ..." per step; on the first mismatch prints "FAIL: ..."
 * and exits 1. */
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *g_host, *g_user, *g_password;
static unsigned g_port;
static const char* g_step = "start";

#define DB "gh_clients_cc"

static void failf(MYSQL* m, const char* fmt, ...) {
  va_list ap;
  fprintf(stderr, "FAIL: %s: ", g_step);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  if (m && mysql_errno(m))
    fprintf(stderr, " [mysql errno %u, sqlstate %s: %s]", mysql_errno(m), mysql_sqlstate(m),
            mysql_error(m));
  fprintf(stderr, "\n");
  exit(1);
}

static void stmt_fail(MYSQL_STMT* st, const char* what) {
  fprintf(stderr, "FAIL: %s: %s [stmt errno %u, sqlstate %s: %s]\n", g_step, what,
          mysql_stmt_errno(st), mysql_stmt_sqlstate(st), mysql_stmt_error(st));
  exit(1);
}

static void ok(void) {
  printf("ok: %s\n", g_step);
  fflush(stdout);
}

static MYSQL* connect_as(const char* user, const char* password, const char* db) {
  MYSQL* m = mysql_init(NULL);
  if (!m) failf(NULL, "mysql_init returned NULL");
  unsigned timeout = 20;
  mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  if (!mysql_real_connect(m, g_host, user, password, db, g_port, NULL, 0)) return m;
  return m;
}

static void query(MYSQL* m, const char* sql) {
  if (mysql_query(m, sql)) failf(m, "mysql_query(\"%s\") failed", sql);
}

/* Runs a query that must return exactly one row with one column and returns a copy of the value
 * (NULL for SQL NULL). */
static char* scalar(MYSQL* m, const char* sql) {
  query(m, sql);
  MYSQL_RES* r = mysql_store_result(m);
  if (!r) failf(m, "mysql_store_result for \"%s\" returned NULL", sql);
  if (mysql_num_rows(r) != 1 || mysql_num_fields(r) != 1)
    failf(m, "\"%s\": %llu rows x %u columns, want 1 x 1", sql,
          (unsigned long long)mysql_num_rows(r), mysql_num_fields(r));
  MYSQL_ROW row = mysql_fetch_row(r);
  char* v = row && row[0] ? strdup(row[0]) : NULL;
  mysql_free_result(r);
  return v;
}

static void expect_scalar(MYSQL* m, const char* sql, const char* want) {
  char* got = scalar(m, sql);
  if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
    failf(m, "\"%s\" returned %s%s%s, want %s%s%s", sql, got ? "'" : "", got ? got : "NULL",
          got ? "'" : "", want ? "'" : "", want ? want : "NULL", want ? "'" : "");
  free(got);
}

static void expect_error(MYSQL* m, const char* sql, unsigned want_errno) {
  if (mysql_query(m, sql) == 0) failf(m, "\"%s\" succeeded, want error %u", sql, want_errno);
  if (mysql_errno(m) != want_errno)
    failf(m, "\"%s\" failed with errno %u, want %u", sql, mysql_errno(m), want_errno);
}

/* Waits until `sql` returns `want` on every node listed in GH_NODE_PORTS (comma-separated),
 * connecting to each directly as GH_ADMIN_USER / GH_ADMIN_PASSWORD. Replicas apply the
 * source's changes asynchronously: the checks wait for their setup to arrive before reading
 * through the proxy, which may send any read to any replica. No GH_NODE_PORTS: no wait. */
static void wait_on_every_node(const char* sql, const char* want) {
  const char* ports = getenv("GH_NODE_PORTS");
  if (!ports || !*ports) return;
  char list[256];
  snprintf(list, sizeof list, "%s", ports);
  for (char *save = NULL, *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
    MYSQL* n = mysql_init(NULL);
    if (!mysql_real_connect(n, g_host, getenv("GH_ADMIN_USER"), getenv("GH_ADMIN_PASSWORD"), NULL,
                            (unsigned)atoi(p), NULL, 0))
      failf(n, "cannot connect to the node on port %s", p);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
      char* got = scalar(n, sql);
      int done = got && strcmp(got, want) == 0;
      free(got);
      if (done) break;
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - start.tv_sec > 5)
        failf(n, "node on port %s: \"%s\" is not '%s' after 5 s", p, sql, want);
      nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    mysql_close(n);
  }
}

/* ---- the rows used by the prepared-statement checks ---- */
struct row {
  int id;
  const char* v; /* NULL: SQL NULL */
  double d;
  int d_null;
  int n;
  int n_null;
};
static const struct row kRows[] = {
    {1, "plain", 1.5, 0, 10, 0},
    {2, NULL, 0, 1, -7, 0},
    {3, "it's \"quoted\" \\ and ;", -2.25e10, 0, 0, 1},
    {4, "", 0, 1, 0, 1},
    {5, "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80", 3.141592653589793, 0, 2147483647, 0},
};
enum { kNumRows = sizeof(kRows) / sizeof(kRows[0]) };

static void prepared_insert(MYSQL* m) {
  g_step = "prepared INSERT with bind_param (INT, VARCHAR, DOUBLE, NULL)";
  MYSQL_STMT* st = mysql_stmt_init(m);
  const char* sql = "INSERT INTO " DB ".vals (id, v, d, n) VALUES (?, ?, ?, ?)";
  if (mysql_stmt_prepare(st, sql, strlen(sql))) stmt_fail(st, "mysql_stmt_prepare");
  if (mysql_stmt_param_count(st) != 4)
    failf(m, "param_count %lu, want 4", mysql_stmt_param_count(st));
  for (int i = 0; i < kNumRows; ++i) {
    const struct row* r = &kRows[i];
    MYSQL_BIND b[4];
    memset(b, 0, sizeof b);
    int id = r->id, n = r->n;
    double d = r->d;
    my_bool v_null = r->v == NULL, d_null = (my_bool)r->d_null, n_null = (my_bool)r->n_null;
    unsigned long v_len = r->v ? strlen(r->v) : 0;
    b[0].buffer_type = MYSQL_TYPE_LONG;
    b[0].buffer = &id;
    b[1].buffer_type = MYSQL_TYPE_STRING;
    b[1].buffer = (void*)(r->v ? r->v : "");
    b[1].buffer_length = v_len;
    b[1].length = &v_len;
    b[1].is_null = &v_null;
    b[2].buffer_type = MYSQL_TYPE_DOUBLE;
    b[2].buffer = &d;
    b[2].is_null = &d_null;
    b[3].buffer_type = MYSQL_TYPE_LONG;
    b[3].buffer = &n;
    b[3].is_null = &n_null;
    if (mysql_stmt_bind_param(st, b)) stmt_fail(st, "mysql_stmt_bind_param");
    if (mysql_stmt_execute(st)) stmt_fail(st, "mysql_stmt_execute");
    if (mysql_stmt_affected_rows(st) != 1)
      failf(m, "row %d: affected_rows %llu, want 1", r->id,
            (unsigned long long)mysql_stmt_affected_rows(st));
  }
  mysql_stmt_close(st);
  ok();
}

/* SELECTs every row with id >= 1 through a prepared statement and compares with kRows.
 * Returns the number of rows fetched (only compared when equal to kNumRows, so a caller can
 * poll a replica), or -1 on a mismatch when `lenient` (else exits). */
static int prepared_select(MYSQL* m, const char* prefix, int store, int lenient) {
  MYSQL_STMT* st = mysql_stmt_init(m);
  char sql[256];
  snprintf(sql, sizeof sql, "%sSELECT id, v, d, n FROM " DB ".vals WHERE id >= ? ORDER BY id",
           prefix);
  if (mysql_stmt_prepare(st, sql, strlen(sql))) stmt_fail(st, "mysql_stmt_prepare");
  if (mysql_stmt_field_count(st) != 4)
    failf(m, "field_count %u, want 4", mysql_stmt_field_count(st));
  int from = 1;
  MYSQL_BIND p[1];
  memset(p, 0, sizeof p);
  p[0].buffer_type = MYSQL_TYPE_LONG;
  p[0].buffer = &from;
  if (mysql_stmt_bind_param(st, p)) stmt_fail(st, "mysql_stmt_bind_param");
  if (mysql_stmt_execute(st)) stmt_fail(st, "mysql_stmt_execute");

  int id = 0, n = 0;
  double d = 0;
  char v[128];
  unsigned long v_len = 0;
  my_bool nulls[4] = {0}, errors[4] = {0};
  MYSQL_BIND b[4];
  memset(b, 0, sizeof b);
  b[0].buffer_type = MYSQL_TYPE_LONG;
  b[0].buffer = &id;
  b[1].buffer_type = MYSQL_TYPE_STRING;
  b[1].buffer = v;
  b[1].buffer_length = sizeof v;
  b[1].length = &v_len;
  b[2].buffer_type = MYSQL_TYPE_DOUBLE;
  b[2].buffer = &d;
  b[3].buffer_type = MYSQL_TYPE_LONG;
  b[3].buffer = &n;
  for (int i = 0; i < 4; ++i) {
    b[i].is_null = &nulls[i];
    b[i].error = &errors[i];
  }
  if (mysql_stmt_bind_result(st, b)) stmt_fail(st, "mysql_stmt_bind_result");
  if (store && mysql_stmt_store_result(st)) stmt_fail(st, "mysql_stmt_store_result");
  int count = 0, rc;
  int bad = 0;
  char why[512] = "";
  while ((rc = mysql_stmt_fetch(st)) == 0) {
    if (count < kNumRows && !bad) {
      const struct row* r = &kRows[count];
      if (id != r->id)
        snprintf(why, sizeof why, "row %d: id %d", r->id, id), bad = 1;
      else if ((r->v == NULL) != (nulls[1] != 0))
        snprintf(why, sizeof why, "row %d: v is%s NULL", r->id, nulls[1] ? "" : " not"), bad = 1;
      else if (r->v && (v_len != strlen(r->v) || memcmp(v, r->v, v_len) != 0))
        snprintf(why, sizeof why, "row %d: v '%.*s', want '%s'", r->id, (int)v_len, v, r->v),
            bad = 1;
      else if (r->d_null != (nulls[2] != 0) || (!r->d_null && d != r->d))
        snprintf(why, sizeof why, "row %d: d %s%.17g, want %s%.17g", r->id, nulls[2] ? "NULL " : "",
                 d, r->d_null ? "NULL " : "", r->d),
            bad = 1;
      else if (r->n_null != (nulls[3] != 0) || (!r->n_null && n != r->n))
        snprintf(why, sizeof why, "row %d: n %s%d, want %s%d", r->id, nulls[3] ? "NULL " : "", n,
                 r->n_null ? "NULL " : "", r->n),
            bad = 1;
    }
    ++count;
  }
  if (rc != MYSQL_NO_DATA) stmt_fail(st, "mysql_stmt_fetch did not end with MYSQL_NO_DATA");
  if (store && mysql_stmt_num_rows(st) != (my_ulonglong)count)
    failf(m, "mysql_stmt_num_rows %llu but fetched %d", (unsigned long long)mysql_stmt_num_rows(st),
          count);
  mysql_stmt_close(st);
  if (count == kNumRows && bad) {
    if (lenient) return -1;
    failf(m, "%s", why);
  }
  return count;
}

/* "SELECT 1; SELECT 2" as one COM_QUERY: both results, then no more. */
static void select_1_2(MYSQL* m) {
  query(m, "SELECT 1; SELECT 2");
  for (int want = 1; want <= 2; ++want) {
    MYSQL_RES* r = mysql_store_result(m);
    if (!r) failf(m, "result %d: mysql_store_result returned NULL", want);
    MYSQL_ROW row = mysql_fetch_row(r);
    if (!row || !row[0] || atoi(row[0]) != want || mysql_num_rows(r) != 1)
      failf(m, "result %d: got '%s'", want, row && row[0] ? row[0] : "(none)");
    mysql_free_result(r);
    int more = mysql_next_result(m);
    if (want == 1 && more != 0)
      failf(m, "mysql_next_result after result 1 returned %d, want 0", more);
    if (want == 2 && more != -1)
      failf(m, "mysql_next_result after result 2 returned %d, want -1", more);
  }
}

static void check_multi_statements(MYSQL* m) {
  g_step = "multi-statements off: \"SELECT 1; SELECT 2\" is a syntax error";
  expect_error(m, "SELECT 1; SELECT 2", 1064);
  ok();

  g_step = "mysql_set_server_option(MYSQL_OPTION_MULTI_STATEMENTS_ON)";
  if (mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_ON)) failf(m, "failed");
  ok();

  g_step = "multi-statement SELECT 1; SELECT 2 with mysql_next_result";
  select_1_2(m);
  ok();

  g_step = "multi-statement with a write and an error in the middle";
  /* The server stops at the first failing statement: OK, then ERR. */
  if (mysql_query(
          m, "UPDATE " DB ".vals SET n = n WHERE id = 1; SELECT * FROM " DB ".nope; SELECT 3") != 0)
    failf(m, "the first statement should succeed");
  if (mysql_field_count(m) != 0) failf(m, "the UPDATE returned a result set");
  int more = mysql_next_result(m);
  if (more <= 0 || mysql_errno(m) != 1146)
    failf(m, "mysql_next_result returned %d with errno %u, want >0 and 1146", more, mysql_errno(m));
  expect_scalar(m, "SELECT 'in sync'", "in sync");
  ok();

  g_step = "mysql_set_server_option(MYSQL_OPTION_MULTI_STATEMENTS_OFF)";
  if (mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_OFF)) failf(m, "failed");
  expect_error(m, "SELECT 1; SELECT 2", 1064);
  ok();

  /* What PHP's mysqli_multi_query does: switch multi-statements on just for one call. Inside a
   * transaction the session stays on one backend connection, which must follow the switch. */
  g_step = "multi-statements switched on and off inside a transaction";
  query(m, "BEGIN");
  query(m, "UPDATE " DB ".vals SET n = 11 WHERE id = 1");
  if (mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_ON)) failf(m, "ON failed");
  select_1_2(m);
  if (mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_OFF)) failf(m, "OFF failed");
  expect_error(m, "SELECT 1; SELECT 2", 1064);
  query(m, "ROLLBACK");
  expect_scalar(m, "/* gatehouse:strategy=direct */ SELECT n FROM " DB ".vals WHERE id = 1", "10");
  ok();
}

/* Executes `st` (one INT parameter bound) 12 times, spread over replicas and pooled backend
 * connections, and checks each result: 2 columns, one row whose second value is 10. */
static void execute_expecting_row(MYSQL* m, MYSQL_STMT* st) {
  for (int i = 0; i < 12; ++i) {
    if (mysql_stmt_execute(st)) stmt_fail(st, "execute");
    if (mysql_stmt_field_count(st) != 2)
      failf(m, "execute %d: %u columns, want 2", i, mysql_stmt_field_count(st));
    int got_id = 0, got_a = 0;
    MYSQL_BIND out[2];
    memset(out, 0, sizeof out);
    out[0].buffer_type = out[1].buffer_type = MYSQL_TYPE_LONG;
    out[0].buffer = &got_id;
    out[1].buffer = &got_a;
    if (mysql_stmt_bind_result(st, out)) stmt_fail(st, "bind_result");
    if (mysql_stmt_store_result(st)) stmt_fail(st, "store_result");
    if (mysql_stmt_fetch(st)) stmt_fail(st, "fetch");
    if (got_id != 1 || got_a != 10)
      failf(m, "execute %d: row (%d, %d), want (1, 10)", i, got_id, got_a);
    if (mysql_stmt_fetch(st) != MYSQL_NO_DATA) failf(m, "execute %d: a second row", i);
    mysql_stmt_free_result(st);
  }
}

static MYSQL_STMT* prepare_with_id(MYSQL* m, const char* sql, int* id) {
  MYSQL_STMT* st = mysql_stmt_init(m);
  if (!st) failf(m, "mysql_stmt_init");
  if (mysql_stmt_prepare(st, sql, strlen(sql))) stmt_fail(st, "prepare");
  MYSQL_BIND p;
  memset(&p, 0, sizeof p);
  p.buffer_type = MYSQL_TYPE_LONG;
  p.buffer = id;
  if (mysql_stmt_bind_param(st, &p)) stmt_fail(st, "bind_param");
  return st;
}

/* MariaDB's metadata caching through the proxy. The proxy offers MARIADB_CLIENT_CACHE_METADATA;
 * servers then skip the column definitions of repeated executes. An ALTER TABLE that renames a
 * column changes the definitions of prepared SELECTs: `before` ran before it (its backend
 * connections resend the definitions themselves); `after` was only prepared, so the replicas
 * prepare it after the ALTER and skip definitions the client never saw, which the proxy puts
 * back (its metadata_injections counter). Every execute must still frame and decode correctly.
 * (Connector/C keeps the names it cached at prepare time, on a direct connection too.) */
static void check_cached_metadata(MYSQL* m) {
  g_step = "MariaDB metadata caching is negotiated";
  unsigned long ext = 0;
  if (mariadb_get_infov(m, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext))
    failf(m, "mariadb_get_infov failed");
  if (!(ext & (MARIADB_CLIENT_CACHE_METADATA >> 32)))
    failf(m, "extended capabilities %lx lack CACHE_METADATA", ext);
  ok();

  g_step = "prepared SELECTs stay correct when ALTER TABLE changes their metadata";
  query(m, "CREATE TABLE " DB ".meta (id INT PRIMARY KEY, a INT)");
  query(m, "INSERT INTO " DB ".meta VALUES (1, 10)");
  wait_on_every_node("SELECT COUNT(*) FROM " DB ".meta", "1");
  int id = 1;
  MYSQL_STMT* before = prepare_with_id(m, "SELECT * FROM " DB ".meta WHERE id = ?", &id);
  MYSQL_STMT* after = prepare_with_id(m, "SELECT * FROM " DB ".meta WHERE id = ? AND 1 = 1", &id);
  execute_expecting_row(m, before);
  query(m, "ALTER TABLE " DB ".meta CHANGE a renamed INT");
  wait_on_every_node("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '" DB
                     "' AND table_name = 'meta' AND column_name = 'renamed'",
                     "1");
  execute_expecting_row(m, after);
  execute_expecting_row(m, before);
  mysql_stmt_close(before);
  mysql_stmt_close(after);
  char* counters = scalar(m, "SELECT @gatehouse_cluster");
  if (!counters || !strstr(counters, "\"metadata_injections\":") ||
      strstr(counters, "\"metadata_injections\":0"))
    failf(m, "the proxy put no definitions back: %s", counters ? counters : "NULL");
  free(counters);
  ok();
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s HOST PORT USER PASSWORD\n", argv[0]);
    return 2;
  }
  g_host = argv[1];
  g_port = (unsigned)atoi(argv[2]);
  g_user = argv[3];
  g_password = argv[4];
  printf("Connector/C %s against %s:%u\n", mysql_get_client_info(), g_host, g_port);

  g_step = "mysql_real_connect";
  MYSQL* m = connect_as(g_user, g_password, NULL);
  if (mysql_errno(m)) failf(m, "cannot connect");
  if (!strstr(mysql_get_server_info(m), "MariaDB"))
    failf(m, "server version '%s'", mysql_get_server_info(m));
  ok();

  g_step = "mysql_query + mysql_store_result";
  query(m, "SELECT 1 + 1 AS two, 'x''y' AS s, NULL AS z UNION ALL SELECT 3, 'w', 4");
  MYSQL_RES* res = mysql_store_result(m);
  if (!res) failf(m, "mysql_store_result returned NULL");
  if (mysql_num_rows(res) != 2 || mysql_num_fields(res) != 3)
    failf(m, "%llu rows x %u columns, want 2 x 3", (unsigned long long)mysql_num_rows(res),
          mysql_num_fields(res));
  MYSQL_FIELD* f = mysql_fetch_fields(res);
  if (strcmp(f[0].name, "two") || strcmp(f[1].name, "s") || strcmp(f[2].name, "z"))
    failf(m, "column names %s, %s, %s", f[0].name, f[1].name, f[2].name);
  MYSQL_ROW row = mysql_fetch_row(res);
  if (!row || strcmp(row[0], "2") || strcmp(row[1], "x'y") || row[2] != NULL)
    failf(m, "first row differs");
  row = mysql_fetch_row(res);
  if (!row || strcmp(row[0], "3") || strcmp(row[1], "w") || !row[2] || strcmp(row[2], "4"))
    failf(m, "second row differs");
  if (mysql_fetch_row(res)) failf(m, "a third row");
  mysql_free_result(res);
  ok();

  g_step = "bad SQL is an error and the connection goes on";
  expect_error(m, "SELEC 1", 1064);
  if (strcmp(mysql_sqlstate(m), "42000")) failf(m, "sqlstate %s, want 42000", mysql_sqlstate(m));
  expect_scalar(m, "SELECT 'still here'", "still here");
  ok();

  g_step = "setup: " DB " with a table";
  query(m, "DROP DATABASE IF EXISTS " DB);
  query(m, "CREATE DATABASE " DB);
  query(m, "CREATE TABLE " DB
           ".vals (id INT NOT NULL PRIMARY KEY, v VARCHAR(64) NULL, d DOUBLE NULL, n INT NULL) "
           "DEFAULT CHARSET=utf8mb4");
  if (mysql_set_character_set(m, "utf8mb4")) failf(m, "mysql_set_character_set(utf8mb4)");
  wait_on_every_node("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" DB "'",
                     "1");
  ok();

  g_step = "mysql_select_db";
  if (mysql_select_db(m, DB)) failf(m, "mysql_select_db(" DB ") failed");
  expect_scalar(m, "SELECT DATABASE()", DB);
  expect_scalar(m, "SELECT COUNT(*) FROM vals", "0"); /* unqualified: the schema followed */
  if (mysql_select_db(m, "gh_no_such_db") == 0)
    failf(m, "mysql_select_db(gh_no_such_db) succeeded");
  if (mysql_errno(m) != 1049)
    failf(m, "mysql_select_db(gh_no_such_db): errno %u, want 1049", mysql_errno(m));
  expect_scalar(m, "SELECT DATABASE()", DB);
  ok();

  prepared_insert(m);

  g_step = "prepared SELECT with bind_result/fetch on the source (streamed rows)";
  int got = prepared_select(m, "/* gatehouse:strategy=direct */ ", 0, 0);
  if (got != kNumRows) failf(m, "fetched %d rows, want %d", got, kNumRows);
  ok();

  g_step = "prepared SELECT with mysql_stmt_store_result on a replica (once replicated)";
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    got = prepared_select(m, "", 1, 1);
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (got == kNumRows) break;
    if (now.tv_sec - start.tv_sec > 5)
      failf(m, "fetched %d rows after 5 s, want %d", got, kNumRows);
    nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
  }
  ok();

  g_step = "mysql_ping";
  if (mysql_ping(m)) failf(m, "mysql_ping failed");
  expect_scalar(m, "SELECT 'after ping'", "after ping");
  ok();

  g_step = "mysql_stat";
  const char* stat = mysql_stat(m);
  if (!stat || !strstr(stat, "Uptime:"))
    failf(m, "mysql_stat returned '%s'", stat ? stat : "(null)");
  printf("   stat: %s\n", stat);
  expect_scalar(m, "SELECT 'after stat'", "after stat");
  ok();

  g_step = "mysql_change_user (same user, schema " DB ")";
  if (mysql_change_user(m, g_user, g_password, DB)) failf(m, "mysql_change_user failed");
  expect_scalar(m, "SELECT DATABASE()", DB);
  expect_scalar(m, "SELECT COUNT(*) FROM vals", "5");
  ok();

  g_step = "mysql_change_user (same user, no schema)";
  if (mysql_change_user(m, g_user, g_password, NULL)) failf(m, "mysql_change_user failed");
  expect_scalar(m, "SELECT DATABASE()", NULL);
  for (int i = 0; i < 6; ++i)
    expect_scalar(m, "SELECT DATABASE()", NULL); /* on every pooled connection */
  if (mysql_select_db(m, DB)) failf(m, "mysql_select_db(" DB ") after change_user failed");
  ok();

  g_step = "mysql_change_user with a wrong password fails with 1045";
  if (mysql_change_user(m, g_user, "not-the-password", NULL) == 0) failf(m, "succeeded");
  if (mysql_errno(m) != 1045) failf(m, "errno %u, want 1045", mysql_errno(m));
  mysql_close(m);
  m = connect_as(g_user, g_password, DB);
  if (mysql_errno(m)) failf(m, "cannot reconnect");
  ok();

  g_step = "mysql_reset_connection clears session state";
  char* mode_before = scalar(m, "SELECT @@SESSION.sql_mode");
  query(m, "SET SESSION sql_mode = 'ANSI_QUOTES'");
  query(m, "SET @gh_user_var = 42");
  expect_scalar(m, "SELECT @gh_user_var", "42");
  expect_scalar(m, "SELECT @@SESSION.sql_mode", "ANSI_QUOTES");
  query(m, "CREATE TEMPORARY TABLE gh_tmp (x INT)");
  if (mysql_reset_connection(m)) failf(m, "mysql_reset_connection failed");
  expect_scalar(m, "SELECT @gh_user_var", NULL);
  for (int i = 0; i < 6; ++i) expect_scalar(m, "SELECT @@SESSION.sql_mode", mode_before);
  expect_error(m, "SELECT * FROM gh_tmp", 1146);
  expect_scalar(m, "SELECT COUNT(*) FROM " DB ".vals", "5");
  free(mode_before);
  ok();

  check_multi_statements(m);
  check_cached_metadata(m);

  g_step = "SELECT @gatehouse_last_node names a node";
  expect_scalar(m, "SELECT COUNT(*) FROM " DB ".vals", "5");
  char* node = scalar(m, "SELECT @gatehouse_last_node");
  if (!node || (strcmp(node, "replica1") && strcmp(node, "replica2") && strcmp(node, "source")))
    failf(m, "got '%s'", node ? node : "NULL");
  printf("   last node: %s\n", node);
  free(node);
  ok();

  g_step = "cleanup";
  query(m, "DROP DATABASE " DB);
  mysql_close(m);
  ok();

  g_step = "wrong password fails with 1045";
  m = connect_as(g_user, "definitely-wrong", NULL);
  if (mysql_errno(m) == 0) failf(m, "connected with a wrong password");
  if (mysql_errno(m) != 1045) failf(m, "errno %u, want 1045", mysql_errno(m));
  mysql_close(m);
  m = connect_as("gh_nobody", g_password, NULL);
  if (mysql_errno(m) != 1045) failf(m, "unknown user: errno %u, want 1045", mysql_errno(m));
  mysql_close(m);
  ok();

  printf("PASS: Connector/C checks\n");
  return 0;
}
