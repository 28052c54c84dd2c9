/*
 * fuzz_sql_exec.c: libFuzzer target for the whole SQL engine: the input is
 * SQL text run through the public API (floe_query) against one database
 * per process, so the binder, optimizer, planner, functions and operators
 * all see fuzzed statements, not just the parser (fuzz_sql_parse.c).
 *
 * The database: LLVMFuzzerInitialize makes a temporary directory with a
 * warehouse holding a few small tables of every common type, with NULLs:
 *   t1(i integer, b bigint, d decimal(10,2), dt date, s varchar, f double,
 *      bo boolean, ts timestamp)      7 rows
 *   t2(k integer, v varchar, w decimal(38,10))     5 rows
 *   p(id bigint, region varchar, dt date, amount decimal(12,2))
 *      PARTITIONED BY (region, days(dt))           6 rows, 3+ partitions
 *   e(a integer, b varchar)           empty
 * plus the TPC-DS schema (empty tables; date_dim, item, store, customer and
 * store_sales get a few rows) when $FLOE_SHARED/tpcds/schema (or
 * /work/shared) exists, so TPC-DS seeds bind and run. The warehouse is then
 * copied to <tmp>/template.
 *
 * Statements that may change state (anything but a query, SHOW, DESCRIBE,
 * EXPLAIN of a query) are allowed, but after such an input the database is
 * closed, the warehouse restored from the template and reopened. So every
 * input starts from the same pristine database and a crashing input
 * reproduces on its own; read-only inputs (most of them) pay nothing.
 * The input is parsed here first (sql_parse) to tell the two apart; text
 * that does not parse is still run (floe_query parses the whole script
 * before executing anything, so it cannot change state).
 *
 * Guards: inputs over 4 KB are ignored; a watchdog thread cancels
 * (floe_conn_cancel) a statement still running after 1 s (floe has no
 * statement timeout), so a slow query is not a finding but a statement that
 * ignores cancellation shows up as a libFuzzer timeout; at most 10000 result
 * rows are read. File paths in COPY and LOCATION must be relative and
 * without "..": the working directory is <tmp>/scratch, wiped on reset, so
 * fuzzed statements cannot write outside the temporary directory.
 *
 * Besides "no crash, no sanitizer report, no leak", a failing statement
 * must leave an error message and a 5-character SQLSTATE other than 00000.
 * With $FUZZ_SQL_EXEC_VERBOSE set, each input's outcome is printed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "floe.h"
#include "../src/base/arena.h"
#include "../src/sql/parse/sql_parser.h"

#define MAX_INPUT 4096
#define MAX_ROWS 10000
#define TIMEOUT_MS 1000

static char g_dir[512], g_wh[600], g_tmpl[600], g_scratch[600];
static floe_db *g_db;
static floe_conn *g_conn;
static int g_verbose;            /* $FUZZ_SQL_EXEC_VERBOSE: print each outcome */

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static floe_conn *g_running;     /* the connection running a statement */
static uint64_t g_generation;    /* bumped per statement */
static struct timespec g_deadline;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_sql_exec: %s: %s\n", what, detail ? detail : "");
    abort();
}

static void check(int ok, const char *what)
{
    if (!ok) die("check failed", what);
}

/* ---- the watchdog ---- */

static void *watchdog(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_mu);
    for (;;) {
        while (!g_running) pthread_cond_wait(&g_cv, &g_mu);
        uint64_t gen = g_generation;
        int rc = 0;
        while (g_running && g_generation == gen && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&g_cv, &g_mu, &g_deadline);
        if (g_running && g_generation == gen && rc == ETIMEDOUT) {
            floe_conn_cancel(g_running);
            /* wait for the statement to end */
            while (g_running && g_generation == gen) pthread_cond_wait(&g_cv, &g_mu);
        }
    }
    return NULL;
}

static void watch_begin(floe_conn *conn)
{
    pthread_mutex_lock(&g_mu);
    clock_gettime(CLOCK_REALTIME, &g_deadline);
    g_deadline.tv_nsec += (long)(TIMEOUT_MS % 1000) * 1000000L;
    g_deadline.tv_sec += TIMEOUT_MS / 1000 + g_deadline.tv_nsec / 1000000000L;
    g_deadline.tv_nsec %= 1000000000L;
    g_generation++;
    g_running = conn;
    pthread_cond_broadcast(&g_cv);
    pthread_mutex_unlock(&g_mu);
}

