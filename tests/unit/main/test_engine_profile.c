/*
 * test_engine_profile.c: EXPLAIN ANALYZE's per-operator profile
 * (src/exec/ex_profile.h) through the public API on a temporary warehouse:
 * every operator line carries its actual output rows, which must equal the
 * rows the operator really produces (scan, filter, aggregate, join,
 * projection, TOPN), CPU times are non-negative and their shares add up to
 * at most 100%, and the totals line states the result rows and threads.
 */
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../include/floe.h"
#include "api_util.h"

typedef mt_api prof_api;

/* Runs sql; the rows' first columns joined by '\n' into out. */
static bool run(prof_api *a, const char *sql, char *out, size_t cap)
{
    floe_result *r = NULL;
    out[0] = '\0';
    if (floe_query(a->conn, sql, &r) < 0) {
        fprintf(stderr, "%s: %s\n", sql, floe_conn_error(a->conn));
        return CHECK(false);
    }
    size_t len = 0;
    while (floe_result_next(r) == 1) {
        const char *t = floe_result_get_text(r, 0);
        len += (size_t)snprintf(out + len, cap - len, "%s\n", t ? t : "NULL");
        if (len >= cap) len = cap - 1;
    }
    floe_result_free(r);
    return true;
}

/* The physical plan line starting (after indentation) with `op`, n-th
 * match from 0; NULL if none. Its "actual rows=" figure in *rows. */
