/*
 * test_api.c: the public API (include/floe.h) end to end on a temporary
 * warehouse: CREATE SCHEMA/TABLE (partitioned, properties), SHOW, DESCRIBE,
 * USE, DROP, SELECT over VALUES with expressions, results as text and
 * numbers, chunk iteration, errors with SQLSTATE and line/column, EXPLAIN,
 * INSERT and CTAS round trips.
 */
#include "../test.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../../include/floe.h"
#include "api_util.h"

typedef mt_api api;

/* Runs sql; on success renders every row as "v|v;" into out. */
static int q(api *a, const char *sql, char *out, size_t cap)
{
    floe_result *r = NULL;
    int rc = floe_query(a->conn, sql, &r);
    if (out) out[0] = '\0';
    if (rc < 0) return rc;
    size_t len = 0;
    while (floe_result_next(r) == 1 && out) {
        for (size_t c = 0; c < floe_result_column_count(r); c++) {
            const char *t = floe_result_get_text(r, c);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", c ? "|" : "", t ? t : "NULL");
            if (len >= cap) len = cap - 1;
        }
        len += (size_t)snprintf(out + len, cap - len, ";");
        if (len >= cap) len = cap - 1;
    }
    floe_result_free(r);
    return 0;
}

static bool ok(api *a, const char *sql, char *out, size_t cap)
{
    int rc = q(a, sql, out, cap);
    if (rc < 0) fprintf(stderr, "%s: %s\n", sql, floe_conn_error(a->conn));
    return CHECK(rc == 0);
}

TEST(api_select_values_and_expressions)
{
    api a;
    if (!mt_api_open(&a, 2)) return;
    char out[1024];
    ok(&a, "SELECT 1 + 2", out, sizeof out);
    CHECK_STR(out, "3;");
    ok(&a, "SELECT 1 + 2 AS three, 'x' || 'y', NULL, 2.50 * 2, 7 / 2, true AND NULL", out, sizeof out);
    CHECK_STR(out, "3|xy|NULL|5.00|3|NULL;");
    ok(&a, "SELECT a * 10, b FROM (VALUES (1, 'one'), (2, 'two'), (3, NULL)) AS t(a, b) WHERE a >= 2",
       out, sizeof out);
    CHECK_STR(out, "20|two;30|NULL;");
    ok(&a, "SELECT CASE WHEN x = 0 THEN NULL ELSE 10 / x END, coalesce(NULL, x), x IN (1, 2) "
           "FROM (VALUES (0), (2), (5)) AS t(x)", out, sizeof out);
    CHECK_STR(out, "NULL|0|false;5|2|true;2|5|false;");
    /* result metadata and numbers */
    floe_result *r = NULL;
    CHECK(floe_query(a.conn, "SELECT 42 AS answer, 'hi' AS greeting, 1.5::double AS d", &r) == 0);
    if (r) {
        CHECK_EQ(floe_result_column_count(r), 3);
        CHECK_STR(floe_result_column_name(r, 0), "answer");
        CHECK_EQ(floe_result_column_type(r, 0), FLOE_TYPE_INTEGER);
        CHECK_EQ(floe_result_column_type(r, 1), FLOE_TYPE_VARCHAR);
        CHECK_STR(floe_result_column_type_name(r, 2), "double");
        CHECK(floe_result_next(r) == 1);
        CHECK_EQ(floe_result_get_int64(r, 0), 42);
        CHECK(floe_result_get_double(r, 2) == 1.5);
        CHECK(!floe_result_is_null(r, 1));
        CHECK(floe_result_next(r) == 0);
        CHECK_EQ(floe_result_row_count(r), 1);
        CHECK(floe_result_elapsed_us(r) >= 0);
        floe_result_free(r);
    }
    /* chunk iteration over 5000 generated rows */
    r = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT 1");
    CHECK(floe_query(a.conn, "SELECT x FROM (VALUES (1), (2), (3)) t(x) LIMIT 2", &r) == 0);
    if (r) {
        size_t rows = 0, total = 0;
        while (floe_result_next_chunk(r, &rows) == 0 && rows > 0) {
            CHECK_STR(floe_result_chunk_text(r, 0, 0), "1");
            total += rows;
        }
        CHECK_EQ(total, 2);
        floe_result_free(r);
    }
    mt_api_close(&a);
}