static void watch_end(void)
{
    pthread_mutex_lock(&g_mu);
    g_running = NULL;
    g_generation++;
    pthread_cond_broadcast(&g_cv);
    pthread_mutex_unlock(&g_mu);
}

/* ---- files ---- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *dir) { nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    if (!in || !out) die("copy", from);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) die("copy write", to);
    fclose(in);
    if (fclose(out) != 0) die("copy close", to);
}

static const char *g_copy_from, *g_copy_to;

static int copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)ftw;
    char target[1200];
    snprintf(target, sizeof target, "%s%s", g_copy_to, path + strlen(g_copy_from));
    if (flag == FTW_D) {
        if (mkdir(target, 0755) != 0 && errno != EEXIST) die("mkdir", target);
    } else if (flag == FTW_F) {
        copy_file(path, target);
    }
    return 0;
}

static void copy_tree(const char *from, const char *to)
{
    g_copy_from = from;
    g_copy_to = to;
    if (nftw(from, copy_entry, 16, FTW_PHYS) != 0) die("copy tree", from);
}

/* ---- the database ---- */

static void db_open(void)
{
    char errbuf[512];
    floe_db_options o = {.warehouse = g_wh, .threads = 1};
    if (floe_db_open(&g_db, &o, errbuf, sizeof errbuf) != 0) die("floe_db_open", errbuf);
    if (floe_conn_open(&g_conn, g_db) != 0) die("floe_conn_open", "");
}

static void db_close(void)
{
    floe_conn_close(g_conn);
    floe_db_close(g_db);
    g_conn = NULL;
    g_db = NULL;
}

static void setup_exec(const char *sql)
{
    if (floe_query(g_conn, sql, NULL) != 0) die(sql, floe_conn_error(g_conn));
}

static const char *const SETUP[] = {
    "CREATE TABLE t1 (i integer, b bigint, d decimal(10,2), dt date, s varchar, f double, "
    "bo boolean, ts timestamp)",
    "INSERT INTO t1 VALUES (1, 10, 1.50, DATE '2024-01-01', 'a', 0.5, true, TIMESTAMP '2024-01-01 10:00:00'),"
    " (2, -20, -2.25, DATE '2023-12-31', 'bb', -1.5, false, TIMESTAMP '2023-12-31 23:59:59'),"
    " (3, 9223372036854775807, 99999999.99, DATE '1970-01-01', '', 1e300, NULL, NULL),"
    " (-2147483648, -9223372036854775808, -99999999.99, DATE '0001-01-01', 'héllo', -0.0, true, "
    "TIMESTAMP '1900-02-28 00:00:00.000001'),"
    " (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
    " (2, 20, 0.00, DATE '2024-02-29', 'a%_b', 'NaN'::double, false, TIMESTAMP '2024-02-29 12:00:00'),"
    " (7, 7, 7.07, DATE '9999-12-31', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 7, true, TIMESTAMP '2038-01-19 03:14:08')",
    "CREATE TABLE t2 (k integer, v varchar, w decimal(38,10))",
    "INSERT INTO t2 VALUES (1, 'one', 1.0000000001), (2, 'two', NULL), (2, 'deux', -12345678901234567890.5),"
    " (NULL, 'null', 0), (5, NULL, 99999999999999999999999999.9999999999)",
    "CREATE TABLE p (id bigint, region varchar, dt date, amount decimal(12,2)) "
    "PARTITIONED BY (region, days(dt))",
    "INSERT INTO p VALUES (1, 'eu', DATE '2024-01-01', 10.00), (2, 'eu', DATE '2024-01-02', 20.50),"
    " (3, 'us', DATE '2024-01-01', NULL), (4, NULL, NULL, 1.25), (5, 'us', DATE '2024-03-01', -3.00),"
    " (6, 'apac', DATE '2024-01-01', 0.01)",
    "CREATE TABLE e (a integer, b varchar)",
};

