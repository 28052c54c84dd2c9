/*
 * test_bind_lateral.c: LATERAL subqueries (bind_lateral.c) and the
 * decorrelation they share with correlated subqueries (bind_subquery.c):
 * the shapes of the unoptimized plans (correlations as join conditions, the
 * count bug's LEFT join and coalesce, HAVING as a filter over the lifted
 * values, LIMIT as row_number() per correlation key, window functions
 * partitioned by it, VALUES as CASE over row numbers, the marker of LEFT
 * joins) and the errors of what is refused, with SQLSTATE and position.
 * Tables: t(a int, b varchar, c decimal(7,2), d date), u(a int, e bigint,
 * f double) (bind_test_env.c).
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/sql/bind/bind.h"
#include "../test.h"
#include "bind_test_env.h"

/* Binds expecting an error: SQLSTATE, a part of the message, the position. */
static void expect_error(const char *sql, const char *sqlstate, const char *at_text,
                         const char *msg_part)
{
    fl_error err;
    const char *r = bt_explain(sql, false, &err);
    if (!CHECK(strncmp(r, "error: ", 7) == 0)) {
        printf("  expected an error for %s\n", sql);
        return;
    }
    CHECK_STR(err.sqlstate, sqlstate);
    if (!CHECK(strstr(err.message, msg_part) != NULL)) printf("  message: %s\n", err.message);
    const char *p = strstr(sql, at_text);
    CHECK_EQ(bind_error_offset(&err), p ? (int)(p - sql) : -2);
}

TEST(lateral_correlation_becomes_join_condition)
{
    const char *p = bt_plan("SELECT t.b, s.f FROM t, LATERAL (SELECT f FROM u WHERE u.a = t.a) s", false);
    CHECK(bt_has(p, "PROJECT [b, f]\n  JOIN INNER conds=[a = a]\n    GET t [a, b, c, d]\n"
                 "    PROJECT [f, a]\n      GET u [a, e, f]\n"));
    /* the same for CROSS JOIN LATERAL; ON conditions join the correlation */
    p = bt_plan("SELECT s.f FROM t JOIN LATERAL (SELECT f FROM u WHERE u.a = t.a) s ON s.f > 1", false);
    CHECK(bt_has(p, "JOIN INNER conds=[a = a] residual=(f > 1.0)"));
    /* uncorrelated: a plain join without conditions */
    p = bt_plan("SELECT s.n FROM t, LATERAL (SELECT count(*) AS n FROM u) s", false);
    CHECK(bt_has(p, "JOIN INNER\n    GET t"));
}

TEST(lateral_scalar_aggregate_keeps_every_left_row)
{
    /* grouped on the correlation key, LEFT joined, count(*) = 0 without rows */
    const char *p = bt_plan("SELECT s.n, s.m FROM t CROSS JOIN LATERAL (SELECT count(*) + 1 AS n, "
                            "max(f) AS m FROM u WHERE u.a = t.a) s", false);
    CHECK(bt_has(p, "PROJECT [a, b, c, d, (COALESCE(count_star(*), 0) + 1), max(f)]\n"
                 "    JOIN LEFT conds=[a = a]\n      GET t [a, b, c, d]\n"
                 "      AGGREGATE groups=[a] aggs=[count_star(*), max(f)]\n"));
    /* HAVING and ON of an inner join filter the joined rows */
    p = bt_plan("SELECT s.n FROM t, LATERAL (SELECT count(*) AS n FROM u WHERE u.a = t.a "
                "HAVING count(*) > 1) s", false);
    CHECK(bt_has(p, "FILTER [(COALESCE(count_star(*), 0) > 1)]\n      JOIN LEFT conds=[a = a]"));
    /* ... and of a LEFT join decide between the row and NULLs */
    p = bt_plan("SELECT s.n FROM t LEFT JOIN LATERAL (SELECT count(*) AS n FROM u WHERE u.a = "
                "t.a) s ON s.n > t.a", false);
    CHECK(bt_has(p, "CASE WHEN (COALESCE(count_star(*), 0) > CAST(a AS bigint)) THEN "
                 "COALESCE(count_star(*), 0) END]\n    JOIN LEFT conds=[a = a]"));
    CHECK(bt_lacks(p, "FILTER"));
}

