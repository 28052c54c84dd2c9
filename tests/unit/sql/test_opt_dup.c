/*
 * test_opt_dup.c: opt_dup_insensitive.c observed on EXPLAIN text: inner
 * joins whose one side only filters become SEMI joins where duplicates
 * cannot matter (DISTINCT, group-only and min/max aggregates, IN/EXISTS
 * build sides, UNION), and nowhere else (plain selects, LIMIT, sum/count,
 * volatile projections, columns read from both sides); a CTE all of whose
 * readers ignore duplicates is deduplicated once in its definition and its
 * readers get no DISTINCT of their own (TPC-DS 95's shape).
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "bind_test_env.h"

TEST(opt_dup_distinct_inner_becomes_semi)
{
    /* only web_sales' column is read: which orders have a return */
    const char *p = bt_plan("SELECT DISTINCT ws_order_number FROM web_sales, web_returns WHERE "
                            "ws_order_number = wr_order_number", true);
    CHECK(bt_has(p, "DISTINCT\n  PROJECT [ws_order_number]\n"
                 "    JOIN SEMI conds=[ws_order_number = wr_order_number]\n"
                 "      GET web_sales [ws_order_number]\n"
                 "      GET web_returns [wr_order_number]"));
    CHECK(bt_lacks(p, "JOIN INNER"));
    /* the kept side was the build side: the children swap, conditions too */
    p = bt_plan("SELECT DISTINCT u.e FROM t, u WHERE t.a = u.a AND t.c < u.f", true);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a, f > CAST(c AS double)]\n"
                 "      GET u [a, e, f]\n"
                 "      GET t [a, c]"));
    /* web_returns is far smaller than web_sales: it builds (opt_build_side.c) */
    p = bt_plan("SELECT DISTINCT wr_order_number FROM web_sales, web_returns WHERE "
                "ws_order_number = wr_order_number AND ws_quantity < wr_return_quantity", true);
    CHECK(bt_has(p, "JOIN RIGHT_SEMI conds=[ws_order_number = wr_order_number, ws_quantity < "
                 "wr_return_quantity]\n"
                 "      GET web_sales [ws_order_number, ws_quantity]\n"
                 "      GET web_returns [wr_order_number, wr_return_quantity]"));
}

TEST(opt_dup_needs_one_unread_side)
{
    /* columns of both sides are read */
    const char *p = bt_plan("SELECT DISTINCT ws_order_number, wr_item_sk FROM web_sales, "
                            "web_returns WHERE ws_order_number = wr_order_number", true);
    CHECK(bt_has(p, "JOIN INNER conds="));
    CHECK(bt_lacks(p, "SEMI"));
    /* a condition over both sides stays with the join, now a semi join */
    p = bt_plan("SELECT DISTINCT t.a FROM t, u WHERE t.a = u.a AND (t.b = 'x' OR u.e > 3)", true);
    CHECK(bt_has(p, "JOIN SEMI conds=[a = a] residual=((b = 'x') OR (e > 3))"));
    /* duplicates matter: plain select, count, sum, LIMIT */
    CHECK(bt_has(bt_plan("SELECT t.a FROM t, u WHERE t.a = u.a", true), "JOIN INNER"));
    CHECK(bt_has(bt_plan("SELECT t.a, count(*) FROM t, u WHERE t.a = u.a GROUP BY t.a", true),
              "JOIN INNER"));
    CHECK(bt_has(bt_plan("SELECT sum(t.a) FROM t, u WHERE t.a = u.a", true), "JOIN INNER"));
    CHECK(bt_has(bt_plan("SELECT DISTINCT a FROM (SELECT t.a FROM t, u WHERE t.a = u.a LIMIT 5) s", true),
              "JOIN INNER"));
    /* a volatile projection sees every row */
    CHECK(bt_has(bt_plan("SELECT DISTINCT t.a + random() FROM t, u WHERE t.a = u.a", true), "JOIN INNER"));
    /* no equality: no hash join to turn into a semi join */
    CHECK(bt_has(bt_plan("SELECT DISTINCT t.a FROM t, u WHERE t.a < u.a", true), "JOIN INNER"));
}