static const char *const TPCDS_ROWS[] = {
    "INSERT INTO date_dim (d_date_sk, d_date_id, d_date, d_year, d_moy, d_dom, d_qoy, d_day_name, d_week_seq,"
    " d_month_seq) VALUES (2451545, 'AAAAAAAA', DATE '2000-01-01', 2000, 1, 1, 1, 'Saturday', 5218, 1200),"
    " (2451546, 'AAAAAAAB', DATE '2000-01-02', 2000, 1, 2, 1, 'Sunday', 5219, 1200),"
    " (2451911, 'AAAAAAAC', DATE '2001-01-01', 2001, 1, 1, 1, 'Monday', 5270, 1212)",
    "INSERT INTO item (i_item_sk, i_item_id, i_category, i_class, i_brand, i_brand_id, i_manufact_id,"
    " i_current_price, i_manager_id) VALUES (1, 'ITEM1', 'Books', 'fiction', 'b1', 1, 1, 9.99, 1),"
    " (2, 'ITEM2', 'Music', 'rock', 'b2', 2, 128, 1.00, 28), (3, 'ITEM3', NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "INSERT INTO store (s_store_sk, s_store_id, s_store_name, s_state, s_city) VALUES"
    " (1, 'S1', 'ought', 'TN', 'Midway'), (2, 'S2', 'able', 'CA', NULL)",
    "INSERT INTO customer (c_customer_sk, c_customer_id, c_first_name, c_last_name, c_birth_year)"
    " VALUES (1, 'C1', 'Ann', 'Lee', 1970), (2, 'C2', NULL, 'Kim', NULL)",
    "INSERT INTO store_sales (ss_sold_date_sk, ss_item_sk, ss_customer_sk, ss_store_sk, ss_ticket_number,"
    " ss_quantity, ss_sales_price, ss_ext_sales_price, ss_net_profit) VALUES"
    " (2451545, 1, 1, 1, 1, 3, 9.99, 29.97, 5.00), (2451546, 2, 2, 2, 2, 1, 1.00, 1.00, -0.50),"
    " (2451911, 1, NULL, 1, 3, NULL, NULL, NULL, NULL), (NULL, 3, 1, NULL, 4, 10, 0.10, 1.00, 0.00)",
};

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(65536);
    if (!buf) die("malloc", "");
    size_t n = fread(buf, 1, 65535, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static void setup_tpcds(void)
{
    const char *shared = getenv("FLOE_SHARED");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/tpcds/schema", shared ? shared : "/work/shared");
    static const char *const tables[] = {
        "call_center", "catalog_page", "catalog_returns", "catalog_sales", "customer",
        "customer_address", "customer_demographics", "date_dim", "household_demographics",
        "income_band", "inventory", "item", "promotion", "reason", "ship_mode", "store",
        "store_returns", "store_sales", "time_dim", "warehouse", "web_page", "web_returns",
        "web_sales", "web_site"};
    int created = 0;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s.sql", dir, tables[i]);
        char *sql = read_text(path);
        if (!sql) continue;
        if (floe_query(g_conn, sql, NULL) == 0) created++;
        else fprintf(stderr, "fuzz_sql_exec: %s: %s\n", path, floe_conn_error(g_conn));
        free(sql);
    }
    if (created == (int)(sizeof tables / sizeof tables[0]))
        for (size_t i = 0; i < sizeof TPCDS_ROWS / sizeof TPCDS_ROWS[0]; i++) setup_exec(TPCDS_ROWS[i]);
}

static void reset_db(void)
{
    db_close();
    rm_tree(g_wh);
    copy_tree(g_tmpl, g_wh);
    rm_tree(g_scratch);
    if (mkdir(g_scratch, 0755) != 0) die("mkdir", g_scratch);
    if (chdir(g_scratch) != 0) die("chdir", g_scratch);
    db_open();
}

static void cleanup(void) { rm_tree(g_dir); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/fuzz_sql_exec.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) die("mkdtemp", g_dir);
    snprintf(g_wh, sizeof g_wh, "%s/warehouse", g_dir);
    snprintf(g_tmpl, sizeof g_tmpl, "%s/template", g_dir);
    snprintf(g_scratch, sizeof g_scratch, "%s/scratch", g_dir);
    if (mkdir(g_wh, 0755) != 0 || mkdir(g_scratch, 0755) != 0) die("mkdir", g_dir);
    if (chdir(g_scratch) != 0) die("chdir", g_scratch);
    atexit(cleanup);
    g_verbose = getenv("FUZZ_SQL_EXEC_VERBOSE") != NULL;
    db_open();
    for (size_t i = 0; i < sizeof SETUP / sizeof SETUP[0]; i++) setup_exec(SETUP[i]);
    setup_tpcds();
    db_close();
    copy_tree(g_wh, g_tmpl);
    db_open();
    pthread_t th;
    if (pthread_create(&th, NULL, watchdog, NULL) != 0) die("pthread_create", "");
    pthread_detach(th);
    return 0;
}

