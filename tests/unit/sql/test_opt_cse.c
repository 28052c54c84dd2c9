/*
 * test_opt_cse.c: opt_cse.c observed on EXPLAIN text: repeated
 * subexpressions of aggregate arguments, FILTER conditions and projections
 * become one column of a projection inserted below (TPC-DS 62's shape),
 * nested repeats included; subexpressions that occur only where SQL
 * evaluates them on some rows (CASE branches, the right side of AND,
 * COALESCE fallbacks), volatile ones and single occurrences stay where
 * they are.
 */
#include <stdio.h>
#include <string.h>

#include "../test.h"
#include "bind_test_env.h"

TEST(opt_cse_q62_shape)
{
    const char *p = bt_plan(
        "SELECT sum(CASE WHEN ws_ship_date_sk - ws_sold_date_sk <= 30 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN ws_ship_date_sk - ws_sold_date_sk > 30 AND ws_ship_date_sk - "
        "ws_sold_date_sk <= 60 THEN 1 ELSE 0 END), ws_web_site_sk FROM web_sales GROUP BY "
        "ws_web_site_sk", true);
    CHECK(bt_has(p, "  AGGREGATE groups=[ws_web_site_sk] aggs=[sum(CASE WHEN (cse1 <= 30) THEN 1 "
                 "ELSE 0 END), sum(CASE WHEN ((cse1 > 30) AND (cse1 <= 60)) THEN 1 ELSE 0 END)]\n"
                 "    PROJECT [ws_web_site_sk, (ws_ship_date_sk - ws_sold_date_sk)]\n"
                 "      GET web_sales [ws_sold_date_sk, ws_ship_date_sk, ws_web_site_sk]"));
    /* the whole TPC-DS query: the difference is computed once */
    p = bt_plan("SELECT w_warehouse_name, sum(CASE WHEN (ws_ship_date_sk - ws_sold_date_sk <= 30) "
                "THEN 1 ELSE 0 END), sum(CASE WHEN (ws_ship_date_sk - ws_sold_date_sk > 30) AND "
                "(ws_ship_date_sk - ws_sold_date_sk <= 60) THEN 1 ELSE 0 END), sum(CASE WHEN "
                "(ws_ship_date_sk - ws_sold_date_sk > 120) THEN 1 ELSE 0 END) FROM web_sales, "
                "warehouse, date_dim WHERE d_month_seq BETWEEN 1200 AND 1211 AND ws_ship_date_sk "
                "= d_date_sk AND ws_warehouse_sk = w_warehouse_sk GROUP BY w_warehouse_name", true);
    CHECK(bt_has(p, "  AGGREGATE groups=[w_warehouse_name] aggs=[sum(CASE WHEN (cse1 <= 30) THEN 1 "
                 "ELSE 0 END), sum(CASE WHEN ((cse1 > 30) AND (cse1 <= 60)) THEN 1 ELSE 0 END), "
                 "sum(CASE WHEN (cse1 > 120) THEN 1 ELSE 0 END)]\n"));
    /* four in the result's column names, once in the projection */
    CHECK(bt_count(p, "(ws_ship_date_sk - ws_sold_date_sk)") == 5);
    CHECK(bt_has(p, "    PROJECT [w_warehouse_name, (ws_ship_date_sk - ws_sold_date_sk)]\n"
                 "      JOIN INNER"));
}