static const char *op_line(const char *text, const char *op, int nth, long long *rows,
                           double *cpu_ms, double *pct)
{
    const char *p = strstr(text, "physical plan:\n");
    if (!p) return NULL;
    for (p = strchr(p, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        const char *s = p;
        while (*s == ' ') s++;
        if (!strncmp(s, op, strlen(op)) && (s[strlen(op)] == ' ' || s[strlen(op)] == '\n') &&
            nth-- == 0) {
            const char *a = strstr(s, "(actual rows=");
            const char *nl = strchr(s, '\n');
            if (!a || (nl && a > nl)) return NULL;
            if (sscanf(a, "(actual rows=%lld cpu=%lf ms %lf%%)", rows, cpu_ms, pct) != 3) return NULL;
            return s;
        }
        if (!strchr(p, '\n')) break;
    }
    return NULL;
}

static long long rows_of(const char *text, const char *op, int nth)
{
    long long rows = -1;
    double cpu = -1, pct = -1;
    if (!op_line(text, op, nth, &rows, &cpu, &pct)) return -1;
    CHECK(cpu >= 0);
    CHECK(pct >= 0 && pct <= 100.0);
    return rows;
}

/* t: k in [0, 4096), g = k % 10; u: k in [0, 100) step 1 with k < 50 only. */
static bool load(prof_api *a)
{
    char out[256];
    if (!run(a, "CREATE TABLE d (x integer)", out, sizeof out)) return false;
    if (!run(a, "INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7)", out, sizeof out)) return false;
    if (!run(a, "CREATE TABLE t AS SELECT a.x * 512 + b.x * 64 + c.x * 8 + e.x AS k, "
                "(a.x * 512 + b.x * 64 + c.x * 8 + e.x) % 10 AS g FROM d a, d b, d c, d e",
             out, sizeof out))
        return false;
    if (!CHECK_STR(out, "4096\n")) return false;
    return run(a, "CREATE TABLE u AS SELECT k FROM t WHERE k < 50", out, sizeof out) &&
           CHECK_STR(out, "50\n");
}

static void check_shares(const char *text)
{
    /* shares of operators + collector + runner: at most 100% (rounding) */
    double sum = 0;
    for (const char *p = text; (p = strstr(p, "ms ")) != NULL; p += 3) {
        double pct;
        if (sscanf(p, "ms %lf%%", &pct) == 1) sum += pct;
    }
    CHECK(sum > 0);
    CHECK(sum <= 100.5);
}

TEST(engine_explain_analyze_rows)
{
    static const int thread_counts[] = {1, 2};
    for (size_t ti = 0; ti < sizeof thread_counts / sizeof *thread_counts; ti++) {
        prof_api a;
        if (!mt_api_open(&a, thread_counts[ti])) return;
        char *out = malloc(1 << 16);
        if (!CHECK(out) || !load(&a)) goto next;

        /* scan -> filter -> aggregate -> projection */
        run(&a, "EXPLAIN ANALYZE SELECT g, count(*) FROM t WHERE k % 3 = 0 GROUP BY g", out, 1 << 16);
        CHECK(rows_of(out, "TABLE_SCAN", 0) >= 1366);       /* filter may run in the scan */
        CHECK(rows_of(out, "TABLE_SCAN", 0) <= 4096);
        CHECK(rows_of(out, "HASH_GROUP_BY", 0) == 10);
        CHECK(rows_of(out, "PROJECTION", 0) == 10 || rows_of(out, "PROJECTION", 0) == -1);
        CHECK(strstr(out, "total: rows=10 ") != NULL);
        char want[64];
        snprintf(want, sizeof want, "threads=%d ", thread_counts[ti]);
        CHECK(strstr(out, want) != NULL);
        CHECK(strstr(out, "executed: 10 rows in ") != NULL);
        check_shares(out);

        /* every row of the big scan: 4096, aggregate without groups 1 */
        run(&a, "EXPLAIN ANALYZE SELECT sum(k) FROM t", out, 1 << 16);
        CHECK(rows_of(out, "TABLE_SCAN", 0) == 4096);
        CHECK(rows_of(out, "HASH_GROUP_BY", 0) == 1);
        CHECK(strstr(out, "total: rows=1 ") != NULL);

        /* join: the probe side's scan, the build side's scan, the join's output */
        run(&a, "EXPLAIN ANALYZE SELECT t.k, t.g FROM t JOIN u ON t.k = u.k", out, 1 << 16);
        CHECK(rows_of(out, "HASH_JOIN", 0) == 50);
        long long s0 = rows_of(out, "TABLE_SCAN", 0), s1 = rows_of(out, "TABLE_SCAN", 1);
        CHECK((s0 == 4096 && s1 == 50) || (s0 == 50 && s1 == 4096));
        CHECK(strstr(out, "total: rows=50 ") != NULL);

        /* ORDER BY ... LIMIT: TOP_N emits the limit */
        run(&a, "EXPLAIN ANALYZE SELECT k FROM t ORDER BY k DESC LIMIT 7", out, 1 << 16);
        CHECK(rows_of(out, "TOP_N", 0) == 7);
        CHECK(rows_of(out, "TABLE_SCAN", 0) == 4096);
        CHECK(strstr(out, "total: rows=7 ") != NULL);

        /* plain EXPLAIN runs nothing and prints no actual figures */
        run(&a, "EXPLAIN SELECT sum(k) FROM t", out, 1 << 16);
        CHECK(strstr(out, "actual rows=") == NULL);
        CHECK(strstr(out, "total:") == NULL);
    next:
        free(out);
        mt_api_close(&a);
    }
}

TEST(engine_explain_analyze_errors_and_empty)
{
    prof_api a;
    if (!mt_api_open(&a, 2)) return;
    char out[8192];
    if (!load(&a)) goto done;
    /* no rows at all: every operator says 0 */
    run(&a, "EXPLAIN ANALYZE SELECT k FROM t WHERE k < 0", out, sizeof out);
    CHECK(rows_of(out, "TABLE_SCAN", 0) == 0);
    CHECK(strstr(out, "total: rows=0 ") != NULL);
    /* a query failing at run time fails EXPLAIN ANALYZE with its error */
    floe_result *r = NULL;
    CHECK(floe_query(a.conn, "EXPLAIN ANALYZE SELECT 10 / (k - 5) FROM t", &r) < 0);
    CHECK_STR(floe_conn_sqlstate(a.conn), "22012");
    floe_result_free(r);
    /* the connection still works */
    run(&a, "SELECT count(*) FROM u", out, sizeof out);
    CHECK_STR(out, "50\n");
done:
    mt_api_close(&a);
}