/* ---- classifying the input ---- */

/* A path fuzzed statements may write: relative, no "..". */
static int safe_path(const char *p)
{
    return !p || (p[0] != '/' && p[0] != '~' && !strstr(p, "..") && !strchr(p, ':'));
}

enum { RUN_READONLY, RUN_MUTATING, RUN_REJECT };

static int classify_stmt(const sql_stmt *st)
{
    switch (st->kind) {
    case SQL_STMT_QUERY:
    case SQL_STMT_SHOW:
    case SQL_STMT_DESCRIBE:
        return RUN_READONLY;
    case SQL_STMT_EXPLAIN:
        return st->u.explain.stmt ? classify_stmt(st->u.explain.stmt) : RUN_READONLY;
    case SQL_STMT_COPY:
        return safe_path(st->u.copy.path) ? RUN_MUTATING : RUN_REJECT;
    case SQL_STMT_CREATE_TABLE:
        return safe_path(st->u.create_table.location) ? RUN_MUTATING : RUN_REJECT;
    case SQL_STMT_CREATE_SCHEMA:
        return safe_path(st->u.create_schema.location) ? RUN_MUTATING : RUN_REJECT;
    default:
        return RUN_MUTATING;
    }
}

static int classify(const char *text, size_t len)
{
    fl_arena *arena = fl_arena_new(0);
    check(arena != NULL, "arena");
    sql_script s;
    fl_error err;
    int kind = RUN_READONLY;
    if (sql_parse(&s, text, len, arena, &err) == 0) {
        for (uint32_t i = 0; i < s.count && kind != RUN_REJECT; i++) {
            int k = classify_stmt(s.stmts[i]);
            if (k > kind) kind = k;
        }
    }
    fl_arena_free(arena);
    return kind;
}

static void consume(floe_result *r)
{
    size_t cols = floe_result_column_count(r);
    for (size_t c = 0; c < cols; c++) {
        check(floe_result_column_name(r, c) != NULL, "column name");
        check(floe_result_column_type_name(r, c) != NULL, "column type name");
    }
    for (int row = 0; row < MAX_ROWS && floe_result_next(r) > 0; row++)
        for (size_t c = 0; c < cols; c++) {
            if (floe_result_is_null(r, c)) continue;
            const char *t = floe_result_get_text(r, c);
            check(t != NULL, "text value");
            (void)floe_result_get_double(r, c);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT) return -1;
    char *sql = malloc(size + 1);
    check(sql != NULL, "malloc");
    memcpy(sql, data, size);
    sql[size] = 0;
    if (strlen(sql) != size) {   /* embedded NUL: the API takes C strings */
        free(sql);
        return -1;
    }
    int kind = classify(sql, size);
    if (kind == RUN_REJECT) {
        free(sql);
        return -1;
    }
    floe_result *res = NULL;
    watch_begin(g_conn);
    int rc = floe_query(g_conn, sql, &res);
    if (rc == 0 && res) consume(res);
    watch_end();
    if (rc != 0) {
        check(res == NULL, "result on error");
        const char *msg = floe_conn_error(g_conn);
        const char *state = floe_conn_sqlstate(g_conn);
        check(msg && msg[0], "error message");
        check(state && strlen(state) == 5 && strcmp(state, "00000") != 0, "sqlstate");
    }
    if (g_verbose)
        fprintf(stderr, "fuzz_sql_exec: %s%s%s\n", rc == 0 ? "ok" : floe_conn_sqlstate(g_conn),
                rc == 0 ? "" : " ", rc == 0 ? "" : floe_conn_error(g_conn));
    floe_result_free(res);
    if (kind == RUN_MUTATING) reset_db();
    free(sql);
    return 0;
}
