/*
 * test_bind.c: the binder: plan shapes (via plan_explain of the unoptimized
 * plan), types of literals and coercions, name resolution errors with
 * SQLSTATE and position, grouping, windows, set operations, CTEs,
 * subqueries turned into joins, INSERT/CTAS/DDL statements. Tables are the
 * TPC-DS schema plus t(a int, b varchar, c decimal(7,2), d date),
 * u(a int, e bigint, f double), v(a bigint, b varchar) (bind_test_env.c).
 */
#include <stdio.h>
#include <string.h>

#include "../../../src/func/func.h"
#include "../../../src/sql/bind/bind.h"
#include "../test.h"
#include "bind_test_env.h"

/* Binds expecting an error: checks SQLSTATE and the error offset. */
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
    if (msg_part && !CHECK(strstr(err.message, msg_part) != NULL)) printf("  message: %s\n", err.message);
    if (at_text) {
        const char *p = strstr(sql, at_text);
        CHECK_EQ(bind_error_offset(&err), p ? (int)(p - sql) : -2);
    }
}

/* Types of the result columns of a query, "integer,varchar". */
static const char *result_types(const char *sql)
{
    static char buf[1024];
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    plan_stmt *ps;
    buf[0] = '\0';
    if (bt_bind(&ps, sql, false, arena, &err) < 0) {
        snprintf(buf, sizeof buf, "error: %s", err.message);
    } else {
        plan_binding *b;
        fl_type *t;
        uint32_t n;
        if (plan_node_outputs(ps->root, arena, &b, &t, &n, &err) == 0)
            for (uint32_t i = 0; i < n; i++) {
                char name[64];
                fn_type_sql_name(t[i], name, sizeof name);
                size_t len = strlen(buf);
                snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "", name);
            }
    }
    fl_arena_free(arena);
    return buf;
}

TEST(bind_simple_select_shape)
{
    const char *p = bt_plan("SELECT a, c * 2 AS x FROM t WHERE a > 5", false);
    CHECK(bt_has(p, "PROJECT [a, (c * 2)]\n  FILTER [(a > 5)]\n    GET t [a, b, c, d]\n"));
}

TEST(bind_literal_types)
{
    CHECK_STR(result_types("SELECT 1, 3000000000, 1.5, 0.25, 1e3, 'x', DATE '2000-01-01', true, NULL"),
              "integer,bigint,decimal(2,1),decimal(2,2),double,varchar,date,boolean,unknown");
    CHECK_STR(result_types("SELECT -2147483648, -1.50"), "integer,decimal(3,2)");
    CHECK_STR(result_types("SELECT t.a + e, c * 2, c + 1.5, f / 2 FROM t, u"),
              "bigint,decimal(17,2),decimal(8,2),double");
}

TEST(bind_literal_coercions)
{
    /* a varchar literal against a date column is cast at bind time */
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE d = '2000-01-02'", false), "(d = DATE '2000-01-02')"));
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE d BETWEEN '2000-01-01' AND '2000-02-01'", false),
              "((d >= DATE '2000-01-01') AND (d <= DATE '2000-02-01'))"));
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE a IN ('1', 2)", false), "(a IN (1, 2))"));
    CHECK(bt_has(bt_plan("SELECT d + INTERVAL '30' DAY, d - INTERVAL 2 MONTH FROM t", false),
              "PROJECT [date_add('day', 30, d), date_add('month', -2, d)]"));
    CHECK(bt_has(bt_plan("SELECT CAST('7' AS integer), TRY_CAST(b AS integer) FROM t", false),
              "PROJECT [7, TRY_CAST(b AS integer)]"));
    expect_error("SELECT a FROM t WHERE d = 'not a date'", "22018", NULL, NULL);
}

TEST(bind_name_errors)
{
    expect_error("SELECT nope FROM t", "42703", "nope", "column \"nope\" does not exist");
    expect_error("SELECT a FROM t, u", "42702", "a FROM", "column reference \"a\" is ambiguous");
    expect_error("SELECT x.a FROM t", "42P01", "x.a", "missing FROM-clause entry");
    expect_error("SELECT a FROM missing_table", "42P01", "missing_table", "does not exist");
    expect_error("SELECT nosuchfn(a) FROM t", "42883", "nosuchfn", "nosuchfn");
    expect_error("SELECT a FROM t WHERE b", "42804", "b", "argument of WHERE must be type boolean");
    fl_error err;
    bt_explain("SELECT a,\n  bogus FROM t", false, &err);
    CHECK(strstr(err.message, "(line 2, column 3)") != NULL);
    CHECK_EQ(bind_error_offset(&err), 12);
}

