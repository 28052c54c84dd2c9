/*
 * test_opt.c: the optimizer's rules, each observed on the EXPLAIN text of
 * an optimized plan: filter pushdown into scans and join keys (comma joins
 * become equi-joins), join order (build side = smaller estimate), column
 * pruning, TopN, CTE inlining, constant folding and OR factoring. Tables
 * are the TPC-DS schema with scale-factor-1 row estimates (bind_test_env.c).
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "bind_test_env.h"

TEST(opt_comma_join_becomes_equi_join)
{
    const char *p = bt_plan("SELECT i_item_id, sum(ws_ext_sales_price) FROM web_sales, item, "
                             "date_dim WHERE ws_item_sk = i_item_sk AND ws_sold_date_sk = "
                             "d_date_sk AND d_year = 2000 AND i_category = 'Books' GROUP BY "
                             "i_item_id", true);
    CHECK(bt_has(p, "conds=[ws_item_sk = i_item_sk]"));
    CHECK(bt_has(p, "conds=[ws_sold_date_sk = d_date_sk]"));
    CHECK(bt_has(p, "GET date_dim [d_date_sk, d_year] filters=[(d_year = 2000)]"));
    CHECK(bt_has(p, "GET item [i_item_sk, i_item_id, i_category] filters=[(i_category = 'Books')]"));
    CHECK(bt_lacks(p, "FILTER"));
    CHECK(bt_lacks(p, "JOIN INNER\n"));
}

TEST(opt_build_side_is_smaller)
{
    /* web_sales (719k rows) probes; the filtered date_dim builds */
    const char *p = bt_plan("SELECT count(*) FROM date_dim, web_sales WHERE ws_sold_date_sk = "
                             "d_date_sk AND d_year = 2000", true);
    CHECK(bt_has(p, "JOIN INNER conds=[ws_sold_date_sk = d_date_sk]\n"
                 "      GET web_sales [ws_sold_date_sk]\n"
                 "      GET date_dim [d_date_sk, d_year] filters=[(d_year = 2000)]"));
}

TEST(opt_equal_outputs_smaller_build_first)
{
    /* both joins are estimated at the same output (each dimension keeps a
     * 0.04 share); the 2-row web_page builds first, time_dim's 3,456 rows
     * later against the already reduced probe */
    const char *p = bt_plan("SELECT count(*) FROM web_sales, time_dim, web_page WHERE "
                             "ws_sold_time_sk = t_time_sk AND ws_web_page_sk = wp_web_page_sk "
                             "AND t_hour BETWEEN 8 AND 9 AND wp_char_count BETWEEN 5000 AND 5200", true);
    CHECK(bt_has(p, "    JOIN INNER conds=[ws_sold_time_sk = t_time_sk]\n"
                 "      JOIN INNER conds=[ws_web_page_sk = wp_web_page_sk]\n"
                 "        GET web_sales"));
}

TEST(opt_projection_pruning)
{
    const char *p = bt_plan("SELECT ws_quantity FROM web_sales WHERE ws_net_paid > 10", true);
    CHECK(bt_has(p, "GET web_sales [ws_quantity, ws_net_paid] filters=[(ws_net_paid > 10.00)]"));
    /* count(*) reads one (narrow) column */
    p = bt_plan("SELECT count(*) FROM item", true);
    CHECK(bt_has(p, "GET item [i_item_sk]"));
    /* subquery columns nobody reads are dropped */
    p = bt_plan("SELECT x FROM (SELECT a AS x, b, c FROM t) s", true);
    CHECK(bt_has(p, "PROJECT [a]\n    GET t [a]"));
}

TEST(opt_topn_and_limit)
{
    CHECK(bt_has(bt_plan("SELECT a FROM t ORDER BY b DESC LIMIT 5", true),
              "TOPN 5 [b DESC NULLS LAST]"));
    CHECK(bt_has(bt_plan("SELECT a FROM t LIMIT 5", true), "LIMIT 5\n"));
    CHECK(bt_has(bt_plan("SELECT a FROM t ORDER BY a", true), "ORDER [a ASC NULLS LAST]"));
}