TEST(api_errors_have_sqlstate_and_position)
{
    api a;
    if (!mt_api_open(&a, 2)) return;
    CHECK(q(&a, "SELECT 1;\nSELECT * FORM t", NULL, 0) == FLOE_ESYNTAX);
    CHECK_STR(floe_conn_sqlstate(a.conn), "42601");
    CHECK_EQ(floe_conn_error_line(a.conn), 2);
    CHECK_EQ(floe_conn_error_column(a.conn), 10);
    CHECK(q(&a, "SELECT nope FROM (VALUES (1)) t(x)", NULL, 0) < 0);
    CHECK_STR(floe_conn_sqlstate(a.conn), "42703");
    CHECK_EQ(floe_conn_error_line(a.conn), 1);
    CHECK_EQ(floe_conn_error_column(a.conn), 8);
    CHECK(q(&a, "SELECT * FROM missing_table", NULL, 0) == FLOE_ENOTFOUND);
    CHECK_STR(floe_conn_sqlstate(a.conn), "42P01");
    CHECK(q(&a, "SELECT 1 / 0", NULL, 0) < 0);
    CHECK_STR(floe_conn_sqlstate(a.conn), "22012");
    /* a good statement clears the error */
    char out[64];
    ok(&a, "SELECT 1", out, sizeof out);
    CHECK_STR(floe_conn_sqlstate(a.conn), "00000");
    CHECK_STR(floe_conn_error(a.conn), "");
    mt_api_close(&a);
}

TEST(api_ddl_show_describe)
{
    api a;
    if (!mt_api_open(&a, 2)) return;
    char out[2048];
    ok(&a, "CREATE SCHEMA sales", out, sizeof out);
    CHECK(q(&a, "CREATE SCHEMA sales", NULL, 0) == FLOE_EEXISTS);
    CHECK_STR(floe_conn_sqlstate(a.conn), "42P06");
    ok(&a, "CREATE SCHEMA IF NOT EXISTS sales", out, sizeof out);
    ok(&a, "CREATE DATABASE raw", out, sizeof out);
    ok(&a, "SHOW SCHEMAS", out, sizeof out);
    CHECK_STR(out, "default;raw;sales;");
    ok(&a, "SHOW SCHEMAS LIKE 's%'", out, sizeof out);
    CHECK_STR(out, "sales;");
    ok(&a, "CREATE TABLE sales.orders (id bigint NOT NULL, ts timestamp, amount decimal(7,2), "
           "country varchar) PARTITIONED BY (bucket(16, id), day(ts), country) "
           "TBLPROPERTIES ('write.format.default' = 'parquet')", out, sizeof out);
    ok(&a, "CREATE TABLE IF NOT EXISTS sales.orders (x int)", out, sizeof out);
    CHECK(q(&a, "CREATE TABLE sales.orders (x int)", NULL, 0) == FLOE_EEXISTS);
    CHECK_STR(floe_conn_sqlstate(a.conn), "42P07");
    ok(&a, "CREATE TABLE sales.events (e string, d date) USING iceberg PARTITIONED BY (months(d))", out,
       sizeof out);
    ok(&a, "CREATE TABLE sales.trino (k integer, ts timestamp) WITH (partitioning = ARRAY['day(ts)', 'bucket(k, 4)'])",
       out, sizeof out);
    CHECK(q(&a, "CREATE TABLE sales.bad (k integer) PARTITIONED BY (nosuch(k))", NULL, 0) < 0);
    CHECK(q(&a, "CREATE TABLE nowhere.t (k integer)", NULL, 0) == FLOE_ENOTFOUND);
    CHECK_STR(floe_conn_sqlstate(a.conn), "3F000");
    ok(&a, "SHOW TABLES FROM sales", out, sizeof out);
    CHECK_STR(out, "events;orders;trino;");
    ok(&a, "USE sales", out, sizeof out);
    ok(&a, "SHOW TABLES LIKE 'o%'", out, sizeof out);
    CHECK_STR(out, "orders;");
    ok(&a, "DESCRIBE orders", out, sizeof out);
    CHECK_STR(out, "id|bigint|NO;ts|timestamp|YES;amount|decimal(7,2)|YES;country|varchar|YES;");
    ok(&a, "SHOW CREATE TABLE orders", out, sizeof out);
    CHECK(strstr(out, "PARTITIONED BY (bucket(16, id), day(ts), country)") != NULL);
    CHECK(strstr(out, "'write.format.default' = 'parquet'") != NULL);
    ok(&a, "SHOW CREATE TABLE trino", out, sizeof out);
    CHECK(strstr(out, "PARTITIONED BY (day(ts), bucket(4, k))") != NULL);
    ok(&a, "SELECT count(*) FROM orders", out, sizeof out);
    CHECK_STR(out, "0;");
    CHECK(q(&a, "USE nowhere", NULL, 0) == FLOE_ENOTFOUND);
    ok(&a, "DROP TABLE orders", out, sizeof out);
    CHECK(q(&a, "DROP TABLE orders", NULL, 0) == FLOE_ENOTFOUND);
    ok(&a, "DROP TABLE IF EXISTS orders", out, sizeof out);
    CHECK(q(&a, "DROP SCHEMA sales", NULL, 0) < 0);
    CHECK_STR(floe_conn_sqlstate(a.conn), "2BP01");
    ok(&a, "DROP SCHEMA sales CASCADE", out, sizeof out);
    ok(&a, "DROP SCHEMA IF EXISTS sales", out, sizeof out);
    ok(&a, "SHOW SCHEMAS", out, sizeof out);
    CHECK_STR(out, "default;raw;");
    mt_api_close(&a);
}