TEST(opt_cse_conditional_only_not_hoisted)
{
    /* a / e only in THEN / ELSE branches: e = 0 rows never divide today */
    const char *p = bt_plan("SELECT sum(CASE WHEN e <> 0 THEN a / e END), max(CASE WHEN e <> 0 "
                            "THEN a / e ELSE 0 END) FROM u", true);
    CHECK(bt_has(p, "aggs=[sum(CASE WHEN cse1 THEN (CAST(a AS bigint) / e) END), max(CASE WHEN cse1 "
                 "THEN (CAST(a AS bigint) / e) ELSE 0 END)]"));
    CHECK(bt_has(p, "    PROJECT [a, e, (e <> 0)]\n"));   /* the first WHEN is unconditional */
    /* ELSE, a later WHEN, AND's right side, COALESCE's fallback */
    p = bt_plan("SELECT sum(CASE WHEN e = 0 THEN 0 ELSE a / e END), count(CASE WHEN e <> 0 AND "
                "a / e > 1 THEN 1 END), min(coalesce(f, a / e)), max(CASE WHEN e = 0 THEN 0 WHEN "
                "a / e > 2 THEN 1 END) FROM u", true);
    CHECK(bt_has(p, "    PROJECT [a, e, f, (e = 0)]\n"));   /* first WHENs are shared */
    CHECK(bt_lacks(p, "(CAST(a AS bigint) / e)]"));
    CHECK(bt_count(p, "(CAST(a AS bigint) / e)") == 8);   /* 4 in names, 4 in the aggregate */
    /* OR too */
    p = bt_plan("SELECT count(CASE WHEN e = 0 OR a / e > 1 THEN 1 END), sum(CASE WHEN e = 0 OR "
                "a / e > 1 THEN 0 ELSE a / e END) FROM u", true);
    CHECK(bt_has(p, "PROJECT [a, e, ((e = 0) OR ((CAST(a AS bigint) / e) > 1))]"));
    CHECK(bt_lacks(p, "PROJECT [a, e, (CAST(a AS bigint) / e)"));
}

TEST(opt_cse_volatile_and_single_not_hoisted)
{
    /* random() is never shared; its deterministic argument is */
    const char *p = bt_plan("SELECT sum(e * 2 + random()), max(e * 2 + random()) FROM u", true);
    CHECK(bt_has(p, "aggs=[sum((cse1 + random())), max((cse1 + random()))]\n"
                 "    PROJECT [CAST((e * 2) AS double)]"));
    p = bt_plan("SELECT sum(random() * 2), max(random() * 2) FROM u", true);
    CHECK(bt_lacks(p, "cse"));
    /* single occurrences, different expressions */
    p = bt_plan("SELECT sum(f * 2), max(f * 3), min(e + 1) FROM u", true);
    CHECK(bt_lacks(p, "cse"));
    CHECK(bt_has(p, "  AGGREGATE groups=[] aggs=[sum((f * 2.0)), max((f * 3.0)), min((e + 1))]\n"
                 "    GET u [e, f]"));
    /* repeated columns and constants are not worth a projection */
    p = bt_plan("SELECT sum(e), max(e), min(e), count(1), sum(1) FROM u", true);
    CHECK(bt_lacks(p, "cse"));
    CHECK(bt_lacks(p, "  PROJECT"));
}