TEST(lateral_select_list_outer_references)
{
    /* evaluated above the join; the left columns pass through the PROJECT */
    const char *p = bt_plan("SELECT t.b, s.x FROM t, LATERAL (SELECT f * t.a AS x FROM u WHERE "
                            "u.a = t.a) s", false);
    CHECK(bt_has(p, "PROJECT [b, x]\n  PROJECT [a, b, c, d, (f * CAST(a AS double))]\n"
                 "    JOIN INNER conds=[a = a]"));
    /* LEFT join: NULL for unmatched left rows through a marker column */
    p = bt_plan("SELECT s.x FROM t LEFT JOIN LATERAL (SELECT t.b AS x FROM u WHERE u.a = t.a) s "
                "ON true", false);
    CHECK(bt_has(p, "CASE WHEN marker THEN b END]\n    JOIN LEFT conds=[a = a]"));
    CHECK(bt_has(p, ", true]\n"));
    /* a plain subquery column needs neither */
    p = bt_plan("SELECT s.f FROM t LEFT JOIN LATERAL (SELECT f FROM u WHERE u.a = t.a) s ON true", false);
    CHECK(bt_has(p, "PROJECT [f]\n  JOIN LEFT conds=[a = a]"));
    CHECK(bt_lacks(p, "marker"));
}

TEST(lateral_values_unnest)
{
    const char *p = bt_plan("SELECT v.x FROM t, LATERAL (VALUES (t.a), (t.a + 1)) v(x)", false);
    CHECK(bt_has(p, "CASE WHEN (row = 0) THEN a WHEN (row = 1) THEN (a + 1) END]\n"
                 "    JOIN INNER\n      GET t [a, b, c, d]\n      VALUES rows=2 columns=1\n"));
    p = bt_plan("SELECT v.col0 FROM t, LATERAL (VALUES (1), (2)) v", false);
    CHECK(bt_has(p, "PROJECT [col0]\n  JOIN INNER"));
}

TEST(lateral_limit_and_window_per_key)
{
    const char *p = bt_plan("SELECT s.f FROM t, LATERAL (SELECT f FROM u WHERE u.a = t.a ORDER BY "
                            "f DESC LIMIT 2 OFFSET 1) s", false);
    CHECK(bt_has(p, "JOIN INNER conds=[a = a]"));
    CHECK(bt_has(p, "FILTER [(row_number > 1), (row_number <= 3)]\n"
                 "      WINDOW [row_number() OVER (PARTITION BY a ORDER BY f DESC"));
    CHECK(bt_lacks(p, "LIMIT"));
    /* the same rewrite serves scalar subqueries and EXISTS */
    p = bt_plan("SELECT a, (SELECT f FROM u WHERE u.a = t.a ORDER BY f LIMIT 1) FROM t", false);
    CHECK(bt_has(p, "JOIN SINGLE conds=[a = a]"));
    CHECK(bt_has(p, "FILTER [(row_number <= 1)]"));
    p = bt_plan("SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a LIMIT 1)", false);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a]"));
    /* a window over correlated rows is partitioned by the key */
    p = bt_plan("SELECT a, (SELECT max(x) FROM (SELECT sum(f) OVER () AS x FROM u WHERE u.a = "
                "t.a) z) FROM t", false);
    CHECK(bt_has(p, "sum(f) OVER (PARTITION BY a"));
    CHECK(bt_has(p, "JOIN SINGLE conds=[a = a]"));
}

TEST(lateral_non_equality_through_aggregate)
{
    /* the distinct outer values (a copy of the outer plan) join the input */
    const char *p = bt_plan("SELECT s.n FROM t, LATERAL (SELECT count(*) AS n FROM u WHERE u.e > "
                            "t.a * 2) s", false);
    CHECK(bt_has(p, "JOIN LEFT conds=[CAST((a * 2) AS bigint) IS NOT DISTINCT FROM outer]\n      GET t [a, b, c, d]\n"
                 "      AGGREGATE groups=[outer] aggs=[count_star(*)]\n"
                 "        JOIN INNER conds=[e > outer]\n          GET u [a, e, f]\n"
                 "          DISTINCT\n            PROJECT [CAST((a * 2) AS bigint)]\n"
                 "              GET t [a, b, c, d]\n"));
    /* the same for a scalar subquery (a running total) */
    p = bt_plan("SELECT a, (SELECT sum(f) FROM u WHERE u.a <= t.a) FROM t WHERE b = 'x'", false);
    CHECK(bt_has(p, "JOIN SINGLE conds=[a IS NOT DISTINCT FROM a]"));
    CHECK(bt_has(p, "JOIN INNER conds=[a <= a]"));
    CHECK(bt_has(p, "DISTINCT\n            PROJECT [a]\n              FILTER [(b = 'x')]"));
    /* outer columns inside the aggregate's arguments read the domain too; the
     * join back is IS NOT DISTINCT FROM, so a NULL outer value has its group */
    p = bt_plan("SELECT a, (SELECT sum(f * coalesce(t.a, 0)) FROM u WHERE u.a = t.a) FROM t", false);
    CHECK(bt_has(p, "AGGREGATE groups=[a] aggs=[sum((f * CAST(COALESCE(a, 0) AS double)))]"));
    CHECK(bt_has(p, "JOIN INNER conds=[a = a]\n          GET u [a, e, f]\n          DISTINCT"));
    /* an aggregating outer query correlates on its groups: not here */
    expect_error("SELECT a FROM t GROUP BY a HAVING count(*) > (SELECT count(*) FROM u WHERE u.a "
                 "< t.a)", "0A000", "(SELECT", "not an equality");
}