TEST(bind_qualified_and_star)
{
    CHECK(bt_has(bt_plan("SELECT * FROM t x, u y WHERE x.a = y.a", false),
              "PROJECT [a, b, c, d, a, e, f]"));
    CHECK(bt_has(bt_plan("SELECT y.* FROM t x JOIN u y ON x.a = y.a", false),
              "PROJECT [a, e, f]\n  JOIN INNER conds=[a = a]"));
    /* USING merges the column: one a in *, no ambiguity */
    CHECK(bt_has(bt_plan("SELECT * FROM t JOIN u USING (a)", false), "PROJECT [a, b, c, d, e, f]"));
    CHECK(bt_has(bt_plan("SELECT a FROM t NATURAL JOIN u", false), "JOIN INNER conds=[a = a]"));
    CHECK(bt_has(bt_plan("SELECT a FROM t FULL JOIN u USING (a)", false), "PROJECT [COALESCE(a, a)]"));
    CHECK_STR(result_types("SELECT * FROM t LEFT JOIN v USING (a)"),
              "integer,varchar,decimal(7,2),date,varchar");
}

TEST(bind_group_by_and_aggregates)
{
    const char *p = bt_plan("SELECT b, sum(c), count(*), count(DISTINCT a) FROM t GROUP BY b "
                            "HAVING sum(c) > 10", false);
    CHECK(bt_has(p, "PROJECT [b, sum(c), count_star(*), count(DISTINCT a)]"));
    CHECK(bt_has(p, "FILTER [(sum(c) > 10"));
    CHECK(bt_has(p, "AGGREGATE groups=[b] aggs=[sum(c), count_star(*), count(DISTINCT a)]"));
    /* ordinals and aliases */
    CHECK(bt_has(bt_plan("SELECT b AS k, count(*) FROM t GROUP BY 1", false), "AGGREGATE groups=[b]"));
    CHECK(bt_has(bt_plan("SELECT upper(b) AS k, count(*) FROM t GROUP BY k", false),
              "AGGREGATE groups=[upper(b)]"));
    /* expression over a group key */
    CHECK(bt_has(bt_plan("SELECT a + 1 FROM t GROUP BY a", false), "PROJECT [(a + 1)]"));
    CHECK(bt_has(bt_plan("SELECT sum(c) FILTER (WHERE a > 1) FROM t", false),
              "aggs=[sum(c) FILTER (WHERE (a > 1))]"));
    expect_error("SELECT a, b FROM t GROUP BY a", "42803", "b FROM", "must appear in the GROUP BY");
    expect_error("SELECT a FROM t WHERE sum(a) > 1", "42803", "sum", "not allowed in WHERE");
    expect_error("SELECT sum(max(a)) FROM t", "42803", "max", "cannot be nested");
}

TEST(bind_grouping_sets)
{
    const char *p = bt_plan("SELECT a, b, sum(c), grouping(a) FROM t GROUP BY ROLLUP (a, b)", false);
    CHECK(bt_has(p, "AGGREGATE groups=[a, b] aggs=[sum(c)] sets=[(0,1), (0), ()] "
                 "groupings=[GROUPING(a)]"));
    p = bt_plan("SELECT a, b FROM t GROUP BY CUBE (a, b)", false);
    CHECK(bt_has(p, "sets=[(0,1), (1), (0), ()]"));
    p = bt_plan("SELECT a, b FROM t GROUP BY a, GROUPING SETS ((b), ())", false);
    CHECK(bt_has(p, "sets=[(0,1), (0)]"));
}

TEST(bind_windows)
{
    const char *p = bt_plan("SELECT a, rank() OVER (PARTITION BY b ORDER BY c DESC), "
                            "sum(c) OVER w FROM t WINDOW w AS (ORDER BY a ROWS BETWEEN 2 "
                            "PRECEDING AND CURRENT ROW)", false);
    CHECK(bt_has(p, "WINDOW [rank() OVER (PARTITION BY b ORDER BY c DESC NULLS LAST RANGE BETWEEN "
                 "UNBOUNDED PRECEDING AND CURRENT ROW), sum(c) OVER (ORDER BY a ASC NULLS LAST "
                 "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)]"));
    /* a window over an aggregate */
    p = bt_plan("SELECT b, sum(sum(c)) OVER (PARTITION BY b) FROM t GROUP BY b", false);
    CHECK(bt_has(p, "WINDOW [sum(sum(c)) OVER (PARTITION BY b RANGE BETWEEN UNBOUNDED PRECEDING "
                 "AND UNBOUNDED FOLLOWING)]\n    AGGREGATE"));
    expect_error("SELECT a FROM t WHERE rank() OVER () > 1", "42P20", "rank", NULL);
}