TEST(opt_cse_nested)
{
    /* the larger repeated expression wins; a repeat within one argument counts */
    const char *p = bt_plan("SELECT sum(CASE WHEN (e * 2) * 3 > 1 THEN 1 END), max((e * 2) * 3) "
                            "FROM u", true);
    CHECK(bt_has(p, "aggs=[sum(CASE WHEN (cse1 > 1) THEN 1 END), max(cse1)]\n"
                 "    PROJECT [((e * 2) * 3)]"));
    p = bt_plan("SELECT sum(e * 2 + e * 2), sum(abs(f * 2)), max(abs(f * 2) + abs(f * 2)) FROM u", true);
    CHECK(bt_has(p, "aggs=[sum((cse2 + cse2)), sum(cse1), max((cse1 + cse1))]\n"
                 "    PROJECT [abs((f * 2.0)), (e * 2)]"));
    /* a repeat left inside the hoisted expression and elsewhere: one projection per level */
    p = bt_plan("SELECT sum((a + e) * 2), max((a + e) * 2), min(a + e), max(((a + e) * 2) * 5), "
                "min(((a + e) * 2) * 5) FROM u", true);
    CHECK(bt_has(p, "aggs=[sum(cse2), max(cse2), min(cse3), max(cse1), min(cse1)]\n"
                 "    PROJECT [cse3, cse2, (cse2 * 5)]\n"
                 "      PROJECT [cse3, (cse3 * 2)]\n"
                 "        PROJECT [(CAST(a AS bigint) + e)]\n"
                 "          GET u [a, e]"));
    p = bt_plan("SELECT sum(CASE WHEN (e * 2) * 3 > 1 THEN 1 END), max((e * 2) * 3), min(e * 2) "
                "FROM u", true);
    CHECK(bt_has(p, "aggs=[sum(CASE WHEN (cse1 > 1) THEN 1 END), max(cse1), min(cse2)]\n"
                 "    PROJECT [cse2, (cse2 * 3)]\n      PROJECT [(e * 2)]"));
    /* a repeat inside the hoisted expression only */
    p = bt_plan("SELECT sum(CASE WHEN e * 2 > 1 THEN e * 2 END), max(CASE WHEN e * 2 > 1 THEN e * "
                "2 END) FROM u", true);
    CHECK(bt_has(p, "aggs=[sum(cse1), max(cse1)]\n"
                 "    PROJECT [CASE WHEN (cse2 > 1) THEN cse2 END]\n"
                 "      PROJECT [(e * 2)]\n"
                 "        GET u [e]"));
    /* projections too */
    p = bt_plan("SELECT (a + e) * 2, (a + e) * 3 FROM u", true);
    CHECK(bt_has(p, "PROJECT [(cse1 * 2), (cse1 * 3)]\n  PROJECT [(CAST(a AS bigint) + e)]"));
}

TEST(opt_cse_filter_distinct_sets)
{
    /* FILTER conditions are evaluated on every row, like the arguments */
    const char *p = bt_plan("SELECT sum(e + 1) FILTER (WHERE f > 1 AND e * 2 > 10), max(e * 2) "
                            "FROM u", true);
    CHECK(bt_has(p, "aggs=[sum((e + 1)) FILTER (WHERE ((f > 1.0) AND (cse1 > 10))), max(cse1)]\n"
                 "    PROJECT [e, f, (e * 2)]"));
    p = bt_plan("SELECT count(*) FILTER (WHERE e * 2 > 10), sum(e * 2) FILTER (WHERE e * 2 > 10) "
                "FROM u", true);
    CHECK(bt_has(p, "aggs=[count_star(*) FILTER (WHERE cse1), sum(cse2) FILTER (WHERE cse1)]\n"
                 "    PROJECT [cse2, (cse2 > 10)]\n"
                 "      PROJECT [(e * 2)]\n"
                 "        GET u [e]"));
    /* only behind AND in filters: stays */
    p = bt_plan("SELECT count(*) FILTER (WHERE e <> 0 AND a / e > 1), sum(f) FILTER (WHERE e <> 0 "
                "AND a / e > 1) FROM u", true);
    CHECK(bt_lacks(p, "PROJECT [a, e, f, (CAST(a AS bigint) / e)"));
    /* DISTINCT aggregates share their argument */
    p = bt_plan("SELECT count(DISTINCT a + e), sum(a + e) FROM u", true);
    CHECK(bt_has(p, "aggs=[count(DISTINCT cse1), sum(cse1)]\n"
                 "    PROJECT [(CAST(a AS bigint) + e)]"));
    /* ROLLUP with GROUPING(): groups are rebound to the projection's columns */
    p = bt_plan("SELECT a, sum(e * 2), max(e * 2), GROUPING(a) FROM u GROUP BY ROLLUP (a)", true);
    CHECK(bt_has(p, "AGGREGATE groups=[a] aggs=[sum(cse1), max(cse1)] sets=[(0), ()] "
                 "groupings=[GROUPING(a)]\n"
                 "    PROJECT [a, (e * 2)]"));
}