TEST(api_insert_ctas_explain)
{
    api a;
    if (!mt_api_open(&a, 2)) return;
    char out[4096];
    ok(&a, "CREATE TABLE t (k integer, s varchar)", out, sizeof out);
    ok(&a, "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)", out, sizeof out);
    CHECK_STR(out, "3;");
    ok(&a, "SELECT k, s FROM t WHERE k > 1 ORDER BY k", out, sizeof out);
    CHECK_STR(out, "2|b;3|NULL;");
    ok(&a, "CREATE TABLE t2 AS SELECT k * 2 AS kk, s FROM t", out, sizeof out);
    CHECK_STR(out, "3;");
    ok(&a, "SELECT kk FROM t2 ORDER BY kk DESC", out, sizeof out);
    CHECK_STR(out, "6;4;2;");
    /* a failing CTAS leaves no table behind */
    CHECK(q(&a, "CREATE TABLE t3 AS SELECT 10 / (k - 2) AS x FROM t", NULL, 0) < 0);
    CHECK_STR(floe_conn_sqlstate(a.conn), "22012");
    CHECK(q(&a, "SELECT * FROM t3", NULL, 0) == FLOE_ENOTFOUND);
    ok(&a, "EXPLAIN SELECT k + 1 FROM t WHERE k > 1", out, sizeof out);
    CHECK(strstr(out, "logical plan:;") == out);
    CHECK(strstr(out, "physical plan:;") != NULL);
    CHECK(strstr(out, "TABLE_SCAN") != NULL);
    CHECK(strstr(out, "PROJECTION") != NULL);
    ok(&a, "EXPLAIN ANALYZE SELECT k FROM t", out, sizeof out);
    CHECK(strstr(out, "executed: 3 rows in ") != NULL);
    /* several statements: the last one's result */
    ok(&a, "INSERT INTO t VALUES (4, 'd'); SELECT count(*) FROM t", out, sizeof out);
    CHECK_STR(out, "4;");
    mt_api_close(&a);
}

typedef struct canceler {
    floe_conn *conn;
} canceler;

static void *cancel_soon(void *arg)
{
    canceler *c = arg;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    floe_conn_cancel(c->conn);
    return NULL;
}

/* Counts regular files under dir, recursively. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) n += count_files(path);
        else n++;
    }
    closedir(d);
    return n;
}

TEST(api_cancel_and_drop_removes_files)
{
    api a;
    if (!mt_api_open(&a, 2)) return;
    char out[256];
    /* a nested loop join of 3000 x 3000 rows with a per-pair predicate runs
     * well beyond the 100 ms after which another thread cancels it */
    ok(&a, "CREATE TABLE n AS SELECT x FROM (VALUES (1)) AS t(x)", out, sizeof out);
    for (int i = 0; i < 11; i++) ok(&a, "INSERT INTO n SELECT x + (SELECT count(*) FROM n) FROM n", out, sizeof out);
    ok(&a, "SELECT count(*) FROM n", out, sizeof out);
    CHECK_STR(out, "2048;");
    canceler c = {a.conn};
    pthread_t th;
    pthread_create(&th, NULL, cancel_soon, &c);
    int rc = q(&a, "SELECT count(*) FROM n a, n b, n c WHERE a.x + b.x < c.x", NULL, 0);
    pthread_join(th, NULL);
    CHECK_EQ(rc, FLOE_ECANCELED);
    CHECK_STR(floe_conn_sqlstate(a.conn), "57014");
    /* the connection works again afterwards */
    ok(&a, "SELECT 1", out, sizeof out);
    CHECK_STR(out, "1;");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/default/n", a.warehouse);
    CHECK(count_files(dir) > 0);
    ok(&a, "DROP TABLE n", out, sizeof out);
    CHECK_EQ(count_files(dir), 0);
    mt_api_close(&a);
}