TEST(bind_order_limit)
{
    const char *p = bt_plan("SELECT a AS x, b FROM t ORDER BY x DESC, 2, c NULLS FIRST LIMIT 10 "
                            "OFFSET 5", false);
    CHECK(bt_has(p, "PROJECT [x, b]\n  LIMIT 10 OFFSET 5\n    ORDER [x DESC NULLS LAST, b ASC "
                 "NULLS LAST, c ASC NULLS FIRST]\n      PROJECT [a, b, c]"));
    expect_error("SELECT a FROM t ORDER BY 3", "42P10", "3", "not in select list");
    expect_error("SELECT DISTINCT a FROM t ORDER BY b", "42P10", "b", "SELECT DISTINCT");
    expect_error("SELECT a FROM t LIMIT -1", "42601", "-1", "LIMIT");
}

TEST(bind_set_operations)
{
    CHECK_STR(result_types("SELECT a FROM t UNION ALL SELECT e FROM u"), "bigint");
    const char *p = bt_plan("SELECT a, b FROM t INTERSECT SELECT a, b FROM v ORDER BY 1", false);
    CHECK(bt_has(p, "ORDER [a ASC NULLS LAST]\n  SETOP INTERSECT\n    PROJECT [CAST(a AS bigint), b]"));
    expect_error("SELECT a FROM t UNION SELECT a, e FROM u", "42601", NULL, "same number of columns");
    CHECK_STR(result_types("VALUES (1, 'a'), (2.5, NULL)"), "decimal(11,1),varchar");
}

TEST(bind_ctes)
{
    const char *p = bt_plan("WITH x AS (SELECT a FROM t), y(k) AS (SELECT a FROM x) "
                            "SELECT * FROM y, x WHERE y.k = x.a", false);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0"));
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=1"));
    CHECK(bt_has(p, "CTE_SCAN cte=1"));
    /* unreferenced CTEs vanish */
    CHECK(!strstr(bt_plan("WITH x AS (SELECT a FROM t) SELECT 1", false), "CTE"));
}

TEST(bind_subqueries_become_joins)
{
    const char *p = bt_plan("SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)", false);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a]"));
    p = bt_plan("SELECT a FROM t WHERE NOT EXISTS (SELECT * FROM u WHERE u.a = t.a AND u.e > 3)", false);
    CHECK(bt_has(p, "JOIN ANTI conds=[a = a]"));
    CHECK(bt_has(p, "FILTER [(e > 3)]"));
    p = bt_plan("SELECT a FROM t WHERE a IN (SELECT a FROM u)", false);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a]"));
    p = bt_plan("SELECT a FROM t WHERE a NOT IN (SELECT a FROM u) OR b = 'x'", false);
    CHECK(bt_has(p, "FILTER [((NOT mark) OR (b = 'x'))]\n    JOIN MARK conds=[a = a]"));
    /* correlated scalar aggregate: grouped by the correlated column, SINGLE join */
    p = bt_plan("SELECT a FROM t WHERE c > (SELECT avg(f) FROM u WHERE u.a = t.a)", false);
    CHECK(bt_has(p, "JOIN SINGLE conds=[a = a]"));
    CHECK(bt_has(p, "AGGREGATE groups=[a] aggs=[avg(f)]"));
    /* correlated count: coalesce(count, 0) */
    p = bt_plan("SELECT (SELECT count(*) FROM u WHERE u.a = t.a) FROM t", false);
    CHECK(bt_has(p, "PROJECT [COALESCE(count_star(*), 0)]"));
    /* count(*) + 1 for an outer row without rows: 1, evaluated above the join */
    p = bt_plan("SELECT (SELECT count(*) + 1 FROM u WHERE u.a = t.a) FROM t", false);
    CHECK(bt_has(p, "PROJECT [(COALESCE(count_star(*), 0) + 1)]\n  JOIN SINGLE conds=[a = a]"));
    /* EXISTS over a scalar aggregate is always true */
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE EXISTS (SELECT max(e) FROM u WHERE u.a = t.a)", false),
              "PROJECT [a]\n  FILTER [true]\n    GET t"));
    expect_error("SELECT a FROM t WHERE a IN (SELECT max(e) FROM u WHERE u.a = t.a)", "0A000",
                 "a IN", "correlated aggregate");
    /* uncorrelated scalar subquery */
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE c > (SELECT max(f) FROM u)", false), "JOIN SINGLE\n"));
    /* non-equality correlation in EXISTS (TPC-DS 16/94) */
    p = bt_plan("SELECT a FROM u u1 WHERE EXISTS (SELECT 1 FROM u u2 WHERE u1.a = u2.a AND "
                "u1.e <> u2.e)", false);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a, e <> e]"));
    /* quantified comparison */
    CHECK(bt_has(bt_plan("SELECT a FROM t WHERE a > ALL (SELECT a FROM u)", false),
              "FILTER [(NOT mark)]\n    JOIN MARK conds=[a <= a]"));
    /* in HAVING the correlation refers to the group column above the aggregate */
    p = bt_plan("SELECT a FROM t GROUP BY a HAVING count(*) > (SELECT count(*) FROM u WHERE "
                "u.a = t.a)", false);
    CHECK(bt_has(p, "JOIN SINGLE conds=[a = a]\n      AGGREGATE groups=[a] aggs=[count_star(*)]"));
    expect_error("SELECT a FROM t GROUP BY a HAVING count(*) > (SELECT count(*) FROM u WHERE "
                 "u.a = t.c)", "42803", "(SELECT", "GROUP BY expressions");
    expect_error("SELECT a FROM t WHERE a IN (SELECT a, e FROM u)", "42601", "a IN",
                 "only one column");
    expect_error("SELECT a FROM t WHERE c > (SELECT f FROM u WHERE u.a > t.a + u.e LIMIT 1)", "0A000",
                 NULL, "correlated");
}