TEST(opt_pushdown_through_project_aggregate_setop)
{
    const char *p = bt_plan("SELECT * FROM (SELECT b, sum(c) s FROM t GROUP BY b) x WHERE b = "
                             "'k' AND s > 1", true);
    CHECK(bt_has(p, "GET t [b, c] filters=[(b = 'k')]"));
    CHECK(bt_has(p, "FILTER [(sum(c) > 1"));
    p = bt_plan("SELECT * FROM (SELECT a FROM t UNION ALL SELECT a FROM u) x WHERE a = 3", true);
    CHECK(bt_has(p, "GET t [a] filters=[(a = 3)]"));
    CHECK(bt_has(p, "GET u [a] filters=[(a = 3)]"));
    /* not below a LEFT join's right side */
    p = bt_plan("SELECT t.a FROM t LEFT JOIN u ON t.a = u.a WHERE u.e IS NULL", true);
    CHECK(bt_has(p, "FILTER [(e IS NULL)]\n    JOIN LEFT conds=[a = a]"));
    /* ON conditions on the right side of a LEFT join filter the right side */
    p = bt_plan("SELECT t.a FROM t LEFT JOIN u ON t.a = u.a AND u.e > 5", true);
    CHECK(bt_has(p, "GET u [a, e] filters=[(e > 5)]"));
}

TEST(opt_or_factoring_finds_join_keys)
{
    /* TPC-DS 13/48 style: the join key sits in every branch of an OR */
    const char *p = bt_plan("SELECT count(*) FROM t, u WHERE (t.a = u.a AND t.b = 'x') OR "
                             "(t.a = u.a AND u.e > 3)", true);
    CHECK(bt_has(p, "JOIN INNER conds=[a = a] residual=((b = 'x') OR (e > 3))"));
}