TEST(opt_dup_insensitive_consumers)
{
    /* group-only aggregate, min/max, count(DISTINCT) */
    CHECK(bt_has(bt_plan("SELECT t.a FROM t, u WHERE t.a = u.a GROUP BY t.a", true), "JOIN SEMI"));
    CHECK(bt_has(bt_plan("SELECT max(t.c), min(t.d), count(DISTINCT t.b) FROM t, u WHERE t.a = u.a", true),
              "JOIN SEMI"));
    /* UNION (distinct) but not UNION ALL */
    CHECK(bt_has(bt_plan("SELECT t.a FROM t, u WHERE t.a = u.a UNION SELECT a FROM v", true), "JOIN SEMI"));
    CHECK(bt_has(bt_plan("SELECT t.a FROM t, u WHERE t.a = u.a UNION ALL SELECT a FROM v", true),
              "JOIN INNER"));
    /* an IN subquery's build side: the inner join in it keeps web_returns */
    const char *p = bt_plan("SELECT count(*) FROM web_sales WHERE ws_item_sk IN (SELECT "
                            "wr_item_sk FROM web_returns, reason WHERE wr_reason_sk = r_reason_sk "
                            "AND r_reason_desc = 'x')", true);
    CHECK(bt_has(p, "JOIN SEMI conds=[wr_reason_sk = r_reason_sk]\n"));
    CHECK(bt_has(p, "JOIN SEMI conds=[ws_item_sk = wr_item_sk]\n"));
    CHECK(bt_lacks(p, "JOIN INNER"));
    /* a chain: both joined tables only filter */
    p = bt_plan("SELECT DISTINCT ws_item_sk FROM web_sales, item, date_dim WHERE ws_item_sk = "
                "i_item_sk AND ws_sold_date_sk = d_date_sk AND d_year = 2000 AND i_color = 'red'", true);
    CHECK_EQ(bt_count(p, "JOIN SEMI"), 2);
    CHECK(bt_lacks(p, "JOIN INNER"));
}