TEST(bind_statements)
{
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    plan_stmt *ps;
    CHECK_OK(bt_bind(&ps, "INSERT INTO t (b, a) SELECT 'x', e FROM u", false, arena, &err), &err);
    CHECK_EQ(ps->kind, PLAN_STMT_INSERT);
    CHECK_EQ(ps->root->kind, PLAN_INSERT);
    CHECK_EQ(ps->root->u.insert.column_count, 2);
    CHECK_EQ(ps->root->u.insert.column_map[0], 1);
    CHECK_EQ(ps->root->u.insert.column_map[1], 0);
    fl_buf ex;
    fl_buf_init(&ex);
    plan_explain(&ex, ps->root, &err);
    CHECK(bt_has(fl_buf_cstr(&ex), "INSERT default.t\n  PROJECT [_col0, CAST(e AS integer)]\n    PROJECT ['x', e]"));
    fl_buf_dispose(&ex);
    CHECK_OK(bt_bind(&ps, "INSERT OVERWRITE t VALUES (1, 'a', 2.5, DATE '2001-01-01')", false,
                     arena, &err), &err);
    CHECK(ps->root->u.insert.overwrite);
    CHECK_OK(bt_bind(&ps, "CREATE TABLE s.n AS SELECT a, b AS name FROM t", false, arena, &err), &err);
    CHECK(ps->root->u.insert.create);
    const bind_create_table_info *info = ps->root->u.insert.create_info;
    CHECK_STR(info->ns, "s");
    CHECK_STR(info->name, "n");
    CHECK_EQ(info->column_count, 2);
    CHECK_STR(info->column_names[1], "name");
    CHECK_OK(bt_bind(&ps, "DROP TABLE t", false, arena, &err), &err);
    CHECK_EQ(ps->kind, PLAN_STMT_DDL);
    CHECK(ps->ddl != NULL);
    CHECK_OK(bt_bind(&ps, "EXPLAIN SELECT a FROM t", false, arena, &err), &err);
    CHECK_EQ(ps->kind, PLAN_STMT_EXPLAIN);
    CHECK_EQ(ps->explain_of->kind, PLAN_STMT_QUERY);
    CHECK_EQ(ps->explain_of->column_count, 1);
    fl_arena_free(arena);
    expect_error("INSERT INTO t SELECT a FROM u", "42601", NULL, "fewer expressions");
    expect_error("INSERT INTO t (a) SELECT DATE '2000-01-01'", "42804", NULL,
                 "column \"a\" is of type integer but expression is of type date");
    expect_error("INSERT INTO t (zz) SELECT 1", "42703", NULL, "zz");
}

TEST(bind_expressions_misc)
{
    const char *p = bt_plan("SELECT CASE t.a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END, "
                            "CASE WHEN t.a > 1 THEN c ELSE 0 END, coalesce(t.a, e), nullif(t.a, 0), "
                            "b || 'x', b LIKE 'a%', t.a IS NOT DISTINCT FROM 2, "
                            "EXTRACT(year FROM d), b IS NULL FROM t, u", false);
    CHECK(bt_has(p, "CASE WHEN (a = 1) THEN 'one' WHEN (a = 2) THEN 'two' END"));
    CHECK(bt_has(p, "CASE WHEN (a > 1) THEN CAST(c AS decimal(12,2)) ELSE 0.00 END"));
    CHECK(bt_has(p, "COALESCE(CAST(a AS bigint), e)"));
    CHECK(bt_has(p, "CASE WHEN (a = 0) THEN NULL ELSE a END"));
    CHECK(bt_has(p, "(b || 'x')"));
    CHECK(bt_has(p, "(b LIKE 'a%')"));
    CHECK(bt_has(p, "year(d)"));
    CHECK(bt_has(p, "(b IS NULL)"));
    CHECK_STR(result_types("SELECT current_date"), "date");
}