TEST(opt_cte_inlined_once_materialized_twice)
{
    const char *p = bt_plan("WITH x AS (SELECT a, b FROM t) SELECT a FROM x WHERE b = 'q'", true);
    CHECK(bt_lacks(p, "CTE_"));
    CHECK(bt_has(p, "GET t [a, b] filters=[(b = 'q')]"));
    p = bt_plan("WITH x AS (SELECT a, b FROM t) SELECT x1.a FROM x x1, x x2 WHERE x1.a = x2.a", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0"));
    CHECK(bt_has(p, "CTE_SCAN cte=0"));
}

TEST(opt_constant_folding)
{
    const char *p = bt_plan("SELECT a FROM t WHERE true AND a > CAST('2' AS integer) AND NOT NOT "
                             "(b IS NOT NULL)", true);
    CHECK(bt_has(p, "GET t [a, b] filters=[(a > 2), (b IS NOT NULL)]"));
    p = bt_plan("SELECT a FROM t WHERE false OR a = 1", true);
    CHECK(bt_has(p, "filters=[(a = 1)]"));
    p = bt_plan("SELECT a FROM t WHERE a = 1 AND NULL", true);
    CHECK(bt_has(p, "false"));
    /* calls over constants run once through the function itself */
    p = bt_plan("SELECT a FROM t WHERE a <= 8 + 1 AND d < DATE '2000-01-31' + INTERVAL '1' DAY", true);
    CHECK(bt_has(p, "filters=[(a <= 9), (d < DATE '2000-02-01')]"));
    /* a call that fails stays for run time */
    p = bt_plan("SELECT CASE WHEN a > 0 THEN 1 ELSE 1 / 0 END FROM t", true);
    CHECK(bt_has(p, "ELSE (1 / 0) END"));
}

TEST(opt_subquery_joins_get_filters)
{
    /* the correlated aggregate of TPC-DS 32/92: key grouped, filters in the scans */
    const char *p = bt_plan("SELECT sum(ws_ext_discount_amt) FROM web_sales, item WHERE i_manufact_id "
                             "= 350 AND i_item_sk = ws_item_sk AND ws_ext_discount_amt > (SELECT 1.3 "
                             "* avg(ws_ext_discount_amt) FROM web_sales WHERE ws_item_sk = i_item_sk)", true);
    CHECK(bt_has(p, "JOIN SINGLE conds=[i_item_sk = ws_item_sk]"));
    CHECK(bt_has(p, "AGGREGATE groups=[ws_item_sk] aggs=[avg(ws_ext_discount_amt)]"));
    CHECK(bt_has(p, "GET item [i_item_sk, i_manufact_id] filters=[(i_manufact_id = 350)]"));
}

TEST(opt_scalar_subquery_meets_its_relation)
{
    /* TPC-DS 6: the uncorrelated single join moves next to date_dim, where its
     * comparison filters before the fact table is joined */
    const char *p = bt_plan("SELECT count(*) FROM store_sales, date_dim d WHERE ss_sold_date_sk = "
                             "d.d_date_sk AND d.d_month_seq = (SELECT DISTINCT d_month_seq FROM "
                             "date_dim WHERE d_year = 2001 AND d_moy = 1)", true);
    CHECK(bt_has(p, "JOIN INNER conds=[ss_sold_date_sk = d_date_sk]\n"
                 "      GET store_sales [ss_sold_date_sk]\n"
                 "      FILTER [(d_month_seq = d_month_seq)]\n"
                 "        JOIN SINGLE\n"
                 "          GET date_dim [d_date_sk, d_month_seq]"));
}

TEST(opt_or_implies_per_table_filters)
{
    /* (t.b = 'x' AND u.e > 3) OR (t.b = 'y' AND u.e < 0): each scan gets its part */
    const char *p = bt_plan("SELECT count(*) FROM t, u WHERE t.a = u.a AND ((t.b = 'x' AND u.e > 3) "
                             "OR (t.b = 'y' AND u.e < 0))", true);
    CHECK(bt_has(p, "GET t [a, b] filters=[((b = 'x') OR (b = 'y'))]"));
    CHECK(bt_has(p, "GET u [a, e] filters=[((e > 3) OR (e < 0))]"));
    CHECK(bt_has(p, "residual=(((b = 'x') AND (e > 3)) OR ((b = 'y') AND (e < 0)))"));
    /* a branch without a condition on u implies nothing for u */
    p = bt_plan("SELECT count(*) FROM t, u WHERE t.a = u.a AND (t.b = 'x' OR u.e > 3)", true);
    CHECK(bt_has(p, "GET u [a, e]\n"));
}

TEST(opt_semi_build_distinct_and_cte_columns)
{
    /* the CTE keeps the 2 columns its readers use (of 3); its readers only
     * test membership, so it is deduplicated once where it is computed
     * (opt_dup_insensitive.c) and no reader adds a DISTINCT; an IN over a
     * plain scan gets none either */
    const char *p = bt_plan(
        "WITH w AS (SELECT a1.ws_order_number, a1.ws_warehouse_sk wh1, a2.ws_warehouse_sk wh2 "
        "FROM web_sales a1, web_sales a2 WHERE a1.ws_order_number = a2.ws_order_number AND "
        "a1.ws_warehouse_sk <> a2.ws_warehouse_sk) SELECT count(*) FROM web_returns WHERE "
        "wr_order_number IN (SELECT ws_order_number FROM w) AND wr_item_sk IN (SELECT wh1 FROM w) "
        "AND wr_reason_sk IN (SELECT r_reason_sk FROM reason)", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  DISTINCT\n    PROJECT [ws_order_number, ws_warehouse_sk]\n"));
    CHECK(bt_has(p, "PROJECT [ws_order_number]\n              CTE_SCAN cte=0"));
    CHECK(bt_has(p, "PROJECT [wh1]\n            CTE_SCAN cte=0"));
    CHECK(bt_lacks(p, "DISTINCT\n            PROJECT"));
    CHECK(bt_lacks(p, "DISTINCT\n              PROJECT"));
    CHECK(bt_has(p, "JOIN SEMI conds=[wr_reason_sk = r_reason_sk]"));
    CHECK(bt_has(p, "        PROJECT [r_reason_sk]\n          GET reason [r_reason_sk]"));
    /* a reader that counts rows: the readers under IN deduplicate their keys */
    p = bt_plan("WITH w AS (SELECT a1.ws_order_number FROM web_sales a1, web_sales a2 WHERE "
                 "a1.ws_order_number = a2.ws_order_number) SELECT count(*) FROM web_sales WHERE "
                 "ws_item_sk IN (SELECT ws_order_number FROM w) UNION ALL SELECT count(*) FROM w", true);
    CHECK(bt_has(p, "CTE_MATERIALIZE cte=0\n  PROJECT [ws_order_number]\n    JOIN INNER"));
    CHECK(bt_has(p, "DISTINCT\n            PROJECT [ws_order_number]\n              CTE_SCAN cte=0"));
}