TEST(opt_dup_cte_distinct_once)
{
    /* TPC-DS 95: both readers only test membership; the self-join is a semi
     * join deduplicated where the CTE is computed, and no reader deduplicates */
    const char *p = bt_plan(
        "WITH w AS (SELECT a1.ws_order_number, a1.ws_warehouse_sk wh1, a2.ws_warehouse_sk wh2 "
        "FROM web_sales a1, web_sales a2 WHERE a1.ws_order_number = a2.ws_order_number AND "
        "a1.ws_warehouse_sk <> a2.ws_warehouse_sk) SELECT count(*) FROM web_sales WHERE "
        "ws_order_number IN (SELECT ws_order_number FROM w) AND ws_order_number IN (SELECT "
        "wr_order_number FROM web_returns, w WHERE wr_order_number = w.ws_order_number)", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  DISTINCT\n    PROJECT [ws_order_number]\n"
                 "      PROJECT [NULL, ws_order_number]\n        FILTER [(min <> max)]\n"));
    CHECK(bt_has(p, "SEMI conds=[ws_order_number = wr_order_number]\n"
                 "            CTE_SCAN cte=0\n"
                 "            GET web_returns [wr_order_number]"));
    CHECK_EQ(bt_count(p, "DISTINCT"), 1);
    CHECK(bt_lacks(p, "JOIN INNER"));
    /* one reader counts rows: the CTE keeps its duplicates */
    p = bt_plan("WITH w AS (SELECT a1.ws_order_number FROM web_sales a1, web_sales a2 WHERE "
                "a1.ws_order_number = a2.ws_order_number) SELECT count(*) FROM web_returns WHERE "
                "wr_order_number IN (SELECT ws_order_number FROM w) UNION ALL SELECT count(*) "
                "FROM w", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  PROJECT [ws_order_number]\n    JOIN INNER"));
    CHECK(bt_lacks(p, "DISTINCT\n    PROJECT"));
    /* a CTE over a plain scan cannot repeat rows: not deduplicated */
    p = bt_plan("WITH w AS (SELECT wr_order_number FROM web_returns WHERE wr_item_sk = 3) "
                "SELECT count(*) FROM web_sales WHERE ws_order_number IN (SELECT * FROM w) AND "
                "ws_item_sk IN (SELECT * FROM w)", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  PROJECT [wr_order_number]\n    GET web_returns"));
}

TEST(opt_dup_self_semi_join_becomes_aggregate)
{
    /* keys with two distinct values of b: one scan, grouped */
    const char *p = bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b <> y.b", true);
    CHECK(bt_has(p, "AGGREGATE groups=[a] aggs=[min(b), max(b)]\n"));
    CHECK(bt_has(p, "FILTER [(min <> max)]\n"));
    CHECK(bt_has(p, "GET t [a, b] filters=[(a IS NOT NULL)]"));
    CHECK(bt_lacks(p, "JOIN"));
    CHECK_EQ(bt_count(p, "GET t"), 1);
    /* < and > ask the same; several keys */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b < y.b", true),
              "aggs=[min(b), max(b)]"));
    p = bt_plan("SELECT DISTINCT x.d, x.a FROM t x, t y WHERE x.a = y.a AND x.d = y.d AND "
                "x.c > y.c", true);
    CHECK(bt_has(p, "AGGREGATE groups=[a, d] aggs=[min(c), max(c)]\n"));
    CHECK(bt_has(p, "GET t [a, c, d] filters=[(a IS NOT NULL), (d IS NOT NULL)]"));
    /* the CTE of TPC-DS 95: one scan of web_sales, no join */
    p = bt_plan("WITH w AS (SELECT a1.ws_order_number, a1.ws_warehouse_sk wh1, a2.ws_warehouse_sk "
                "wh2 FROM web_sales a1, web_sales a2 WHERE a1.ws_order_number = "
                "a2.ws_order_number AND a1.ws_warehouse_sk <> a2.ws_warehouse_sk) SELECT count(*) "
                "FROM web_returns WHERE wr_order_number IN (SELECT ws_order_number FROM w) AND "
                "wr_item_sk IN (SELECT ws_order_number FROM w)", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  DISTINCT\n    PROJECT [ws_order_number]\n"
                 "      PROJECT [NULL, ws_order_number]\n"
                 "        FILTER [(min <> max)]\n"
                 "          AGGREGATE groups=[ws_order_number] aggs=[min(ws_warehouse_sk), "
                 "max(ws_warehouse_sk)]\n"
                 "            GET web_sales [ws_warehouse_sk, ws_order_number] filters=[("
                 "ws_order_number IS NOT NULL)]\n"));
}

TEST(opt_dup_self_semi_join_needs_same_rows_and_keys_only)
{
    /* b is read above */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a, x.b FROM t x, t y WHERE x.a = y.a AND x.b <> y.b", true),
              "JOIN SEMI"));
    /* different rows: another filter on one side, another table */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b <> y.b AND "
                      "y.c > 1", true),
              "JOIN SEMI"));
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, u y WHERE x.a = y.a AND x.a <> y.e", true),
              "JOIN SEMI"));
    /* the same filter on both sides is the same rows */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b <> y.b AND "
                      "x.c > 1 AND y.c > 1", true),
              "AGGREGATE groups=[a]"));
    /* <= holds for a row and itself; two inequalities; keys that are not the same column */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b <= y.b", true),
              "JOIN SEMI"));
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM t x, t y WHERE x.a = y.a AND x.b <> y.b AND "
                      "x.c <> y.c", true),
              "JOIN SEMI"));
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.ws_order_number FROM web_sales x, web_sales y WHERE "
                      "x.ws_order_number = y.ws_order_number AND x.ws_item_sk = "
                      "y.ws_bill_customer_sk AND x.ws_warehouse_sk <> y.ws_warehouse_sk", true),
              "JOIN SEMI"));
    /* floating point values group unlike they compare (-0.0, NaN) */
    CHECK(bt_has(bt_plan("SELECT DISTINCT x.a FROM u x, u y WHERE x.a = y.a AND x.f <> y.f", true),
              "JOIN SEMI"));
    /* duplicates matter */
    CHECK(bt_has(bt_plan("SELECT x.a FROM t x, t y WHERE x.a = y.a AND x.b <> y.b", true), "JOIN INNER"));
}