TEST(lateral_outer_join_inner_side)
{
    /* the left side joins the domain; the correlation moves into the ON */
    const char *p = bt_plan("SELECT a, (SELECT count(*) FROM u LEFT JOIN t t2 ON t2.a = u.a AND "
                            "t2.b = t.b) FROM t", false);
    CHECK(bt_has(p, "JOIN LEFT conds=[a = a, b = b]\n          JOIN INNER\n            GET u"));
    CHECK(bt_has(p, "JOIN SINGLE conds=[b IS NOT DISTINCT FROM b]"));
    expect_error("SELECT a, (SELECT count(*) FROM u FULL JOIN t t2 ON t2.a = u.a AND t2.b = t.b) "
                 "FROM t", "0A000", "(SELECT", "in the condition of an outer join");
}

TEST(lateral_set_operation_branches)
{
    /* each branch joins the domain; its column lines up as one more set column */
    const char *p = bt_plan("SELECT s.f FROM t, LATERAL (SELECT f FROM u WHERE u.a = t.a UNION ALL "
                            "SELECT 1) s", false);
    CHECK(bt_has(p, "JOIN INNER conds=[a IS NOT DISTINCT FROM outer]"));
    CHECK(bt_has(p, "SETOP UNION ALL\n"));
    CHECK(bt_has(p, "JOIN INNER conds=[a = a]\n"));
}

TEST(lateral_nested_and_several_outer_tables)
{
    const char *p = bt_plan("SELECT z.y FROM t, LATERAL (SELECT f FROM u WHERE u.a = t.a) s, "
                            "LATERAL (SELECT s.f + t.a AS y) z", false);
    CHECK(bt_has(p, "(f + CAST(a AS double))]\n    JOIN INNER\n      JOIN INNER conds=[a = a]"));
    p = bt_plan("SELECT s.f FROM t t1 JOIN t t2 ON t1.b = t2.b, LATERAL (SELECT f FROM u "
                "WHERE u.a = t1.a AND u.e > t2.a) s", false);
    CHECK(bt_has(p, "JOIN INNER conds=[a = a, CAST(a AS bigint) < e]\n    JOIN INNER conds=[b = b]"));
}

TEST(lateral_errors)
{
    expect_error("SELECT * FROM t RIGHT JOIN LATERAL (SELECT f FROM u WHERE u.a = t.a) s ON true",
                 "42P10", "LATERAL", "only in an INNER or LEFT join");
    expect_error("SELECT * FROM t, LATERAL (SELECT t.a AS x UNION ALL SELECT 1) s", "0A000",
                 "LATERAL", "a set operation whose select list uses outer columns");
    expect_error("SELECT * FROM t, LATERAL (SELECT sum(f * t.a) OVER () AS x FROM u WHERE u.a = "
                 "t.a) s", "0A000", "LATERAL", "in a window function's arguments");
    expect_error("SELECT * FROM t, LATERAL (SELECT DISTINCT f FROM u WHERE u.a + t.a = 1) s",
                 "0A000", "LATERAL", "with DISTINCT: a correlation that is not an equality");
    expect_error("SELECT * FROM t, LATERAL (SELECT a FROM u WHERE u.a + t.a < 2 GROUP BY a) s",
                 "0A000", "LATERAL", "mixing outer and inner columns");
    expect_error("SELECT * FROM t, LATERAL (SELECT f FROM u WHERE u.a < t.a OR u.e = 1 LIMIT 1) "
                 "s", "0A000", "LATERAL", "with LIMIT: a correlation that is not an equality "
                 "(outer = inner) or a comparison");
    expect_error("SELECT * FROM t JOIN LATERAL (SELECT a FROM u WHERE u.a = t.a) s USING (a)",
                 "0A000", "JOIN LATERAL", "USING and NATURAL");
    expect_error("SELECT * FROM t, LATERAL (SELECT x.b) s, t x", "42P01", "x.b",
                 "missing FROM-clause entry");
    expect_error("SELECT * FROM t x, (t y JOIN LATERAL (SELECT x.a AS q) s ON true)", "0A000",
                 "LATERAL", "left side of its join");
    expect_error("SELECT a, (SELECT f FROM u WHERE u.a > t.a + u.e LIMIT 1) FROM t", "0A000",
                 "(SELECT", "mixing outer and inner columns on one side");
}
