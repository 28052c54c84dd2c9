/*
 * test_sql_errors_api.c: error quality of bad SQL through the public API
 * (include/floe.h): each statement must fail with the expected SQLSTATE,
 * a message containing the expected text, and, for syntax and binding
 * errors, the 1-based line and column of the offending token from
 * floe_conn_error_line/column (0 for run-time errors such as division by
 * zero, which have no position). The failed statements must leave the
 * tables unchanged and the connection usable. tests/sql/robustness/
 * errors.test checks the same messages through floe-sqltest.
 */
#include "../test.h"

#include <stdio.h>
#include <string.h>

#include "../../../include/floe.h"

typedef struct bad_sql {
    const char *sql;
    const char *sqlstate;
    int line, column;        /* 0, 0: no position expected */
    const char *message;     /* substring of the message */
} bad_sql;

static const bad_sql BAD[] = {
    {"SELEC a FROM t", "42601", 1, 1, "syntax error at or near \"SELEC\""},
    {"SELECT a FORM t", "42601", 1, 15, "syntax error at or near \"t\""},
    {"SELECT a\nFROM t\nWHERE b = 'x' ORDER a", "42601", 3, 21, "syntax error at or near \"a\""},
    {"SELECT 1 +", "42601", 1, 11, "syntax error at end of input"},
    {"SELECT 'abc", "42601", 1, 8, "unterminated quoted string"},
    {"SELECT nope FROM t", "42703", 1, 8, "column \"nope\" does not exist"},
    {"SELECT a FROM t\nWHERE nope = 1", "42703", 2, 7, "column \"nope\" does not exist"},
    {"SELECT x.a FROM t", "42P01", 1, 8, "missing FROM-clause entry for table \"x\""},
    {"SELECT a FROM nosuchtable", "42P01", 1, 15, "nosuchtable does not exist"},
    {"SELECT nosuchfunc(a) FROM t", "42883", 1, 8, "function nosuchfunc does not exist"},
    {"SELECT\n  upper(a)\nFROM t", "42883", 2, 3, "function upper(integer) does not exist"},
    {"SELECT a + 'abc' FROM t", "42883", 1, 8, "function +(integer, varchar) does not exist"},
    {"SELECT sum(b) FROM t", "42883", 1, 8, "function sum(varchar) does not exist"},
    {"SELECT 1 / 0", "22012", 0, 0, "division by zero"},
    {"SELECT a % 0 FROM t", "22012", 0, 0, "division by zero"},
    {"SELECT CAST('abc' AS integer)", "22018", 1, 8, "cannot cast 'abc' to integer"},
    {"SELECT CAST('2024-13-45' AS date)", "22018", 1, 8, "cannot cast '2024-13-45' to date"},
    {"SELECT CAST(300 AS tinyint)", "22003", 1, 8, "out of range"},
    {"SELECT DATE '2024-02-30'", "22007", 1, 8, "invalid date literal"},
    {"SELECT a, b FROM t GROUP BY a", "42803", 1, 11, "must appear in the GROUP BY clause"},
    {"SELECT b, count(*) FROM t", "42803", 1, 8, "must appear in the GROUP BY clause"},
    {"SELECT count(*) FROM t WHERE sum(a) > 1", "42803", 1, 30, "aggregate functions are not allowed in WHERE"},
    {"SELECT a FROM t, u", "42702", 1, 8, "column reference \"a\" is ambiguous"},
    {"SELECT b FROM t WHERE a = (SELECT a FROM t)", "21000", 0, 0, "more than one row returned by a subquery"},
    {"SELECT a FROM t WHERE a IN (SELECT a, c FROM u)", "42601", 1, 23, "subquery must return only one column"},
    {"INSERT INTO t VALUES (1, 'x')", "42601", 1, 15, "INSERT has fewer expressions than target columns"},
    {"INSERT INTO t VALUES (1, 'x', 1, DATE '2024-01-01', 5)", "42601", 1, 15,
     "INSERT has more expressions than target columns"},
    {"SELECT a FROM t ORDER BY 5", "42P10", 1, 26, "ORDER BY position 5 is not in select list"},
    {"SELECT a FROM t UNION SELECT a, c FROM u", "42601", 1, 23, "same number of columns"},
    {"SELECT 2147483647::integer + 1", "22003", 0, 0, "integer addition overflow"},
    {"SELECT a FROM t WHERE b", "42804", 1, 23, "argument of WHERE must be type boolean"},
    {"SELECT row_number() FROM t", "42809", 1, 8, "requires an OVER clause"},
};

static bool run_ok(floe_conn *c, const char *sql)
{
    int rc = floe_query(c, sql, NULL);
    if (rc != 0) fprintf(stderr, "%s: %s\n", sql, floe_conn_error(c));
    return CHECK(rc == 0);
}

TEST(sql_errors_sqlstate_and_position)
{
    char errbuf[256] = "";
    floe_db_options o = {.warehouse = ft_tmpdir(), .threads = 1};
    floe_db *db = NULL;
    floe_conn *c = NULL;
    if (!CHECK(floe_db_open(&db, &o, errbuf, sizeof errbuf) == 0)) return;
    if (!CHECK(floe_conn_open(&c, db) == 0)) {
        floe_db_close(db);
        return;
    }
    run_ok(c, "CREATE TABLE t (a integer, b varchar, d decimal(10,2), dt date)");
    run_ok(c, "INSERT INTO t VALUES (1, 'x', 1.50, DATE '2024-01-01'), (2, 'y', NULL, NULL), "
              "(2, 'z', 3.00, DATE '2024-02-01')");
    run_ok(c, "CREATE TABLE u (a integer, c varchar)");
    run_ok(c, "INSERT INTO u VALUES (1, 'p'), (2, 'q')");
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_sql *b = &BAD[i];
        floe_result *r = (floe_result *)&r;   /* must be reset to NULL */
        int rc = floe_query(c, b->sql, &r);
        bool ok = CHECK(rc < 0) && CHECK(r == NULL);
        ok = CHECK_STR(floe_conn_sqlstate(c), b->sqlstate) && ok;
        ok = CHECK(strstr(floe_conn_error(c), b->message) != NULL) && ok;
        ok = CHECK_EQ(floe_conn_error_line(c), b->line) && ok;
        ok = CHECK_EQ(floe_conn_error_column(c), b->column) && ok;
        if (!ok) fprintf(stderr, "  for: %s\n  got: %s %s\n", b->sql, floe_conn_sqlstate(c), floe_conn_error(c));
        if (rc == 0) floe_result_free(r);
    }
    /* nothing changed, and the connection still works (error cleared) */
    floe_result *r = NULL;
    if (CHECK(floe_query(c, "SELECT count(*), sum(a) FROM t", &r) == 0)) {
        CHECK_STR(floe_conn_sqlstate(c), "00000");
        CHECK_EQ(floe_conn_error_line(c), 0);
        CHECK(floe_result_next(r) == 1);
        CHECK_EQ(floe_result_get_int64(r, 0), 3);
        CHECK_EQ(floe_result_get_int64(r, 1), 5);
        floe_result_free(r);
    }
    floe_conn_close(c);
    floe_db_close(db);
}
